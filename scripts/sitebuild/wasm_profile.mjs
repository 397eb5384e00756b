// The trimmed runtime's profile and check, run by scripts/sitebuild/wasm_trim.py under Node.
//
// Boots the runtime from job.runtime (pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm) with the
// compiled archives, by the shipped worker's own boot(), fresh (taking a memory snapshot, as a
// first visit does), and answers job.requests ("fresh"); with job.image, restarts from that
// snapshot (as later visits start) and answers job.worked, the worked cases ("image"). With
// job.extras, the extras archive (comparisons, QR codes, exports) is then attached to the
// runtimes job.extrasAfter names ("fresh", "image"), as the worker attaches it, and its requests
// are answered, then the worked cases again ("extras_fresh", "extras_image"). Writes the answers,
// the last line of a Python exception escaping the bridge after each start ("raised"), and the
// snapshot's size to job.out.
//
// Profile: run with `node --liftoff-only --trace-wasm-compilation-times` (V8 compiles each wasm
// function lazily, on its first call, and prints its index); sitebuild/wasm_trim.py reads that.
// It runs two such processes at once, the requests shared between them (the union of their
// traces is the profile). Check: run on the trimmed wasm; it must validate, and the caller
// compares the answers with CPython's.
//
// Usage: node [V8 flags] wasm_profile.mjs JOB_JSON
//   JOB_JSON: {runtime, stdlib, app, lock, worker, requests, worked, image, out, extrasAfter,
//              extras?: {archive, requests}}
import { readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

process.on("uncaughtException", (err) => { console.error(String(err?.stack ?? err).slice(0, 3000)); process.exit(1); });
process.on("unhandledRejection", (err) => { console.error(String(err?.stack ?? err).slice(0, 3000)); process.exit(1); });

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
// As in a browser: there emscripten names the program "./this.program", under Node the script's
// absolute path, and Python's start-up (getpath) runs other code for a relative one.
process.argv.splice(1);
if (!WebAssembly.validate(readFileSync(join(job.runtime, "pyodide.asm.wasm")))) {
  console.error(`${job.runtime}/pyodide.asm.wasm does not validate`);
  process.exit(1);
}
const { attachExtras, boot } = await import(job.worker);
const requests = JSON.parse(readFileSync(job.requests, "utf8"));
const worked = JSON.parse(readFileSync(job.worked, "utf8"));
const extras = job.extras
  ? { bytes: readFileSync(job.extras.archive), requests: JSON.parse(readFileSync(job.extras.requests, "utf8")) }
  : null;
const profiling = process.execArgv.includes("--liftoff-only");
// Python's cyclic garbage collector frees what the requests left behind at moments of its own
// choosing (in a browser, at a later request): a full collection after each batch runs every
// clear and dealloc that garbage needs, so the profile sees them (a QR code's objects, freed
// during the next calculation, once trapped).
const collect = (engine) => engine.pyodide.runPython("import gc; gc.collect()");
// And its automatic (incremental) collections take other paths than gc.collect(): in the profile
// they run far more often than a reader's session would make them, over every kind of object
// (not in the check, which must answer as a browser does; nor in the snapshot, taken at boot).
const often = (engine) => { if (profiling) engine.pyodide.runPython("import gc; gc.set_threshold(10)"); };
const answer = (engine, batch) => {
  const out = batch.map((r) => engine.handle(r));
  collect(engine);
  return out;
};
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
// With the extras attached, Python finds modules through one more archive: the worked cases run
// again after the extras' own requests (a reader computes again after a QR code).
const withExtras = (engine) => {
  attachExtras(engine.pyodide, extras.bytes);
  often(engine);
  return [...answer(engine, extras.requests), ...answer(engine, worked)];
};

const config = {
  indexURL: job.runtime + "/", stdLibURL: job.stdlib, appURL: job.app,
  lock: JSON.parse(readFileSync(job.lock, "utf8")).info,
};
const readBytes = (path) => readFile(path);
const fresh = await boot(config, readBytes, { makeSnapshot: true });
const answers = { raised: {} };
// The image's size: its header (Pyodide's, word 1: where the memory starts), then the memory.
const header = new Uint32Array(fresh.snapshot.buffer, fresh.snapshot.byteOffset, 4)[1];
answers.snapshot = { bytes: fresh.snapshot.length, memory: fresh.snapshot.length - header };
often(fresh);
answers.fresh = answer(fresh, requests);
answers.raised.fresh = raised(fresh);
if (job.extrasAfter.includes("fresh")) answers.extras_fresh = withExtras(fresh);
if (job.image) {
  const restored = await boot(config, readBytes, { snapshot: fresh.snapshot });
  often(restored);
  answers.image = answer(restored, worked);
  answers.raised.image = raised(restored);
  if (job.extrasAfter.includes("image")) answers.extras_image = withExtras(restored);
}
writeFileSync(job.out, JSON.stringify(answers));
