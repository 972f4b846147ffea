"""Every Mermaid fence of a page drawn into inline SVG at build time: no diagram code reaches a reader.

The pinned mermaid (node_modules, from package-lock.json) draws each diagram once in a headless
Chromium (site_build/diagram_browser.py); the SVG is cached by content (site_build/diagram_cache.py),
so a build whose diagrams are all cached starts no browser. Mermaid is the judge of syntax: a
diagram it rejects fails the build at the fence's file and line, with Mermaid's own message.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from checks.findings import Finding
from checks.markdown_doc import parse_document
from checks.report import terminal
from site_build.diagram_browser import (
    MERMAID_DIST,
    RENDER_PAGE,
    BrowserMissing,
    DiagramBrowser,
    RenderTimeout,
    SyntaxProblem,
)
from site_build.diagram_cache import DiagramCache, cache_dir
from site_build.reader_text import text_for

ROOT = Path(__file__).resolve().parent.parent
# Material's own text font stack with `theme.font: false`: diagrams are measured with what readers see.
FONT_STACK = "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif"
RENDER_CONFIG: dict[str, object] = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "theme": "base",
    "fontFamily": FONT_STACK,
    "themeVariables": {"fontFamily": FONT_STACK, "fontSize": "16px"},
    # SVG text instead of HTML in foreignObject: a slightly wider reader font overflows its box a little
    # instead of being clipped or wrapped, and the labels stay selectable, searchable text.
    "htmlLabels": False,
    "flowchart": {"htmlLabels": False, "useMaxWidth": False, "wrappingWidth": 400},
    "sequence": {"useMaxWidth": False},
}
# mermaid writes this id into the SVG (and the ids of its markers and titles); each page replaces it
# with the diagram's position, so a cached drawing serves any page and ids stay unique on a page.
PLACEHOLDER_ID = "diagram-svg-id"
_FENCE_HTML = re.compile(r'<pre[^>]*\bclass="mermaid"[^>]*><code>(.*?)</code></pre>', re.S)
_MERMAID_LINE = re.compile(r"Parse error on line \d+:")
_SVG_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"')
# Diagram text is drawn at NATURAL_TEXT_PX (docs/stylesheets/diagrams.css); a diagram shrinks to fit its
# column, but never so far that its text drops under MIN_TEXT_PX: below that it scrolls in its region.
NATURAL_TEXT_PX = 16
MIN_TEXT_PX = 11
SYNTAX_HINT = "fix the diagram; Mermaid's syntax: https://mermaid.js.org/syntax/flowchart.html"


def mermaid_version() -> str:
    """The installed mermaid, which must be the one package-lock.json pins."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/mermaid"]["version"]
    package = MERMAID_DIST.parent / "package.json"
    installed = json.loads(package.read_text(encoding="utf-8"))["version"] if package.is_file() else None
    if installed != pinned:
        raise PluginError(
            f"diagrams: package-lock.json pins mermaid {pinned}, node_modules has {installed or 'none'}: "
            "run `make install` (npm ci)"
        )
    return pinned


def _syntax_finding(problem: SyntaxProblem, source: str, display: str, first_line: int) -> Finding:
    """Mermaid's message at the file line it points to (past the last line means: at the end)."""
    last = source.rstrip("\n").count("\n")
    line = first_line + min(problem.line - 1, last) if problem.line else first_line
    # The file line replaces Mermaid's own count, which starts at the diagram and can run past its end.
    message = _MERMAID_LINE.sub("Parse error:", problem.message, count=1)
    return Finding(display, line, "mermaid/syntax", f"Mermaid cannot draw this diagram: {message}", SYNTAX_HINT)


class Diagrams:
    """The diagrams of one build: cached drawings, and a browser started only for the others."""

    def __init__(self, directory: Path | None = None, browser=None) -> None:
        identity = {
            "mermaid": mermaid_version(),
            "config": RENDER_CONFIG,
            "render_page": hashlib.sha256(RENDER_PAGE.read_bytes()).hexdigest(),
        }
        self.cache = DiagramCache(directory or cache_dir(), identity)
        self.browser = DiagramBrowser(browser)
        self.from_cache = 0
        # Each page's floor rules, by the page's display path, until on_post_page writes them in its head.
        self.floors: dict[str, list[str]] = {}

    @property
    def rendered(self) -> int:
        return self.browser.renders

    def svg(self, source: str, language: str, display: str, first_line: int) -> str:
        key = self.cache.key(source, language)
        cached = self.cache.get(key)
        if cached is not None:
            self.from_cache += 1
            return cached
        try:
            drawn = self.browser.render(PLACEHOLDER_ID, source, RENDER_CONFIG)
        except BrowserMissing as missing:
            raise PluginError(
                f"{display}:{first_line}: this diagram is not in the cache ({self.cache.directory}) and "
                f"drawing it needs Chromium: {missing}. Run `make system-deps` (or set CHROMIUM=/path/to/chrome)."
            ) from None
        except RenderTimeout as timeout:
            raise PluginError(f"{display}:{first_line}: {timeout}; simplify or split the diagram") from None
        if isinstance(drawn, SyntaxProblem):
            raise PluginError(terminal([_syntax_finding(drawn, source, display, first_line)]))
        self.cache.put(key, drawn)
        return drawn

    def draw_page(self, page_html: str, markdown_path: Path, display: str, language: str) -> str:
        """Replace each `pre.mermaid` of a page with its SVG in a focusable, labelled scroll region."""
        fences = parse_document(markdown_path, markdown_path.read_text(encoding="utf-8")).mermaid
        position = itertools.count(1)
        floors = self.floors.setdefault(display, [])
        floors.clear()

        def draw(match: re.Match[str]) -> str:
            index = next(position)
            line = fences[index - 1].content_line if index <= len(fences) else 1
            svg = self.svg(html.unescape(match.group(1)).rstrip("\n") + "\n", language, display, line)
            svg = svg.replace(PLACEHOLDER_ID, f"diagram-{index}")
            width = _SVG_WIDTH.search(svg)
            if width is None:
                # Without its natural width a diagram could shrink until its text is unreadable.
                raise PluginError(f"{display}:{line}: mermaid drew this diagram without a width attribute")
            floor = math.ceil(float(width.group(1)) * MIN_TEXT_PX / NATURAL_TEXT_PX)
            floors.append(f".md-typeset .diagram svg#diagram-{index}{{min-width:{floor}px}}")
            title = _SVG_TITLE.search(svg)
            name = text_for(language)["diagram"].format(title=html.unescape(title.group(1)) if title else index)
            return f'<div class="diagram" role="group" tabindex="0" aria-label="{html.escape(name)}">{svg}</div>'

        return _FENCE_HTML.sub(draw, page_html)

    def with_floors(self, page_html: str, display: str) -> str:
        """The page with its diagrams' floor widths in one <style> of its head (CSP-hashed like any other).

        A rule keyed by the SVG's id rather than a `style=` attribute: style attributes would need
        'unsafe-hashes' in the policy, an element in the head needs only its hash. Screen only: on
        paper a diagram shrinks to the page's width whatever its size.
        """
        rules = self.floors.pop(display, [])
        if not rules:
            return page_html
        style = "<style>@media screen{" + "".join(rules) + "}</style>\n"
        return page_html.replace("</head>", style + "</head>", 1)

    def close(self) -> None:
        self.browser.close()
