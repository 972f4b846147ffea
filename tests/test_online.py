"""The nightly mode against a real HTTP server on 127.0.0.1 that plays Learn."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from learn_server import LearnPlayer, start

from checks.learn_client import LearnClient
from checks.online import EXIT_CONTENT, EXIT_NETWORK, run_online
from checks.registry import load_registry
from checks.site import load_site

FIXTURE = Path(__file__).parent / "fixtures" / "online"


@pytest.fixture
def learn():
    server, url = start()
    yield url
    server.shutdown()


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "learn_anchors.json"
    shutil.copyfile(ROOT / "checks" / "learn_anchors.json", path)
    return path


def _run(base_url: str, snapshot: Path):
    site, _ = load_site(FIXTURE / "docs")
    client = LearnClient(base_url=base_url, connect_timeout=1, read_timeout=0.5, retries=2, backoff=0.05)
    return run_online(site, load_registry(FIXTURE / "facts.yml"), snapshot, client)


def _statuses(report, page: str) -> set[str]:
    return {r.status for r in report.results if r.url.split("#")[0].endswith(f"/{page}")}


EXPECTED = {
    "ok": {"OK"},
    "moved": {"MOVED"},
    "gone": {"BROKEN"},
    "busy": {"OK"},
    "flaky": {"OK"},
    "slow": {"UNREACHABLE"},
    # The heading was renamed: the fact under it is not verified from elsewhere on the page.
    "no-anchor": {"ANCHOR-MISSING", "FACT-CHANGED"},
    "offsite": {"MOVED"},
    "portal": {"UNREACHABLE"},  # a login page in Learn's place says nothing about the page
    "proxy-gone": {"UNREACHABLE"},  # a 404 that is not Learn's not-found page is not Learn's word on the page
}


def test_each_behaviour_of_learn_is_classified(learn: str, snapshot: Path):
    started = time.monotonic()
    report = _run(learn, snapshot)
    elapsed = time.monotonic() - started

    assert _statuses(report, "changed") == {"FACT-CHANGED"}
    changed = next(r for r in report.results if r.status == "FACT-CHANGED")
    assert (changed.expected, changed.found) == ("5,000", "6,000")
    for page, status in EXPECTED.items():
        assert _statuses(report, page) == status, (page, _statuses(report, page))
    moved = next(r for r in report.results if r.url.endswith("/moved#present"))
    assert moved.new_url == "https://learn.microsoft.com/en-us/azure/aks/new-home"
    offsite = next(r for r in report.results if "/offsite" in r.url)
    assert "another host: not followed" in offsite.detail
    assert report.exit_code == EXIT_CONTENT
    # Each page is fetched once although the site and the registry both cite it; 429 and 500 retried once.
    assert LearnPlayer.requests["ok"] == 1 and LearnPlayer.requests["busy"] == 2 and LearnPlayer.requests["flaky"] == 2
    assert LearnPlayer.requests["slow"] == 3 and LearnPlayer.requests["new-home"] == 0
    assert elapsed >= 1.0  # Retry-After: 1 was honoured
    assert all(agent.startswith("aks-network-models-docs-checker/") for agent in LearnPlayer.user_agents)


def test_network_trouble_never_reads_as_a_content_change(learn: str, snapshot: Path):
    report = _run(learn, snapshot)
    slow = [r for r in report.results if "/slow" in r.url]
    assert slow and {r.status for r in slow} == {"UNREACHABLE"}
    assert "timed out" in slow[0].detail
    portal = [r for r in report.results if "/portal" in r.url]
    assert portal and all('no <main id="main"> element' in r.detail for r in portal)
    proxy = [r for r in report.results if "/proxy-gone" in r.url]
    assert proxy and all(r.detail.startswith("HTTP 404 that is not Learn's not-found page") for r in proxy)
    assert all('no <main id="main"> element' in r.detail for r in proxy)
    gone = [r for r in report.results if r.url.endswith("/gone#present")]
    assert [r.detail for r in gone] == ["HTTP 404: Learn's not-found page (<h1> '404 - Page not found')"]


def test_snapshot_is_refreshed_from_the_fetched_pages(learn: str, snapshot: Path):
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    data["locales"]["en-us"]["azure/aks/portal"] = ["present"]
    snapshot.write_text(json.dumps(data), encoding="utf-8")
    _run(learn, snapshot)
    pages = json.loads(snapshot.read_text(encoding="utf-8"))["locales"]["en-us"]
    assert pages["azure/aks/portal"] == ["present"]  # not an article tonight: its anchors are kept
    assert pages["azure/aks/ok"] == ["present", "title"]
    assert pages["azure/aks/no-anchor"] == ["renamed", "title"]
    assert "azure/aks/slow" not in pages
    assert "azure/aks/concepts-network-cni-overview" in pages  # not fetched today: kept


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_server_down_exits_with_the_network_code_and_says_so(tmp_path: Path):
    snapshot = tmp_path / "learn_anchors.json"
    shutil.copyfile(ROOT / "checks" / "learn_anchors.json", snapshot)
    env = {**os.environ, "CHECKS_LEARN_BASE_URL": f"http://127.0.0.1:{_closed_port()}"}
    command = [
        sys.executable,
        "-m",
        "checks",
        "--online",
        "--docs",
        str(FIXTURE / "docs"),
        "--registry",
        str(FIXTURE / "facts.yml"),
        "--snapshot",
        str(snapshot),
        "--report-dir",
        str(tmp_path),
        "--retries",
        "1",
        "--backoff",
        "0.05",
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == EXIT_NETWORK, result.stdout + result.stderr
    assert "network trouble only" in result.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert set(report["summary"]) == {"UNREACHABLE"}
    assert "Network trouble (not content changes)" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_only_learn_is_ever_fetched():
    response = LearnClient(base_url="http://127.0.0.1:9").fetch("https://example.com/azure/aks/x")
    assert response.status is None and "only https://learn.microsoft.com is allowed" in (response.error or "")


def test_a_night_without_network_leaves_the_snapshot_alone(tmp_path: Path):
    snapshot = tmp_path / "learn_anchors.json"
    shutil.copyfile(ROOT / "checks" / "learn_anchors.json", snapshot)
    before = snapshot.read_bytes()
    _run(f"http://127.0.0.1:{_closed_port()}", snapshot)
    assert snapshot.read_bytes() == before
