"""The headless Chromium the build draws diagrams in: Debian's browser, the pinned mermaid, no network."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MERMAID_DIST = ROOT / "node_modules" / "mermaid" / "dist"
RENDER_PAGE = Path(__file__).with_name("diagram_render.html")
# A name that cannot resolve: every request to it is answered by the route below, from local files.
ORIGIN = "http://diagrams.invalid/"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Loading the render page and mermaid from local files, or drawing one diagram: longer than this is a
# broken install or a diagram mermaid never finishes, not a slow machine.
RENDER_TIMEOUT_MS = 60_000


def chromium_path() -> Path:
    return Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


class RenderTimeout(Exception):
    """Mermaid did not finish drawing a diagram in time."""


class BrowserMissing(Exception):
    """No Chromium to draw uncached diagrams with: none installed, or one that does not start."""


@dataclass(frozen=True)
class SyntaxProblem:
    """Mermaid rejected a diagram: its own message, and the line in the diagram source when it gives one."""

    message: str
    line: int | None


class DiagramBrowser:
    """One Chromium page with mermaid loaded, started on the first render and kept until `close`.

    Given a running Playwright `browser` (a test session's), it opens its page there and leaves the
    browser running on `close`: one thread can drive only one Playwright.
    """

    def __init__(self, browser=None, timeout_ms: int = RENDER_TIMEOUT_MS) -> None:
        self.timeout_ms = timeout_ms
        self._playwright = None
        self._browser = None
        self._shared_browser = browser
        self._page = None
        self.renders = 0

    def render(self, diagram_id: str, source: str, config: dict) -> str | SyntaxProblem:
        page = self._page or self._start()
        result = page.evaluate(
            "([id, source, config, timeout]) => renderDiagram(id, source, config, timeout)",
            [diagram_id, source, config, self.timeout_ms],
        )
        self.renders += 1
        if result.get("timeout"):
            raise RenderTimeout(f"Mermaid did not finish drawing this diagram within {self.timeout_ms / 1000:g} s")
        if "svg" in result:
            return result["svg"]
        return SyntaxProblem(result["error"], result["line"])

    def _start(self):
        try:
            page = (self._shared_browser or self._launch()).new_page()
            page.set_default_timeout(RENDER_TIMEOUT_MS)
            page.route(f"{ORIGIN}**", _serve_local)
            page.goto(f"{ORIGIN}render.html")
            page.wait_for_function("window.rendererReady === true")
        except Exception:
            self.close()
            raise
        self._page = page
        return page

    def _launch(self):
        executable = chromium_path()
        if not executable.is_file():
            raise BrowserMissing(f"Chromium is missing at {executable}")
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        except Exception as error:  # Playwright's own error: a browser that does not start or answer
            first_line = str(error).strip().splitlines()[0]
            raise BrowserMissing(f"Chromium at {executable} did not start ({first_line})") from None
        return self._browser

    def close(self) -> None:
        if self._page is not None and self._shared_browser is not None:
            self._page.close()
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._playwright = self._browser = self._page = None


def _serve_local(route) -> None:
    path = route.request.url.removeprefix(ORIGIN).split("?")[0]
    if path == "render.html":
        file, content_type = RENDER_PAGE, "text/html; charset=utf-8"
    elif path.startswith("mermaid/") and ".." not in path:
        file, content_type = MERMAID_DIST / path.removeprefix("mermaid/"), "text/javascript"
    else:
        route.fulfill(status=404, body="")
        return
    if not file.is_file():
        route.fulfill(status=404, body="")
        return
    route.fulfill(status=200, body=file.read_bytes(), content_type=content_type)
