"""Every file the checks read besides the pages, broken as an editor or a contributor breaks it: the
CLI answers with exit 2 and the file and line, never a traceback and never "0 errors"."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

# Every data file the engine reads, beside the pages (checks/*.yml, the anchor snapshot, mkdocs.yml).
CONFIG_FILES = sorted(
    [
        *(path.relative_to(ROOT).as_posix() for path in (ROOT / "checks").glob("*.yml")),
        "checks/learn_anchors.json",
        "mkdocs.yml",
    ]
)

# (bytes, the line the error must name)
BROKEN = {
    "empty": (b"", 1),
    "a list, not a mapping": (b"- a\n- b\n", 1),
    "a sentence": (b"just words\n", 1),
    "Latin-1 on line 2": (b"ok: 1\ncaf\xe9: 2\n", 2),
    "Shift_JIS on line 3": ("a: 1\nb: 2\nc: ポッド\n".encode("shift_jis"), 3),
    "a bracket never closed": (b'{"a": 1,\n "b": [\n', 3),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checks, docs and site configuration, copied: each test breaks one file of its own copy."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "checks", root / "checks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "site_build", root / "site_build", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _run(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project)}
    command = [sys.executable, "-m", "checks", *arguments]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=120)


def test_the_copied_project_passes(project: Path):
    done = _run(project)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", CONFIG_FILES)
@pytest.mark.parametrize("broken", BROKEN)
def test_a_broken_data_file_is_a_configuration_error_at_its_line(project: Path, name: str, broken: str):
    content, line = BROKEN[broken]
    path = project / name
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        done = _run(project)
    finally:
        path.write_bytes(original)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, f"exit {done.returncode}: {done.stdout[-400:]}{done.stderr}"
    assert re.search(rf"(^|\s){re.escape(name)}:{line}: ", done.stderr), done.stderr


def test_the_audit_given_on_the_command_line_is_the_one_checked(project: Path, tmp_path: Path):
    audit = tmp_path / "audit.yml"
    audit.write_text("claims: []\n", encoding="utf-8")
    done = _run(project, "--audit", str(audit))
    assert done.returncode == 2 and f"{audit}:1: [audit/schema]" in done.stderr, done.stderr


def test_a_report_that_cannot_be_written_is_a_configuration_error(project: Path, tmp_path: Path):
    done = _run(project, "--output", str(tmp_path / "no" / "such" / "report.txt"))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2 and "cannot write the report" in done.stderr, done.stderr
