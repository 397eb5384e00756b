"""The benchmark: our calculator pages against stock Pyodide, in headless Chromium.

    scripts/dev bench [--runs N] [--build-runs N] [--json PATH]

In one run it builds the site into a temp dir (SITE_URL on the port it is then served from, so
Material's instant navigation works), serves it with real nginx and the repository's
``scripts/nginx.conf`` (Brotli/gzip twins, ``immutable`` for versioned paths, ``no-cache`` + 304
for the rest, the CSP), and serves on a second port, by a second nginx with the same
configuration and the same precompressed encodings (Brotli included), the *floor*: a minimal page
that loads the stock files of the pinned npm ``pyodide`` with default options and runs one line of
Python. The floor is never shipped; it is the reference every time is divided by.

Each browser measurement runs on three networks, emulated by Chromium itself (CDP
``Network.emulateNetworkConditions``, on the page and its workers): loopback (no emulation),
broadband (20 Mbit/s, 30 ms round trip) and slow (4 Mbit/s, 80 ms).

Measured (medians over ``--runs``; times from navigation start unless said otherwise):

- floor: time until ``runPython("1+1")`` has returned (fresh browser profile);
- calculator page opened with a permalink: time until the result is on screen
  (``performance.mark("fs:result")`` in form.mjs), cold (fresh profile) and warm (same profile,
  second visit, once the first has stored the engine's start-up image);
- a second calculator page reached by instant navigation (with a permalink): click → result, and
  evaluation latency once loaded: submit → result, p50/p95 over 100 submissions (loopback only);
- bytes transferred (encoded, as Chromium's network layer reports them through CDP's
  ``Network.loadingFinished``, via Playwright's ``request.sizes()``, worker requests included), the
  decoded size, and what gzip -6 of every response would be, for a policy page, a calculator page
  and the floor page, and per file; and the Pyodide bytes a policy page loads (must be 0);
- ``mkdocs build`` wall time: cold (empty compile cache and jieba cache) and with caches;
- the machine's load: the 1-minute load average and the CPU count before each network's run and
  each build. A figure taken under load (load average above ``QUIET_LOAD``) is marked so: load
  flatters the ratios (the floor compiles the standard library from source and slows down more).

It ends with the README's table in Markdown (``readme_table``), to paste after a quiet run.

Each browser run uses a fresh persistent profile (a real on-disk HTTP and code cache, as a reader's
browser has), not an incognito context. Not part of the test suite's pass/fail.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from calculators import permalink_query
from devtools import chromium, nginx_server
from sitebuild import csp, precompress
from sitebuild.casedata import load_cases

ROOT = Path(__file__).resolve().parent.parent

MKDOCS = Path(sys.executable).with_name("mkdocs")
TIMEOUT_MS = 120_000
FIRST, SECOND = "rent_subsidy", "growth_award"  # the permalink page and the instant-navigation one
POLICY_PAGE = "measures/"  # the longest policy page

# The floor's script is a file, not inline: the same nginx configuration sends the same kind of
# policy (no inline script, 'wasm-unsafe-eval').
FLOOR_HTML = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>floor: stock Pyodide</title>
<script type="module" src="floor.mjs"></script>
</html>
"""
FLOOR_MJS = """import { loadPyodide } from "./pyodide/pyodide.mjs";
const pyodide = await loadPyodide();
pyodide.runPython("1 + 1");
performance.mark("floor:done");
window.floorDone = performance.now();
"""
# Chromium's own emulation: (download bits/s, round trip ms); None: loopback as it is.
NETWORKS = {
    "loopback": None,
    "broadband": (20_000_000, 30),
    "slow": (4_000_000, 80),
}


# --- builds --------------------------------------------------------------------------------------


QUIET_LOAD = 1.0  # a 1-minute load average above this marks a figure "under load"


def load() -> dict:
    """The machine's load now: 1-minute load average and CPU count."""
    return {"load1": os.getloadavg()[0], "cpus": os.cpu_count()}


def under_load(runs: list[dict]) -> bool:
    return any(r["load"]["load1"] > QUIET_LOAD for r in runs)


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


