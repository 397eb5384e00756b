// Calculator widgets: the page side of the forms rendered by `<!-- fs:calculator … -->` and
// `<!-- fs:match -->`. The rules run in Python (calculators/), in a module Web Worker; this file
// only collects the form, shows the engine's answers, and keeps the URL a permalink.
//
// Loaded on every page (it is small); a page without a widget starts no worker and loads no
// Pyodide file. With Material's instant navigation the JS realm survives page views, so the
// worker starts once and is reused.
(() => {
  "use strict";

  // Time limits (ms). A slow network may take long to load the engine, but never forever; one
  // calculation takes milliseconds, so 10 s means it hangs. A page may override them with
  // data-time-limits='{"load": …, "call": …}' on its .fs-calc element (the tests do, through
  // Playwright's page.route, so that they need not wait 10 s); the site itself sets none.
  const TIME_LIMITS_MS = { load: 180000, call: 10000 };
  const MAX_RESTARTS = 3; // crashes in a row (no answer in between) before giving up
  const LONGEST_HINT = 40; // digits: longer input gets no live hint (Python names the error)

  // --- numbers as decimal strings (no floats: 0.1 + 0.2 must not reach a result) ----------------

  /** What people type, in canonical form: full-width folded, spaces and thousands commas gone. */
  function canonical(text) {
    return String(text).normalize("NFKC").replace(/[\s,，、_]/g, "").replace(/。/g, ".");
  }
  const PLAIN = /^\+?(\d+)(?:\.(\d+))?$/;

  /** "12.5" shifted by n decimal places ("12.5", 4 → "125000"); null if not a plain number. */
  function shift(text, n) {
    const m = PLAIN.exec(canonical(text));
    if (!m) return null;
    let [int, frac] = [m[1], m[2] || ""];
    if (n >= 0) {
      frac = frac.padEnd(n, "0");
      int += frac.slice(0, n);
      frac = frac.slice(n);
    } else {
      int = int.padStart(-n + 1, "0");
      frac = int.slice(n) + frac;
      int = int.slice(0, n);
    }
    int = int.replace(/^0+(?=\d)/, "");
    frac = frac.replace(/0+$/, "");
    return frac ? `${int}.${frac}` : int;
  }

  function group(int) {
    // Linear: a look-ahead regex is quadratic, and a pasted 100 000-digit number froze the page.
    const parts = [];
    for (let end = int.length; end > 0; end -= 3) parts.push(int.slice(Math.max(0, end - 3), end));
    return parts.reverse().join(",");
  }

  /** "365000.00" → "365,000.00" */
  function yuan(amount) {
    const [int, frac] = String(amount).split(".");
    return frac === undefined ? group(int) : `${group(int)}.${frac}`;
  }

  /** "365000.00" → "36.5" (万元), trailing zeros dropped */
  function wan(amount) {
    return shift(amount, -4) ?? amount;
  }

  /** Yuan (decimal string) of what was typed into a money field, for the live hint; else null. */
  function typedYuan(text, entryUnit) {
    const typed = canonical(text);
    if (typed.length > LONGEST_HINT) return null;
    const m = /^(.*?)(万|亿)?元?$/.exec(typed);
    if (!m || !m[1]) return null;
    const power = m[2] === "亿" ? 8 : m[2] === "万" || (!m[2] && entryUnit === "万元") ? 4 : 0;
    return shift(m[1], power);
  }

  function inWords(yuanText) {
    const [int] = yuanText.split(".");
    if (int.length > 8) return `${yuan(roundTo(shift(yuanText, -8), 2))} 亿元`;
    if (int.length > 4) return `${yuan(roundTo(shift(yuanText, -4), 2))} 万元`;
    return `${yuan(yuanText)} 元`;
  }

  function roundTo(text, places) {
    // Half-up on the decimal string, for display only.
    const [int, frac = ""] = text.split(".");
    if (frac.length <= places) return frac ? text : int;
    const digits = BigInt(int + frac.slice(0, places)) + (Number(frac[places]) >= 5 ? 1n : 0n);
    const s = digits.toString().padStart(places + 1, "0");
    return `${s.slice(0, -places)}.${s.slice(-places)}`;
  }

  // --- the engine: one module worker per page lifetime ------------------------------------------

  const engine = {
    worker: null,
    state: "idle", // idle | loading | ready | failed
    message: "", // when failed: why, in Chinese
    detail: "", // when failed: the browser's own words (often English), for a support call
    config: null,
    limits: { ...TIME_LIMITS_MS },
    nextId: 1,
    pending: new Map(),
    listeners: new Set(),
    loadTimer: null,
    restarts: 0,

    start(config) {
      if (this.worker) return;
      this.config = config;
      this.startedFrom = this.image = null; // set by the worker's messages
      this.setState("loading");
      performance.mark("fs:engine-start");
      // A calculator page starts the worker from its <head> (overrides/main.html), long before
      // this script runs: adopt it, with the messages it sent meanwhile.
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
        // Before "ready" the script or its files did not load; after, the running engine crashed.
        if (this.state === "ready") this.restart("计算引擎出错，已自动重新启动，请再试一次", detail);
        else this.fail("计算引擎的程序文件未能下载或无法运行", detail);
      };
      this.worker = worker;
      this.loadTimer = setTimeout(
        () => this.fail(`计算引擎在 ${Math.round(this.limits.load / 1000)} 秒内未能加载完成`),
        this.limits.load,
      );
      if (adopt) for (const data of early.messages) this.receive(data);
      else worker.postMessage({ type: "init", config });
    },

    receive(data) {
      if (data.type === "status") {
        clearTimeout(this.loadTimer);
        this.timing = data.timing; // the worker's start-up phases (scripts/bench.py reports them)
        this.startedFrom = data.from; // "image" (stored start-up image) or "fresh"
        if (data.state === "ready") this.setState("ready", data.ms);
        else this.fail("计算引擎的文件未能下载或无法运行", data.message);
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

    setState(state, detail) {
      this.state = state;
      this.message = typeof detail === "string" ? detail : "";
      for (const listener of this.listeners) listener(state, detail);
    },

    call(request) {
      return new Promise((resolve, reject) => {
        if (this.state === "failed" || !this.worker) {
          reject(new Error(this.message || "计算引擎未能启动"));
          return;
        }
        const id = this.nextId++;
        const call = { resolve, reject, timer: null };
        // The time limit counts from when the engine can work on it, not from page load.
        const arm = () => {
          call.timer = setTimeout(() => {
            this.pending.delete(id);
            const seconds = Math.round(this.limits.call / 1000);
            reject(new Error(`计算超过 ${seconds} 秒仍未完成，已停止；计算引擎已重新启动，请检查填写的内容后再试一次`));
            this.restart("计算引擎已重新启动，请再试一次");
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
        this.worker.postMessage({ type: "call", id, request: JSON.stringify(request) });
      });
    },
  };
  window.fsCalcEngine = engine; // for tests and the benchmark

  // --- small DOM helpers --------------------------------------------------------------------------

  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      // Through the CSSOM: a style attribute would need 'unsafe-inline' in the site's CSP.
      else if (k === "style") el.style.cssText = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  // --- a widget -------------------------------------------------------------------------------

  class Widget {
    constructor(root) {
      this.root = root;
      this.measure = root.dataset.measure; // "match" for the 政策匹配 form
      this.form = root.querySelector("form");
      this.status = root.querySelector(".fs-calc__status");
      this.result = root.querySelector(".fs-calc__result");
      this.formError = root.querySelector(".fs-calc__form-error");
      this.fields = [...root.querySelectorAll(".fs-field")];
      this.base = new URL(root.dataset.root, location.href);
      this.measuresURL = new URL(root.dataset.measuresUrl, location.href);
      this.cap = root.dataset.cap;
      this.clauses = JSON.parse(root.dataset.clauses); // id → [label, anchor]
      this.announcer = root.querySelector(".fs-calc__announce");
      this.computed = false;
      this.timer = null;
      this.seq = 0;
      this.linkNotice = ""; // what a permalink said that the form could not take
      this.path = location.pathname; // instant navigation changes it before detach() is called

      root.classList.add("fs-calc--js");
      this.form.addEventListener("submit", (e) => {
        e.preventDefault();
        this.compute();
      });
      this.form.addEventListener("input", (e) => this.changed(e.target));
      this.form.addEventListener("change", (e) => this.changed(e.target));
      this.form.addEventListener("reset", () =>
        setTimeout(() => {
          this.computed = false;
          this.linkNotice = "";
          this.clearErrors();
          this.result.replaceChildren();
          this.result.removeAttribute("data-eligible");
          this.result.removeAttribute("data-amount-max");
          this.refresh();
          history.replaceState(history.state, "", location.pathname + location.hash);
        }),
      );
      root.querySelector(".fs-calc__copy")?.addEventListener("click", () => this.copyLink());
      root.querySelector(".fs-calc__print")?.addEventListener("click", () => window.print());

      const onState = (state, detail) => this.showState(state, detail);
      engine.listeners.add(onState);
      // On leaving the page (instant navigation): a pending live recalculation must not fire and
      // rewrite the next page's address with this form's inputs.
      this.detach = () => {
        engine.listeners.delete(onState);
        clearTimeout(this.timer);
        this.detached = true;
      };
      this.showState(engine.state, engine.message);

      const filled = this.fillFromQuery();
      this.refresh();
      if (filled) this.compute();
    }

    showState(state, detail) {
      const text = {
        idle: "计算引擎准备中……",
        loading: "计算引擎加载中……（首次打开需下载约 5.5 MB，之后会更快）您可以先填写表单。",
        ready: "计算引擎已就绪：所有计算都在您的浏览器中完成，填写的数据不会发送到任何服务器。",
        failed: "",
      }[state];
      this.status.dataset.state = state;
      if (state === "failed") {
        const contacts = new URL("contacts/", this.base);
        this.status.replaceChildren(
          h("strong", { text: "计算器暂时无法使用。" }),
          ` ${detail || "计算引擎未能加载"}。您可以阅读 `,
          h("a", { href: this.measuresURL.href, text: "政策原文" }),
          " 了解计算规则，或联系 ",
          h("a", { href: contacts.href, text: "政策咨询联系人" }),
          "。",
          h("button", { type: "button", class: "md-button fs-calc__retry", text: "重试" }),
          engine.detail ? h("small", { class: "fs-calc__detail", text: `技术信息：${engine.detail}` }) : null,
        );
        this.status.querySelector("button").addEventListener("click", () => {
          // The button disappears with the new status: keep keyboard focus on the status line.
          this.status.tabIndex = -1;
          this.status.focus();
          engine.start({ ...engine.config, fresh: true });
        });
      } else {
        this.status.textContent = text;
      }
    }

    // fields ------------------------------------------------------------------------------------

    fieldOf(el) {
      return el.closest?.(".fs-field");
    }

    changed(target) {
      this.linkNotice = ""; // the person has taken over from the link
      const field = this.fieldOf(target);
      if (field) {
        this.setError(field, null);
        if (field.dataset.type === "money") this.hint(field);
      }
      this.refresh();
      if (this.computed) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.compute(), 350);
      }
    }

    /** Show only the fields that apply (show_if), and refresh the money hints. */
    refresh() {
      const values = this.values({ all: true });
      for (const field of this.fields) {
        const rule = field.dataset.showIf ? JSON.parse(field.dataset.showIf) : null;
        const show =
          !rule ||
          Object.entries(rule).every(([key, allowed]) => {
            const v = values[key];
            return allowed.some((a) => String(a) === String(Array.isArray(v) ? v : v ?? ""));
          });
        field.hidden = !show;
        if (field.dataset.type === "money") this.hint(field);
      }
    }

    hint(field) {
      const out = field.querySelector(".fs-field__hint");
      const input = field.querySelector("input");
      if (!out || !input) return;
      const y = input.value.trim() ? typedYuan(input.value, field.dataset.entryUnit) : null;
      out.textContent = y === null ? "" : `= ${inWords(y)}`;
    }

    /** The values a choice field offers. */
    options(field) {
      return [...field.querySelectorAll("input[type=radio], input[type=checkbox], option")].map((el) => el.value);
    }

    /** The form as API inputs. Hidden fields and empty ones are left out (defaults apply). */
    values({ all = false } = {}) {
      const out = {};
      for (const field of this.fields) {
        if (field.hidden && !all) continue;
        const key = field.dataset.key;
        const type = field.dataset.type;
        if (type === "enum_list") {
          const checked = [...field.querySelectorAll("input:checked")].map((i) => i.value);
          if (checked.length) out[key] = checked;
        } else if (type === "enum" || type === "bool") {
          const el = field.querySelector("input:checked") || field.querySelector("select");
          const v = el?.value ?? "";
          if (v !== "") out[key] = type === "bool" ? v === "true" : v;
        } else {
          const raw = field.querySelector("input").value.trim();
          if (raw === "") continue;
          // 万元 fields: a plain number is shifted to yuan here; anything else ("2亿", typos)
          // goes to Python as typed, which parses it or names the error.
          out[key] = field.dataset.entryUnit === "万元" ? shift(raw, 4) ?? raw : raw;
        }
      }
      return out;
    }

    /** Put a permalink's value into a field; returns the parts that are no option of it. */
    setValue(field, value) {
      const type = field.dataset.type;
      const options = this.options(field);
      if (type === "enum_list") {
        const wanted = String(value).split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
        for (const box of field.querySelectorAll("input")) box.checked = wanted.includes(box.value);
        return wanted.filter((v) => !options.includes(v));
      } else if (type === "enum" || type === "bool") {
        let v = String(value).trim();
        if (type === "bool") v = ["true", "1", "是"].includes(v.toLowerCase()) ? "true" : ["false", "0", "否"].includes(v.toLowerCase()) ? "false" : v;
        const known = options.includes(v);
        const select = field.querySelector("select");
        if (select) select.value = known ? v : "";
        for (const radio of field.querySelectorAll("input[type=radio]")) radio.checked = radio.value === v;
        return known || v === "" ? [] : [v];
      } else {
        const input = field.querySelector("input");
        input.value = field.dataset.entryUnit === "万元" ? shift(value, -4) ?? value : value;
        return [];
      }
    }

    fillFromQuery() {
      const params = new URLSearchParams(location.search);
      const known = new Map(this.fields.map((f) => [f.dataset.key, f]));
      const unknown = [];
      const invalid = [];
      let filled = false;
      for (const [key, value] of params) {
        const field = known.get(key);
        if (field) {
          const bad = this.setValue(field, value);
          if (bad.length) invalid.push(`${this.labelOf(key)}：${bad.map(short).join("、")}`);
          // A value for a field in 更多选项 is shown, not hidden in a closed disclosure.
          const more = field.closest("details");
          if (more) more.open = true;
          filled = true;
        } else unknown.push(short(key));
      }
      const notes = [];
      if (unknown.length) notes.push(`链接中有无法识别的参数，已忽略：${unknown.join("、")}`);
      if (invalid.length) notes.push(`链接中有不是可选项的值，已忽略：${invalid.join("；")}`);
      this.linkNotice = notes.join("。");
      this.showFormError(this.linkNotice);
      return filled;
    }

    permalink(inputs) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(inputs)) params.set(k, Array.isArray(v) ? v.join(",") : String(v));
      const query = params.toString();
      return location.pathname + (query ? `?${query}` : "") + location.hash;
    }

    async copyLink() {
      const url = new URL(this.permalink(this.values()), location.href).href;
      const button = this.root.querySelector(".fs-calc__copy");
      try {
        await navigator.clipboard.writeText(url);
        button.textContent = "链接已复制";
      } catch {
        window.prompt("复制此链接：", url);
      }
      setTimeout(() => (button.textContent = "复制链接"), 2000);
    }

    // errors ------------------------------------------------------------------------------------

    setError(field, message) {
      const out = field.querySelector(".fs-field__error");
      const controls = field.querySelectorAll("input, select");
      out.textContent = message || "";
      field.classList.toggle("fs-field--invalid", Boolean(message));
      for (const c of controls) {
        if (message) c.setAttribute("aria-invalid", "true");
        else c.removeAttribute("aria-invalid");
      }
    }

    clearErrors() {
      for (const field of this.fields) this.setError(field, null);
      this.showFormError(this.linkNotice);
    }

    showFormError(message) {
      this.formError.textContent = message;
      this.formError.hidden = !message;
    }

    // compute -----------------------------------------------------------------------------------

    async compute() {
      clearTimeout(this.timer);
      // Leaving the page: Material has already set the next page's address, so a late live
      // recalculation here would write this form's inputs into it (it did).
      if (this.detached || !this.root.isConnected || location.pathname !== this.path) return;
      const inputs = this.values();
      const seq = ++this.seq;
      const url = this.permalink(inputs);
      const request =
        this.measure === "match"
          ? { op: "match", profile: inputs }
          : { op: "evaluate", measure: this.measure, inputs };
      this.root.setAttribute("aria-busy", "true");
      this.announce("");
      let answer;
      try {
        answer = await engine.call(request);
      } catch (err) {
        if (seq !== this.seq) return;
        this.root.removeAttribute("aria-busy");
        this.clearResult(); // an old result beside new figures would mislead
        this.showFormError(String(err.message || err));
        this.keepURL(url);
        return;
      }
      if (seq !== this.seq) return; // a newer calculation superseded this one
      this.root.removeAttribute("aria-busy");
      this.computed = true;
      this.clearErrors();
      if (!answer.ok) {
        this.showErrors(answer.errors);
        this.shown(url);
        return;
      }
      if (this.measure === "match") this.renderMatch(answer.result, inputs);
      else this.renderResult(answer.result, inputs);
      this.shown(url);
    }

    /** An answer is on screen: a performance mark and an event, for the benchmark (scripts/bench.py). */
    shown(url) {
      performance.mark("fs:result");
      this.root.dispatchEvent(new CustomEvent("fs:result"));
      this.keepURL(url);
    }

    /** Keep the address bar a permalink: once the answer is on screen (the fs:result mark comes
     *  first), and only if it changed (replaceState waits for the browser process). */
    keepURL(url) {
      if (url !== location.pathname + location.search + location.hash) {
        history.replaceState(history.state, "", url);
      }
    }

    clearResult() {
      this.result.replaceChildren();
      this.result.removeAttribute("data-eligible");
      this.result.removeAttribute("data-amount-max");
    }

    /** One short sentence for screen readers (a polite live region); the result itself is not
     *  live, so it is not read out in full on every change. */
    announce(text) {
      if (this.announcer) this.announcer.textContent = text;
    }

    showErrors(errors) {
      this.clearResult();
      // In the order of the form (the answer's keys are sorted), so focus goes to the first.
      const invalid = [];
      for (const field of this.fields) {
        const message = errors[field.dataset.key];
        if (message === undefined || field.hidden) continue;
        this.setError(field, message);
        invalid.push(field);
        const more = field.closest("details");
        if (more) more.open = true;
      }
      const loose = Object.entries(errors)
        .filter(([key]) => !invalid.some((f) => f.dataset.key === key))
        .map(([key, message]) => `${this.labelOf(key)}：${message}`);
      const named = invalid.map((f) => this.labelOf(f.dataset.key));
      const parts = [];
      if (named.length) parts.push(`有 ${named.length} 项需要更正：${named.join("、")}。`);
      if (loose.length) parts.push(`请检查：${loose.join("；")}。`);
      this.showFormError([this.linkNotice, ...parts].filter(Boolean).join(" "));
      invalid[0]?.querySelector("input:checked, input, select")?.focus();
    }

    clauseLink(clause) {
      const [label, anchor] = this.clauses[clause] || [clause, ""];
      const url = new URL(this.measuresURL.href);
      url.hash = anchor;
      return h("a", { href: url.href, class: "fs-clause", text: label });
    }

    summaryOfInputs(inputs) {
      const rows = [];
      for (const field of this.fields) {
        const key = field.dataset.key;
        if (!(key in inputs)) continue;
        const label = this.labelOf(key);
        let shown = inputs[key];
        if (field.dataset.type === "enum_list" || field.dataset.type === "enum" || field.dataset.type === "bool") {
          const labels = [...field.querySelectorAll("input:checked, select option:checked")].map(
            (el) => el.closest("label")?.textContent.trim() || el.textContent.trim(),
          );
          shown = labels.join("、");
        } else if (field.dataset.type === "money") {
          const y = typedYuan(String(inputs[key]), "元");
          shown = y === null ? String(inputs[key]) : `${yuan(y)} 元`;
        } else if (field.dataset.unit) shown = `${inputs[key]} ${field.dataset.unit}`;
        rows.push(h("div", {}, h("dt", { text: label }), h("dd", { text: shown })));
      }
      return h("dl", { class: "fs-result__inputs" }, rows);
    }

    renderResult(r, inputs) {
      this.result.dataset.eligible = String(r.eligible);
      this.result.dataset.amountMax = r.amount_max;
      const kindWord = r.kind === "equity" ? "股权投资" : "支持";
      const net = r.amount_net !== r.amount_max;
      const verdict = r.eligible
        ? h("p", { class: "fs-result__verdict fs-result__verdict--yes" }, "✓ 符合条件")
        : h("p", { class: "fs-result__verdict fs-result__verdict--no" }, "✗ 按所填信息，暂不符合条件");
      const amount = h(
        "p",
        { class: "fs-result__amount" },
        `${r.eligible ? "最高可获" : "可获"}${kindWord} `,
        h("strong", { text: `${wan(r.amount_max)} 万元` }),
        ` （${yuan(r.amount_max)} 元）`,
      );
      const netLine = net
        ? h(
            "p",
            { class: "fs-result__net" },
            "按“就高不重复”扣除其他政策已享受金额后：",
            h("strong", { text: `${wan(r.amount_net)} 万元` }),
            ` （${yuan(r.amount_net)} 元）`,
          )
        : null;
      this.announce(
        r.eligible
          ? `计算完成：符合条件，最高可获${kindWord} ${wan(r.amount_max)} 万元${net ? `，扣除其他政策已享受金额后 ${wan(r.amount_net)} 万元` : ""}。计算过程见下方。`
          : "计算完成：按所填信息，暂不符合条件。原因见下方计算过程。",
      );
      this.result.replaceChildren(
        h(
          "section",
          { class: `fs-result ${r.eligible ? "fs-result--yes" : "fs-result--no"}`, "aria-label": "计算结果" },
          h("h3", { class: "fs-result__title", text: `计算结果：${r.title}` }),
          verdict,
          amount,
          netLine,
          this.bar(r.amount_max, r.amount_net),
          r.in_force ? null : h("p", { class: "fs-result__validity admonition warning" }, validityText(r)),
          h("h4", { text: "计算过程" }),
          h("ol", { class: "fs-result__reasons" }, r.reasons.map((x) => h("li", {}, this.clauseLink(x.clause), " ", x.text))),
          r.notes.length ? h("h4", { text: "注意事项" }) : null,
          r.notes.length ? h("ul", { class: "fs-result__notes" }, r.notes.map((n) => h("li", { text: n }))) : null,
          h("h4", { text: "咨询联系人" }),
          contactList(r.contacts),
          h("h4", { class: "fs-print-only", text: "填写的信息" }),
          this.summaryOfInputs(inputs),
          this.stamp(),
        ),
      );
    }

    bar(max, net) {
      if (!this.cap || Number(this.cap) <= 0) return null;
      const pct = (v) => Math.max(0, Math.min(100, (Number(v) / Number(this.cap)) * 100));
      return h(
        "div",
        { class: "fs-bar", role: "img", "aria-label": `上限 ${wan(max)} 万元，占本项最高额度 ${wan(this.cap)} 万元的 ${pct(max).toFixed(0)}%` },
        h("div", { class: "fs-bar__track" }, h("div", { class: "fs-bar__fill", style: `width:${pct(max)}%` }),
          net !== max ? h("div", { class: "fs-bar__net", style: `width:${pct(net)}%` }) : null),
        h("div", { class: "fs-bar__scale" }, h("span", { text: "0" }), h("span", { text: `本项最高 ${wan(this.cap)} 万元` })),
      );
    }

    stamp() {
      const today = new Date();
      const date = `${today.getFullYear()}年${today.getMonth() + 1}月${today.getDate()}日`;
      return h("p", { class: "fs-result__stamp" },
        `计算日期：${date}。依据：${this.root.dataset.docNumber}《${this.root.dataset.docTitle}》。结果为按所填信息测算的上限，以主管部门审核为准。`);
    }

    renderMatch(m, inputs) {
      const base = this.base;
      const rows = m.results.map((item) => {
        const r = item.result;
        const status = { eligible: "符合", ineligible: "不符合", needs_input: "待补充信息" }[item.status];
        const page = new URL(`calculators/${item.measure}/`, base);
        const missing = item.missing.length
          ? `需填写：${item.missing.map((k) => this.labelOf(k)).join("、")}`
          : "";
        return h("tr", { "data-measure": item.measure, "data-status": item.status },
          h("td", {}, h("a", { href: page.href, text: r?.title || this.titleOf(item.measure) }), " ", this.clauseLink(r?.clause || this.clauseOf(item.measure))),
          h("td", { class: `fs-status fs-status--${item.status}`, text: status }),
          h("td", { class: "fs-num", text: r && item.status === "eligible" ? `${wan(r.amount_max)} 万元` : "—" }),
          h("td", { text: missing || (r ? r.reasons[r.reasons.length - 1]?.text ?? "" : "") }));
      });
      this.result.dataset.eligible = String(m.results.some((x) => x.status === "eligible"));
      this.result.dataset.amountMax = m.grant_total_max;
      const count = (status) => m.results.filter((x) => x.status === status).length;
      this.announce(`匹配完成：符合 ${count("eligible")} 项措施，资金支持合计最高 ${wan(m.grant_total_max)} 万元；` +
        `另有 ${count("needs_input")} 项待补充信息。结果表格见下方。`);
      this.result.replaceChildren(
        h("section", { class: "fs-result", "aria-label": "匹配结果" },
          h("h3", { class: "fs-result__title", text: "政策匹配结果" }),
          h("p", { class: "fs-result__amount" }, "资金支持合计最高 ", h("strong", { text: `${wan(m.grant_total_max)} 万元` }),
            ` （${yuan(m.grant_total_max)} 元）`,
            Number(m.equity_max) > 0 ? `；另可申请股权投资最高 ${wan(m.equity_max)} 万元` : ""),
          h("p", { class: "fs-result__net", text: "各项金额均为上限，相互独立计算；同一事项不重复享受，以主管部门审核为准。" }),
          h("div", { class: "md-typeset__scrollwrap" }, h("div", { class: "md-typeset__table" },
            h("table", { class: "fs-match" },
              h("thead", {}, h("tr", {}, h("th", { text: "措施" }), h("th", { text: "结论" }), h("th", { text: "上限" }), h("th", { text: "说明" }))),
              h("tbody", {}, rows)))),
          h("h4", { text: "其他可关注的支持" }),
          h("ul", { class: "fs-result__also" }, m.also_relevant.map((a) =>
            h("li", {}, this.clauseLink(a.clause), " ", h("strong", { text: a.title || "" }), a.summary ? `：${a.summary}` : "",
              a.contacts?.length ? h("span", { class: "fs-also__contacts" }, "（", ...joinContacts(a.contacts), "）") : null))),
          h("h4", { class: "fs-print-only", text: "填写的信息" }),
          this.summaryOfInputs(inputs),
          this.stamp()));
    }

    labelOf(key) {
      const field = this.fields.find((f) => f.dataset.key === key);
      const label = field?.querySelector(".fs-field__label")?.cloneNode(true);
      label?.querySelector(".fs-req")?.remove(); // the required mark "*" is not part of the name
      return label?.textContent.trim() || key;
    }

    titleOf(measure) {
      return this.root.querySelector(`[data-measure-title="${measure}"]`)?.textContent || measure;
    }

    clauseOf(measure) {
      return this.root.querySelector(`[data-measure-title="${measure}"]`)?.dataset.clause || "general";
    }
  }

  /** A value from a link, shortened for a message (it is shown as text, never as markup). */
  function short(text) {
    const s = String(text);
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
  }

  function validityText(r) {
    const note = r.notes.find((n) => /试行|有效期|延续/.test(n));
    return note || "该日期不在本措施试行期内，请向主管部门确认政策是否延续。";
  }

  function joinContacts(contacts) {
    const out = [];
    contacts.forEach((c, i) => {
      if (i) out.push("；");
      out.push(`${c.unit} ${c.name} `);
      (c.phones || [c.phone]).forEach((p, j) => {
        if (j) out.push(" / ");
        out.push(h("a", { href: `tel:${p}`, text: p }));
      });
    });
    return out;
  }

  function contactList(contacts) {
    return h("ul", { class: "fs-result__contacts" }, contacts.map((c) => h("li", {}, joinContacts([c]))));
  }

  // --- wiring ---------------------------------------------------------------------------------

  let widgets = [];

  function init() {
    for (const w of widgets) w.detach();
    widgets = [];
    const roots = document.querySelectorAll(".fs-calc[data-measure]");
    if (!roots.length) return;
    const root = roots[0];
    engine.limits = { ...TIME_LIMITS_MS, ...JSON.parse(root.dataset.timeLimits || "{}") };
    const base = new URL(root.dataset.root, location.href);
    const runtime = JSON.parse(root.dataset.runtime);
    const abs = (path) => new URL(path, base).href;
    engine.start({
      workerURL: abs(runtime.workerURL),
      indexURL: abs(runtime.indexURL),
      stdLibURL: abs(runtime.stdLibURL),
      appURL: abs(runtime.appURL),
      lock: runtime.lock,
    });
    widgets = [...roots].map((el) => new Widget(el));
  }

  if (window.document$) window.document$.subscribe(init); // Material: every page view
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
