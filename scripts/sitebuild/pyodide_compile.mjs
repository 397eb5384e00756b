// Build-time half of the compile step, run by scripts/sitebuild/pyodide_runtime.py under Node.
//
// Inside the pinned Pyodide runtime itself (so the bytecode always matches what ships) it:
//   1. imports the calculators from their source archive, on sys.path as boot() puts the shipped
//      one (zipimport), runs the trace requests through the bridge and records every
//      standard-library module that loads (Pyodide's own start-up included);
//   2. writes a standard-library archive with only those modules, precompiled to bytecode
//      (stock Pyodide spends most of its start-up compiling the standard library from source);
//   3. writes the calculators archive with its bytecode beside the sources (where zipimport looks);
//   4. starts a second runtime from exactly those two archives, replays the requests and checks
//      the answers are identical: a module missed by the trace fails the build, not the browser;
//   5. does the same with a third runtime started from the second one's memory snapshot, as a
//      reader's browser does on later visits (worker.mjs): the snapshot API is not yet stable.
//
// Usage: node pyodide_compile.mjs PYODIDE_DIR APP_SRC_ZIP REQUESTS_JSON OUT_DIR WORKER_MJS
import { readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

// Print errors without Node's dump of the (minified, megabyte-long) source line.
process.on("uncaughtException", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });
process.on("unhandledRejection", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });

const [pyodideDir, appSrcZip, requestsJson, outDir, workerModule] = process.argv.slice(2).map((p) => resolve(p));
const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
const { boot, APP_ZIP } = await import(workerModule);
const requests = readFileSync(requestsJson, "utf8");
const quiet = { stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") };

const REPLAY = `
import json
from calculators import bridge
answers = [bridge.handle(r) for r in json.loads(REQUESTS)]
`;

const COMPILE = `
import importlib._bootstrap_external as bootstrap
import importlib.util, io, sys, zipfile

ZIP = "/lib/python314.zip/"
# Traceback formatting is needed whenever Python raises into JavaScript.
import traceback, linecache
try:
    raise RuntimeError("trace")
except RuntimeError:
    traceback.format_exc()

def pyc(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True)
    # Unchecked hash-based pyc: valid without comparing to any source timestamp.
    return bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)

def deterministic(z, name, data):
    # Stored, not deflated: the server compresses the whole archive better than zip does file by
    # file (1.47 MB instead of 1.55 MB gzipped), and the runtime reads members without inflating.
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    z.writestr(info, data)

stdlib = zipfile.ZipFile("/lib/python314.zip")
used = sorted({m.__file__[len(ZIP):] for m in list(sys.modules.values())
               if (getattr(m, "__file__", None) or "").startswith(ZIP)})
out = io.BytesIO()
with zipfile.ZipFile(out, "w") as z:
    for name in used:
        data = stdlib.read(name)
        if name.endswith(".py"):
            deterministic(z, name + "c", pyc(data, ZIP + name))
        else:
            deterministic(z, name, data)
stdlib_bytes = out.getvalue()

app_src = zipfile.ZipFile(APP_ZIP)
out = io.BytesIO()
with zipfile.ZipFile(out, "w") as z:
    for name in sorted(app_src.namelist()):
        data = app_src.read(name)
        deterministic(z, name, data)  # sources too: tracebacks quote them
        if name.endswith(".py"):
            deterministic(z, name + "c", pyc(data, f"{APP_ZIP}/{name}"))
app_bytes = out.getvalue()
modules = used
`;

// 1–3: trace and compile in a stock runtime.
const stock = await loadPyodide({ indexURL: pyodideDir + "/", ...quiet });
stock.FS.writeFile(APP_ZIP, new Uint8Array(readFileSync(appSrcZip)));
stock.pyimport("sys").path.insert(0, APP_ZIP);
stock.globals.set("REQUESTS", requests);
stock.globals.set("APP_ZIP", APP_ZIP);
await stock.runPythonAsync(REPLAY);
const expected = stock.globals.get("answers").toJs();
await stock.runPythonAsync(COMPILE);
const stdlibBytes = stock.globals.get("stdlib_bytes").toJs();
const appBytes = stock.globals.get("app_bytes").toJs();
const modules = stock.globals.get("modules").toJs();
writeFileSync(join(outDir, "stdlib.zip"), stdlibBytes);
writeFileSync(join(outDir, "app.zip"), appBytes);

// 4: replay against exactly the archives that ship, booted by the shipped worker's own code;
// 5: and in a runtime restored from that one's snapshot, taken as the worker takes it.
const lock = JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8"));
const config = {
  indexURL: pyodideDir + "/", stdLibURL: join(outDir, "stdlib.zip"), appURL: join(outDir, "app.zip"), lock: lock.info,
};
const readBytes = (path) => readFile(path);
const shipped = await boot(config, readBytes, { makeSnapshot: true });
const restored = await boot(config, readBytes, { snapshot: shipped.snapshot });
for (const [name, { handle }] of [["shipped", shipped], ["restored from its snapshot", restored]]) {
  const actual = JSON.parse(requests).map((r) => handle(r));
  const differing = expected.findIndex((answer, i) => answer !== actual[i]);
  if (expected.length !== actual.length || differing !== -1) {
    console.error(`replay differs at request ${differing}:\n stock: ${expected[differing]}\n ${name}: ${actual[differing]}`);
    process.exit(1);
  }
}
writeFileSync(join(outDir, "manifest.json"), JSON.stringify({
  pyodide: lock.info, modules, requests: expected.length, snapshotBytes: shipped.snapshot.length,
}, null, 1));
console.log(`compiled ${modules.length} standard-library modules; ${expected.length} requests replayed ` +
  "identically, from the shipped archives and from a memory snapshot");
