// The calculators' engine: Pyodide in a module Web Worker, off the page's main thread.
//
// Messages in:  {type: "init", config}            config: absolute URLs from widget.js
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

async function start(config) {
  const t0 = performance.now();
  try {
    handle = await boot(config, fetchBytes);
    postMessage({ type: "status", state: "ready", ms: performance.now() - t0, timing: timing() });
    while (queue.length) answer(queue.shift());
  } catch (err) {
    postMessage({ type: "status", state: "failed", message: String(err?.message ?? err) });
  }
}

if (typeof WorkerGlobalScope !== "undefined") {
  self.onmessage = ({ data }) => {
    if (data.type === "init") start(data.config);
    else if (data.type === "call") (handle ? answer(data) : queue.push(data));
  };
}
