"""Raw HTML of a page as the checks see it: the text a reader reads and every tag, each with its line.

Python-Markdown passes raw HTML through to the page (and renders Markdown inside `markdown="1"`
blocks), so the numbers, addresses and links written in it reach the reader like any other.
markdown-it hands the checks that HTML as opaque tokens; this module reads them with an HTML
parser and keeps the source line of every piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# html.parser is quadratic on some malformed input: a larger HTML token is reported, not parsed.
MAX_HTML_CHARS = 20_000

# Elements that end a line of reading: their text is never one sentence with the text around them.
BLOCK_ELEMENTS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
# Text of these is not read as text: scripts run (and are reported), styles are scanned for url().
_RAW = frozenset({"script", "style"})
# Attributes a reader sees as text (tooltips, alternative text).
TEXT_ATTRIBUTES = ("title", "alt", "aria-label")

# Python-Markdown's attr_list: `{: #id .class key="value" }` after a heading, a block or an inline element.
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*?)[ \t]*\}")
_ATTR_PAIR = re.compile(r"""([^\s=}"'#.][^\s=}]*)=("[^"]*"|'[^']*'|[^\s}]+)""")


@dataclass(frozen=True)
class Tag:
    """One start tag (or a Markdown link, image or attribute list, as the tag it renders to)."""

    name: str
    attrs: tuple[tuple[str, str], ...]
    line: int

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)


@dataclass
class HtmlParts:
    texts: list[tuple[str, int]] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    styles: list[tuple[str, int]] = field(default_factory=list)  # the content of <style> elements


class _Reader(HTMLParser):
    def __init__(self, first_line: int, parts: HtmlParts) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.parts = parts
        self.raw: str | None = None
        self.pending: list[str] = []
        self.pending_line = first_line

    def line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def flush(self) -> None:
        text = "".join(self.pending)
        if text.strip():
            self.parts.texts.append((text, self.pending_line))
        self.pending = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.line()
        values = tuple((name.lower(), value or "") for name, value in attrs)
        self.parts.tags.append(Tag(tag, values, line))
        if tag in BLOCK_ELEMENTS:
            self.flush()
        self.parts.texts.extend((value, line) for name, value in values if name in TEXT_ATTRIBUTES and value.strip())
        if tag in _RAW:
            self.raw = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self.raw:
            self.raw = None
        if tag in BLOCK_ELEMENTS:
            self.flush()

    def handle_data(self, data: str) -> None:
        line = self.line()
        if self.raw == "style":
            self.parts.styles.append((data, line))
        if self.raw:
            return
        for offset, piece in enumerate(data.split("\n")):
            if offset:
                self.flush()
            if not self.pending:
                self.pending_line = line + offset
            self.pending.append(piece)


def read_html(source: str, first_line: int, parts: HtmlParts) -> bool:
    """Add the texts and tags of `source` (starting at `first_line`) to `parts`; False when too large to read."""
    if len(source) > MAX_HTML_CHARS:
        return False
    reader = _Reader(first_line, parts)
    reader.feed(source)
    reader.close()
    reader.flush()
    return True


def attr_list_tags(text: str, line: int) -> list[Tag]:
    """The attributes an attr_list in `text` gives the element it follows (only lists that set key=value)."""
    tags = []
    for match in _ATTR_LIST.finditer(text):
        pairs = tuple((key.lower(), value.strip("\"'")) for key, value in _ATTR_PAIR.findall(match[1]))
        if pairs:
            tags.append(Tag("attr_list", pairs, line))
    return tags
