"""Open a page of the served site in Chromium and record what a reader's browser did."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from conftest import DOCS

from checks.markdown_doc import parse_document
from checks.pages import page_files

# Content-Security-Policy violations, reported through a binding so they survive navigations.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', e => window.__reportCspViolation(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`), true);
"""

# Diagrams are drawn at build time (site_build/diagrams.py): each is an inline SVG in the page itself.
DIAGRAM_SVGS = "div.diagram > svg"


@dataclass
class PageVisit:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    requested_paths: list[str] = field(default_factory=list)
    script_bytes: dict[str, int] = field(default_factory=dict)

    @property
    def total_script_bytes(self) -> int:
        return sum(self.script_bytes.values())


def site_pages() -> list[tuple[str, int]]:
    """(URL below the site root, number of diagrams) of every page of every language, and the 404 page."""
    pages = [(p.url, len(parse_document(p.path, p.path.read_text(encoding="utf-8")).mermaid)) for p in page_files(DOCS)]
    return [*pages, ("404.html", 0)]


def open_page(browser, url: str, *, color_scheme: str = "light", width: int = 1280, media: str = "screen"):
    """Return (page, visit); the page has loaded and its network has gone idle."""
    context = browser.new_context(color_scheme=color_scheme, viewport={"width": width, "height": 900})
    visit = PageVisit()
    context.expose_binding("__reportCspViolation", lambda _source, text: visit.csp_violations.append(text))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
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


def search(page, term: str) -> list[str]:
    """Type `term` into Material's search; return the pages of the results."""
    page.click("label.md-search__icon, .md-search__input", force=True)
    page.fill(".md-search__input", term)
    page.press(".md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    hrefs = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    # Drop the `?h=term` that search.highlight appends and the section anchor: keep the page.
    return [href.split("?")[0].split("#")[0] for href in hrefs]


def diagram_texts(page) -> list[str]:
    """The text of every diagram on the page, as the browser parsed it from the HTML."""
    return page.eval_on_selector_all(DIAGRAM_SVGS, "svgs => svgs.map(svg => svg.textContent)")
