"""`python -m checks`: output formats, exit codes, and clear errors instead of tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT

from checks.languages import LOCALES, SOURCE_LOCALE

FAILING = Path(__file__).parent / "fixtures" / "rules" / "numbers-contradicts-fact" / "fail" / "docs"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checks", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_clean_docs_exit_0():
    result = run_cli()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


def test_findings_exit_1_with_file_line_rule_and_hint():
    result = run_cli("--docs", str(FAILING))
    assert result.returncode == 1
    assert (
        "page.en.md:3: error [numbers/contradicts-fact] found 6,000, expected 5,000 (overlay-max-nodes)"
        in result.stdout
    )
    assert "how to fix:" in result.stdout


def test_json_format_is_the_findings_as_records():
    findings = json.loads(run_cli("--docs", str(FAILING), "--format", "json").stdout)["findings"]
    record = next(f for f in findings if f["rule"] == "numbers/contradicts-fact")
    assert set(record) == {"path", "line", "rule", "message", "hint", "severity"}
    assert record["line"] == 3


def test_junit_format_has_a_failure_per_error(tmp_path: Path):
    report = tmp_path / "checks.xml"
    assert run_cli("--docs", str(FAILING), "--format", "junit", "--output", str(report)).returncode == 1
    suite = ElementTree.parse(report).getroot().find("testsuite")
    failures = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert int(suite.get("failures")) == len(failures) >= 2
    assert any(case.get("classname") == "numbers/contradicts-fact" for case in failures)


def test_github_format_is_workflow_annotations():
    lines = run_cli("--docs", str(FAILING), "--format", "github").stdout.splitlines()
    assert any(
        line.startswith("::error file=")
        and ",line=3,title=numbers/contradicts-fact::found 6%2C000" not in line
        and ",line=3,title=numbers/contradicts-fact::found 6,000" in line
        for line in lines
    ), lines


@pytest.mark.parametrize(
    ("registry_text", "message"),
    [
        ("facts: [unclosed\n", "not valid YAML"),
        (None, "entry 'overlay-max-nodes' field why: is missing"),
    ],
)
def test_broken_registry_exits_2_with_the_entry_and_no_traceback(tmp_path: Path, registry_text, message):
    registry = tmp_path / "facts.yml"
    original = (ROOT / "checks" / "facts.yml").read_text(encoding="utf-8")
    if registry_text is None:
        registry_text = original.replace("    why: The scale row of every comparison table states this limit.\n", "", 1)
    registry.write_text(registry_text, encoding="utf-8")
    result = run_cli("--registry", str(registry))
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{registry}:" in result.stderr


def test_registry_reference_to_an_unknown_fact_is_a_configuration_error(tmp_path: Path):
    registry = tmp_path / "facts.yml"
    text = (ROOT / "checks" / "facts.yml").read_text(encoding="utf-8")
    registry.write_text(text.replace("never_multiply_with: overlay-max-pods-per-node", "never_multiply_with: typo"))
    result = run_cli("--registry", str(registry))
    assert result.returncode == 2
    assert "names unknown fact 'typo'" in result.stderr


def test_missing_docs_directory_exits_2():
    result = run_cli("--docs", "no-such-dir")
    assert result.returncode == 2 and "no such docs directory" in result.stderr


def test_stamp_records_the_source_version(tmp_path: Path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    page = docs / "flat.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n追記。\n", encoding="utf-8")
    assert "parity/outdated" in run_cli("--docs", str(docs)).stdout
    translations = [docs / f"flat.{code}.md" for code in LOCALES if code != SOURCE_LOCALE]
    assert len(translations) >= 1
    for translation in translations:
        assert run_cli("stamp", str(translation)).returncode == 0
    assert "parity/outdated" not in run_cli("--docs", str(docs)).stdout


def test_a_corrupt_compiled_schema_is_rebuilt():
    from checks import registry

    registry._validator.cache_clear()
    schema_text = registry.SCHEMA.read_text(encoding="utf-8")
    registry._validator(schema_text)
    cached = registry.compiled_schema_path(schema_text)
    cached.write_bytes(b"not marshal data")
    registry._validator.cache_clear()
    assert registry.load_registry().facts
    assert cached.read_bytes() != b"not marshal data"
