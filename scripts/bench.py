"""The benchmark: our calculator pages against stock Pyodide, in headless Chromium.

    scripts/dev bench [--runs N] [--build-runs N] [--json PATH]

In one run it builds the site into a temp dir (SITE_URL on the port it is then served from, so
Material's instant navigation works), serves it on 127.0.0.1 with a small threaded server that
behaves like the production server described in the README (precompressed ``.gz`` when the client
accepts gzip, ``Cache-Control: immutable`` for versioned paths, ``no-cache`` + Last-Modified for the
rest), and serves on a second port the *floor*: a minimal page that loads the stock files of the
pinned npm ``pyodide`` with default options and runs one line of Python. The floor is never
shipped; it is the reference every time is divided by.

Measured (medians over ``--runs``; times from navigation start unless said otherwise):

- floor: time until ``runPython("1+1")`` has returned (fresh browser profile);
- calculator page opened with a permalink: time until the result is on screen
  (``performance.mark("fs:result")`` in form.mjs), cold (fresh profile) and warm (same profile,
  second visit, once the first has stored the engine's start-up image);
- a second calculator page reached by instant navigation (with a permalink): click → result;
- evaluation latency once loaded: submit → result, p50/p95 over 100 submissions;
- bytes transferred (encoded, as Chromium's network layer reports them through CDP's
  ``Network.loadingFinished``, via Playwright's ``request.sizes()``, worker requests included), the
  decoded size, and what gzip -6 of every response would be, for a policy page, a calculator page
  and the floor page; and the Pyodide bytes a policy page loads (must be 0);
- ``mkdocs build`` wall time: cold (empty compile cache and jieba cache) and with caches.

Each browser run uses a fresh persistent profile (a real on-disk HTTP and code cache, as a reader's
browser has), not an incognito context. Not part of the test suite's pass/fail.
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from calculators import permalink_query
from devtools import chromium
from sitebuild.casedata import load_cases

ROOT = Path(__file__).resolve().parent.parent

MKDOCS = Path(sys.executable).with_name("mkdocs")
TIMEOUT_MS = 120_000
FIRST, SECOND = "rent_subsidy", "growth_award"  # the permalink page and the instant-navigation one
POLICY_PAGE = "measures/"  # the longest policy page

# Paths whose URL changes whenever their content does: the runtime under its version, content-hashed
# archives, Material's hashed bundles, anything with ?v=<hash>.
VERSIONED = re.compile(
    r"/assets/pyodide/\d[^/]*/|/app-[0-9a-f]{10}\.zip$|\.[0-9a-f]{8}\.min\.(js|css)$"
)
FLOOR_HTML = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>floor: stock Pyodide</title>
<script type="module">
  import { loadPyodide } from "./pyodide/pyodide.mjs";
  const pyodide = await loadPyodide();
  pyodide.runPython("1 + 1");
  performance.mark("floor:done");
  window.floorDone = performance.now();
</script>
</html>
"""
# Compressible assets that get a .gz twin in the bench's copy of the floor (the site's own are
# made by the build; see pyodide_runtime.precompress).
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".zip", ".xml", ".svg", ".txt")


