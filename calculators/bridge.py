"""The JSON boundary between the calculators and JavaScript (the browser worker, the Node runner).

One request in, one answer out, both JSON text, so the same adapter serves the Web Worker and the
parity tests and no Python object crosses into JavaScript. It only translates: the rules live in
`evaluate`/`match`.

Request:  {"op": "evaluate", "measure": "rent_subsidy", "inputs": {...}}
          {"op": "match", "profile": {...}}
Answer:   {"ok": true, "result": {...}}
          {"ok": false, "errors": {"field": "中文说明", ...}}
"""

from __future__ import annotations

import json

from . import InputError, evaluate, match


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
        else:
            raise InputError({"request": f"未知操作：{op}"})
        answer = {"ok": True, "result": result}
    except InputError as exc:
        answer = {"ok": False, "errors": exc.errors}
    except ValueError:  # not JSON at all
        answer = {"ok": False, "errors": {"request": "请求格式无效"}}
    return json.dumps(answer, ensure_ascii=False, sort_keys=True)
