"""Every rule of the check suite, on a fixture it must pass and one it must fail (golden files).

tests/fixtures/rules/<rule>/fail/expected.txt lists `file:line rule` for each finding of that rule
the fixture must produce, no more and no fewer; <rule>/pass must produce none of that rule. A
fixture may carry its own facts.yml, for the rules that check the registry itself, and a
symlinks.txt (`link -> target` per line): the test creates those symlinks in a copy of the fixture,
so that git and the tools that walk tests/ never meet a loop or a link out of the repository; a
hardlinks.txt (`link -> target`, the target a path in the fixture) does the same with hard links.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from checks.engine import run_checks
from checks.registry import REGISTRY

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _rule(case: str) -> str:
    family, _, name = case.partition("-")
    return f"{family}/{name}"


def _with_symlinks(case_dir: Path, tmp_path: Path) -> Path:
    manifests = [case_dir / name for name in ("symlinks.txt", "hardlinks.txt") if (case_dir / name).is_file()]
    if not manifests:
        return case_dir
    copy = tmp_path / case_dir.name
    shutil.copytree(case_dir, copy)
    for manifest in manifests:
        for line in manifest.read_text(encoding="utf-8").split("\n"):
            if line.strip() and not line.startswith("#"):
                link, _, target = (part.strip() for part in line.partition("->"))
                # git keeps no empty folder: a link may be the only thing in its folder.
                (copy / link).parent.mkdir(parents=True, exist_ok=True)
                if manifest.name == "symlinks.txt":
                    os.symlink(target, copy / link)
                else:
                    # git keeps no hardlink either; the target is a path in the fixture.
                    os.link(copy / target, copy / link)
    return copy


def _findings(case_dir: Path, rule: str) -> list[str]:
    registry = case_dir / "facts.yml"
    report = run_checks(case_dir / "docs", registry if registry.is_file() else REGISTRY)
    found = []
    for finding in report.findings:
        if finding.rule != rule:
            continue
        # Not resolved: a finding on a symlink names the link, not what it points at.
        path = Path(os.path.abspath(finding.path))
        docs = Path(os.path.abspath(case_dir / "docs"))
        base = docs if path.is_relative_to(docs) else Path(os.path.abspath(case_dir))
        found.append(f"{path.relative_to(base)}:{finding.line} {finding.rule}")
    return sorted(found)


def test_every_rule_has_a_passing_and_a_failing_fixture():
    for case in CASES:
        assert (FIXTURES / case / "pass" / "docs").is_dir(), case
        assert (FIXTURES / case / "fail" / "expected.txt").is_file(), case


@pytest.mark.parametrize("case", CASES)
def test_rule_reports_the_failing_fixture_at_its_line(case: str, tmp_path: Path):
    expected = sorted((FIXTURES / case / "fail" / "expected.txt").read_text(encoding="utf-8").split("\n"))
    assert _findings(_with_symlinks(FIXTURES / case / "fail", tmp_path), _rule(case)) == [
        line for line in expected if line
    ]


@pytest.mark.parametrize("case", CASES)
def test_rule_passes_the_passing_fixture(case: str, tmp_path: Path):
    assert _findings(_with_symlinks(FIXTURES / case / "pass", tmp_path), _rule(case)) == []


@pytest.mark.parametrize("case", CASES)
def test_every_finding_of_the_rule_says_how_to_fix_it(case: str, tmp_path: Path):
    case_dir = _with_symlinks(FIXTURES / case / "fail", tmp_path)
    registry = case_dir / "facts.yml"
    report = run_checks(case_dir / "docs", registry if registry.is_file() else REGISTRY)
    unhinted = [f"{f.path}:{f.line} {f.message}" for f in report.findings if f.rule == _rule(case) and not f.hint]
    assert unhinted == []