# --- the server ----------------------------------------------------------------------------------


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files as the README asks a production server to serve them."""

    extensions_map = {  # noqa: RUF012 (class attribute of the stdlib handler)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".zip": "application/zip",
    }
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):
        url = urlsplit(self.path)
        path = Path(self.translate_path(url.path))
        if path.is_dir():
            if not url.path.endswith("/"):
                self.send_response(301)
                query = f"?{url.query}" if url.query else ""
                self.send_header("Location", url.path + "/" + query)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        ctype = self.guess_type(str(path))
        body, encoding = path, None
        if "gzip" in self.headers.get("Accept-Encoding", "") and path.with_name(
            path.name + ".gz"
        ).is_file():
            body, encoding = path.with_name(path.name + ".gz"), "gzip"
        stat = body.stat()
        versioned = bool(VERSIONED.search(unquote(url.path))) or url.query.startswith("v=")
        cache = "public, max-age=31536000, immutable" if versioned else "no-cache"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if email.utils.parsedate_to_datetime(since).timestamp() >= int(stat.st_mtime):
                    self.send_response(304)
                    self.send_header("Cache-Control", cache)
                    self.send_header("Vary", "Accept-Encoding")
                    self.end_headers()
                    return None
            except (TypeError, ValueError):
                pass
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.send_header("Cache-Control", cache)
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        return body.open("rb")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def serve(directory: Path, port: int = 0) -> tuple[Server, str]:
    server = Server(("127.0.0.1", port), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- builds --------------------------------------------------------------------------------------


def build(site: Path, port: int, *, cache: Path, tmp: Path | None = None) -> float:
    """``mkdocs build --strict``; returns the wall time in seconds."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_URL": f"http://127.0.0.1:{port}/",
        "FS_CACHE_DIR": str(cache),
    }
    if tmp is not None:  # jieba keeps its dictionary cache in the temp dir
        env["TMPDIR"] = str(tmp)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def floor_dir(work: Path) -> Path:
    """The floor page and the stock npm files it loads, with the same .gz twins as the site."""
    out = work / "floor"
    stock = out / "pyodide"
    stock.mkdir(parents=True)
    source = ROOT / "node_modules" / "pyodide"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json"):
        shutil.copy2(source / name, stock / name)
    (out / "index.html").write_text(FLOOR_HTML, "utf-8")
    for path in out.rglob("*"):
        if path.suffix in COMPRESSIBLE:
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), 9))
    return out


# --- the browser ---------------------------------------------------------------------------------


class Browser:
    """Playwright + Chromium; each ``profile()`` is a fresh on-disk profile (cold caches)."""

    def __init__(self, work: Path):
        from playwright.sync_api import sync_playwright

        self.work = work
        self.path = chromium.executable()
        self._pw = sync_playwright().start()
        self.n = 0

    def profile(self):
        self.n += 1
        return self._pw.chromium.launch_persistent_context(
            str(self.work / f"profile-{self.n}"), executable_path=self.path, args=chromium.ARGS,
            headless=True, locale="zh-CN", timezone_id="Asia/Shanghai",
        )

    def close(self):
        self._pw.stop()


def record(page) -> list:
    """Every finished request of the page (its workers' included)."""
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    return finished


def transferred(requests: list, roots: dict[str, Path]) -> dict:
    """Bytes of finished requests: encoded (as transferred), decoded, and gzip -6 of each body."""
    out = {"requests": len(requests), "encoded": 0, "decoded": 0, "gzip": 0, "pyodide": 0}
    for request in requests:
        sizes = request.sizes()
        encoded = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        out["encoded"] += encoded
        url = urlsplit(request.url)
        root = roots.get(f"{url.scheme}://{url.netloc}/")
        path = root / unquote(url.path).lstrip("/") if root else None
        if path is not None and path.is_dir():
            path = path / "index.html"
        if path is not None and path.is_file():
            raw = _file_sizes(path)
            out["decoded"] += raw[0]
            out["gzip"] += raw[1]
        if "/assets/pyodide/" in url.path or "/assets/calc/app-" in url.path or (
            "/assets/calc/worker" in url.path
        ):
            out["pyodide"] += encoded
    return out


@functools.cache
def _file_sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def permalink(measure: str) -> str:
    case = next(c for c in load_cases(measure)
                if c.expected.get("eligible") is True and "error_fields" not in c.expected)
    return f"calculators/{measure}/" + permalink_query(case.inputs)


RESULT_TIME = """() => {
  const marks = performance.getEntriesByName("fs:result");
  return marks.length ? marks[marks.length - 1].startTime : null;
}"""

PHASES = """() => {
  const t = window.fsCalcEngine?.timing;
  const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  if (!t) return null;
  const shift = t.origin - performance.timeOrigin;  // worker clock → page clock
  const out = { "engine-start": at("fs:engine-start"), "worker global created": shift,
                result: at("fs:result") };
  for (const [name, time] of t.marks) out[name.replace(/^fs:/, "")] = time + shift;
  for (const [url, start, end, size] of t.resources) {
    const name = url.split("?")[0].split("/").pop();
    out[`fetch ${name}`] = [start + shift, end + shift, size];
  }
  return out;
}"""

