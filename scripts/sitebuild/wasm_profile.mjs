// The trimmed runtime's profile and check, run by scripts/sitebuild/pyodide_runtime.py under Node.
//
// Boots the runtime from RUNTIME_DIR (pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm) with the
// compiled archives, by the shipped worker's own boot(): fresh (taking a memory snapshot, as a
// first visit does), then restored from that snapshot (as later visits start), and answers every
// request after each start. Writes {"fresh": [...], "image": [...], "snapshot": {bytes, memory}}
// to OUT_JSON.
//
// Profile: run with `node --liftoff-only --trace-wasm-compilation-times` (V8 compiles each wasm
// function lazily, on its first call, and prints its index); sitebuild/wasm_trim.py reads that.
// Check: run on the trimmed wasm; it must validate, and the caller compares the answers with the
// full wasm's.
//
// Usage: node [V8 flags] wasm_profile.mjs RUNTIME_DIR STDLIB_ZIP APP_ZIP LOCK_JSON WORKER_MJS REQUESTS_JSON OUT_JSON [N [EXTRAS_ZIP EXTRAS_JSON]]
//        N: answer only the first N requests after the restart from the snapshot (the others
//        ran already; in one process V8 compiles each function once for both runtimes)
//        EXTRAS_ZIP, EXTRAS_JSON: the extras archive (comparisons, QR codes, exports), attached
//        after each start as the worker attaches it, and the requests that need it: answered
//        after the others, then the first N requests again, into "extras_fresh" and
//        "extras_image"
import { readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

process.on("uncaughtException", (err) => { console.error(String(err?.stack ?? err).slice(0, 3000)); process.exit(1); });
process.on("unhandledRejection", (err) => { console.error(String(err?.stack ?? err).slice(0, 3000)); process.exit(1); });

const [runtimeDir, stdlib, app, lockJson, workerModule, requestsJson, outJson] = process.argv.slice(2, 9).map((p) => resolve(p));
const imageCount = Number(process.argv[9] ?? Infinity); // requests answered after the restart
const [extrasZip, extrasJson] = process.argv.slice(10, 12).map((p) => resolve(p));
// As in a browser: there emscripten names the program "./this.program", under Node the script's
// absolute path, and Python's start-up (getpath) runs other code for a relative one.
process.argv.splice(1);
if (!WebAssembly.validate(readFileSync(join(runtimeDir, "pyodide.asm.wasm")))) {
  console.error(`${runtimeDir}/pyodide.asm.wasm does not validate`);
  process.exit(1);
}
const { attachExtras, boot } = await import(workerModule);
const extras = extrasJson !== undefined
  ? { bytes: readFileSync(extrasZip), requests: JSON.parse(readFileSync(extrasJson, "utf8")) } : null;
// Python's cyclic garbage collector frees what the requests left behind at moments of its own
// choosing (in a browser, at a later request): a full collection after each batch runs every
// clear and dealloc that garbage needs, so the profile sees them (a QR code's objects, freed
// during the next calculation, once trapped).
const collect = (engine) => engine.pyodide.runPython("import gc; gc.collect()");
// And its automatic (incremental) collections take other paths than gc.collect(): in the profile
// they run far more often than a reader's session would make them, over every kind of object
// (not in the check, which must answer as a browser does; nor in the snapshot, taken at boot).
const often = (engine) => engine.pyodide.runPython("import gc; gc.set_threshold(10)");
// With the extras attached, Python finds modules through one more archive: the worked cases run
// again after the extras' own requests (a reader computes again after a QR code).
const withExtras = (engine) => {
  attachExtras(engine.pyodide, extras.bytes);
  if (profiling) often(engine);
  const own = extras.requests.map((r) => engine.handle(r));
  collect(engine);
  const again = requests.slice(0, Math.min(imageCount, requests.length)).map((r) => engine.handle(r));
  collect(engine);
  return [...own, ...again];
};
const config = {
  indexURL: runtimeDir + "/", stdLibURL: stdlib, appURL: app,
  lock: JSON.parse(readFileSync(lockJson, "utf8")).info,
};
const requests = JSON.parse(readFileSync(requestsJson, "utf8"));
const readBytes = (path) => readFile(path);
const fresh = await boot(config, readBytes, { makeSnapshot: true });
// The error path of a bug: a Python exception escaping the bridge (not a string: json.loads
// raises TypeError), its traceback formatted for the worker's report. Its last line is compared.
const raised = (engine) => {
  try {
    engine.handle(12345);
  } catch (err) {
    return String(err?.message).trim().split("\n").at(-1);
  }
  throw new Error("the bridge did not raise for a request that is not text");
};
const profiling = process.execArgv.includes("--liftoff-only");
if (profiling) often(fresh);
const answers = { fresh: requests.map((r) => fresh.handle(r)), raised: [raised(fresh)] };
collect(fresh);
const restored = await boot(config, readBytes, { snapshot: fresh.snapshot });
if (profiling) often(restored);
answers.image = requests.slice(0, imageCount).map((r) => restored.handle(r));
answers.raised.push(raised(restored));
collect(restored);
if (extras) {
  answers.extras_fresh = withExtras(fresh);
  answers.extras_image = withExtras(restored);
}
// The image's size: its header (Pyodide's, word 1: where the memory starts), then the memory.
const header = new Uint32Array(fresh.snapshot.buffer, fresh.snapshot.byteOffset, 4)[1];
answers.snapshot = { bytes: fresh.snapshot.length, memory: fresh.snapshot.length - header };
writeFileSync(outJson, JSON.stringify(answers));
