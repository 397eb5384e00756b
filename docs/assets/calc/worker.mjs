// The calculators' engine: Pyodide in a module Web Worker, off the page's main thread.
//
// Messages in:  {type: "init", config}            config: absolute URLs from engine.mjs (also
//                                                 given as the worker's name, see the end);
//                                                 fresh: true after a failure (no stored image)
//               {type: "call", id, request}       request: JSON text for calculators.adapters.bridge
//               {type: "call", id, request, extras}  extras: the extras archive's URL, fetched
//                                                 and attached first (QR codes, exports: once)
// Messages out: {type: "status", state: "ready" | "failed", from, wasm, ms, message}
//                                                 from: "image" (the stored start-up image, see
//                                                 below) or "fresh"; wasm: "trimmed" | "full"
//               {type: "runtime", wasm: "full", state: "starting" | "ready", ms}
//                                                 restarting on the full wasm after a trap (see
//                                                 the trimmed runtime's block below)
//               {type: "image", state: "stored" | "failed", message}
//               {type: "answer", id, answer}      answer: JSON text from calculators.adapters.bridge
//               {type: "answer", id, error}       a Python exception (a bug): the message
//
// `boot` is exported so the parity tests run this very file's start-up under Node.

/** Where the calculators' archive goes: imported from there by zipimport, nothing unpacked. */
export const APP_ZIP = "/lib/calculators.zip";
/** Where the extras archive goes (sitebuild/pyodide_extras.py: comparisons, QR codes, exports). */
export const EXTRAS_ZIP = "/lib/extras.zip";

/** Put the extras archive beside the calculators: segno on sys.path, and its three modules
 *  (views/compare, qr, export) found in calculators.views, whose other modules are in APP_ZIP. */
export function attachExtras(pyodide, bytes) {
  pyodide.FS.writeFile(EXTRAS_ZIP, new Uint8Array(bytes));
  pyodide.pyimport("sys").path.append(EXTRAS_ZIP);
  pyodide.pyimport("calculators.views").__path__.append(`${EXTRAS_ZIP}/calculators/views`);
}

/**
 * Start Pyodide from the compiled files. Returns the bridge's `handle(requestJson)` and, if
 * `makeSnapshot`, a memory snapshot of the runtime with the calculators imported and their data
 * read, taken before any request has run (so it holds nothing anyone typed). `snapshot`: start
 * from such an image instead, skipping Python's start-up and the imports (~1 s on a 2-core PC).
 */
export async function boot(config, readBytes, { snapshot = null, makeSnapshot = false } = {}) {
  const app = readBytes(config.appURL); // fetched while the runtime starts
  const { loadPyodide } = await import(config.indexURL + "pyodide.mjs");
  mark("pyodide.mjs");
  const pyodide = await loadPyodide({
    indexURL: config.indexURL,
    // Precompiled at build time: only the modules the calculators use, as bytecode.
    stdLibURL: config.stdLibURL,
    // No packages are loaded, so the 120 kB package index is not fetched.
    lockFileContents: { info: config.lock, packages: {} },
    packageBaseUrl: config.indexURL,
    // The same standard streams everywhere (no terminal, stdin at its end), so that Python's
    // start-up runs the same code in every browser and in the Node profile of the trimmed
    // runtime (under Node, Pyodide's default stdin is the process's, maybe a terminal).
    stdin: () => null,
    stdout: () => {},
    stderr: () => {},
    // One locale for every reader, and the one the trimmed runtime is profiled in (Node has no
    // navigator.language): the calculators word everything themselves and read no locale.
    env: { LANG: "C.UTF-8" },
    // Pyodide's memory-snapshot options (underscored: not yet a stable API). The compile step
    // checks, for the pinned runtime, that a restored snapshot answers every worked case alike.
    ...(snapshot ? { _loadSnapshot: snapshot } : {}),
    ...(makeSnapshot ? { _makeSnapshot: true } : {}),
  });
  mark("loadPyodide");
  // A trap in Python's own start-up, which Pyodide's start-up task would drop (the trimmed
  // runtime's glue keeps it: sitebuild/glue_patches.py): never answer from that runtime.
  if (pyodide._module.fangshanStartupError) throw pyodide._module.fangshanStartupError;
  // The file system is not part of a snapshot: the archive is written either way.
  pyodide.FS.writeFile(APP_ZIP, new Uint8Array(await app));
  if (!snapshot) pyodide.pyimport("sys").path.insert(0, APP_ZIP);
  const { handle } = pyodide.pyimport("calculators.adapters.bridge");
  // The parameters and contacts are read from the archive on first use: read them now (a match
  // with an empty profile touches every measure), so that a snapshot holds them too and a
  // restored engine's first answer does not wait ~0.1 s for them. A fresh start loses nothing:
  // its first answer would have read them.
  if (!snapshot) handle('{"op": "match", "profile": {}}');
  mark("bridge");
  if (!makeSnapshot) return { handle, snapshot: null, pyodide };
  const image = pyodide.makeMemorySnapshot();
  mark("snapshot taken");
  return { handle, snapshot: image, pyodide };
}