NAVIGATE = """async (href) => {
  const before = performance.getEntriesByName("fs:result").length;
  const link = Object.assign(document.createElement("a"), { href, textContent: "bench" });
  document.querySelector(".md-content").append(link);
  const t0 = performance.now();
  link.click();
  await new Promise((resolve, reject) => {
    const limit = setTimeout(() => reject(new Error("no result after instant navigation")), 60000);
    (function poll() {
      const root = document.querySelector(
        '.fs-calc[data-measure="%s"] .fs-calc__result[data-amount-max]');
      if (root && performance.getEntriesByName("fs:result").length > before) {
        clearTimeout(limit); resolve();
      } else requestAnimationFrame(poll);
    })();
  });
  return { ms: RESULT() - t0, full: performance.getEntriesByType("navigation").length };
}""".replace("RESULT()", "performance.getEntriesByName('fs:result').at(-1).startTime")

# Press 计算 n times: from the click to the answer in the page (the same end point as the first
# result's), each click after the previous answer has been painted, as a person would.
SUBMIT = """async (n) => {
  const root = document.querySelector(".fs-calc[data-measure]");
  const button = root.querySelector("button[type=submit]");
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  const times = [];
  for (let i = 0; i < n; i++) {
    await frame();
    const done = new Promise((resolve) =>
      root.addEventListener("fs:result", resolve, { once: true }));
    const t0 = performance.now();
    button.click();
    await done;
    times.push(performance.now() - t0);
  }
  return times;
}"""


ROUND_TRIP = """async ([n, request]) => {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await window.fsCalcEngine.call(request);
    times.push(performance.now() - t0);
  }
  return times;
}"""


def case_request(measure: str) -> dict:
    case = next(c for c in load_cases(measure)
                if c.expected.get("eligible") is True and "error_fields" not in c.expected)
    return {"op": "evaluate", "measure": measure, "inputs": case.inputs}


def wait_result(page) -> float:
    page.wait_for_function(RESULT_TIME, timeout=TIMEOUT_MS)
    return page.evaluate(RESULT_TIME)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def browser_run(browser: Browser, site: str, floor: str, roots: dict[str, Path],
                dwell: float) -> dict:
    """One run of every browser measurement, each in fresh profiles where it says cold."""
    r: dict = {}
    # 1. the floor, cold
    ctx = browser.profile()
    page = ctx.new_page()
    reqs = record(page)
    page.goto(floor)
    page.wait_for_function("window.floorDone", timeout=TIMEOUT_MS)
    r["floor_ms"] = page.evaluate("window.floorDone")
    page.wait_for_load_state("networkidle")
    r["floor_bytes"] = transferred(reqs, roots)
    ctx.close()

    # 2. a calculator page from a permalink: cold, then warm (second visit, same profile)
    ctx = browser.profile()
    page = ctx.new_page()
    reqs = record(page)
    page.goto(site + permalink(FIRST))
    r["cold_ms"] = wait_result(page)
    r["cold_phases"] = page.evaluate(PHASES)
    page.wait_for_load_state("networkidle")
    r["calc_bytes"] = transferred(reqs, roots)
    # The reader reads the answer before leaving. Meanwhile the worker stores its start-up image,
    # V8 tiers up the hot wasm functions and Chromium writes the compiled code to its code cache.
    page.wait_for_function("window.fsCalcEngine.image", timeout=TIMEOUT_MS)
    r["image"] = page.evaluate("window.fsCalcEngine.image")
    page.wait_for_timeout(dwell * 1000)
    page.close()
    page = ctx.new_page()
    reqs = record(page)
    page.goto(site + permalink(FIRST))
    r["warm_ms"] = wait_result(page)
    r["warm_phases"] = page.evaluate(PHASES)
    r["warm_from"] = page.evaluate("window.fsCalcEngine.startedFrom")  # "image", or "fresh"
    page.wait_for_load_state("networkidle")
    r["warm_bytes"] = transferred(reqs, roots)

    # 3. instant navigation to a second calculator page (with a permalink)
    nav = page.evaluate(NAVIGATE % SECOND, site + permalink(SECOND))
    if nav["full"] != 1 or SECOND not in page.url:
        raise RuntimeError(f"instant navigation did not happen: {nav}, {page.url}")
    r["nav_ms"] = nav["ms"]

    # 4. evaluation latency once loaded
    times = page.evaluate(SUBMIT, 100)
    r["eval_p50_ms"] = percentile(times, 50)
    r["eval_p95_ms"] = percentile(times, 95)
    # the same, without the form and the DOM: worker round trip (Python + JSON + messages)
    times = page.evaluate(ROUND_TRIP, [100, json.loads(json.dumps(case_request(SECOND),
                                                                     default=str))])
    r["engine_p50_ms"] = percentile(times, 50)
    r["engine_p95_ms"] = percentile(times, 95)
    ctx.close()

    # 5. a policy page, cold
    ctx = browser.profile()
    page = ctx.new_page()
    reqs = record(page)
    page.goto(site + POLICY_PAGE)
    page.wait_for_load_state("networkidle")
    r["policy_bytes"] = transferred(reqs, roots)
    ctx.close()
    return r


