"""The checks inside `mkdocs build`: beside the build (a forked process) and in the build's own process.

Both ways must give the same notes, fail a strict build on a finding, stop it with a clear message on
a broken registry, and never hide a crash of the checks themselves.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs_build, project_copy

from checks.beside_build import PARALLEL_ENV, PendingNotes
from checks.registry import load_registry

REGISTRY = ROOT / "checks" / "facts.yml"
SNAPSHOT = ROOT / "checks" / "learn_anchors.json"
BOTH_WAYS = pytest.mark.parametrize("parallel", ["1", "0"], ids=["beside-the-build", "in-the-build"])


def test_notes_are_the_same_whichever_process_computes_them(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(PARALLEL_ENV, "1")
    beside = PendingNotes(ROOT / "docs", REGISTRY, SNAPSHOT)
    assert beside.parallel
    monkeypatch.setenv(PARALLEL_ENV, "0")
    inside = PendingNotes(ROOT / "docs", REGISTRY, SNAPSHOT)
    assert not inside.parallel

    a, b = beside.result(), inside.result()
    assert (a.findings, a.pages, a.sources_tables, a.anchor_rewrites) == (
        b.findings,
        b.pages,
        b.sources_tables,
        b.anchor_rewrites,
    )
    assert len(a.pages) == len(list((ROOT / "docs").glob("*.md")))
    assert all(table.count("<tr>") == 1 + len(load_registry().facts) for table in a.sources_tables.values())


def test_cancelled_checks_stop_their_process(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(PARALLEL_ENV, "1")
    pending = PendingNotes(ROOT / "docs", REGISTRY, SNAPSHOT)
    pending.cancel()
    assert not pending._process.is_alive()


@pytest.mark.slow
@BOTH_WAYS
def test_a_finding_fails_the_strict_build(tmp_path: Path, parallel: str):
    project = project_copy(tmp_path)
    line = _add_unbound_number(project)

    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", env={PARALLEL_ENV: parallel})

    assert result.returncode != 0
    assert f"docs/prerequisites.md:{line}: [numbers/unbound]" in result.stderr, result.stderr[-3000:]
    assert "1 error(s)" in result.stderr


@pytest.mark.slow
@BOTH_WAYS
def test_a_broken_registry_stops_the_build_with_its_file_and_line(tmp_path: Path, parallel: str):
    project = project_copy(tmp_path)
    (project / "checks" / "facts.yml").write_text("facts: [unclosed\n", encoding="utf-8")

    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", env={PARALLEL_ENV: parallel})

    assert result.returncode != 0
    assert "checks: " in result.stderr and "facts.yml:" in result.stderr and "not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


@pytest.mark.slow
@BOTH_WAYS
def test_a_crash_of_the_checks_fails_the_build_and_shows_where(tmp_path: Path, parallel: str):
    project = project_copy(tmp_path)
    engine = project / "checks" / "engine.py"
    # A bug planted in the project's copy of the checks (the build imports the copy beside its mkdocs.yml).
    planted = "\n\ndef run_checks(*args, **kwargs):\n    raise ZeroDivisionError('planted')\n"
    engine.write_text(engine.read_text(encoding="utf-8") + planted, encoding="utf-8")

    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", env={PARALLEL_ENV: parallel})

    assert result.returncode != 0
    assert "ZeroDivisionError: planted" in result.stderr, result.stderr[-3000:]
    assert "checks/engine.py" in result.stderr


@pytest.mark.slow
def test_serve_runs_the_checks_again_on_every_change(tmp_path: Path):
    """`mkdocs serve` rebuilds in a process whose live-reload server runs threads: the checks still report."""
    project = project_copy(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            page = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/en/flat/"))
            assert "checked against the Microsoft Learn sources as of" in page
            _add_unbound_number(project)
            _wait_for(lambda: "[numbers/unbound]" in log.read_text(encoding="utf-8"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert text.count("checks: ") >= 2 and "Traceback" not in text, text[-3000:]


def _add_unbound_number(project: Path) -> int:
    """Append a sentence with a number no fact states to prerequisites.md; return its line."""
    page = project / "docs" / "prerequisites.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n通常は 37 個まで。\n", encoding="utf-8")
    return page.read_text(encoding="utf-8").count("\n")


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError(f"gave up after {seconds} s")
