// The result view: builds the elements Python described (calculators/views/), as text nodes.
// It does not read what it builds: a new section of the answer (next steps, a chart) is more
// nodes, not more code here. Charts are inline SVG that Python laid out: the same builder makes
// them, in the SVG namespace.

const TAGS = new Set(["section", "div", "p", "h2", "h3", "h4", "ol", "ul", "li", "dl", "dt", "dd",
  "strong", "span", "a", "table", "caption", "thead", "tbody", "tr", "th", "td", "small", "button",
  "figure", "figcaption"]);
const SVG = "http://www.w3.org/2000/svg";
const SVG_TAGS = new Set(["svg", "path", "polyline", "circle", "text"]);
const ATTRS = new Set(["href", "role", "aria-label", "aria-labelledby", "aria-describedby", "data-measure",
  "data-status", "type", "id", "scope", "focusable", "viewBox", "d", "points", "cx", "cy", "r", "x", "y",
  "text-anchor", "dominant-baseline", "data-action", "data-scenario", "data-format"]);

/** A node {tag, cls, attrs, css, children} as an element; links resolved against `base`. */
export function build(node, base) {
  if (typeof node === "string") return document.createTextNode(node);
  const el = SVG_TAGS.has(node.tag) ? document.createElementNS(SVG, node.tag)
    : document.createElement(TAGS.has(node.tag) ? node.tag : "span");
  if (node.cls) el.setAttribute("class", node.cls);
  for (const [name, value] of Object.entries(node.attrs ?? {})) {
    if (!ATTRS.has(name)) continue;
    el.setAttribute(name, name === "href" ? new URL(value, base).href : value);
  }
  // CSSOM, not a style attribute (a strict CSP allows the one, not the other).
  for (const [name, value] of Object.entries(node.css ?? {})) el.style.setProperty(name, value);
  for (const child of node.children ?? []) el.append(build(child, base));
  return el;
}
