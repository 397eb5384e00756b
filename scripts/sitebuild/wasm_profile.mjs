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
// Usage: node [V8 flags] wasm_profile.mjs RUNTIME_DIR STDLIB_ZIP APP_ZIP LOCK_JSON WORKER_MJS REQUESTS_JSON OUT_JSON [N]
//        N: answer only the first N requests after the restart from the snapshot (the others
//        ran already; in one process V8 compiles each function once for both runtimes)
import { readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

process.on("uncaughtException", (err) => { console.error(String(err?.stack ?? err).slice(0, 3000)); process.exit(1); });
process.on("unhandledRejection", (err) => { console.error(String(err?.stack ?? err).slice(0, 3000)); process.exit(1); });

const [runtimeDir, stdlib, app, lockJson, workerModule, requestsJson, outJson] = process.argv.slice(2, 9).map((p) => resolve(p));
const imageCount = Number(process.argv[9] ?? Infinity); // requests answered after the restart
// As in a browser: there emscripten names the program "./this.program", under Node the script's
// absolute path, and Python's start-up (getpath) runs other code for a relative one.
process.argv.splice(1);
if (!WebAssembly.validate(readFileSync(join(runtimeDir, "pyodide.asm.wasm")))) {
  console.error(`${runtimeDir}/pyodide.asm.wasm does not validate`);
  process.exit(1);
}
const { boot } = await import(workerModule);
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
const answers = { fresh: requests.map((r) => fresh.handle(r)), raised: [raised(fresh)] };
const restored = await boot(config, readBytes, { snapshot: fresh.snapshot });
answers.image = requests.slice(0, imageCount).map((r) => restored.handle(r));
answers.raised.push(raised(restored));
// The image's size: its header (Pyodide's, word 1: where the memory starts), then the memory.
const header = new Uint32Array(fresh.snapshot.buffer, fresh.snapshot.byteOffset, 4)[1];
answers.snapshot = { bytes: fresh.snapshot.length, memory: fresh.snapshot.length - header };
writeFileSync(outJson, JSON.stringify(answers));
