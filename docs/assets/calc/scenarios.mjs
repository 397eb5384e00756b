// 保存此方案, 方案对比, 二维码, 导出表格, 打印: the page side of the tools under a result. Loaded by
// form.mjs on the first click of one of them, never with a first result.
//
// It stores text and moves it: a saved scenario is the form's text as typed (and a name), kept in
// this browser's localStorage only, never sent anywhere. Python (calculators/views/compare.py,
// export.py, qr.py, through the worker) reads it, computes, and writes everything shown and every
// file; this module builds the view nodes it returns and hands the files' text to the browser.
import { engine } from "./engine.mjs";
import { build } from "./view.mjs";

const STORE = "fs-scenarios:"; // + the form's measure id ("match" for 政策匹配)
const STYLES = new URL("./tools.css", import.meta.url).href;

/** The comparison's and the QR code's stylesheet, loaded with this module (not with the page). */
function styled() {
  if ([...document.styleSheets].some((s) => s.href === STYLES)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href: STYLES });
    link.onload = link.onerror = () => resolve();
    document.head.append(link);
  });
}

function stored(widget) {
  try {
    return JSON.parse(localStorage.getItem(STORE + widget.measure) || "[]");
  } catch {
    return []; // no storage (private mode, disabled) or a damaged entry: nothing saved
  }
}

function store(widget, scenarios) {
  try {
    if (scenarios.length) localStorage.setItem(STORE + widget.measure, JSON.stringify(scenarios));
    else localStorage.removeItem(STORE + widget.measure);
    return true;
  } catch {
    return false;
  }
}

function say(widget, text) {
  widget.root.querySelector(".fs-calc__tools-status").textContent = text;
}

function extrasURL(widget) {
  return new URL(JSON.parse(widget.root.dataset.runtime).extrasURL, widget.base).href;
}

/** The permalink's full address, as the copy button gives it. */
function address(widget) {
  return new URL(location.pathname + (widget.query ?? location.search), location.href).href;
}

async function ask(widget, request, extras = false) {
  try {
    const answer = await engine.call(request, extras ? extrasURL(widget) : undefined);
    if (extras) window.fsOffline?.keep("extras"); // offline, comparisons, QR codes, exports too
    if (answer.ok) return answer.result;
    say(widget, Object.values(answer.errors).join("；"));
  } catch (err) {
    say(widget, String(err?.message ?? err));
  }
  return null;
}

async function save(widget) {
  if (!widget.lastTyped) return;
  const id = crypto.randomUUID?.() ?? Math.random().toString(36).slice(2);
  const scenarios = [...stored(widget), { id, name: "", typed: widget.lastTyped }];
  // Python says whether they can be compared (how many at most): kept only if so.
  const view = await ask(widget, { op: "compare", measure: widget.measure, scenarios }, true);
  if (!view) return;
  if (!store(widget, scenarios)) return say(widget, "此浏览器不允许保存（可能处于无痕模式）");
  show(widget, view);
}

async function compare(widget) {
  const scenarios = stored(widget);
  const slot = widget.root.querySelector(".fs-calc__compare");
  if (!scenarios.length) {
    slot.replaceChildren();
    return say(widget, "尚未保存方案：计算后点“保存此方案”");
  }
  const view = await ask(widget, { op: "compare", measure: widget.measure, scenarios }, true);
  if (view) show(widget, view);
}

function show(widget, view) {
  const slot = widget.root.querySelector(".fs-calc__compare");
  slot.replaceChildren(build(view.node, widget.base));
  say(widget, view.announce);
}

async function rename(widget, id) {
  const scenarios = stored(widget);
  const one = scenarios.find((s) => s.id === id);
  if (!one) return;
  const name = window.prompt("方案名称：", one.name);
  if (name === null) return;
  one.name = name; // Python trims and shortens it when it shows it
  store(widget, scenarios);
  await compare(widget);
}

async function remove(widget, id) {
  store(widget, stored(widget).filter((s) => s.id !== id));
  await compare(widget);
}

/** The file Python wrote, handed to the browser as a download. */
async function download(widget, scenarios, format) {
  const base = widget.base.href;
  const file = await ask(widget, { op: "export", measure: widget.measure, scenarios, format, base }, true);
  if (!file) return;
  const link = Object.assign(document.createElement("a"), {
    href: URL.createObjectURL(new Blob([file.text], { type: file.mime })),
    download: file.filename,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  say(widget, `已导出：${file.filename}`);
}

export async function showQr(widget) {
  widget.qrWanted = true;
  await styled();
  const text = address(widget);
  const qr = await ask(widget, { op: "qr", text }, true);
  if (!qr || address(widget) !== text) return; // a newer result has its own address
  widget.root.querySelector(".fs-calc__qr-slot").replaceChildren(build(qr.node, widget.base));
}

async function print(widget) {
  // The printed record carries the QR code and the address; without them (offline, say) it
  // still prints.
  if (widget.lastTyped) await showQr(widget);
  window.print();
}

export async function act(widget, button) {
  await styled();
  const action = button.dataset.tool ?? button.dataset.action;
  const current = () => [{ id: "current", name: "", typed: widget.lastTyped }];
  if (action === "save") await save(widget);
  else if (action === "compare") await compare(widget);
  else if (action === "qr") await showQr(widget);
  else if (action === "print") await print(widget);
  else if (action === "export" && button.dataset.tool) await download(widget, current(), button.dataset.format);
  else if (action === "export") await download(widget, stored(widget), button.dataset.format);
  else if (action === "rename") await rename(widget, button.dataset.scenario);
  else if (action === "delete") await remove(widget, button.dataset.scenario);
}
