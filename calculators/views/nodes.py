"""View nodes: `{"tag", "cls"?, "attrs"?, "css"?, "children"}`, what view.mjs builds."""

from __future__ import annotations


def node(tag: str, *children: object, cls: str = "", **attrs: object) -> dict[str, object]:
    node: dict[str, object] = {"tag": tag}
    if cls:
        node["cls"] = cls
    shown = {k.replace("_", "-"): v for k, v in attrs.items() if v is not None and k != "css"}
    if shown:
        node["attrs"] = shown
    if "css" in attrs:
        node["css"] = attrs["css"]
    node["children"] = [c for c in children if c is not None and c != ""]
    return node