# --- report --------------------------------------------------------------------------------------


def median(runs: list[dict], *path: str) -> float:
    values = []
    for run in runs:
        v = run
        for key in path:
            v = v[key]
        values.append(v)
    return statistics.median(values)


def summarize(runs: list[dict], builds: dict) -> dict:
    floor = median(runs, "floor_ms")
    rows = []

    def row(name, value, unit, target=None, ok=None, ratio=True):
        rows.append({"metric": name, "median": value, "unit": unit,
                     "ratio": value / floor if ratio and unit == "ms" else None,
                     "target": target, "ok": ok})

    def spread(key):
        """Each run's time over that run's floor: how much the machine moved the ratio."""
        ratios = sorted(r[f"{key}_ms"] / r["floor_ms"] for r in runs)
        mid = statistics.median(ratios)
        rows.append({"metric": "  per run: ratio to that run's floor, min / median / max",
                     "median": mid, "unit": "×", "ratio": None, "target": None, "ok": None,
                     "per_run": ratios, "text": f"{ratios[0]:.2f} / {mid:.2f} / {ratios[-1]:.2f}"})

    cold, warm, nav = median(runs, "cold_ms"), median(runs, "warm_ms"), median(runs, "nav_ms")
    p50, p95 = median(runs, "eval_p50_ms"), median(runs, "eval_p95_ms")
    row("floor: stock Pyodide, one line of Python (cold)", floor, "ms")
    row("calculator page, permalink → result, cold", cold, "ms", "≤ 0.45 × floor",
        cold <= 0.45 * floor)
    spread("cold")
    row("calculator page, permalink → result, warm", warm, "ms", "≤ 0.30 × floor",
        warm <= 0.30 * floor)
    spread("warm")
    row("instant navigation → result on 2nd calculator", nav, "ms", "≤ 300 ms", nav <= 300)
    row("evaluation p50 (100 submissions)", p50, "ms")
    row("evaluation p95 (100 submissions)", p95, "ms", "≤ 30 ms", p95 <= 30)
    row("  engine round trip only, p50", median(runs, "engine_p50_ms"), "ms")
    row("  engine round trip only, p95", median(runs, "engine_p95_ms"), "ms")
    fb = median(runs, "floor_bytes", "encoded")
    for label, key in (("floor page", "floor_bytes"), ("calculator page, cold", "calc_bytes"),
                       ("calculator page, warm", "warm_bytes"), ("policy page", "policy_bytes")):
        enc = median(runs, key, "encoded")
        target = ok = None
        if key == "calc_bytes":
            target, ok = "< floor", enc < fb
        row(f"bytes transferred: {label}", enc, "B", target, ok)
        rows[-1]["ratio"] = enc / fb
        row(f"  decoded / gzip -6 of every response: {label}",
            median(runs, key, "decoded"), "B", ratio=False)
        rows[-1]["gzip"] = median(runs, key, "gzip")
    pyo = median(runs, "policy_bytes", "pyodide")
    row("Pyodide bytes on a policy page", pyo, "B", "0", pyo == 0)
    if builds.get("cold"):
        c = statistics.median(builds["cold"])
        row("mkdocs build, cold (empty caches)", c * 1000, "ms", "≤ 20 s", c <= 20, ratio=False)
    if builds.get("warm"):
        row("mkdocs build, with caches", statistics.median(builds["warm"]) * 1000, "ms",
            ratio=False)
    return {"rows": rows}


