"""Steps shared by the browser tests of the trust issue: moving around the site without reloading
it (so one Pyodide start serves many checks), waiting for an answer, reading a form's state.

The fixtures (``calc_page``, ``new_page``) are in conftest.py.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import calculators

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ANSWER_TIMEOUT = 15_000  # ms: one calculation takes milliseconds once the engine is ready
BOOT_TIMEOUT = 90_000  # ms: a cold Pyodide start on a busy 2-core machine takes 5–15 s

# Every page type of the site: the policy pages (a version's own address and the revision record
# too), the overview, each calculator, 政策匹配.
POLICY_PAGES = ["", "notice/", "measures/", "contacts/", "rules/", "privacy/", "calculators/",
                "versions/", "versions/2025-14/measures/"]
FORMS = [*calculators.MEASURES, "match"]


def visit(page, base: str, path: str) -> None:
    """Open base+path. On the site already, through Material's instant navigation (a link click,
    no reload: the calculators' engine keeps running); otherwise by loading it."""
    target = base + path
    if not page.url.startswith(base) or not page.evaluate("!!document.querySelector('article')"):
        page.goto(target)
        return _settled(page)
    if page.url != target and urlsplit(page.url).path == urlsplit(target).path:
        visit(page, base, "")  # Material does not navigate to the same page with a new query
    if page.url != target:
        page.evaluate(
            """(url) => {
                document.querySelector("article").dataset.stale = "1";
                const a = Object.assign(document.createElement("a"), { href: url });
                document.body.append(a);
                a.click();
                a.remove();
            }""",
            target,
        )
        page.wait_for_function(
            # The path, not the whole address: a form rewrites its query once it computes.
            "(url) => location.pathname === new URL(url).pathname"
            " && document.querySelector('article:not([data-stale])')",
            arg=target,
        )
    _settled(page)


def _settled(page) -> None:
    page.wait_for_function(
        "() => document.readyState === 'complete' && [...document.querySelectorAll('.fs-calc')]"
        ".every((el) => el.classList.contains('fs-calc--js'))"
    )


def wait_ready(page) -> None:
    page.wait_for_selector('.fs-calc__status[data-state="ready"]', timeout=BOOT_TIMEOUT)


# Resolves when the form's next calculation has been answered: the widget sets aria-busy on
# .fs-calc when it asks the engine and removes it when it shows the answer.
_ARM = """() => {
  const root = document.querySelector(".fs-calc");
  window.__answered = false;
  const observer = new MutationObserver(() => {
    if (!root.hasAttribute("aria-busy")) { observer.disconnect(); window.__answered = true; }
  });
  observer.observe(root, { attributes: true, attributeFilter: ["aria-busy"] });
}"""


def press_compute(page, *, key: str | None = None) -> None:
    """Press 计算 with the mouse (or Enter in field `key`) and wait for the answer."""
    page.evaluate(_ARM)
    if key is None:
        page.get_by_role("button", name="计算", exact=True).click()
    else:
        page.locator(f'.fs-calc .fs-field[data-key="{key}"] input').press("Enter")
    page.wait_for_function("() => window.__answered", timeout=ANSWER_TIMEOUT)


FORM_STATE = """() => {
  const root = document.querySelector(".fs-calc");
  const result = root.querySelector(".fs-calc__result");
  const errors = {}, values = {}, typed = {}, hints = {};
  for (const f of root.querySelectorAll(".fs-field")) {
    const text = f.querySelector(".fs-field__error").textContent;
    if (text) errors[f.dataset.key] = text;
    const input = f.querySelector("input[type=text]");
    if (input) values[f.dataset.key] = input.value;
    const hint = f.querySelector(".fs-field__hint");
    if (hint) hints[f.dataset.key] = hint.textContent;
    // What the reader sees in the form: the text, or the options checked.
    const checked = [...f.querySelectorAll("input:checked")].map((i) => i.value);
    typed[f.dataset.key] = input ? input.value
      : f.dataset.type === "enum_list" ? checked : (checked[0] ?? "");
  }
  const handlers = [...document.querySelectorAll("*")].filter(
    (el) => [...el.attributes].some((a) => a.name.startsWith("on")));
  return {
    busy: root.hasAttribute("aria-busy"),
    query: location.search,
    amount: result.dataset.amountMax ?? null,
    eligible: result.dataset.eligible ?? null,
    resultText: result.textContent,
    errors,
    values,
    typed,
    hints,
    formError: root.querySelector(".fs-calc__form-error").textContent,
    announced: root.querySelector(".fs-calc__announce").textContent,
    focused: document.activeElement?.closest(".fs-field")?.dataset.key ?? null,
    injected: document.querySelectorAll("img[src='x']").length + handlers.length,
    scripts: document.scripts.length,
    xss: window.__xss ?? null,
  };
}"""


