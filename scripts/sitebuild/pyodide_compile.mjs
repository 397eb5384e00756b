// Build-time half of the compile step, run by scripts/sitebuild/pyodide_runtime.py under Node.
//
// Inside the pinned Pyodide runtime itself (so the bytecode always matches what ships) it:
//   1. replays the trace requests through the calculators in a stock runtime: the reference answers;
//   2. applies the start-up workaround (sitebuild/pyodide_patches.py) to Pyodide's own Python files in
//      a copy of the standard library, failing if the pinned release is not the one it was
//      written for;
//   3. in a runtime started from that copy, imports the calculators from their source archive, on
//      sys.path as boot() puts the shipped one (zipimport), replays the requests and records every
//      standard-library module that loads (Pyodide's own start-up included);
//   4. writes a standard-library archive with only those modules, precompiled to bytecode without
//      docstrings (stock Pyodide spends most of its start-up compiling the standard library from
//      source), and the calculators archive: their bytecode and data;
//   5. starts a runtime from exactly those two archives, replays the requests and checks the
//      answers are identical to the stock ones: a module missed by the trace fails the build, not
//      the browser;
//   6. does the same with a runtime started from the previous one's memory snapshot, as a
//      reader's browser does on later visits (worker.mjs): the snapshot API is not yet stable.
//
// Usage: node pyodide_compile.mjs PYODIDE_DIR APP_SRC_ZIP REQUESTS_JSON OUT_DIR WORKER_MJS PATCHES_JSON
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

// Print errors without Node's dump of the (minified, megabyte-long) source line.
process.on("uncaughtException", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });
process.on("unhandledRejection", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });

