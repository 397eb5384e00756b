"""保存此方案, 方案对比, 二维码, 导出表格 in real Chromium, against CPython's own answers.

One page per form: a cold visit's first result loads nothing the tools need (neither their
module nor the extras archive); the QR code on screen and in print decodes (zxing-cpp) to exactly
the permalink; three scenarios saved, compared, compared again after a reload, renamed and
deleted, their amounts CPython's; the CSV (BOM, header, rows) and the JSON downloads read back
and compared with `evaluate`/`match`.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import zxingcpp
from browsing import BOOT_TIMEOUT, cpython_answer, press_compute
from PIL import Image
from test_site_a11y import axe_violations

import calculators
from calculators.views.form import entry_inputs

RESULT = ".fs-calc__result .fs-result"
HEADS = ".fs-compare thead th"


def decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def typed_now(page) -> dict:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.fs-field')]
      .map((f) => {
        const text = f.querySelector('input[type=text]');
        const checked = [...f.querySelectorAll('input:checked')].map((i) => i.value);
        return [f.dataset.key, text ? text.value
          : f.dataset.type === 'enum_list' ? checked : (checked[0] ?? '')];
      }))""")


def compute(page, key: str, text: str) -> None:
    page.locator(f'.fs-field[data-key="{key}"] input').fill(text)
    press_compute(page)
    page.wait_for_selector(RESULT)


def columns(page) -> list[str]:
    return [t.strip() for t in page.locator(f"{HEADS} .fs-compare__name").all_text_contents()]


def row(page, label: str) -> list[str]:
    tr = page.locator(".fs-compare tbody tr", has=page.locator("th", has_text=label)).first
    return tr.locator("td").all_text_contents()