def floor_dir(work: Path, cache: Path) -> Path:
    """The floor page and the stock npm files it loads, with the same .br/.gz twins as the site
    and the same kind of Content-Security-Policy (it has no inline script)."""
    out = work / "floor"
    stock = out / "pyodide"
    stock.mkdir(parents=True)
    source = ROOT / "node_modules" / "pyodide"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json"):
        shutil.copy2(source / name, stock / name)
    (out / "index.html").write_text(FLOOR_HTML, "utf-8")
    (out / "floor.mjs").write_text(FLOOR_MJS, "utf-8")
    precompress.precompress(out, cache)
    (out / csp.SNIPPET).write_text(csp.nginx_snippet(csp.header_policy(csp.policy(set()))))
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
    out = {"requests": len(requests), "encoded": 0, "decoded": 0, "gzip": 0, "pyodide": 0,
           "files": {}}
    for request in requests:
        sizes = request.sizes()
        encoded = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        out["encoded"] += encoded
        url = urlsplit(request.url)
        name = url.path.rstrip("/").rsplit("/", 1)[-1] or "/"
        out["files"][name] = out["files"].get(name, 0) + encoded
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


def new_page(ctx, network: str):
    """A page of ``ctx`` on the given network (Chromium's emulation covers its workers too)."""
    page = ctx.new_page()
    conditions = NETWORKS[network]
    if conditions is not None:
        bits, rtt = conditions
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": rtt,
            "downloadThroughput": bits / 8, "uploadThroughput": bits / 8,
        })
        page.bench_cdp = cdp  # keep the session alive with the page
    return page


def browser_run(browser: Browser, site: str, floor: str, roots: dict[str, Path],
                dwell: float, network: str) -> dict:
    """One run of every browser measurement, each in fresh profiles where it says cold."""
    r: dict = {"load": load()}
    # 1. the floor, cold
    ctx = browser.profile()
    page = new_page(ctx, network)
    reqs = record(page)
    page.goto(floor)
    page.wait_for_function("() => window.floorDone", timeout=TIMEOUT_MS)
    r["floor_ms"] = page.evaluate("window.floorDone")
    page.wait_for_load_state("networkidle")
    r["floor_bytes"] = transferred(reqs, roots)
    ctx.close()

    # 2. a calculator page from a permalink: cold, then warm (second visit, same profile)
    ctx = browser.profile()
    page = new_page(ctx, network)
    reqs = record(page)
    page.goto(site + permalink(FIRST))
    r["cold_ms"] = wait_result(page)
    r["cold_phases"] = page.evaluate(PHASES)
    page.wait_for_load_state("networkidle")
    r["calc_bytes"] = transferred(reqs, roots)
    # The reader reads the answer before leaving. Meanwhile the worker stores its start-up image,
    # V8 tiers up the hot wasm functions and Chromium writes the compiled code to its code cache.
    page.wait_for_function("() => window.fsCalcEngine.image", timeout=TIMEOUT_MS)
    r["image"] = page.evaluate("window.fsCalcEngine.image")
    r["wasm"] = page.evaluate("window.fsCalcEngine.wasm")  # "trimmed", or "full" after a trap
    page.wait_for_timeout(dwell * 1000)
    page.close()
    page = new_page(ctx, network)
    reqs = record(page)
    page.goto(site + permalink(FIRST))
    r["warm_ms"] = wait_result(page)
    r["warm_phases"] = page.evaluate(PHASES)
    r["warm_from"] = page.evaluate("window.fsCalcEngine.startedFrom")  # "image", or "fresh"
    page.wait_for_load_state("networkidle")
    r["warm_bytes"] = transferred(reqs, roots)

    if network != "loopback":  # the rest does not depend on the network
        ctx.close()
        return r

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
    page = new_page(ctx, network)
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


# Issue 18's targets: cold first result, as a ratio to the floor measured in the same run.
COLD_TARGETS = {"loopback": 0.45, "broadband": 0.45, "slow": 0.50}
WARM_TARGET = 0.22  # loopback
BYTES_TARGET = 2_900_000  # a cold calculator page, Brotli
BUILD_TARGET_S = 30  # a cold mkdocs build