const [pyodideDir, appSrcZip, requestsJson, outDir, workerModule, patchesJson] = process.argv.slice(2).map((p) => resolve(p));
const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
const { boot, APP_ZIP } = await import(workerModule);
const requests = readFileSync(requestsJson, "utf8");
const quiet = { stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") };

const REPLAY = `
import json
from calculators.adapters import bridge
answers = [bridge.handle(r) for r in json.loads(REQUESTS)]
`;

// Step 2: the standard library with the start-up workaround applied (sources, all of it).
const PATCH = `
import hashlib, json, zipfile, io

spec = json.loads(PATCHES)
if spec["version"] != VERSION:
    raise SystemExit(
        f"sitebuild/pyodide_patches.py was written for Pyodide {spec['version']}, the pinned one is "
        f"{VERSION}: check what the new start-up imports, and update the edits and their hashes")
stdlib = zipfile.ZipFile("/lib/python314.zip")
out = io.BytesIO()
with zipfile.ZipFile(out, "w") as z:
    for info in stdlib.infolist():
        data = stdlib.read(info)
        if info.filename in spec["patches"]:
            digest, edits = spec["patches"][info.filename]
            if hashlib.sha256(data).hexdigest() != digest:
                raise SystemExit(f"{info.filename} of Pyodide {VERSION} is not the file "
                                 "sitebuild/pyodide_patches.py edits (its SHA-256 differs)")
            text = data.decode()
            for old, new in edits:
                if old is None:
                    text = new
                    continue
                if text.count(old) != 1:
                    raise SystemExit(f"{info.filename}: an edit of sitebuild/pyodide_patches.py "
                                     f"does not apply:\\n{old}")
                text = text.replace(old, new)
            data = text.encode()
        z.writestr(info, data)
missing = set(spec["patches"]) - set(stdlib.namelist())
if missing:
    raise SystemExit(f"not in Pyodide {VERSION}'s standard library: {sorted(missing)}")
patched_bytes = out.getvalue()
`;

// Steps 3–4, in the runtime started from the edited library.
const TRACE = `
import sys

ZIP = "/lib/python314.zip/"
# Traceback formatting is needed whenever Python raises into JavaScript.
import traceback, linecache
try:
    raise RuntimeError("trace")
except RuntimeError:
    traceback.format_exc()
# Modules frozen into the interpreter (importlib's bootstrap, zipimport, os, codecs, site …) are
# named after their file in the library, but never read from it: left out.
used = sorted({m.__file__[len(ZIP):] for m in list(sys.modules.values())
               if (getattr(m, "__file__", None) or "").startswith(ZIP)
               and getattr(getattr(m, "__spec__", None), "origin", None) != "frozen"})
`;
const COMPILE = `
import ast, importlib._bootstrap_external as bootstrap
import importlib.util, io, zipfile

class Undocumented(ast.NodeTransformer):
    """Docstrings out (a third of the library's bytecode); asserts stay: compile(optimize=2)
    would drop both, and the calculators' asserts are their invariants (see README)."""
    def strip(self, node):
        self.generic_visit(node)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \\
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass(lineno=body[0].lineno, col_offset=0)]
        return node
    visit_Module = visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = strip

def pyc(source, filename, docstrings=True):
    tree = ast.parse(source, filename)
    if not docstrings:
        tree = ast.fix_missing_locations(Undocumented().visit(tree))
    code = compile(tree, filename, "exec", dont_inherit=True)
    # Unchecked hash-based pyc: valid without comparing to any source timestamp.
    return bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)

def deterministic(z, name, data):
    # Stored, not deflated: the server compresses the whole archive better than zip does file by
    # file, and the runtime reads members without inflating.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    z.writestr(info, data)

stdlib = zipfile.ZipFile("/lib/python314.zip")
out = io.BytesIO()
with zipfile.ZipFile(out, "w") as z:
    for name in used:
        data = stdlib.read(name)
        if name.endswith(".py"):
            deterministic(z, name + "c", pyc(data, ZIP + name, docstrings=False))
        else:
            deterministic(z, name, data)
stdlib_bytes = out.getvalue()

app_src = zipfile.ZipFile(APP_ZIP)
out = io.BytesIO()
with zipfile.ZipFile(out, "w") as z:
    for name in sorted(app_src.namelist()):
        data = app_src.read(name)
        if name.endswith(".py"):
            # Bytecode only, without docstrings (as the standard library): a traceback still names
            # the file and line.
            deterministic(z, name + "c", pyc(data, f"{APP_ZIP}/{name}", docstrings=False))
        else:
            deterministic(z, name, data)  # the parameters and contacts
app_bytes = out.getvalue()
modules = used
`;

const lock = JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8"));
const npmVersion = JSON.parse(readFileSync(join(pyodideDir, "package.json"), "utf8")).version;
const sameAnswers = (name, actual) => {
  const differing = expected.findIndex((answer, i) => answer !== actual[i]);
  if (expected.length !== actual.length || differing !== -1) {
    console.error(`replay differs at request ${differing}:\n stock: ${expected[differing]}\n ${name}: ${actual[differing]}`);
    process.exit(1);
  }
};

// 1–2: the reference answers, and the edited library, in a stock runtime.
const stock = await loadPyodide({ indexURL: pyodideDir + "/", ...quiet });
stock.FS.writeFile(APP_ZIP, new Uint8Array(readFileSync(appSrcZip)));
stock.pyimport("sys").path.insert(0, APP_ZIP);
stock.globals.set("REQUESTS", requests);
await stock.runPythonAsync(REPLAY);
const expected = stock.globals.get("answers").toJs();
stock.globals.set("PATCHES", readFileSync(patchesJson, "utf8"));
stock.globals.set("VERSION", npmVersion);
await stock.runPythonAsync(PATCH);
const patchedPath = join(outDir, "stdlib-edited-source.zip");
writeFileSync(patchedPath, stock.globals.get("patched_bytes").toJs());

// 3–4: trace and compile in a runtime started from the edited library, as the shipped one starts.
const tracer = await loadPyodide({
  indexURL: pyodideDir + "/", stdLibURL: patchedPath, lockFileContents: { info: lock.info, packages: {} },
  packageBaseUrl: pyodideDir + "/", ...quiet,
  // The bytecode it compiles has no column tables (PEP 657's carets): a traceback still names
  // the file and the line. Smaller archives.
  env: { PYTHONNODEBUGRANGES: "1" },
});
tracer.FS.writeFile(APP_ZIP, new Uint8Array(readFileSync(appSrcZip)));
tracer.pyimport("sys").path.insert(0, APP_ZIP);
const { handle: traced } = tracer.pyimport("calculators.adapters.bridge");
sameAnswers("with the start-up workaround", JSON.parse(requests).map((r) => traced(r)));
tracer.globals.set("APP_ZIP", APP_ZIP);
tracer.runPython(TRACE);
tracer.runPython(COMPILE);
const stdlibBytes = tracer.globals.get("stdlib_bytes").toJs();
const appBytes = tracer.globals.get("app_bytes").toJs();
const modules = tracer.globals.get("modules").toJs();
writeFileSync(join(outDir, "stdlib.zip"), stdlibBytes);
writeFileSync(join(outDir, "app.zip"), appBytes);
unlinkSync(patchedPath);

// 4: replay against exactly the archives that ship, booted by the shipped worker's own code;
// 5: and in a runtime restored from that one's snapshot, taken as the worker takes it.
const config = {
  indexURL: pyodideDir + "/", stdLibURL: join(outDir, "stdlib.zip"), appURL: join(outDir, "app.zip"), lock: lock.info,
};
const readBytes = (path) => readFile(path);
const shipped = await boot(config, readBytes, { makeSnapshot: true });
const restored = await boot(config, readBytes, { snapshot: shipped.snapshot });
for (const [name, { handle }] of [["shipped", shipped], ["restored from its snapshot", restored]]) {
  sameAnswers(name, JSON.parse(requests).map((r) => handle(r)));
}
writeFileSync(join(outDir, "manifest.json"), JSON.stringify({
  pyodide: lock.info, modules, requests: expected.length, snapshotBytes: shipped.snapshot.length,
}, null, 1));
console.log(`compiled ${modules.length} standard-library modules (start-up workaround for Pyodide ` +
  `${npmVersion} applied); ${expected.length} requests replayed identically, from the shipped archives ` +
  "and from a memory snapshot");
