"""`python -m checks.textlint`: textlint's findings on the Japanese pages, as the checks' records."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from checks.textlint import prh_rules, variant_pattern

FIXTURE = Path("tests/fixtures/textlint/docs")


def run_textlint(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checks.textlint", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_the_japanese_pages_have_no_findings():
    result = run_textlint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "0 error(s), 0 warning(s)"


def test_a_broken_page_gives_each_finding_at_its_line_with_the_rule():
    result = run_textlint("--docs", str(FIXTURE), "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    found = [(f["path"], f["line"], f["rule"]) for f in json.loads(result.stdout)["findings"]]
    page = str(FIXTURE / "page.md")
    # コンテナー on line 3 is the glossary's own term: its variant コンテナ must not fire inside it.
    # Line 11 is inside an admonition, which CommonMark alone would take for a code block; its title
    # (line 9) is a heading, with no period to end it. page.en.md and page.zh.md are never linted.
    assert found == [
        (page, 5, "textlint/prh"),
        (page, 7, "textlint/ja-technical-writing/ja-no-successive-word"),
        (page, 11, "textlint/ja-technical-writing/ja-no-successive-word"),
    ]


def test_terminal_output_names_page_line_rule_message_and_hint():
    result = run_textlint("--docs", str(FIXTURE))
    assert result.returncode == 1
    assert f"{FIXTURE / 'page.md'}:5: error [textlint/prh] ポッド => Pod" in result.stdout
    assert "how to fix: write the glossary's term (checks/glossary.yml)" in result.stdout


def test_only_the_pages_given_are_linted_and_only_japanese_ones():
    result = run_textlint("--docs", str(FIXTURE), str(FIXTURE / "page.en.md"), str(FIXTURE / "page.zh.md"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_textlint_is_a_setup_error_that_names_the_command(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "TEXTLINT_BIN_DIR": str(tmp_path / "no-such-bin")}
    result = run_textlint(env=env)
    assert result.returncode == 2
    assert "textlint is not installed" in result.stderr
    assert "make install" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_glossary_is_a_setup_error(tmp_path):
    glossary = tmp_path / "glossary.yml"
    glossary.write_text("terms:\n  - id: pod\n    variants: {ja: [ポッド]}\n", encoding="utf-8")
    result = run_textlint("--glossary", str(glossary))
    assert result.returncode == 2
    assert "term 1 has no `ja` term" in result.stderr


def test_prh_gets_each_variant_with_its_term(tmp_path):
    glossary = tmp_path / "glossary.yml"
    glossary.write_text(
        "terms:\n"
        "  - {id: pod, ja: Pod, variants: {ja: [ポッド], en: []}}\n"
        "  - {id: node, ja: ノード}\n"
        "  - {id: container, ja: コンテナー, variants: {ja: [コンテナ]}}\n",
        encoding="utf-8",
    )
    assert prh_rules(glossary) == {
        "version": 1,
        "rules": [
            {"expected": "Pod", "patterns": ["/ポッド/"]},
            {"expected": "コンテナー", "patterns": ["/コンテナ(?!ー)/"]},
        ],
    }


def test_a_variant_inside_an_allowed_phrase_is_guarded_on_both_sides():
    pattern = variant_pattern("ポッド", ["Pod", "AKS のポッド ネットワーク", "最大ポッド", "ポッド.数"])
    assert pattern == r"/ポッド(?!(?<=AKS のポッド) ネットワーク)(?<!最大ポッド)(?!\.数)/"
