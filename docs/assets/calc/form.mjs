// Calculator forms (`<!-- fs:calculator … -->`, `<!-- fs:match -->`): the page side. It sends
// what the reader typed, untouched, to Python (calculators/views/, through the worker) and puts
// Python's answer on the page: hints, hidden fields, errors, the result, the permalink. Every
// reading of a number, a unit, a date or a word happens there, not here.
//
// Loaded on every page (it is small); a page without a form starts no worker.
import { engine } from "./engine.mjs";
import { build } from "./view.mjs";

const LIVE_DELAY_MS = 350; // after the first answer, typing recalculates after this pause

class Widget {
  constructor(root) {
    this.root = root;
    this.measure = root.dataset.measure; // "match" for the 政策匹配 form
    this.form = root.querySelector("form");
    this.status = root.querySelector(".fs-calc__status");
    this.result = root.querySelector(".fs-calc__result");
    this.formError = root.querySelector(".fs-calc__form-error");
    // One sentence per answer for screen readers (a polite live region); the result is not live.
    this.announcer = root.querySelector(".fs-calc__announce");
    this.fields = [...root.querySelectorAll(".fs-field")];
    this.base = new URL(root.dataset.root, location.href);
    this.computed = false;
    this.touched = false; // the reader has changed the form (a link's values then wait no more)
    this.query = null; // the permalink query of the form as it is, from Python
    this.seq = { look: 0, compute: 0 };
    this.linkNotice = ""; // what a permalink said that the form could not take
    this.path = location.pathname; // instant navigation changes it before detach() is called

    root.classList.add("fs-calc--js");
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.compute({ focus: true }); });
    this.form.addEventListener("input", () => this.changed());
    this.form.addEventListener("change", () => this.changed());
    this.form.addEventListener("reset", () => setTimeout(() => this.cleared()));
    root.querySelector(".fs-calc__copy")?.addEventListener("click", () => this.copyLink());
    // 打印, 保存此方案, 方案对比, 二维码, 导出: their module loads on the first click, so that a first
    // result loads nothing they need (scenarios.mjs; the extras archive for QR codes and exports).
    root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-tool], .fs-calc__compare [data-action]");
      if (!button || !root.contains(button)) return;
      import("./scenarios.mjs").then((tools) => tools.act(this, button));
    });

    const onState = (state, message) => this.showState(state, message);
    engine.listeners.add(onState);
    // On leaving the page (instant navigation): a pending recalculation must not fire and
    // rewrite the next page's address with this form's inputs.
    this.detach = () => {
      engine.listeners.delete(onState);
      clearTimeout(this.timer);
      this.detached = true;
    };
    this.showState(engine.state, engine.message);
    if (location.search) this.openLink();
    else this.look();
  }

  showState(state, message) {
    this.status.dataset.state = state;
    if (state !== "failed") {
      this.status.textContent = this.status.dataset[state];
      return;
    }
    // The words and links are the page's own (scripts/templates/calculator.html).
    const failed = this.root.querySelector(".fs-calc__failed").content.cloneNode(true);
    if (message) failed.querySelector(".fs-calc__why").textContent = message;
    if (engine.detail) failed.querySelector(".fs-calc__detail").textContent = `技术信息：${engine.detail}`;
    this.status.replaceChildren(failed);
    this.status.querySelector(".fs-calc__retry").addEventListener("click", () => {
      // The button disappears with the new status: keep keyboard focus on the status line.
      this.status.tabIndex = -1;
      this.status.focus();
      engine.start({ ...engine.config, fresh: true });
    });
  }

  /** What the reader typed, field by field, as typed; the checked values of option fields. */
  typed() {
    return Object.fromEntries(this.fields.map((field) => {
      const text = field.querySelector("input[type=text]");
      const checked = [...field.querySelectorAll("input:checked")].map((i) => i.value);
      return [field.dataset.key, text ? text.value : field.dataset.type === "enum_list" ? checked : checked[0] ?? ""];
    }));
  }

  fill(typed) {
    for (const field of this.fields) {
      const value = typed[field.dataset.key];
      if (value === undefined) continue;
      const boxes = field.querySelectorAll("input[type=radio], input[type=checkbox]");
      if (boxes.length) for (const box of boxes) box.checked = [value].flat().includes(box.value);
      else field.querySelector("input").value = value;
      const more = field.closest("details"); // a link's value is shown, not hidden in 更多选项
      if (more) more.open = true;
    }
  }

  changed() {
    this.touched = true;
    this.linkNotice = ""; // the reader has taken over from the link
    this.look();
    clearTimeout(this.timer);
    if (this.computed) this.timer = setTimeout(() => this.compute(), LIVE_DELAY_MS);
  }

  cleared() {
    this.computed = false;
    this.linkNotice = "";
    this.showErrors([], "");
    this.showView(null);
    this.look();
    history.replaceState(history.state, "", location.pathname + location.hash);
  }

  /** A permalink's values, written by Python in each field's entry unit; then its answer. Not
   *  once the reader has started typing: what they typed is never overwritten. */
  async openLink() {
    const answer = await engine.call({ op: "open", measure: this.measure, query: location.search }).catch(() => null);
    if (!answer?.ok || this.detached || this.touched) return; // the status line says why not
    this.fill(answer.result.typed);
    this.linkNotice = answer.result.notice;
    this.showFormError("");
    if (Object.keys(answer.result.typed).length) this.compute();
    else this.look();
  }

  /** Python's hints, hidden fields and link for the form as it is (answered once ready). */
  async look() {
    const seq = ++this.seq.look;
    const answer = await engine.call({ op: "form", measure: this.measure, typed: this.typed() }).catch(() => null);
    if (answer?.ok && seq === this.seq.look) this.apply(answer.result);
  }

  apply(result) {
    this.query = result.query;
    for (const field of this.fields) {
      field.hidden = result.hidden.includes(field.dataset.key);
      const hint = field.querySelector(".fs-field__hint");
      if (hint) hint.textContent = result.hints[field.dataset.key] ?? "";
    }
  }

  url() {
    return location.pathname + (this.query ?? location.search) + location.hash;
  }

  async copyLink() {
    const url = new URL(this.url(), location.href).href;
    const button = this.root.querySelector(".fs-calc__copy");
    try {
      await navigator.clipboard.writeText(url);
      button.textContent = "链接已复制";
    } catch {
      window.prompt("复制此链接：", url);
    }
    setTimeout(() => (button.textContent = "复制链接"), 2000);
  }

  /** The answer for the form as it is. `focus`: the reader asked (计算), so keyboard focus moves to
   *  the result's heading, and a screen reader reads on from there (errors focus their field). */
  async compute({ focus = false } = {}) {
    clearTimeout(this.timer);
    // Leaving the page: Material has already set the next page's address, so a late
    // recalculation here would write this form's inputs into it.
    if (this.detached || !this.root.isConnected || location.pathname !== this.path) return;
    const seq = ++this.seq.compute;
    this.root.setAttribute("aria-busy", "true");
    this.announcer.textContent = "";
    const request = { op: "form", measure: this.measure, typed: this.typed(), compute: true };
    const answer = await engine.call(request).catch((err) => ({ failed: String(err.message || err) }));
    if (seq !== this.seq.compute) return; // a newer calculation superseded this one
    this.root.removeAttribute("aria-busy");
    if (answer.ok) this.apply(answer.result);
    this.computed ||= Boolean(answer.ok);
    // No answer: no result either (an old result beside new figures would mislead).
    const result = answer.ok ? answer.result : { errors: Object.entries(answer.errors ?? {}), summary: answer.failed };
    this.showErrors(result.errors ?? [], result.summary ?? "");
    this.showView(result.view);
    // What 保存此方案 keeps and 导出 writes: the text of the form that gave this result.
    this.lastTyped = result.view ? request.typed : null;
    if (focus && result.view) {
      const heading = this.result.querySelector("h2");
      heading.tabIndex = -1;
      heading.focus();
    }
    if (answer.failed) return;
    performance.mark("fs:result"); // for the benchmark (scripts/bench.py)
    this.root.dispatchEvent(new CustomEvent("fs:result"));
    // Keep the address bar a permalink, once the answer is on screen, and only if it changed.
    if (this.url() !== location.pathname + location.search + location.hash) history.replaceState(history.state, "", this.url());
  }

  showView(view) {
    const data = this.result.dataset;
    for (const name of ["eligible", "amountMax", "validity"]) delete data[name];
    this.result.replaceChildren(view ? build(view.node, this.base) : "");
    this.root.querySelector(".fs-calc__tools").hidden = !view;
    this.root.querySelector(".fs-calc__qr-slot").replaceChildren(); // it was the last result's address
    if (view && this.qrWanted) import("./scenarios.mjs").then((tools) => tools.showQr(this));
    if (!view) return;
    Object.assign(data, { eligible: String(view.eligible), amountMax: view.amount_max, validity: view.validity });
    this.announcer.textContent = view.announce;
  }

  /** Each error at its field, the form's line naming them, focus on the first. */
  showErrors(errors, summary) {
    const messages = new Map(errors);
    let first = null;
    for (const field of this.fields) {
      const message = field.hidden ? undefined : messages.get(field.dataset.key);
      field.querySelector(".fs-field__error").textContent = message ?? "";
      field.classList.toggle("fs-field--invalid", message !== undefined);
      for (const c of field.querySelectorAll("input")) c.setAttribute("aria-invalid", String(message !== undefined));
      if (message !== undefined) {
        first ??= field;
        const more = field.closest("details");
        if (more) more.open = true;
      }
    }
    this.showFormError(summary);
    first?.querySelector("input:checked, input")?.focus();
  }

  showFormError(message) {
    const text = [this.linkNotice, message].filter(Boolean).join(" ");
    this.formError.textContent = text;
    this.formError.hidden = !text;
  }
}

let widgets = [];

function init() {
  for (const w of widgets) w.detach();
  widgets = [];
  const roots = document.querySelectorAll(".fs-calc[data-measure]");
  if (!roots.length) return;
  const root = roots[0];
  engine.limits = { ...engine.defaultLimits, ...JSON.parse(root.dataset.timeLimits || "{}") };
  const base = new URL(root.dataset.root, location.href);
  const runtime = JSON.parse(root.dataset.runtime);
  const urls = ["workerURL", "indexURL", "fullIndexURL", "stdLibURL", "appURL"].map((k) => [k, new URL(runtime[k], base).href]);
  engine.start({ ...Object.fromEntries(urls), lock: runtime.lock });
  widgets = [...roots].map((el) => new Widget(el));
}

if (window.document$) window.document$.subscribe(init); // Material: every page view
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
