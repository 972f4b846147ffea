"""What the nightly job reads from a Learn page's HTML: the article inside `<main id="main">` only.

Navigation, footers and scripts are not the article, so nothing outside that element counts. The
article is kept as text (one line per block: paragraph, list item, table row, heading; the cells
of a row apart, by a tab) with its headings and tables placed in that text, so that evidence can
be looked for in the section of a heading (from the heading down to the next heading of the same
or a higher level) or in one table cell.

A table is read as the reader sees it: a grid with every `colspan` and `rowspan` expanded, each
cell of a nested table in that table only, footnote markers (`<sup>1</sup>`, "²") kept apart from
the cell's words, and each row named by its row header or first cell and each column by the
header rows above that row (a header repeated in the body, with its columns in another order,
names the rows below it). Spans are capped, so a hostile table cannot make the grid huge.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_INVISIBLE = {"script", "style", "noscript", "template"}
# Tags that end a line of the article text.
_BLOCKS = {"p", "li", "tr", "br", "div", "ul", "ol", "table", "blockquote", "pre"} | _HEADINGS
_CELLS = {"td", "th"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Learn writes typographic quotes where the Markdown sources (and so the registry) have plain ones.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
# A no-break space between digits groups them ("5&nbsp;000"): kept as a narrow no-break space, which
# checks/learn_values.py reads as a digit group, where a plain space would be read as two numbers.
_DIGIT_SPACE = re.compile(r"(?<=\d)\u00a0(?=\d)")
# Whitespace runs collapse to one space, except the thin and narrow no-break spaces of digit groups.
_WHITESPACE = re.compile(r"[^\S\u2009\u202f]+")


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str
    start: int
    # The zone pivot (`?pivots=`) the heading belongs to; Learn shows it only in that pivot.
    pivot: str | None = None


@dataclass(frozen=True)
class Cell:
    text: str  # the cell's words, without footnote markers
    header: bool = False  # a <th>, or a cell of <thead>
    notes: tuple[str, ...] = ()  # footnote markers: <sup>1</sup>, a trailing "²" or "*"
    origin: tuple[int, int] = (0, 0)  # (row, column) of the cell that spans to here
    span: tuple[int, int] = (0, 0)  # where its words stand in LearnPage.text


@dataclass(frozen=True)
class DataRow:
    """A row that states something: what it is called, what each column is called above it, its cells."""

    labels: tuple[str, ...]  # its row headers joined, its first cell, its first two cells (grouped rows)
    columns: tuple[tuple[str, ...], ...]  # per column: the header texts above it joined, then each one
    cells: tuple[Cell, ...]
    first_data: int = 1  # the first column after the cells that name the row


@dataclass
class Table:
    start: int
    grid: list[list[Cell]] = field(default_factory=list)  # rows of equal width, every span expanded
    head_rows: frozenset[int] = frozenset()  # rows of <thead>
    truncated: bool = False  # the spans asked for more cells than MAX_TABLE_CELLS

    @cached_property
    def data_rows(self) -> list[DataRow]:
        """The rows below a header, each with the names of its columns from the header rows above it."""
        rows: list[DataRow] = []
        band: list[list[Cell]] = []
        in_band = False
        # A table with no header row at all (no <thead>, no row of <th>) is read by its first row.
        headless = self.grid and not self.head_rows and not any(_is_header_row(row) for row in self.grid)
        for index, row in enumerate(self.grid):
            origins = {cell.origin for cell in row}
            if index in self.head_rows or _is_header_row(row) or (headless and index == 0):
                # A header row; one that follows data rows starts a new header for the rows below it.
                band = [*band, row] if in_band else [row]
                in_band = True
                continue
            in_band = False
            if len(origins) == 1 and row and row[0].header:
                continue  # a section row: one header cell across the table
            labels, named_by = _row_labels(index, row)
            rows.append(DataRow(labels, _column_names(band, len(row)), tuple(row), named_by))
        return rows


def _is_header_row(row: list[Cell]) -> bool:
    """A row of <th> cells naming columns (a single <th> across the table names a section instead)."""
    return all(cell.header for cell in row) and len({cell.origin for cell in row}) > 1


def _distinct(cells: list[Cell]) -> list[str]:
    """The texts of cells, each spanning cell once."""
    seen: set[tuple[int, int]] = set()
    texts = []
    for cell in cells:
        if cell.origin not in seen and cell.text:
            seen.add(cell.origin)
            texts.append(cell.text)
    return texts


def _column_names(band: list[list[Cell]], width: int) -> tuple[tuple[str, ...], ...]:
    names = []
    for column in range(width):
        texts = _distinct([row[column] for row in band if column < len(row)])
        names.append((" ".join(texts), *reversed(texts)) if texts else ("",))
    return tuple(names)


def _row_labels(index: int, row: list[Cell]) -> tuple[tuple[str, ...], int]:
    """The names of a row, and how many of its first cells name it."""
    headers = []
    for cell in row:
        if not cell.header:
            break
        headers.append(cell)
    first = row[0].text if row else ""
    labels = [" ".join(_distinct(headers)) if headers else first, first]
    named_by = max(len(headers), 1)
    if row and row[0].origin[0] < index and len(row) > 1:
        # A first cell spanning rows names a group; the second cell names the row within it.
        labels += [" ".join(_distinct(row[:2])), row[1].text]
        named_by = max(named_by, 2)
    return tuple(dict.fromkeys(labels)), named_by


@dataclass
class LearnPage:
    text: str
    title: str
    headings: list[Heading]
    anchors: list[str]
    tables: list[Table]
    # The article's language as Learn declares it (`<main lang>`, else `<html lang>`): values are read by it.
    locale: str = "en-us"
    _cells: list[tuple[int, int, DataRow, int]] | None = field(default=None, repr=False, compare=False)

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

    def cell_at(self, position: int) -> tuple[DataRow, int] | None:
        """The data row and column whose cell holds `position` of `text` (the innermost, in a nested
        table); None outside every table's data rows."""
        if self._cells is None:
            cells = [
                (cell.span[0], cell.span[1], row, column)
                for table in self.tables
                for row in table.data_rows
                for column, cell in enumerate(row.cells)
                if cell.span[1] > cell.span[0] and cell.origin[1] == column
            ]
            self._cells = sorted(cells, key=lambda item: item[0])
        index = bisect.bisect_right(self._cells, position, key=lambda item: item[0])
        # A nested table's cells start inside the cell that holds it: the latest start is the innermost.
        for start, end, row, column in reversed(self._cells[max(0, index - 50) : index]):
            if start <= position < end:
                return row, column
        return None