def phases_table(runs: list[dict], key: str) -> list[tuple[str, float]]:
    """Median time (from navigation start) of each start-up phase."""
    names: dict[str, list] = {}
    for run in runs:
        for name, value in (run.get(key) or {}).items():
            if value is None:
                continue
            names.setdefault(name, []).append(value)
    out = []
    for name, values in names.items():
        if isinstance(values[0], list):
            out.append((f"{name} (start→end)", statistics.median(v[0] for v in values),
                        statistics.median(v[1] for v in values)))
        else:
            out.append((name, statistics.median(values), None))
    return sorted(out, key=lambda x: x[1] if x[2] is None else x[2])


def fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value / 1000:.2f} s" if value >= 10_000 else f"{value:.0f} ms" if value >= 100 \
            else f"{value:.1f} ms"
    return f"{value / 1e6:.2f} MB" if value >= 1e5 else f"{value / 1e3:.1f} kB"


def print_table(summary: dict, runs: list[dict], nruns: int) -> None:
    print(f"\nmedians over {nruns} runs; ratio: to the floor's time (or the floor page's bytes)\n")
    print(f"| {'metric':<50} | {'median':>10} | {'ratio':>6} | {'target':<16} | ok |")
    print(f"|{'-' * 52}|{'-' * 12}|{'-' * 8}|{'-' * 18}|----|")
    for r in summary["rows"]:
        value = r["text"] if "text" in r else fmt(r["median"], r["unit"])
        if "gzip" in r:
            value = f"{fmt(r['median'], 'B')} / {fmt(r['gzip'], 'B')}"
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else ""
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        target = r["target"] or ""
        print(f"| {r['metric']:<50} | {value:>10} | {ratio:>6} | {target:<16} | {ok:<2} |")
    for key, title in (("cold_phases", "cold"), ("warm_phases", "warm")):
        print(f"\nwhere the time goes, {title} visit (medians, ms from navigation start):")
        for name, start, end in phases_table(runs, key):
            span = f"{start:7.0f} → {end:7.0f}" if end is not None else f"{start:7.0f}"
            print(f"  {name:<40} {span}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="browser runs (default 5)")
    parser.add_argument("--build-runs", type=int, default=None,
                        help="cold and warm mkdocs builds each (default: --runs; 0 to skip)")
    parser.add_argument("--dwell", type=float, default=1.5,
                        help="seconds on the first visit before the warm one (default 1.5)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    build_runs = args.runs if args.build_runs is None else args.build_runs

    with tempfile.TemporaryDirectory(prefix="fs-bench-") as tmp:
        work = Path(tmp)
        port = free_port()
        site = work / "site"
        builds: dict[str, list[float]] = {"cold": [], "warm": []}
        for i in range(build_runs):
            fresh = work / f"cold-{i}"
            (fresh / "tmp").mkdir(parents=True)
            t = build(fresh / "site", port, cache=fresh / "cache", tmp=fresh / "tmp")
            builds["cold"].append(t)
            print(f"mkdocs build, cold: {t:.1f} s", file=sys.stderr)
            shutil.rmtree(fresh)
        cache = work / "cache"
        build(site, port, cache=cache)  # fills the cache (cold or not: not timed)
        for _ in range(build_runs):
            t = build(site, port, cache=cache)
            builds["warm"].append(t)
            print(f"mkdocs build, with caches: {t:.1f} s", file=sys.stderr)

        site_server, site_url = serve(site, port)
        floor_server, floor_url = serve(floor_dir(work))
        roots = {site_url: site, floor_url: work / "floor"}
        browser = Browser(work)
        runs = []
        try:
            for i in range(args.runs):
                t0 = time.perf_counter()
                runs.append(browser_run(browser, site_url, floor_url, roots, args.dwell))
                r = runs[-1]
                print(f"run {i + 1}/{args.runs} ({time.perf_counter() - t0:.0f} s): floor "
                      f"{r['floor_ms']:.0f} ms, cold {r['cold_ms']:.0f} ms, warm "
                      f"{r['warm_ms']:.0f} ms, nav {r['nav_ms']:.0f} ms, eval p95 "
                      f"{r['eval_p95_ms']:.1f} ms; warm visit started from: {r['warm_from']} "
                      f"(image {r['image']})", file=sys.stderr)
        finally:
            browser.close()
            site_server.shutdown()
            floor_server.shutdown()

    summary = summarize(runs, builds)
    print_table(summary, runs, args.runs)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({**summary, "builds_s": builds, "runs": runs},
                                        ensure_ascii=False, indent=1), "utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
