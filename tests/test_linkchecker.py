"""The real linkchecker, with its anchor check, over HTTP on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, serve

CONFIG = ROOT / ".linkchecker" / "internal.ini"
FIXTURE_SITE = Path(__file__).parent / "fixtures" / "broken-links-site"


def linkcheck(url: str) -> list[dict[str, str]]:
    """Return linkchecker's error and warning rows for everything reachable from `url`."""
    command = [
        sys.executable,
        "-m",
        "checks.run_linkchecker",
        "-f",
        str(CONFIG),
        "--no-status",
        "-o",
        "csv",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    lines = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))


@pytest.mark.slow
def test_site_has_no_broken_link_or_anchor(site_url: str):
    problems = linkcheck(site_url)
    assert problems == [], [(p["url"], p["parentname"], p["result"], p["warningstring"]) for p in problems]


@pytest.mark.slow
def test_linkchecker_reports_a_broken_link_and_a_broken_anchor():
    server, url = serve(FIXTURE_SITE)
    try:
        problems = linkcheck(url)
    finally:
        server.shutdown()
    by_url = {p["urlname"]: p for p in problems}
    assert set(by_url) == {"missing/", "sub/#absent"}, problems
    assert by_url["missing/"]["valid"] == "False" and "404" in by_url["missing/"]["result"]
    assert "absent" in by_url["sub/#absent"]["warningstring"]