def summarize(by_network: dict[str, list[dict]], builds: dict) -> dict:
    rows = []

    def row(name, value, unit, target=None, ok=None, ratio=None):
        rows.append({"metric": name, "median": value, "unit": unit, "ratio": ratio,
                     "target": target, "ok": ok})

    def spread(runs, key):
        """Each run's time over that run's floor: how much the machine moved the ratio."""
        ratios = sorted(r[f"{key}_ms"] / r["floor_ms"] for r in runs)
        mid = statistics.median(ratios)
        rows.append({"metric": "  per run: ratio to that run's floor, min / median / max",
                     "median": mid, "unit": "×", "ratio": None, "target": None, "ok": None,
                     "per_run": ratios, "text": f"{ratios[0]:.2f} / {mid:.2f} / {ratios[-1]:.2f}"})

    for network, runs in by_network.items():
        floor = median(runs, "floor_ms")
        cold, warm = median(runs, "cold_ms"), median(runs, "warm_ms")
        loads = [r["load"]["load1"] for r in runs]
        rows.append({"metric": f"[{network}] load average before each run (CPUs: "
                     f"{runs[0]['load']['cpus']})", "median": statistics.median(loads),
                     "unit": "", "ratio": None, "target": f"≤ {QUIET_LOAD:.0f} (quiet)",
                     "ok": not under_load(runs),
                     "text": f"{min(loads):.2f}–{max(loads):.2f}"})
        full = sum(r.get("wasm") == "full" for r in runs)
        rows.append({"metric": f"[{network}] runs on the trimmed wasm (no fallback)",
                     "median": len(runs) - full, "unit": "", "ratio": None, "target": "all",
                     "ok": full == 0, "text": f"{len(runs) - full} of {len(runs)}"})
        row(f"[{network}] floor: stock Pyodide, one line of Python (cold)", floor, "ms")
        target = COLD_TARGETS[network]
        row(f"[{network}] calculator page, permalink → result, cold", cold, "ms",
            f"≤ {target:.2f} × floor", cold <= target * floor, cold / floor)
        spread(runs, "cold")
        wt = WARM_TARGET if network == "loopback" else None
        row(f"[{network}] calculator page, permalink → result, warm", warm, "ms",
            f"≤ {wt:.2f} × floor" if wt else None, warm <= wt * floor if wt else None,
            warm / floor)
        spread(runs, "warm")

    runs = by_network.get("loopback")
    if runs:
        floor = median(runs, "floor_ms")
        nav = median(runs, "nav_ms")
        p50, p95 = median(runs, "eval_p50_ms"), median(runs, "eval_p95_ms")
        row("instant navigation → result on 2nd calculator", nav, "ms", "≤ 300 ms", nav <= 300)
        row("evaluation p50 (100 submissions)", p50, "ms")
        row("evaluation p95 (100 submissions)", p95, "ms", "≤ 30 ms", p95 <= 30)
        row("  engine round trip only, p50", median(runs, "engine_p50_ms"), "ms")
        row("  engine round trip only, p95", median(runs, "engine_p95_ms"), "ms")
        fb = median(runs, "floor_bytes", "encoded")
        for label, key in (("floor page", "floor_bytes"), ("calculator page, cold", "calc_bytes"),
                           ("calculator page, warm", "warm_bytes"),
                           ("policy page", "policy_bytes")):
            enc = median(runs, key, "encoded")
            target = ok = None
            if key == "calc_bytes":
                target, ok = f"≤ {BYTES_TARGET / 1e6:.1f} MB", enc <= BYTES_TARGET
            row(f"bytes transferred: {label}", enc, "B", target, ok, enc / fb)
            row(f"  decoded / gzip -6 of every response: {label}",
                median(runs, key, "decoded"), "B")
            rows[-1]["gzip"] = median(runs, key, "gzip")
        pyo = median(runs, "policy_bytes", "pyodide")
        row("Pyodide bytes on a policy page", pyo, "B", "0", pyo == 0)
    if builds.get("cold"):
        c = statistics.median(builds["cold"])
        row("mkdocs build, cold (empty caches)", c * 1000, "ms", f"≤ {BUILD_TARGET_S} s",
            c <= BUILD_TARGET_S)
    if builds.get("warm"):
        row("mkdocs build, with caches", statistics.median(builds["warm"]) * 1000, "ms")
    return {"rows": rows}


