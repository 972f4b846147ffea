"""What the nightly job reads from a Learn page's HTML: the article inside `<main id="main">` only.

Navigation, footers and scripts are not the article, so nothing outside that element counts. The
article is kept as text (one line per block: paragraph, list item, table row, heading) with its
headings and tables placed in that text, so that evidence can be looked for in the section of a
heading (from the heading down to the next heading of the same or a higher level) or in one
table cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_INVISIBLE = {"script", "style", "noscript", "template"}
# Tags that end a line of the article text.
_BLOCKS = {"p", "li", "tr", "br", "div", "ul", "ol", "table", "blockquote", "pre"} | _HEADINGS
_CELLS = {"td", "th"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Learn writes typographic quotes where the Markdown sources (and so the registry) have plain ones.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str
    start: int
    # The zone pivot (`?pivots=`) the heading belongs to; Learn shows it only in that pivot.
    pivot: str | None = None


@dataclass
class Table:
    start: int
    rows: list[list[str]] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []


@dataclass
class LearnPage:
    text: str
    title: str
    headings: list[Heading]
    anchors: list[str]
    tables: list[Table]

    def section(self, anchor: str) -> tuple[int, int] | None:
        """Where the section of heading `anchor` lies in `text`: None when no heading has that id."""
        for index, heading in enumerate(self.headings):
            if heading.id == anchor:
                later = (h.start for h in self.headings[index + 1 :] if h.level <= heading.level)
                return heading.start, next(later, len(self.text))
        return None

    def anchors_in_pivot(self, pivot: str) -> list[str]:
        """The anchors a reader of `?pivots=<pivot>` sees: those of other pivots are hidden."""
        hidden = {h.id for h in self.headings if h.pivot not in (None, pivot)}
        return [a for a in self.anchors if a not in hidden]

    def tables_in(self, span: tuple[int, int]) -> list[Table]:
        return [t for t in self.tables if span[0] <= t.start < span[1]]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.headings: list[Heading] = []
        self.anchors: list[str] = []
        self.tables: list[Table] = []
        self.found_main = False
        self._main = 0
        self._hidden = 0
        self._heading: tuple[int, str, int] | None = None
        self._heading_text: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self._cell: list[str] | None = None
        self._table_stack: list[Table] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "main" and (self._main or values.get("id") == "main"):
            self._main += 1
            self.found_main = True
            return
        if not self._main:
            return
        if tag not in _VOID:
            self._open.append((tag, values.get("data-pivot") or self._pivot()))
        if tag in _INVISIBLE:
            self._hidden += 1
        if tag in _BLOCKS:
            self._newline()
        if tag in _HEADINGS:
            self._heading = (int(tag[1]), values.get("id") or "", self.length)
            self._heading_text = []
            if values.get("id"):
                self.anchors.append(values["id"] or "")
        elif tag == "a" and (values.get("name") or values.get("id")):
            self.anchors.append(values.get("name") or values.get("id") or "")
        elif tag == "table":
            self._table_stack.append(Table(self.length))
        elif tag == "tr" and self._table_stack:
            self._table_stack[-1].rows.append([])
        elif tag in _CELLS:
            self._cell = []
            self._add(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self._main:
            return
        if tag == "main":
            self._main -= 1
            return
        if any(name == tag for name, _ in self._open):
            while self._open and self._open.pop()[0] != tag:
                pass
        if tag in _INVISIBLE and self._hidden:
            self._hidden -= 1
        if tag in _CELLS and self._cell is not None and self._table_stack and self._table_stack[-1].rows:
            self._table_stack[-1].rows[-1].append(_collapse("".join(self._cell)))
            self._cell = None
        elif tag == "table" and self._table_stack:
            self.tables.append(self._table_stack.pop())
        elif tag in _HEADINGS and self._heading:
            level, anchor, start = self._heading
            text = _collapse("".join(self._heading_text))
            self.headings.append(Heading(level, anchor, text, start, self._pivot()))
            self._heading = None
        if tag in _BLOCKS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._main and not self._hidden:
            if self._cell is not None:
                self._cell.append(data)
            if self._heading is not None:
                self._heading_text.append(data)
            self._add(re.sub(r"\s+", " ", data.translate(_QUOTES)))

    def _pivot(self) -> str | None:
        return self._open[-1][1] if self._open else None

    def _add(self, text: str) -> None:
        if text.startswith(" ") and (not self.parts or self.parts[-1].endswith((" ", "\n"))):
            text = text[1:]
        if text:
            self.parts.append(text)
            self.length += len(text)

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.length += 1


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def read_page(html: str) -> LearnPage | None:
    """The article of a Learn page; None when the HTML has no `<main id="main">` with an `<h1>`."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    title = next((h.text for h in reader.headings if h.level == 1), None)
    if not reader.found_main or title is None:
        return None
    return LearnPage("".join(reader.parts), title, reader.headings, reader.anchors, reader.tables)
