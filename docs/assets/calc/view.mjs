// The result view: builds the elements Python described (calculators/_form.py), as text nodes.
// It does not read what it builds: a new section of the answer is more nodes, not more code here.

const TAGS = new Set(["section", "div", "p", "h3", "h4", "ol", "ul", "li", "dl", "dt", "dd", "strong",
  "span", "a", "table", "thead", "tbody", "tr", "th", "td", "small", "button"]);
const ATTRS = new Set(["href", "role", "aria-label", "data-measure", "data-status", "type"]);

/** Builders for nodes that are more than an element (a chart, say): tag → (node, base) → Node. */
export const builders = {};

/** A node {tag, cls, attrs, css, children} as an element; links resolved against `base`. */
export function build(node, base) {
  if (typeof node === "string") return document.createTextNode(node);
  if (Object.hasOwn(builders, node.tag)) return builders[node.tag](node, base);
  const el = document.createElement(TAGS.has(node.tag) ? node.tag : "span");
  if (node.cls) el.className = node.cls;
  for (const [name, value] of Object.entries(node.attrs ?? {})) {
    if (!ATTRS.has(name)) continue;
    el.setAttribute(name, name === "href" ? new URL(value, base).href : value);
  }
  // CSSOM, not a style attribute (a strict CSP allows the one, not the other).
  for (const [name, value] of Object.entries(node.css ?? {})) el.style.setProperty(name, value);
  for (const child of node.children ?? []) el.append(build(child, base));
  return el;
}

