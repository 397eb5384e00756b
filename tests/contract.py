"""The published contract (calculators/data/schema.json, the site's data/schema.json), checked
on every answer the suite produces.

`conftest.py` wraps the public functions (`calculators.evaluate`, `match`, `form`, `open_link`)
and the bridge's `handle` so that each answer, in every test, is validated against its part of
the schema; browser tests hand in what the page's worker answered (`browser_answers`). A key
that no schema describes fails the test that produced it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "calculators" / "data" / "schema.json"


@functools.cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one definition of the schema (`evaluate_result`, `request_form` …)."""
    whole = schema()
    Draft202012Validator.check_schema(whole)
    return Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": whole["$defs"]})


def check(name: str, value: object) -> None:
    """Raise AssertionError naming the first place where `value` breaks `$defs/name`."""
    error = next(iter(validator(name).iter_errors(value)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise AssertionError(f"answer breaks the schema's {name} at {where}: {error.message}")


OPS = {"evaluate", "match", "form", "open", "compare", "export", "qr", "runtime-check"}


def check_exchange(request_text: str, answer_text: str) -> None:
    """One bridge exchange: the request (if it is one the schema describes) and its answer."""
    try:
        request = json.loads(request_text)
    except ValueError:  # not JSON: the bridge answers that too
        request = None
    answer = json.loads(answer_text)
    op = request.get("op") if isinstance(request, dict) else None
    if op in OPS and next(iter(validator(f"request_{op}").iter_errors(request)), None) is None:
        check(f"answer_{op}", answer)
    else:  # a malformed request: the answer must still be one the contract knows
        check("answer", answer)


def checking(fn: Callable, name: str | Callable[..., str]) -> Callable:
    """`fn`, with each of its answers checked against `$defs/name`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        answer = fn(*args, **kwargs)
        check(name(*args, **kwargs) if callable(name) else name, answer)
        return answer

    wrapper.__wrapped_by_contract__ = True
    return wrapper


def checking_bridge(handle: Callable[[str], str]) -> Callable[[str], str]:
    @functools.wraps(handle)
    def wrapper(request: str) -> str:
        answer = handle(request)
        check_exchange(request, answer)
        return answer

    wrapper.__wrapped_by_contract__ = True
    return wrapper


def install() -> None:
    """Wrap the public functions and the bridge (once), before any test module imports them."""
    import calculators
    from calculators.adapters import bridge

    if getattr(calculators.evaluate, "__wrapped_by_contract__", False):
        return
    calculators.evaluate = checking(calculators.evaluate, "evaluate_result")
    calculators.match = checking(calculators.match, "match_result")
    calculators.form = checking(calculators.form, "form_answer")
    calculators.open_link = checking(calculators.open_link, "open_answer")
    bridge.handle = checking_bridge(bridge.handle)


# In the page: the worker's answers, recorded by an init script (JavaScript of the tests only)
# through a function exposed to the page, then checked with the requests they answer.
RECORDER = """
(() => {
  const Original = window.Worker;
  if (!Original) return;
  const pending = new Map();
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const m = event.data;
        if (m && m.type === "answer" && pending.has(m.id)) {
          if (typeof m.answer === "string") window.__fsContract(pending.get(m.id), m.answer);
          pending.delete(m.id);
        }
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === "call") pending.set(message.id, message.request);
      return super.postMessage(message, ...rest);
    }
  };
})();
"""


def record_in(context, exchanges: list[tuple[str, str]]) -> None:
    """Record, in `exchanges`, every bridge exchange of the pages of a browser context."""
    context.expose_function("__fsContract", lambda req, ans: exchanges.append((req, ans)))
    context.add_init_script(RECORDER)


def check_browser(exchanges: list[tuple[str, str]]) -> None:
    for request, answer in exchanges:
        check_exchange(request, answer)
