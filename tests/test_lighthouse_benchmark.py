"""`make lighthouse` runs end to end (one page, one run), over a server that gzips as GitHub Pages does."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import urllib.request
from urllib.parse import urljoin

import pytest
from benchmarks import lighthouse
from conftest import ROOT

SCRIPT = ROOT / "tests" / "benchmarks" / "lighthouse.py"


def test_the_benchmark_server_gzips_text_as_github_pages_does(built_site):
    with lighthouse.served(built_site) as url:
        request = urllib.request.Request(urljoin(url, "en/"), headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Cache-Control"] == lighthouse.CACHE_CONTROL
            assert gzip.decompress(response.read()) == (built_site / "en" / "index.html").read_bytes()
        with urllib.request.urlopen(urljoin(url, "en/"), timeout=10) as response:
            assert response.headers["Content-Encoding"] is None


@pytest.mark.browser
@pytest.mark.slow
def test_the_benchmark_runs_on_one_page(built_site, tmp_path):
    figures = tmp_path / "lighthouse.json"
    command = [sys.executable, str(SCRIPT), "--runs", "1", "--page", "en/sources/", "--site", str(built_site)]
    result = subprocess.run(
        [*command, "--json", str(figures)], cwd=ROOT, capture_output=True, text=True, timeout=lighthouse.RUN_TIMEOUT
    )
    assert result.returncode == 0, result.stderr
    assert "en/sources/" in result.stdout and "TBT ms" in result.stdout
    (row,) = json.loads(figures.read_text(encoding="utf-8"))
    assert all(0 <= row[name] <= 100 for name in lighthouse.CATEGORIES), row
    assert row["bytes"] > row["js_bytes"] > 0
