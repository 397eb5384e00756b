// 金额曲线与下一步 — DOM builders for what Python computed and worded (calculators/_growth.py).
//
// The engine's answer carries, for each curve, its caption, its breakpoints as a table and the
// chart already laid out in viewBox units; for next steps and the growth path, the worded lines and
// the links. This module only creates elements and sets the text and attributes it is given: it
// computes, parses and formats nothing (no number is handled here at all).

// The only elements a chart may contain (anything else in an answer is ignored).
const SVG_TAGS = new Set(["path", "polyline", "circle", "text"]);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** One curve → <figure>: the SVG chart (an image described by the caption), the caption, and the
 *  breakpoints as a table (what a screen reader or a printout reads). */
export function renderChart(curve) {
  const figure = el("figure", "fs-chart");
  const id = curve.id; // unique on the page: Python names it after the measure and the input
  const spec = curve.svg;
  const svg = document.createElementNS(spec.xmlns, "svg");
  svg.setAttribute("viewBox", spec.view_box);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", spec.label);
  svg.setAttribute("aria-describedby", id);
  svg.setAttribute("class", "fs-chart__svg");
  svg.setAttribute("focusable", "false");
  for (const item of spec.elements) {
    if (!SVG_TAGS.has(item.tag)) continue;
    const node = document.createElementNS(spec.xmlns, item.tag);
    for (const [name, value] of Object.entries(item.attrs)) node.setAttribute(name, value);
    if (item.text) node.textContent = item.text;
    svg.append(node);
  }
  const caption = el("figcaption", "fs-chart__caption", curve.caption);
  caption.id = id;
  figure.append(svg, caption, renderTable(curve.table));
  return figure;
}

function renderTable(table) {
  const wrap = el("div", "fs-chart__table");
  const t = el("table");
  const head = el("thead");
  const headRow = el("tr");
  for (const text of table.head) {
    const th = el("th", "", text);
    th.scope = "col";
    headRow.append(th);
  }
  head.append(headRow);
  const body = el("tbody");
  for (const row of table.rows) {
    const tr = el("tr");
    const [span, value] = row;
    const th = el("th", "", span);
    th.scope = "row";
    tr.append(th, el("td", "", value));
    body.append(tr);
  }
  t.append(head, body);
  wrap.append(t);
  return wrap;
}

function stepItem(step, withTitle) {
  const li = el("li", "fs-steps__item");
  if (withTitle) li.append(el("strong", "fs-steps__title", step.title), " ");
  li.append(el("span", "fs-steps__text", step.text), " ");
  const link = el("a", "fs-steps__link", step.link_text);
  link.href = step.href;
  link.dataset.measure = step.measure;
  li.append(link);
  return li;
}

function stepList(id, heading, steps, notes, empty, withTitle) {
  const section = el("section", "fs-steps");
  const title = el("p", "fs-steps__heading", heading);
  title.id = id;
  section.setAttribute("aria-labelledby", id);
  section.append(title);
  if (steps.length) {
    const list = el("ol", "fs-steps__list");
    for (const step of steps) list.append(stepItem(step, withTitle));
    section.append(list);
  }
  if (empty) section.append(el("p", "fs-steps__empty", empty));
  if (notes.length) {
    const list = el("ul", "fs-steps__notes");
    for (const note of notes) list.append(el("li", "", note));
    section.append(list);
  }
  return section;
}

/** An evaluate result's `next_steps` → a labelled section with the worded steps and their links. */
export function renderSteps(nextSteps) {
  const n = nextSteps;
  return stepList(n.id, n.heading, n.steps, n.notes, n.empty, false);
}

/** 政策匹配's `growth_path` → the same list across measures, each step under its measure's title. */
export function renderGrowthPath(path) {
  return stepList(path.id, path.heading, path.steps, [], path.empty, true);
}

/** Everything an evaluate result has beyond the ceiling: its next steps, then its charts. */
export function renderGrowth(result) {
  const box = el("div", "fs-growth");
  if (result.next_steps) box.append(renderSteps(result.next_steps));
  for (const curve of result.curves || []) box.append(renderChart(curve));
  return box;
}