# Expanded cells one table may hold: Learn's largest tables have a few hundred; a hostile
# `rowspan="65534" colspan="1000"` would ask for 65 million.
MAX_TABLE_CELLS = 100_000
_MAX_COLSPAN = 1_000  # as HTML caps it
# Footnote markers Learn writes after a cell's words: superscript digits, asterisks, daggers.
_TRAILING_MARKS = re.compile(r"\s*([\u00b9\u00b2\u00b3\u2070-\u2079*\u2020\u2021]+)$")
_SUPERSCRIPTS = str.maketrans("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789")


@dataclass
class _RawCell:
    header: bool
    colspan: int
    rowspan: int  # 0: to the last row, as HTML reads it
    start: int = 0
    end: int = 0
    parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _TableBuilder:
    start: int
    rows: list[list[_RawCell]] = field(default_factory=list)
    head_rows: set[int] = field(default_factory=set)
    in_head: bool = False
    cell: _RawCell | None = None
    sup: int = 0

    def open_cell(self, header: bool, colspan: int, rowspan: int, at: int) -> None:
        self.close_cell(at)
        if not self.rows:
            self.new_row(at)
        self.cell = _RawCell(header or self.in_head, colspan, rowspan, at)

    def new_row(self, at: int) -> None:
        self.close_cell(at)
        if self.in_head:
            self.head_rows.add(len(self.rows))
        self.rows.append([])

    def close_cell(self, at: int) -> None:
        if self.cell is not None:
            self.cell.end = at
            self.rows[-1].append(self.cell)
            self.cell, self.sup = None, 0

    def build(self, at: int) -> Table:
        self.close_cell(at)
        occupied: dict[tuple[int, int], Cell] = {}
        truncated = False
        for r, row in enumerate(self.rows):
            c = 0
            for raw in row:
                while (r, c) in occupied:
                    c += 1
                rows = len(self.rows) - r if raw.rowspan == 0 else min(raw.rowspan, len(self.rows) - r)
                columns = min(raw.colspan, _MAX_COLSPAN)
                if len(occupied) + rows * columns > MAX_TABLE_CELLS:
                    truncated = True
                    break
                cell = _cell(raw, (r, c))
                for dr in range(rows):
                    for dc in range(columns):
                        occupied.setdefault((r + dr, c + dc), cell)
                c += columns
            if truncated:
                break
        height = 1 + max((r for r, _ in occupied), default=-1)
        width = 1 + max((c for _, c in occupied), default=-1)
        if height * width > MAX_TABLE_CELLS:
            truncated, height = True, MAX_TABLE_CELLS // max(width, 1)
        grid = [[occupied.get((r, c)) or Cell("", origin=(r, c)) for c in range(width)] for r in range(height)]
        return Table(self.start, grid, frozenset(self.head_rows), truncated)


