"""The command line: python -m calculators … (run as a subprocess, as people run it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from calculators import MEASURES

ROOT = Path(__file__).resolve().parent.parent
FIRST = next(iter(MEASURES))
RENT = [
    "rent_subsidy",
    "rent_entry=new",
    "qualifications=high_tech",
    "rent_area_m2=1,000",
    "rent_per_m2_day=3",
    "as_of=2025-06-01",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "calculators", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_readable_chinese() -> None:
    out = run(*RENT)
    assert out.returncode == 0, out.stderr
    assert "房屋租金补贴（第二条）" in out.stdout
    assert "结论：符合条件，最高 365,000.00 元" in out.stdout
    assert "按 2 元/平方米·天 封顶计 × 50% × 1,000 平方米 × 365 天 = 365,000.00 元" in out.stdout
    assert "综合协调组 李奕响 89350224" in out.stdout


def test_json() -> None:
    out = run(*RENT, "other_policy_amount=10万", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["amount_max"] == "365000.00"
    assert result["amount_net"] == "265000.00"


def test_bad_input_names_fields_and_fails() -> None:
    out = run("rent_subsidy", "rent_entry=old", "rent_days=400", "as_of=2025-06-01")
    assert out.returncode == 2
    assert "rent_entry：不是可选项：old" in out.stderr
    assert "rent_days：不能超过 366 天" in out.stderr
    assert "rent_area_m2：请填写此项" in out.stderr
    assert out.stdout == ""
    js = run("rent_subsidy", "rent_entry=old", "--json")
    assert js.returncode == 2
    assert "rent_entry" in json.loads(js.stdout)["errors"]


def test_unknown_measure_and_malformed_argument() -> None:
    assert "measure：未知措施" in run("nope").stderr
    out = run(FIRST, "no_equals_sign")
    assert out.returncode == 2
    assert "参数应写成 键=值" in out.stderr


def test_match_and_describe_and_list() -> None:
    out = run(
        "match", "municipal_fund_invested=是", "tech_transfer_implemented=true", "as_of=2025-06-01"
    )
    assert out.returncode == 0, out.stderr
    assert "资金支持合计（最高）：5,000,000.00 元" in out.stdout
    assert "股权投资（最高，可给予）：10,000,000.00 元" in out.stdout
    assert "需补充" in out.stdout
    described = json.loads(run("describe", FIRST).stdout)
    assert described["measure"] == FIRST
    assert json.loads(run("describe", "profile").stdout)["inputs"]
    assert [line.split("\t")[0] for line in run("list").stdout.splitlines()] == list(MEASURES)
    assert run().returncode == 2


def test_form_mode_reads_as_the_web_form_does() -> None:
    """--form: values as typed into the web form, read by the same function (万元 fields)."""
    args = ["rd_support", "--form", "qualifications=specialized_sme", "revenue_last_year=100000",
            "rd_last_year=5000", "as_of=2025-06-01"]
    out = run(*args, "rd_year_before=.5")
    assert out.returncode == 0, out.stderr
    assert "结论：符合条件，最高 14,998,500.00 元" in out.stdout
    assert "网页计算器链接：calculators/rd_support/?qualifications=specialized_sme&" in out.stdout
    assert "rd_year_before=5000" in out.stdout
    bad = run(*args, "rd_year_before=12,34")
    assert bad.returncode == 2
    assert "rd_year_before：请输入金额，如 1200、1200万 或 0.5亿" in bad.stderr


def test_next_steps_and_curves_are_printed() -> None:
    """The CLI prints what the page shows beyond the ceiling: each step with its link, the step
    notes, and each curve's caption and breakpoints."""
    from calculators import evaluate

    out = run(*RENT)
    assert out.returncode == 0, out.stderr
    r = evaluate("rent_subsidy", dict(a.split("=", 1) for a in RENT[1:]))
    assert r["next_steps"]["steps"] and r["curves"]
    for step in r["next_steps"]["steps"]:
        assert f"→ {step['text']}\n    按此计算：{step['href']}" in out.stdout
    for note in r["next_steps"]["notes"]:
        assert note in out.stdout
    for c in r["curves"]:
        assert c["caption"] in out.stdout
        assert all(f"{span}：{value}" in out.stdout for span, value in c["table"]["rows"])


def test_match_explains_ineligible_with_the_unmet_condition() -> None:
    """✗ rows give the condition not met (flagged by the measure), not the last reason."""
    out = run("match", "project_completed_last_year=否", "fixed_asset_investment=50000000",
              "as_of=2025-06-01")
    assert out.returncode == 0, out.stderr
    row = next(line for line in out.stdout.splitlines() if "第三条第2项" in line)
    assert row.strip().startswith("✗"), row
    assert row.endswith("不符合。本项支持上年度建成投产的项目，本项目不符合。"), row
