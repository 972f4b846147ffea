"""What the nightly job reads from a Learn page's HTML: heading anchors and the visible text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_INVISIBLE = {"script", "style", "noscript", "template"}
# Tags that separate words in the rendered page.
_BLOCKS = {"p", "li", "td", "th", "br", "div", "tr"} | _HEADINGS


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[str] = []
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self._hidden += 1
        values = dict(attrs)
        if (tag in _HEADINGS and values.get("id")) or (tag == "a" and values.get("name")):
            self.anchors.append(values.get("id") or values.get("name") or "")
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def read_page(html: str) -> tuple[list[str], str]:
    """The heading anchors of a page, and its visible text with whitespace collapsed."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.anchors, re.sub(r"\s+", " ", "".join(reader.parts)).strip()
