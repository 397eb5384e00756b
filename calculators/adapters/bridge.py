"""The JSON boundary between the calculators and JavaScript (the browser worker, the Node runner).

One request in, one answer out, both JSON text, so the same adapter serves the Web Worker and the
parity tests and no Python object crosses into JavaScript. It only translates: the rules live in
`evaluate`/`match`.

Request:  {"op": "evaluate", "measure": "rent_subsidy", "inputs": {...}}
          {"op": "match", "profile": {...}}
          {"op": "form", "measure": id | "match", "typed": {key: text | [checked]}, "compute": bool}
                  → hints, hidden fields, permalink query; computed: errors or the view (_form)
          {"op": "open", "measure": id | "match", "query": "?…"}
                  → a permalink's values as the form shows them, and a notice (_form)
          {"op": "compare", "measure": id | "match", "scenarios": [{"id", "name", "typed"}, …]}
                  → 方案对比: the saved scenarios (typed text, as the form sends it) read,
                    computed and laid out as one table of view nodes (views.compare)
          {"op": "export", "measure": id | "match", "scenarios": [...], "format": "csv" | "json",
           "base": the site's address}
                  → {"filename", "mime", "text"}: the file, written here (views.export)
          {"op": "qr", "text": the permalink's address}
                  → {"node", "version", "modules"}: its QR code as SVG view nodes (views.qr)
          compare, export and qr need the extras archive (segno and those three modules): the
          browser loads it on the first such request, never with a first result (worker.mjs)
          {"op": "runtime-check"}
                  → {"check": "2j"}: runs code the trimmed runtime leaves out (see below)
Answer:   {"ok": true, "result": {...}}
          {"ok": false, "errors": {"field": "中文说明", ...}}

Every request and answer, with all their keys, is described by calculators/data/schema.json (the
site publishes it as data/schema.json); the test suite checks every answer it produces against it.
"""

from __future__ import annotations

import json

from .. import InputError, evaluate, match
from ..views.form import form, open_link


def _extras(op: str, req: dict) -> dict:
    """The requests served by the extras archive: imported here, on first use, so that neither
    the comparison, segno nor the exporter is loaded (or, in the browser, downloaded) with a
    first result."""
    if op == "compare":
        from ..views.compare import compare

        return compare(req.get("measure"), req.get("scenarios"))
    if op == "qr":
        from ..views.qr import qr_view

        return qr_view(req.get("text"))
    from ..views.export import export

    return export(req.get("measure"), req.get("scenarios"), str(req.get("format") or ""),
                  str(req.get("base") or ""))


def handle(request: str) -> str:
    """Answer one JSON request; never raises for bad input."""
    try:
        req = json.loads(request)
        if not isinstance(req, dict):
            raise InputError({"request": "请求格式无效"})
        op = req.get("op")
        if op == "evaluate":
            result = evaluate(req.get("measure"), req.get("inputs") or {})
        elif op == "match":
            result = match(req.get("profile") or {})
        elif op == "form":
            target = req.get("measure")
            result = form(target, req.get("typed") or {}, compute=req.get("compute") is True)
        elif op == "open":
            result = open_link(req.get("measure"), str(req.get("query") or ""))
        elif op in ("compare", "export", "qr"):
            result = _extras(op, req)
        elif op == "runtime-check":
            result = {"check": _outside_the_profile()}
        else:
            raise InputError({"request": f"未知操作：{op}"})
        answer = {"ok": True, "result": result}
    except InputError as exc:
        answer = {"ok": False, "errors": exc.errors}
    except ValueError:  # not JSON at all
        answer = {"ok": False, "errors": {"request": "请求格式无效"}}
    return json.dumps(answer, ensure_ascii=False, sort_keys=True)


def _outside_the_profile() -> str:
    """Code no calculator runs (cmath), so the trimmed runtime (sitebuild/wasm_trim.py) has
    stubbed it: there it traps, and the worker must restart on the full wasm and answer the same.
    tests/test_wasm_trim_browser.py checks that in Chromium. Harmless: "2j" on any runtime."""
    import cmath  # here only, so that no other request loads it

    return str(cmath.sqrt(-4))
