// Build-time half of the compile step, run by scripts/sitebuild/pyodide_runtime.py under Node.
//
// Inside the pinned Pyodide runtime itself (so the bytecode always matches what ships) it:
//   1. starts a runtime from the edited standard library (sources, with the start-up workaround of
//      sitebuild/pyodide_patches.py applied by the caller), as the shipped one starts;
//   2. imports the calculators from their source archive, on sys.path as boot() puts the shipped
//      one (zipimport), answers the trace requests and checks each answer is CPython's, byte for
//      byte; records every standard-library module that loaded (Pyodide's own start-up included);
//   3. writes a standard-library archive with only those modules, precompiled to bytecode without
//      docstrings (stock Pyodide spends most of its start-up compiling the standard library from
//      source), the calculators archive (their bytecode and data) and the extras archive
//      (sitebuild/pyodide_extras.py: comparisons, QR codes, exports), compiled the same way.
//
// The shipped archives are then run, fresh and from a memory snapshot, on the full and on the
// trimmed wasm, by sitebuild/wasm_trim.py (wasm_profile.mjs): that run checks their answers.
//
// Usage: node pyodide_compile.mjs PYODIDE_DIR OUT_DIR WORKER_MJS
//        OUT_DIR holds stdlib-edited.zip, app-src.zip, extras-src.zip, requests.json and
//        expected.json (CPython's answers); stdlib.zip, app.zip, extras.zip and manifest.json
//        are written there.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

// Print errors without Node's dump of the (minified, megabyte-long) source line.
process.on("uncaughtException", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });
process.on("unhandledRejection", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });

const [pyodideDir, outDir, workerModule] = process.argv.slice(2).map((p) => resolve(p));
const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
const { APP_ZIP, EXTRAS_ZIP } = await import(workerModule);
const input = (name) => join(outDir, name);
const requests = JSON.parse(readFileSync(input("requests.json"), "utf8"));
const expected = JSON.parse(readFileSync(input("expected.json"), "utf8"));
const quiet = { stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") };

// Step 2's record, after the replay.
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
// Step 3.
const COMPILE = `
import ast, importlib._bootstrap_external as bootstrap
import importlib.util, io, zipfile

# Docstrings out (a third of the library's bytecode); asserts stay: compile(optimize=2) would
# drop both, and the calculators' asserts are their invariants (see README). A docstring is the
# first statement of a module, class or function body, and those are statements: only the
# statement lists are walked, not the expressions (a full NodeTransformer walk took seconds).
OWNERS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
BODIES = ("body", "orelse", "finalbody", "handlers", "cases")

def undocumented(tree):
    stack = [tree]
    while stack:
        node = stack.pop()
        body = node.body if isinstance(node, OWNERS) else None
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            line = body[0].lineno
            node.body = body[1:] or [ast.Pass(lineno=line, col_offset=0, end_lineno=line,
                                              end_col_offset=0)]
        for field in BODIES:
            stack.extend(getattr(node, field, None) or ())
    return tree

def pyc(source, filename):
    code = compile(undocumented(ast.parse(source, filename)), filename, "exec", dont_inherit=True)
    # Unchecked hash-based pyc: valid without comparing to any source timestamp.
    return bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)

def deterministic(z, name, data):
    # Stored, not deflated: the server compresses the whole archive better than zip does file by
    # file, and the runtime reads members without inflating.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    z.writestr(info, data)

def archive(source, names, prefix):
    """Bytecode for each .py of names (read by source.read), the other files as they are: a
    traceback still names the file (prefix + name) and the line."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in names:
            data = source.read(name)
            if name.endswith(".py"):
                deterministic(z, name + "c", pyc(data, prefix + name))
            else:
                deterministic(z, name, data)  # the parameters and contacts
    return out.getvalue()

stdlib_bytes = archive(zipfile.ZipFile("/lib/python314.zip"), used, ZIP)
app_src = zipfile.ZipFile(APP_ZIP)
app_bytes = archive(app_src, sorted(app_src.namelist()), APP_ZIP + "/")
extras_src = zipfile.ZipFile("/tmp/extras-src.zip")
extras_bytes = archive(extras_src, sorted(extras_src.namelist()), EXTRAS_ZIP + "/")
`;

const lock = JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8"));
const tracer = await loadPyodide({
  indexURL: pyodideDir + "/", stdLibURL: input("stdlib-edited.zip"),
  lockFileContents: { info: lock.info, packages: {} }, packageBaseUrl: pyodideDir + "/", ...quiet,
  // The bytecode it compiles has no column tables (PEP 657's carets): a traceback still names
  // the file and the line. Smaller archives.
  env: { PYTHONNODEBUGRANGES: "1" },
});
tracer.FS.writeFile(APP_ZIP, new Uint8Array(readFileSync(input("app-src.zip"))));
tracer.FS.writeFile("/tmp/extras-src.zip", new Uint8Array(readFileSync(input("extras-src.zip"))));
tracer.pyimport("sys").path.insert(0, APP_ZIP);
const { handle } = tracer.pyimport("calculators.adapters.bridge");
requests.forEach((request, i) => {
  const answer = handle(request);
  if (answer !== expected[i]) {
    console.error(`the calculators from source, with the start-up workaround, answer request ${i} ` +
      `unlike CPython:\n CPython: ${expected[i].slice(0, 600)}\n Pyodide: ${answer.slice(0, 600)}`);
    process.exit(1);
  }
});
tracer.globals.set("APP_ZIP", APP_ZIP);
tracer.globals.set("EXTRAS_ZIP", EXTRAS_ZIP);
tracer.runPython(TRACE);
tracer.runPython(COMPILE);
for (const name of ["stdlib", "app", "extras"]) {
  writeFileSync(join(outDir, `${name}.zip`), tracer.globals.get(`${name}_bytes`).toJs());
}
const modules = tracer.globals.get("used").toJs();
writeFileSync(join(outDir, "manifest.json"), JSON.stringify({
  pyodide: lock.info, modules, requests: requests.length,
}, null, 1));
console.log(`compiled ${modules.length} standard-library modules (start-up workaround for Pyodide ` +
  `${JSON.parse(readFileSync(join(pyodideDir, "package.json"), "utf8")).version} applied), the ` +
  `calculators and the extras; ${requests.length} requests answered as CPython answers them`);
