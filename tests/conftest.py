"""Shared fixtures: one strict build of the real site, served over HTTP on 127.0.0.1, and Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Chromium's own background traffic is refused by a closed network; these flags keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def mkdocs_build(
    site_dir: Path,
    *,
    config: Path = ROOT / "mkdocs.yml",
    prefix: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    timeout: float = 300,
):
    """Run the real `mkdocs build --strict` in a subprocess; return the completed process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    command = [*prefix, *mkdocs, "-f", str(config), "-d", str(site_dir)]
    return subprocess.run(command, cwd=config.parent, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    result = mkdocs_build(site_dir)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # linkchecker throttles to ~10 requests/s unless the server names it in this header.
        self.send_header("LinkChecker", "allowed")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Serve the site's own 404 page, as GitHub Pages does.
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.is_file():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    server, url = serve(built_site)
    yield url
    server.shutdown()


# Small zh and ko pages that prove the four-language machinery before the translators' pages land.
I18N_FIXTURES = ROOT / "tests" / "fixtures" / "i18n"


@pytest.fixture(scope="session")
def translated_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site with tests/fixtures/i18n's zh and ko pages added, built strict and served."""
    tmp_path = tmp_path_factory.mktemp("translated")
    project = project_copy(tmp_path)
    for page in I18N_FIXTURES.glob("*.md"):
        if page.name != "README.md":
            shutil.copy(page, project / "docs" / page.name)
    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-3000:]}"
    server, url = serve(tmp_path / "site")
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is required for the browser tests and is missing at {CHROMIUM} "
            "(run `make install`, which installs Debian's chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def project_copy(tmp_path: Path) -> Path:
    """A copy of docs/, mkdocs.yml and checks/ (with the registry) that a test may break; the rest linked."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("overrides", "node_modules", "site_build"):
        (project / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "checks", project / "checks", ignore=shutil.ignore_patterns("__pycache__"))
    return project
