// Build-time half of the compile step, run by scripts/pyodide_runtime.py under Node.
//
// Inside the pinned Pyodide runtime itself (so the bytecode always matches what ships) it:
//   1. unpacks the calculators' source archive and runs the trace requests through the bridge,
//      recording every standard-library module that loads (Pyodide's own start-up included);
//   2. writes a standard-library archive with only those modules, precompiled to bytecode
//      (stock Pyodide spends most of its start-up compiling the standard library from source);
//   3. writes the calculators archive with its bytecode beside the sources;
//   4. starts a second runtime from exactly those two archives, replays the requests and checks
//      the answers are identical: a module missed by the trace fails the build, not the browser.
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

import calculators, os
root = os.path.dirname(calculators.__file__)
tag = sys.implementation.cache_tag
app_src = zipfile.ZipFile(io.BytesIO(bytes(APP_SRC)))
out = io.BytesIO()
with zipfile.ZipFile(out, "w") as z:
    for name in sorted(app_src.namelist()):
        data = app_src.read(name)
        deterministic(z, name, data)
        if name.endswith(".py"):
            head, _, base = name.rpartition("/")
            cached = f"{head}/__pycache__/{base[:-3]}.{tag}.pyc" if head else f"__pycache__/{base[:-3]}.{tag}.pyc"
            deterministic(z, cached, pyc(data, os.path.join(os.path.dirname(root), name)))
app_bytes = out.getvalue()
modules = used
`;

// 1–3: trace and compile in a stock runtime.
const stock = await loadPyodide({ indexURL: pyodideDir + "/", ...quiet });
const appSrc = new Uint8Array(readFileSync(appSrcZip));
stock.unpackArchive(appSrc, "zip");
stock.globals.set("REQUESTS", requests);
stock.globals.set("APP_SRC", stock.toPy(appSrc));
await stock.runPythonAsync(REPLAY);
const expected = stock.globals.get("answers").toJs();
await stock.runPythonAsync(COMPILE);
const stdlibBytes = stock.globals.get("stdlib_bytes").toJs();
const appBytes = stock.globals.get("app_bytes").toJs();
const modules = stock.globals.get("modules").toJs();
writeFileSync(join(outDir, "stdlib.zip"), stdlibBytes);
writeFileSync(join(outDir, "app.zip"), appBytes);

// 4: replay against exactly the archives that ship, booted by the shipped worker's own code.
const lock = JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8"));
const { boot } = await import(workerModule);
const handle = await boot(
  { indexURL: pyodideDir + "/", stdLibURL: join(outDir, "stdlib.zip"), appURL: join(outDir, "app.zip"), lock: lock.info },
  (path) => readFile(path),
);
const actual = JSON.parse(requests).map((r) => handle(r));
const differing = expected.findIndex((answer, i) => answer !== actual[i]);
if (expected.length !== actual.length || differing !== -1) {
  console.error(`replay differs at request ${differing}:\n stock:   ${expected[differing]}\n shipped: ${actual[differing]}`);
  process.exit(1);
}
writeFileSync(join(outDir, "manifest.json"), JSON.stringify({
  pyodide: lock.info, modules, requests: expected.length,
}, null, 1));
console.log(`compiled ${modules.length} standard-library modules; ${expected.length} requests replayed identically`);
