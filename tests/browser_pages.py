"""Open a page of the served site in Chromium and record what a reader's browser did."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Diagrams are drawn at build time (site_build/diagrams.py): each is an inline SVG in the page itself.
DIAGRAM_SVGS = "div.diagram > svg"


@dataclass
class PageVisit:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    requested_paths: list[str] = field(default_factory=list)
    script_bytes: dict[str, int] = field(default_factory=dict)

    @property
    def total_script_bytes(self) -> int:
        return sum(self.script_bytes.values())


def open_page(browser, url: str, *, color_scheme: str = "light", width: int = 1280, media: str = "screen"):
    """Return (page, visit); the page has loaded and its network has gone idle."""
    context = browser.new_context(color_scheme=color_scheme, viewport={"width": width, "height": 900})
    visit = PageVisit()
    page = context.new_page()
    page.emulate_media(media=media)
    page.on("console", lambda m: m.type == "error" and visit.console_errors.append(m.text))
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))

    def on_request(request) -> None:
        visit.requested_paths.append(urlsplit(request.url).path)
        if urlsplit(request.url).hostname not in ("127.0.0.1", None) and not request.url.startswith("data:"):
            visit.foreign_requests.append(request.url)

    def on_response(response) -> None:
        path = urlsplit(response.url).path
        if response.request.resource_type == "script" or path.endswith((".js", ".mjs")):
            try:
                visit.script_bytes[path] = len(response.body())
            except Exception:  # a redirect or an aborted request has no body to count
                visit.script_bytes.setdefault(path, 0)

    context.on("request", on_request)
    context.on("response", on_response)
    page.goto(url, wait_until="networkidle")
    return page, visit


def diagram_texts(page) -> list[str]:
    """The text of every diagram on the page, as the browser parsed it from the HTML."""
    return page.eval_on_selector_all(DIAGRAM_SVGS, "svgs => svgs.map(svg => svg.textContent)")