/** Start-up phases, for scripts/bench.py: marks and resource timings in this worker's clock. */
function mark(name) {
  performance.mark(`fs:${name}`);
}

function timing() {
  const entries = (type) => performance.getEntriesByType?.(type) ?? [];
  return {
    origin: performance.timeOrigin,
    marks: entries("mark").map((e) => [e.name, e.startTime]),
    resources: entries("resource").map((e) => [e.name, e.startTime, e.responseEnd, e.transferSize]),
  };
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  return response.arrayBuffer();
}

performance.mark?.("fs:worker-evaluated");
let handle = null;
let runtime = null; // the running Pyodide, for attaching the extras archive
let extras = null; // its download and attachment, once (a failed one is tried again)
const queue = [];

/** A call that needs the extras archive waits for it; the others are answered at once. */
function receive(data) {
  if (!data.extras) return answer(data);
  extras ??= fetchBytes(data.extras).then((bytes) => attachExtras(runtime, bytes));
  extras.then(() => answer(data), (err) => {
    extras = null;
    postMessage({ type: "answer", id: data.id, error: `方案对比、二维码和导出所需的文件未能下载：${String(err?.message ?? err)}` });
  });
}

function answer(call) {
  try {
    postMessage({ type: "answer", id: call.id, answer: heldErrors(() => handle(call.request)) });
  } catch (err) {
    if (isTrap(err)) {
      fallBack(call);
      return;
    }
    // A bug, not bad input (the bridge answers that): report it, keep the worker alive.
    postMessage({ type: "answer", id: call.id, error: `计算出错：${String(err?.message ?? err).slice(-500)}` });
  }
}

/**
 * Start the two big downloads (the wasm and the standard library) now, instead of when Pyodide
 * asks for them, which is only once pyodide.mjs has arrived and run: one round trip earlier, and
 * the wasm's streaming compile overlaps the loading of pyodide.asm.mjs.
 *
 * Workaround: loadPyodide has no option to take a Response, so Pyodide's own fetch of each URL is
 * answered, once, with the one already under way. Any other request goes to the network as usual.
 */
function prefetch(urls) {
  const early = new Map(
    urls.map((url) => [new URL(url, self.location.href).href, fetch(url, { priority: "high" })]),
  );
  const networkFetch = self.fetch.bind(self);
  self.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : new URL(String(input), self.location.href).href;
    const response = early.get(url);
    if (response === undefined) return networkFetch(input, init);
    early.delete(url);
    return response;
  };
}

// --- the start-up image, kept in the reader's browser -------------------------------------------
//
// After the first start, the runtime's memory (calculators imported, no request run yet) is kept in
// Cache Storage; later visits start from it. Most of the 31 MB image is untouched zero pages, so
// only the other pages are stored (~13 MB; gzip would halve that but costs ~0.4 s to inflate at
// every start), with their SHA-256 to check them by. The key names every file the image depends
// on, so a new release never meets an old image, and older images are deleted when a new one is
// stored. Without Cache Storage (e.g. plain http) or on any error the engine starts as usual.

const IMAGES = "fs-calc-engine";
const STORE_DELAY_MS = 1000;
const PAGE = 65536;

function imageKey(config) {
  const files = [self.location.href, config.indexURL, config.stdLibURL, config.appURL];
  return new URL(`fs-engine-image?${encodeURIComponent(files.join("\n"))}`, self.location.href).href;
}