def download(page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.locator(selector).click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def test_first_result_then_qr_scenarios_and_exports(new_page, site_server: str) -> None:
    page = new_page(accept_downloads=True)
    names = iter(["甲方案"])
    page.on("dialog", lambda d: d.accept(next(names)))
    case = {"rent_entry": "new", "qualifications": ["high_tech"], "rent_area_m2": 1000,
            "rent_per_m2_day": 3}
    page.goto(site_server + calculators.calculator_href("rent_subsidy", case))
    page.wait_for_selector(RESULT, timeout=BOOT_TIMEOUT)
    page.wait_for_load_state("networkidle")
    # Bytes: the first result on a cold visit loaded nothing the tools need.
    tools = [u for u in page.requests if "extras-" in u or "scenarios.mjs" in u]
    assert tools == [], tools

    # 二维码: on screen, then in print, each decoded back to exactly the permalink.
    page.get_by_role("button", name="显示二维码").click()
    code = page.locator(".fs-qr svg")
    code.wait_for(timeout=30_000)
    permalink = page.url
    assert [u for u in page.requests if "extras-" in u]  # loaded on demand
    assert code.get_attribute("aria-label") == f"二维码：{permalink}"
    assert permalink in page.locator(".fs-qr figcaption").text_content()  # the address as text
    assert decode(code.screenshot()) == [permalink]
    page.emulate_media(media="print")
    assert page.locator(".fs-calc__tools").is_hidden()
    assert decode(code.screenshot()) == [permalink]
    page.emulate_media(media="screen")

    # 导出表格 of this result: CSV with BOM and JSON, as evaluate gives them.
    name, data = download(page, '.fs-calc__tools [data-format="csv"]')
    assert name.endswith(".csv") and data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert table[0] == ["项目", "单位", "方案 1"]
    got = {(r[0], r[1]): r[2] for r in table[1:]}
    expected, _ = cpython_answer("rent_subsidy", entry_inputs("rent_subsidy", typed_now(page)))
    assert got[("最高金额", "元")] == expected["amount_max"] == "365000.00"
    assert got[("最高金额", "万元")] == "36.5"
    assert got[("租用面积", "平方米")] == "1000"
    assert got[("链接", "")] == permalink
    name, data = download(page, '.fs-calc__tools [data-format="json"]')
    doc = json.loads(data)
    assert doc["scenarios"][0]["answer"]["amount_max"]["元"] == expected["amount_max"]
    assert [r["text"] for r in doc["scenarios"][0]["answer"]["reasons"]] == \
        [r["text"] for r in expected["reasons"]]

    # 保存此方案 three times, 方案对比: CPython's amounts in each column.
    saved = []
    for area in ("1000", "2000", "5000"):
        compute(page, "rent_area_m2", area)
        saved.append(typed_now(page))
        page.get_by_role("button", name="保存此方案").click()
        page.wait_for_function(f"() => document.querySelectorAll('{HEADS}').length === "
                               f"{len(saved) + 1}")
    assert columns(page) == ["方案 1", "方案 2", "方案 3"]

    def amounts() -> list[str]:
        return [calculators.wan_amount(cpython_answer("rent_subsidy", entry_inputs(
            "rent_subsidy", t))[0]["amount_max"]) for t in saved]

    assert [c.split("（")[0] for c in row(page, "最高金额")] == amounts() == \
        ["36.5 万元", "73 万元", "182.5 万元"]
    assert "（不同）" in page.locator(".fs-compare tbody th", has_text="租用面积").text_content()
    stored = page.evaluate("localStorage.getItem('fs-scenarios:rent_subsidy')")
    assert "5000" in stored  # kept as typed, in this browser

    page.reload()
    page.wait_for_selector(RESULT, timeout=BOOT_TIMEOUT)
    page.get_by_role("button", name="方案对比").click()
    page.wait_for_function(f"() => document.querySelectorAll('{HEADS}').length === 4")
    assert [c.split("（")[0] for c in row(page, "最高金额")] == amounts()
    page.get_by_role("button", name="显示二维码").click()
    page.locator(".fs-qr svg").wait_for()
    assert axe_violations(page) == []  # the comparison and the QR code, with the result

    # Rename the first, delete the second.
    page.locator('.fs-compare [data-action="rename"]').first.click()
    page.wait_for_function("() => document.querySelector('.fs-compare thead').textContent"
                           ".includes('甲方案')")
    page.locator('.fs-compare [data-action="delete"]').nth(1).click()
    page.wait_for_function(f"() => document.querySelectorAll('{HEADS}').length === 3")
    assert columns(page) == ["甲方案", "方案 2"]
    assert [c.split("（")[0] for c in row(page, "最高金额")] == ["36.5 万元", "182.5 万元"]
    links = page.locator(".fs-compare .fs-compare__link")
    assert "rent_area_m2=5000000" not in (links.nth(1).get_attribute("href") or "")
    assert "rent_area_m2=5000" in (links.nth(1).get_attribute("href") or "")

    # The comparison exported: one column per remaining scenario.
    name, data = download(page, '.fs-compare [data-action="export"][data-format="csv"]')
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert table[0] == ["项目", "单位", "甲方案", "方案 2"]
    got = {(r[0], r[1]): r[2:] for r in table[1:]}
    assert got[("最高金额", "元")] == ["365000.00", "1825000.00"]
    assert not [u for u in page.requests if "甲方案" in u or "5000" in u.split("?")[0]]
    assert not [e for e in page.console_errors if e.startswith("pageerror")]
    # The tools ran on the trimmed runtime (the profile covers the extras archive's requests):
    # no trap, so no fallback to the full wasm.
    assert page.evaluate("() => window.fsCalcEngine.wasm") == "trimmed"
    assert not [u for u in page.requests if u.endswith("pyodide.asm.wasm") and "/trimmed-" not in u]


def test_match_compares_every_measure_and_exports(new_page, site_server: str) -> None:
    page = new_page(accept_downloads=True)
    profile = {"industry": "software_it", "revenue_last_year": "60000000"}
    page.goto(site_server + calculators.calculator_href("match", profile))
    page.wait_for_selector(RESULT, timeout=BOOT_TIMEOUT)
    page.get_by_role("button", name="保存此方案").click()
    page.wait_for_function(f"() => document.querySelectorAll('{HEADS}').length === 2")
    compute(page, "revenue_last_year", "1000")
    second = typed_now(page)
    page.get_by_role("button", name="保存此方案").click()
    page.wait_for_function(f"() => document.querySelectorAll('{HEADS}').length === 3")
    for i, profile_typed in enumerate([None, second]):
        inputs = entry_inputs("match", profile_typed) if profile_typed else {
            k: v for k, v in profile.items()}
        m = calculators.match(inputs)
        assert row(page, "资金支持合计最高")[i] == calculators.wan_amount(m["grant_total_max"])
        for item in m["results"]:  # every measure has its row
            cell = row(page, item["title"])[i]
            assert cell.startswith({"eligible": "符合", "ineligible": "不符合",
                                    "needs_input": "待补充信息"}[item["status"]]), cell
    _, data = download(page, '.fs-compare [data-action="export"][data-format="json"]')
    doc = json.loads(data)
    assert [s["answer"]["grant_total_max"]["元"] for s in doc["scenarios"]] == \
        [calculators.match(profile)["grant_total_max"],
         calculators.match(entry_inputs("match", second))["grant_total_max"]]
    _name, data = download(page, '.fs-calc__tools [data-format="csv"]')
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    got = {(r[0], r[1]): r[2] for r in table[1:]}
    total = calculators.match(entry_inputs("match", second))["grant_total_max"]
    assert got[("资金支持合计最高", "元")] == total
    assert Decimal(got[("资金支持合计最高", "万元")]) * 10000 == Decimal(total)