def readme_table(by_network: dict[str, list[dict]], builds: dict) -> list[str]:
    """The README's table (“Performance”), in Markdown: medians, each run's range, the load."""
    def ratio(runs, key):
        per_run = sorted(r[f"{key}_ms"] / r["floor_ms"] for r in runs)
        mid = median(runs, f"{key}_ms") / median(runs, "floor_ms")
        mark = " (under load)" if under_load(runs) else ""
        return f"{mid:.2f} ({per_run[0]:.2f}–{per_run[-1]:.2f}){mark}"

    lines = ["| figure | measured | target |", "|---|---|---|"]
    names = {"loopback": "loopback", "broadband": "broadband 20 Mbit/s, 30 ms",
             "slow": "slow 4 Mbit/s, 80 ms"}
    for network, runs in by_network.items():
        lines.append(f"| cold first result / floor, {names[network]} | {ratio(runs, 'cold')} | "
                     f"≤ {COLD_TARGETS[network]:.2f} |")
    if "loopback" in by_network:
        runs = by_network["loopback"]
        lines.append(f"| warm second visit / floor, loopback | {ratio(runs, 'warm')} | "
                     f"≤ {WARM_TARGET:.2f} |")
        enc = median(runs, "calc_bytes", "encoded")
        exact = f"{enc:,.0f}".replace(",", " ")
        lines.append(f"| bytes of a cold calculator page | {enc / 1e6:.2f} MB ({exact} B, "
                     f"Brotli) | ≤ {BYTES_TARGET / 1e6:.1f} MB |")
        lines.append(f"| Pyodide bytes on a policy page | "
                     f"{median(runs, 'policy_bytes', 'pyodide'):.0f} | 0 |")
    if builds.get("cold"):
        mark = " (under load)" if any(x > QUIET_LOAD for x in builds.get("load", [])) else ""
        lines.append(f"| `mkdocs build`, cold | {statistics.median(builds['cold']):.1f} s{mark} | "
                     f"≤ {BUILD_TARGET_S} s |")
    loads = [r["load"]["load1"] for runs in by_network.values() for r in runs]
    if loads:
        cpus = next(iter(by_network.values()))[0]["load"]["cpus"]
        lines.append("")
        lines.append(f"Load average before each run {min(loads):.2f}–{max(loads):.2f} on {cpus} "
                     f"CPUs; medians of {max(len(r) for r in by_network.values())} runs.")
    return lines


def files_table(runs: list[dict]) -> None:
    """Bytes per file (as transferred, headers included) of the first run's cold pages."""
    run = runs[0]
    for title, key in (("calculator page, cold", "calc_bytes"), ("floor page", "floor_bytes")):
        files = sorted(run[key]["files"].items(), key=lambda kv: -kv[1])
        print(f"\nbytes per file, {title} ({run[key]['requests']} requests):")
        for name, size in files[:12]:
            print(f"  {name[:60]:<60} {fmt(size, 'B'):>10}")
        if len(files) > 12:
            print(f"  {'(' + str(len(files) - 12) + ' more)':<60} "
                  f"{fmt(sum(v for _, v in files[12:]), 'B'):>10}")


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


