// The engine client: one module worker (worker.mjs, Pyodide running calculators/) per page
// lifetime, and calls to calculators.adapters.bridge through it. It moves JSON text; it reads none of it.
//
// With Material's instant navigation the JS realm survives page views, so the worker starts once
// and is reused. A calculator page starts it from its <head> (overrides/main.html): adopted here.

// Time limits (ms). A slow network may take long to load the engine, but never forever; one
// calculation takes milliseconds, so 10 s means it hangs. A page may override them with
// data-time-limits='{"load": …, "call": …}' on its .fs-calc element (the tests do, through
// Playwright's page.route, so that they need not wait 10 s); the site itself sets none.
const TIME_LIMITS_MS = { load: 180000, call: 10000 };
const MAX_RESTARTS = 3; // crashes in a row (no answer in between) before giving up

export const engine = {
  worker: null, config: null, loadTimer: null, restarts: 0, nextId: 1,
  state: "idle", // idle | loading | ready | failed
  message: "", // when failed: why, in Chinese
  detail: "", // when failed: the browser's own words (often English), for a support call
  defaultLimits: TIME_LIMITS_MS, limits: TIME_LIMITS_MS, pending: new Map(), listeners: new Set(),

  start(config) {
    if (this.worker) return;
    this.config = config;
    this.startedFrom = this.image = this.wasm = null; // set by the worker's messages
    this.setState("loading");
    performance.mark("fs:engine-start");
    const early = window.fsCalcEarly;
    window.fsCalcEarly = null;
    const adopt = early && !early.failed && early.config.workerURL === config.workerURL;
    let worker;
    try {
      worker = adopt ? early.worker : new Worker(config.workerURL, { type: "module", name: JSON.stringify(config) });
    } catch (err) {
      this.fail("此浏览器不支持计算引擎（需要较新版本的浏览器）", String(err?.message ?? err));
      return;
    }
    worker.onmessage = ({ data }) => this.receive(data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (this.worker !== worker) return;
      const detail = event.message || "";
      // Before the first "ready" the script or its files did not load; after it (a restarted
      // engine included: a call queued for it may crash it too), the running engine crashed.
      if (this.state === "ready" || this.restarts) this.restart("计算引擎出错，已自动重新启动，请再试一次", detail);
      else this.fail("计算引擎的程序文件未能下载或无法运行", detail);
    };
    this.worker = worker;
    this.loadTimer = setTimeout(() => this.fail("计算引擎在限定时间内未能加载完成"), this.limits.load);
    if (adopt) for (const data of early.messages) this.receive(data);
    else worker.postMessage({ type: "init", config });
  },

  receive(data) {
    if (data.type === "status") {
      clearTimeout(this.loadTimer);
      this.timing = data.timing; // the worker's start-up phases (scripts/bench.py reports them)
      this.startedFrom = data.from; // "image" (stored start-up image) or "fresh"
      this.wasm = data.wasm; // "trimmed" or "full" (worker.mjs: the trimmed runtime)
      if (data.state === "ready") this.setState("ready");
      else this.fail("计算引擎的文件未能下载或无法运行", data.message);
    } else if (data.type === "runtime") {
      // The worker restarts on the full wasm after a trap (worker.mjs: the trimmed runtime), then
      // replays the calls: a later answer, no more. Meanwhile the calls wait as at a first start.
      this.wasm = data.wasm;
      clearTimeout(this.loadTimer);
      for (const call of this.pending.values()) clearTimeout(call.timer);
      if (data.state === "starting") {
        this.loadTimer = setTimeout(() => this.fail("计算引擎在限定时间内未能加载完成"), this.limits.load);
      } else {
        for (const call of this.pending.values()) call.arm();
      }
    } else if (data.type === "image") {
      this.image = data.state; // the start-up image for later visits: "stored" or "failed"
    } else if (data.type === "answer") {
      const call = this.pending.get(data.id);
      if (!call) return;
      this.pending.delete(data.id);
      clearTimeout(call.timer);
      this.restarts = 0;
      if (data.error) call.reject(new Error(data.error));
      else call.resolve(JSON.parse(data.answer));
    }
  },

  /** Terminate the worker; every pending call fails with `message`. */
  stop(message) {
    clearTimeout(this.loadTimer);
    this.worker?.terminate();
    this.worker = null;
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(new Error(message));
    }
    this.pending.clear();
  },

  fail(message, detail = "") {
    this.stop(message);
    this.detail = detail;
    this.setState("failed", message);
  },

  /** After a hang or a crash: pending calls fail with `message`, a fresh worker starts. */
  restart(message, detail = "") {
    if (++this.restarts > MAX_RESTARTS) {
      this.fail("计算引擎多次出错，已停止", detail || message);
      return;
    }
    this.stop(message);
    this.start({ ...this.config, fresh: true });
  },

  setState(state, message = "") {
    this.state = state;
    this.message = message;
    for (const listener of this.listeners) listener(state, message);
  },

  /** One bridge request (an object) → its answer (an object); queued until the engine is ready.
   *  `extras`: the URL of the extras archive, for the requests that need it (QR codes, exports). */
  call(request, extras = undefined) {
    return new Promise((resolve, reject) => {
      if (this.state === "failed" || !this.worker) {
        reject(new Error(this.message || "计算引擎未能启动"));
        return;
      }
      const id = this.nextId++;
      const call = { resolve, reject, timer: null, arm: null };
      // The time limit counts from when the engine can work on it, not from page load.
      const arm = call.arm = () => {
        call.timer = setTimeout(() => {
          this.pending.delete(id);
          const hung = "计算超过限定时间仍未完成，已停止；计算引擎已重新启动，请检查填写的内容后再试一次";
          reject(new Error(hung));
          this.restart(hung); // calls queued behind the hung one are told the same
        }, this.limits.call);
      };
      if (this.state === "ready") arm();
      else {
        const onReady = (state) => {
          if (state === "ready" && this.pending.has(id)) arm();
          if (state !== "loading") this.listeners.delete(onReady);
        };
        this.listeners.add(onReady);
      }
      this.pending.set(id, call);
      this.worker.postMessage({ type: "call", id, request: JSON.stringify(request), extras });
    });
  },
};
window.fsCalcEngine = engine; // for tests and the benchmark
