"""Expand ``<!-- fs:NAME args -->`` markers in page Markdown.

A marker is an HTML comment, so a page still reads sensibly without the build step. Each NAME
maps to a handler in ``REGISTRY``; a handler gets the marker's arguments and a ``Context`` and
returns HTML (block markers) or text (inline markers). An unknown marker or bad arguments raise
``MarkerError``, which the hook turns into a failed build.

To add a marker::

    @marker("calculator")
    def _calculator(args: list[str], ctx: Context) -> str:
        return render("calculator.html", measure=args[0], ...)

Plain Python (Jinja2 only), so it can be run and tested without MkDocs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from posixpath import relpath

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import sitedata

MARKER = re.compile(r"<!--\s*fs:(?P<name>[A-Za-z0-9_-]+)(?P<args>[^>]*?)\s*-->")

TEMPLATES = Path(__file__).resolve().parent / "templates"


class MarkerError(ValueError):
    """A marker that cannot be expanded: unknown name, bad arguments, no data."""


@dataclass(frozen=True)
class Context:
    """What a handler may know about the page being built."""

    page_url: str = ""  # the page's URL relative to the site root, e.g. "contacts/"
    page_src: str = ""  # the page's source path under docs/, e.g. "contacts.md"

    @property
    def version(self) -> str:
        """The version this page belongs to ("" for the current one): versions/<id>/… pages."""
        return sitedata.version_of(self.page_src)

    def doc_url(self, page: str) -> str:
        """A link from this page to `page` (notice, measures, contacts) of the same version."""
        return self.url(f"versions/{self.version}/{page}/" if self.version else f"{page}/")

    def url(self, target: str) -> str:
        """A link from this page to ``target`` (site-root relative, e.g. "measures/#art2")."""
        path, _, frag = target.partition("#")
        base = self.page_url if self.page_url.endswith("/") or not self.page_url else (
            self.page_url.rsplit("/", 1)[0] + "/"
        )
        rel = relpath("/" + path, "/" + base) if path else ""
        if path.endswith("/") and rel != ".":
            rel += "/"
        elif rel == ".":
            rel = "./"
        return rel + ("#" + frag if frag else "")


Handler = Callable[[list[str], Context], str]
REGISTRY: dict[str, Handler] = {}


def marker(name: str) -> Callable[[Handler], Handler]:
    """Register ``fn`` as the handler of ``<!-- fs:name … -->``."""

    def register(fn: Handler) -> Handler:
        if name in REGISTRY:
            raise ValueError(f"marker fs:{name} registered twice")
        REGISTRY[name] = fn
        return fn

    return register


_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
_env.filters["anchor"] = sitedata.anchor
_env.filters["cn_date"] = sitedata.cn_date
_env.filters["covered_options"] = sitedata.covered_options
# JSON for a data- attribute, Chinese as is (autoescape quotes it): \uXXXX would triple its size.
_env.filters["json_attr"] = lambda value: json.dumps(value, ensure_ascii=False)


def add_filter(name: str, fn: Callable[..., object]) -> None:
    """Make ``fn`` available to the templates as ``| name``."""
    _env.filters[name] = fn


def render(template: str, **values: object) -> str:
    """Render a template of sitebuild/templates as one Markdown raw-HTML block (no blank lines)."""
    html = _env.get_template(template).render(**values)
    return "\n".join(line for line in html.splitlines() if line.strip())


def expand(markdown: str, ctx: Context) -> str:
    """Replace every marker in ``markdown``; raise ``MarkerError`` naming the first bad one."""

    def replace(m: re.Match[str]) -> str:
        name, args = m.group("name"), m.group("args").split()
        handler = REGISTRY.get(name)
        if handler is None:
            known = ", ".join(f"fs:{n}" for n in sorted(REGISTRY))
            raise MarkerError(f"unknown marker <!-- fs:{name} -->; known markers: {known}")
        try:
            return handler(args, ctx)
        except MarkerError as e:
            raise MarkerError(f"<!-- fs:{name} {' '.join(args)} -->: {e}") from e

    return MARKER.sub(replace, markdown)


# --- handlers -----------------------------------------------------------------------------------


def _clause_label(clause: str) -> str:
    return {"general": "综合解释咨询"}.get(clause, clause)


@marker("contacts")
def _contacts(args: list[str], ctx: Context) -> str:
    """``fs:contacts`` the whole directory; ``fs:contacts <clause>`` one clause's contacts."""
    if len(args) > 1:
        raise MarkerError("takes at most one clause id, e.g. <!-- fs:contacts art2 -->")
    data = sitedata.contacts(ctx.version)
    if not args:
        return render(
            "contacts.html",
            source=data["source"],
            departments=data["departments"],
            localities=data["localities"],
            by_clause=sitedata.directions(vid=ctx.version),
            measures_url=ctx.doc_url("measures"),
        )
    clause = args[0]
    found = sitedata.directions(clause, ctx.version)
    if not found:
        name = sitedata.version(ctx.version).files["directory"]
        raise MarkerError(f"no contact in calculators/data/{name} covers clause {clause!r}")
    return render(
        "contacts_clause.html",
        clause=clause,
        directions=found,
        directory_url=ctx.doc_url("contacts"),
    )


@marker("validity")
def _validity(args: list[str], ctx: Context) -> str:
    """The validity notice: static from the version data; the status line for the reader's date
    is picked in the browser (site.js) from one sentence per state, worded here
    (calculators.engine.dates), by comparing the date with the boundaries written here."""
    if args:
        raise MarkerError("takes no arguments")
    pol = sitedata.policy(ctx.version)
    steps = sitedata.notice_steps()
    now = [s for s in steps if s[0] <= sitedata.build_date().isoformat()][-1]
    return render(
        "validity.html",
        policy=pol,
        validity=pol["validity"],
        steps=steps,
        now=now,
        contacts=sitedata.directions("general", ctx.version),
        contacts_url=ctx.doc_url("contacts"),
    )


_POLICY_FIELDS: dict[str, Callable[[dict], str]] = {
    "title": lambda p: p["title"],
    "notice_title": lambda p: p["notice_title"],
    "doc_number": lambda p: p["doc_number"],
    "issuers": lambda p: "、".join(p["issuers"]),
    "issued": lambda p: sitedata.cn_date(p["issued"]),
    "validity.start": lambda p: sitedata.cn_date(p["validity"]["start"]),
    "validity.end": lambda p: sitedata.cn_date(p["validity"]["end"]),
}


@marker("policy")
def _policy(args: list[str], ctx: Context) -> str:
    """``fs:policy`` the document information block (发文机关、发文字号、成文日期、施行日期、
    有效期、状态) of the page's version; ``fs:policy FIELD`` one field inline (_POLICY_FIELDS)."""
    pol = sitedata.policy(ctx.version)
    if not args:
        v = sitedata.version(ctx.version)
        return render("policy.html", policy=pol, validity=pol["validity"],
                      status=sitedata.status_now(ctx.version),
                      steps=sitedata.status_steps(ctx.version),
                      repealed=v.repealed, repealed_by=v.repealed_by)
    if len(args) != 1 or args[0] not in _POLICY_FIELDS:
        raise MarkerError(f"expected one of: {', '.join(_POLICY_FIELDS)}")
    from markupsafe import escape

    return str(escape(_POLICY_FIELDS[args[0]](pol)))