def _cell(raw: _RawCell, origin: tuple[int, int]) -> Cell:
    text = _collapse("".join(raw.parts))
    notes = [_collapse(note) for note in raw.notes if note.strip()]
    if mark := _TRAILING_MARKS.search(text):
        notes.append(mark[1].translate(_SUPERSCRIPTS))
        text = text[: mark.start()]
    return Cell(text, raw.header, tuple(notes), origin, (raw.start, raw.end))


def _span(value: str | None) -> int | None:
    """A colspan or rowspan as HTML reads it: digits, else none (1)."""
    digits = re.match(r"\s*(\d{1,6})", value or "")
    return int(digits[1]) if digits else None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.headings: list[Heading] = []
        self.anchors: list[str] = []
        self.tables: list[Table] = []
        self.found_main = False
        self.locale: str | None = None
        self.html_locale: str | None = None
        self._main = 0
        self._hidden = 0
        self._heading: tuple[int, str, int] | None = None
        self._heading_text: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self._tables: list[_TableBuilder] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html" and values.get("lang"):
            self.html_locale = values["lang"]
        if tag == "main" and (self._main or values.get("id") == "main"):
            if not self._main and values.get("lang"):
                self.locale = values["lang"]
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
        table = self._tables[-1] if self._tables else None
        if tag in _HEADINGS:
            self._heading = (int(tag[1]), values.get("id") or "", self.length)
            self._heading_text = []
            if values.get("id"):
                self.anchors.append(values["id"] or "")
        elif tag == "a" and (values.get("name") or values.get("id")):
            self.anchors.append(values.get("name") or values.get("id") or "")
        elif tag == "table":
            self._tables.append(_TableBuilder(self.length))
        elif table is None:
            return
        elif tag == "thead":
            table.close_cell(self.length)
            table.in_head = True
        elif tag in ("tbody", "tfoot"):
            table.close_cell(self.length)
            table.in_head = False
        elif tag == "tr":
            table.new_row(self.length)
        elif tag in _CELLS:
            self._cell_separator()
            colspan, rowspan = _span(values.get("colspan")), _span(values.get("rowspan"))
            table.open_cell(tag == "th", max(colspan or 1, 1), 1 if rowspan is None else rowspan, self.length)
        elif tag == "sup" and table.cell is not None:
            table.sup += 1

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
        table = self._tables[-1] if self._tables else None
        if table is not None and tag in _CELLS:
            table.close_cell(self.length)
        elif table is not None and tag == "thead":
            table.close_cell(self.length)
            table.in_head = False
        elif table is not None and tag == "sup" and table.sup:
            table.sup -= 1
        elif table is not None and tag == "table":
            self.tables.append(self._tables.pop().build(self.length))
        elif tag in _HEADINGS and self._heading:
            level, anchor, start = self._heading
            text = _collapse("".join(self._heading_text))
            self.headings.append(Heading(level, anchor, text, start, self._pivot()))
            self._heading = None
        if tag in _BLOCKS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._main and not self._hidden:
            table = self._tables[-1] if self._tables else None
            if table is not None and table.cell is not None:
                (table.cell.notes if table.sup else table.cell.parts).append(data)
            if self._heading is not None:
                self._heading_text.append(data)
            self._add(_WHITESPACE.sub(" ", _DIGIT_SPACE.sub("\u202f", data).translate(_QUOTES)))

    def _pivot(self) -> str | None:
        return self._open[-1][1] if self._open else None

    def _add(self, text: str) -> None:
        if text.startswith(" ") and (not self.parts or self.parts[-1].endswith((" ", "\n", "\t"))):
            text = text[1:]
        if text:
            self.parts.append(text)
            self.length += len(text)

    def _cell_separator(self) -> None:
        """Cells of a row stand apart in the text: "250 | 110" never reads as one number."""
        if self.parts and self.parts[-1].endswith(" "):
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        if self.parts and not self.parts[-1].endswith(("\n", "\t")):
            self.parts.append("\t")
            self.length += 1

    def _newline(self) -> None:
        if self.parts and self.parts[-1].endswith(" "):
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.length += 1


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", _DIGIT_SPACE.sub("\u202f", text).translate(_QUOTES)).strip()


def read_page(html: str) -> LearnPage | None:
    """The article of a Learn page; None when the HTML has no `<main id="main">` with an `<h1>`."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    title = next((h.text for h in reader.headings if h.level == 1), None)
    if not reader.found_main or title is None:
        return None
    # A table nested in another ends first; the page lists them in reading order.
    tables = sorted(reader.tables, key=lambda table: table.start)
    locale = (reader.locale or reader.html_locale or "en-us").strip().lower()
    return LearnPage("".join(reader.parts), title, reader.headings, reader.anchors, tables, locale)
