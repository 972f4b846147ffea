"""Every rule of the check suite, on a fixture it must pass and one it must fail (golden files).

tests/fixtures/rules/<rule>/fail/expected.txt lists `file:line rule` for each finding of that rule
the fixture must produce, no more and no fewer; <rule>/pass must produce none of that rule. A
fixture may carry its own facts.yml, for the rules that check the registry itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.engine import run_checks
from checks.registry import REGISTRY

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _rule(case: str) -> str:
    family, _, name = case.partition("-")
    return f"{family}/{name}"


def _findings(case_dir: Path, rule: str) -> list[str]:
    registry = case_dir / "facts.yml"
    report = run_checks(case_dir / "docs", registry if registry.is_file() else REGISTRY)
    found = []
    for finding in report.findings:
        if finding.rule != rule:
            continue
        path = Path(finding.path).resolve()
        base = case_dir / "docs" if path.is_relative_to((case_dir / "docs").resolve()) else case_dir
        found.append(f"{path.relative_to(base.resolve())}:{finding.line} {finding.rule}")
    return sorted(found)


def test_every_rule_has_a_passing_and_a_failing_fixture():
    for case in CASES:
        assert (FIXTURES / case / "pass" / "docs").is_dir(), case
        assert (FIXTURES / case / "fail" / "expected.txt").is_file(), case


@pytest.mark.parametrize("case", CASES)
def test_rule_reports_the_failing_fixture_at_its_line(case: str):
    expected = sorted((FIXTURES / case / "fail" / "expected.txt").read_text(encoding="utf-8").split("\n"))
    assert _findings(FIXTURES / case / "fail", _rule(case)) == [line for line in expected if line]


@pytest.mark.parametrize("case", CASES)
def test_rule_passes_the_passing_fixture(case: str):
    assert _findings(FIXTURES / case / "pass", _rule(case)) == []