def print_table(summary: dict, by_network: dict[str, list[dict]], nruns: int) -> None:
    print(f"\nmedians over {nruns} runs per network; ratio: to the floor's time measured in the"
          " same runs (or the floor page's bytes)\n")
    print(f"| {'metric':<62} | {'median':>10} | {'ratio':>6} | {'target':<16} | ok |")
    print(f"|{'-' * 64}|{'-' * 12}|{'-' * 8}|{'-' * 18}|----|")
    for r in summary["rows"]:
        value = r["text"] if "text" in r else fmt(r["median"], r["unit"])
        if "gzip" in r:
            value = f"{fmt(r['median'], 'B')} / {fmt(r['gzip'], 'B')}"
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else ""
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        target = r["target"] or ""
        print(f"| {r['metric']:<62} | {value:>10} | {ratio:>6} | {target:<16} | {ok:<2} |")
    if "loopback" in by_network:
        files_table(by_network["loopback"])
    print("\nthe README's table (Performance):\n")
    print("\n".join(readme_table(by_network, summary.get("builds", {}))))
    for network, runs in by_network.items():
        for key, title in (("cold_phases", "cold"), ("warm_phases", "warm")):
            print(f"\nwhere the time goes, {title} visit, {network} "
                  "(medians, ms from navigation start):")
            for name, start, end in phases_table(runs, key):
                span = f"{start:7.0f} → {end:7.0f}" if end is not None else f"{start:7.0f}"
                print(f"  {name:<40} {span}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="browser runs per network (default 5)")
    parser.add_argument("--build-runs", type=int, default=None,
                        help="cold and warm mkdocs builds each (default: --runs; 0 to skip)")
    parser.add_argument("--networks", default=",".join(NETWORKS),
                        help=f"comma-separated, of {', '.join(NETWORKS)} (default: all)")
    parser.add_argument("--dwell", type=float, default=1.5,
                        help="seconds on the first visit before the warm one (default 1.5)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    build_runs = args.runs if args.build_runs is None else args.build_runs
    networks = [n for n in args.networks.split(",") if n]
    unknown = set(networks) - set(NETWORKS)
    if unknown:
        parser.error(f"unknown network(s): {', '.join(sorted(unknown))}")

    with tempfile.TemporaryDirectory(prefix="fs-bench-") as tmp:
        work = Path(tmp)
        port = nginx_server.free_port()
        site = work / "site"
        builds: dict[str, list[float]] = {"cold": [], "warm": [], "load": []}
        for i in range(build_runs):
            fresh = work / f"cold-{i}"
            (fresh / "tmp").mkdir(parents=True)
            builds["load"].append(load()["load1"])
            t = build(fresh / "site", port, cache=fresh / "cache", tmp=fresh / "tmp")
            builds["cold"].append(t)
            print(f"mkdocs build, cold: {t:.1f} s (load average before: "
                  f"{builds['load'][-1]:.2f})", file=sys.stderr)
            shutil.rmtree(fresh)
        cache = work / "cache"
        build(site, port, cache=cache)  # fills the cache (cold or not: not timed)
        for _ in range(build_runs):
            t = build(site, port, cache=cache)
            builds["warm"].append(t)
            print(f"mkdocs build, with caches: {t:.1f} s", file=sys.stderr)

        floor_port = nginx_server.free_port()
        floor = floor_dir(work, cache / "precompressed")
        by_network: dict[str, list[dict]] = {n: [] for n in networks}
        with contextlib.ExitStack() as stack:
            site_url = stack.enter_context(nginx_server.serve(site, port, work / "nginx-site"))
            floor_url = stack.enter_context(
                nginx_server.serve(floor, floor_port, work / "nginx-floor"))
            roots = {site_url: site, floor_url: floor}
            browser = Browser(work)
            stack.callback(browser.close)
            for i in range(args.runs):
                for network in networks:  # interleaved: the machine's load moves all alike
                    t0 = time.perf_counter()
                    r = browser_run(browser, site_url, floor_url, roots, args.dwell, network)
                    by_network[network].append(r)
                    print(f"run {i + 1}/{args.runs}, {network} ({time.perf_counter() - t0:.0f} s):"
                          f" floor {r['floor_ms']:.0f} ms, cold {r['cold_ms']:.0f} ms "
                          f"({r['cold_ms'] / r['floor_ms']:.2f}), warm {r['warm_ms']:.0f} ms "
                          f"({r['warm_ms'] / r['floor_ms']:.2f}) from {r['warm_from']}, "
                          f"{r['wasm']} wasm, load average {r['load']['load1']:.2f}",
                          file=sys.stderr)

    summary = {**summarize(by_network, builds), "builds": builds}
    print_table(summary, by_network, args.runs)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({**summary, "builds_s": builds, "runs": by_network},
                                        ensure_ascii=False, indent=1), "utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