def form_state(page) -> dict:
    return page.evaluate(FORM_STATE)


def sent_inputs(query: str) -> dict[str, str]:
    """The API inputs of the permalink the form wrote."""
    return dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))


def cpython_form(form: str, typed: dict) -> dict:
    """CPython's own answer to the form as the reader filled it (the same function the worker
    runs): {"errors": [[key, message]…]} or {"view": …}, with hints and the permalink query."""
    return calculators.form(form, typed, compute=True)


def cpython_answer(form: str, inputs: dict) -> tuple[dict | None, dict]:
    """(result, errors) of CPython's own calculators on the same inputs."""
    try:
        if form == "match":
            return calculators.match(inputs), {}
        return calculators.evaluate(form, inputs), {}
    except calculators.InputError as err:
        return None, err.errors


def expected_amount(form: str, result: dict) -> str:
    return result["grant_total_max"] if form == "match" else result["amount_max"]


def foreign(base: str, urls: list[str]) -> list[str]:
    """The URLs in `urls` that go to another host than the site's."""
    host = urlsplit(base).netloc
    return [u for u in urls if urlsplit(u).scheme in ("http", "https")
            and urlsplit(u).netloc != host]


# Type each value into one field and submit, inside the page (one round trip for a whole list;
# the same events as typing: input, then the form's submit). Returns, per value, the time the
# page took to answer and the form's state (FORM_STATE).
TYPE_EACH = """async ([key, values]) => {
  const state = __FORM_STATE__;
  const root = document.querySelector(".fs-calc");
  const form = root.querySelector("form");
  const input = root.querySelector(`.fs-field[data-key="${key}"] input[type=text]`);
  const out = [];
  for (const typed of values) {
    input.focus();
    input.value = typed;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const started = performance.now();
    const answered = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!root.hasAttribute("aria-busy")) { observer.disconnect(); resolve(); }
      });
      observer.observe(root, { attributes: true, attributeFilter: ["aria-busy"] });
    });
    form.requestSubmit();
    await answered;
    out.push({ typed, ms: performance.now() - started, state: state() });
  }
  return out;
}""".replace("__FORM_STATE__", FORM_STATE)


def type_each(page, key: str, values: list[str]) -> list[dict]:
    return page.evaluate(TYPE_EACH, [key, values])


def set_assist(page, *, contrast: bool = False, font: str = "100", leading: str = "normal") -> None:
    """The assistive toolbar's settings (docs/assets/a11y.js), set by clicking its buttons as a
    reader does; a no-op for what is already so. Its state is on <html>: data-fs-font,
    data-fs-leading, the class fs-contrast."""
    html = page.locator("html")
    want = {"font": font, "leading": leading}
    now = {k: html.get_attribute(f"data-fs-{k}") or ("100" if k == "font" else "normal")
           for k in want}
    has = page.evaluate("document.documentElement.classList.contains('fs-contrast')")
    if now == want and has == contrast:
        return
    toggle = page.locator(".fs-a11y__toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    for key, value in want.items():
        if now[key] != value:
            page.locator(f'.fs-a11y [data-fs-set="{key}"][data-value="{value}"]').click()
    if has != contrast:
        page.locator('.fs-a11y [data-fs-toggle="contrast"]').click()
    page.mouse.move(1, 719)  # away from the toolbar: no hover colours measured
    page.evaluate("document.activeElement?.blur()")
    page.wait_for_function("() => document.getAnimations().every((a) =>"
                           " !(a instanceof CSSTransition) || a.playState !== 'running')")