/** The images' cache, or null where there is no Cache Storage (or no SHA-256 to check with). */
async function openImages() {
  try {
    return crypto.subtle ? await caches.open(IMAGES) : null;
  } catch {
    return null;
  }
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function isZero(bytes) {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  for (let i = words.length << 2; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** The runs of pages that are not all zero, as [start, end) byte offsets. */
function dataRuns(bytes) {
  const runs = [];
  for (let start = 0; start < bytes.length; start += PAGE) {
    const end = Math.min(start + PAGE, bytes.length);
    if (isZero(bytes.subarray(start, end))) continue;
    const last = runs.at(-1);
    if (last && last[1] === start) last[1] = end;
    else runs.push([start, end]);
  }
  return runs;
}

async function readImage(response) {
  const size = Number(response.headers.get("x-fs-size"));
  const runs = JSON.parse(response.headers.get("x-fs-runs"));
  const data = new Uint8Array(await response.arrayBuffer());
  if (await sha256(data) !== response.headers.get("x-fs-sha256")) throw new Error("image damaged");
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const [start, end] of runs) {
    bytes.set(data.subarray(at, at + end - start), start);
    at += end - start;
  }
  mark("image read");
  return bytes;
}

async function storeImage(cache, key, bytes) {
  const runs = dataRuns(bytes);
  const data = new Uint8Array(await new Blob(runs.map(([a, b]) => bytes.subarray(a, b))).arrayBuffer());
  const headers = {
    "content-type": "application/octet-stream",
    "x-fs-size": String(bytes.length),
    "x-fs-runs": JSON.stringify(runs),
    "x-fs-sha256": await sha256(data),
  };
  await cache.put(key, new Response(data, { headers }));
  for (const old of await cache.keys()) {
    if (old.url !== key && !old.url.startsWith(fullNote(""))) await cache.delete(old);
  }
}


// --- the trimmed runtime, and the full one to fall back on (精简运行时) ------------------------
//
// config.indexURL serves the trimmed wasm (sitebuild/wasm_trim.py): each function that never ran
// in the build's profile is `unreachable`. Such a function can only trap, never give a wrong
// answer. On a trap (Pyodide reports it as a fatal error: that runtime is dead) the worker starts
// again on the full wasm (config.fullIndexURL, its own versioned path), replays the request, and
// notes in Cache Storage that this browser starts on the full wasm from then on (until a release
// with another trimmed wasm: the note names its URL). The page is told nothing but a later answer.

const fullNote = (indexURL) => new URL(`fs-engine-full?${encodeURIComponent(indexURL)}`, self.location.href).href;
let onFull = false; // this worker runs the full wasm
let running = null; // the config of the runtime that runs (or starts)
let announced = false; // the page was told "ready"

let fellBack = false; // the trimmed runtime trapped in this worker

function isWasmTrap(err) {
  return Boolean(err?.pyodide_fatal_error || err instanceof WebAssembly.RuntimeError);
}

function isTrap(err) {
  return !onFull && isWasmTrap(err);
}

function fullRuntime(config) {
  onFull = true;
  return { ...config, indexURL: config.fullIndexURL };
}

/** The full wasm where this browser needed it before, else the trimmed one. */
async function chooseRuntime(config, images) {
  const note = fullNote(config.indexURL);
  if (config.fullIndexURL && await images?.match(note).catch(() => null)) return fullRuntime(config);
  return config;
}

/** Pyodide reports a fatal error on the console; on the trimmed runtime a trap is the expected
 * way to the full one, so its report is held and dropped; anything else is passed on. */
function heldErrors(run) {
  if (onFull) return run();
  const held = [];
  const error = console.error;
  console.error = (...args) => held.push(args);
  const release = (err) => {
    console.error = error;
    if (!isTrap(err)) for (const args of held) error(...args);
  };
  let out;
  try {
    out = run();
  } catch (err) {
    release(err);
    throw err;
  }
  if (!(out instanceof Promise)) {
    release();
    return out;
  }
  return out.then((value) => { release(); return value; }, (err) => { release(err); throw err; });
}

function fallBack(call) {
  fellBack = true;
  handle = null;
  extras = null; // the full runtime is a new Pyodide: the extras archive is attached to it anew
  if (call) queue.unshift(call);
  const trimmed = running;
  const config = fullRuntime(trimmed);
  postMessage({ type: "runtime", wasm: "full", state: "starting" });
  openImages().then((images) => images?.put(
    fullNote(trimmed.indexURL), new Response("the trimmed wasm trapped here"),
  )).catch(() => {});
  start(config, { restart: true });
}
// --- end of the trimmed runtime's block --------------------------------------------------------

async function start(config, { restart = false } = {}) {
  const t0 = performance.now();
  mark("init");
  let engine = null;
  let from = "fresh";
  try {
    if (!restart) {
      prefetch([config.indexURL + "pyodide.asm.wasm", config.stdLibURL]);
      // boot() imports the same module: start loading it while Cache Storage is asked for an
      // image (opening it takes ~0.1 s in a new browser profile).
      import(config.indexURL + "pyodide.mjs").catch(() => {});
    }
    const images = await openImages();
    if (!restart) config = await chooseRuntime(config, images);
    running = config;
    const key = imageKey(config);
    // After a hang, a crash or a failed start the page asks for a fresh start: whatever went
    // wrong, it is not started from a stored image again (a new one is stored).
    if (config.fresh) await images?.delete(key);
    const image = config.fresh ? undefined : await images?.match(key);
    if (image) {
      try {
        const snapshot = readImage(image); // read while Pyodide's own files load
        snapshot.catch(() => {}); // a refusal is handled below, via boot()
        engine = await heldErrors(() => boot(config, fetchBytes, { snapshot }));
        from = "image";
      } catch {
        await images.delete(key).catch(() => {}); // damaged or refused: start as usual
      }
    }
    engine ??= await heldErrors(() => boot(config, fetchBytes, { makeSnapshot: images !== null }));
    handle = engine.handle;
    runtime = engine.pyodide;
    const wasm = onFull ? "full" : "trimmed";
    const ms = performance.now() - t0;
    // After a trap at start-up the page still waits for its first "ready".
    if (announced) postMessage({ type: "runtime", wasm, state: "ready", ms }); // shows nothing
    else postMessage({ type: "status", state: "ready", from, wasm, ms, timing: timing() });
    announced = true;
    while (handle && queue.length) receive(queue.shift());
    const taken = engine.snapshot;
    engine.snapshot = null;
    // Stored later, not to delay the first answers (a permalink's request may still be on its way).
    if (taken && handle) setTimeout(() => storeImage(images, key, taken).then(
      () => postMessage({ type: "image", state: "stored" }),
      (err) => postMessage({ type: "image", state: "failed", message: String(err?.message ?? err) }),
    ), STORE_DELAY_MS);
  } catch (err) {
    if (isTrap(err) && config.fullIndexURL) fallBack(null);
    else postMessage({ type: "status", state: "failed", message: String(err?.message ?? err) });
  }
}

let started = false;
function startOnce(config) {
  if (started) return;
  started = true;
  start(config);
}

if (typeof WorkerGlobalScope !== "undefined") {
  // Workaround (the trimmed runtime's, see its block above): where the browser has JSPI
  // (WebAssembly.Suspending: Chromium), Pyodide starts and calls Python through it, so that
  // Python can wait for JavaScript synchronously. The calculators never wait for anything, and
  // the trimmed wasm is profiled under Node, which has no JSPI: without it, the browser runs the
  // code the profile saw. Hidden before pyodide.asm.mjs looks for it.
  for (const name of ["Suspending", "Suspender"]) delete WebAssembly[name];
  // A trap at start-up also escapes from Pyodide's own start-up task, uncaught: the fallback
  // handles it (start() catches it too), so the page is not told the worker failed.
  const handled = (err) => isTrap(err) || (fellBack && isWasmTrap(err));
  self.addEventListener("error", (event) => { if (handled(event.error)) event.preventDefault(); });
  self.addEventListener("unhandledrejection", (event) => {
    if (handled(event.reason)) event.preventDefault();
  });
  self.onmessage = ({ data }) => {
    if (data.type === "init") startOnce(data.config);
    else if (data.type === "call") (handle ? receive(data) : queue.push(data));
  };
  // The page also passes the config as the worker's name, readable at once: the init message is
  // delivered through the page's main thread, which is busy loading the page (~0.35 s here).
  if (self.name.startsWith("{")) startOnce(JSON.parse(self.name));
}
