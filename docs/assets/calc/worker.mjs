// The calculators' engine: Pyodide in a module Web Worker, off the page's main thread.
//
// Messages in:  {type: "init", config}            config: absolute URLs from widget.js (also
//                                                 given as the worker's name, see the end)
//               {type: "call", id, request}       request: JSON text for calculators.bridge
// Messages out: {type: "status", state: "ready" | "failed", ms, message}
//               {type: "answer", id, answer}      answer: JSON text from calculators.bridge
//               {type: "answer", id, error}       a Python exception (a bug): the message
//
// `boot` is exported so the parity tests run this very file's start-up under Node.

/** Start Pyodide from the compiled files and return the bridge's `handle(requestJson)`. */
export async function boot(config, readBytes) {
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
    stdout: () => {},
    stderr: () => {},
  });
  mark("loadPyodide");
  pyodide.unpackArchive(new Uint8Array(await app), "zip");
  const { handle } = pyodide.pyimport("calculators.bridge");
  mark("bridge");
  return handle;
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
const queue = [];

function answer({ id, request }) {
  try {
    postMessage({ type: "answer", id, answer: handle(request) });
  } catch (err) {
    // A bug, not bad input (the bridge answers that): report it, keep the worker alive.
    postMessage({ type: "answer", id, error: `计算出错：${String(err?.message ?? err).slice(-500)}` });
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

async function start(config) {
  const t0 = performance.now();
  mark("init");
  try {
    prefetch([config.indexURL + "pyodide.asm.wasm", config.stdLibURL]);
    handle = await boot(config, fetchBytes);
    postMessage({ type: "status", state: "ready", ms: performance.now() - t0, timing: timing() });
    while (queue.length) answer(queue.shift());
  } catch (err) {
    postMessage({ type: "status", state: "failed", message: String(err?.message ?? err) });
  }
}

let started = false;
function startOnce(config) {
  if (started) return;
  started = true;
  start(config);
}

if (typeof WorkerGlobalScope !== "undefined") {
  self.onmessage = ({ data }) => {
    if (data.type === "init") startOnce(data.config);
    else if (data.type === "call") (handle ? answer(data) : queue.push(data));
  };
  // The page also passes the config as the worker's name, readable at once: the init message is
  // delivered through the page's main thread, which is busy loading the page (~0.35 s here).
  if (self.name.startsWith("{")) startOnce(JSON.parse(self.name));
}
