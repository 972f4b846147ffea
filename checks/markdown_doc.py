"""A page's Markdown as the checks see it: headings, tables, fences, links, tags and text, each with its line.

markdown-it-py gives every block its source lines. Python-Markdown syntax that CommonMark does not
know (admonitions, front matter) is lifted out first, keeping line numbers unchanged. Raw HTML,
which Python-Markdown passes to the reader, is read by checks/html_source.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from checks.docs_files import MAX_NESTING, front_matter_end
from checks.html_source import MAX_HTML_CHARS, HtmlParts, Tag, attr_list_tags, read_html
from checks.yaml_files import error_line, error_text, load_yaml

# As Python-Markdown's admonition and pymdownx.details read the opening line: one space at most after
# the marker, then one or more classes (`note inline end`), then an optional quoted title.
_ADMONITION = re.compile(
    r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?) ?(?P<type>[\w-]+)(?: +[\w-]+)*(?: +"(?P<title>.*?)")? *$'
)
# One blockquote marker as Python-Markdown strips it: `>` and at most one space after it.
_QUOTE_MARKER = re.compile(r"^[ ]*> ?")
_PARSER = MarkdownIt("commonmark").enable("table")
# markdown-it drops javascript: and data: links to text; Python-Markdown renders them, so the checks must see them.
_PARSER.validateLink = lambda url: True
# Deeper than MAX_NESTING, markdown-it would stop nesting silently: let it go further, and report.
_PARSER.options["maxNesting"] = MAX_NESTING + 10
_TOO_DEEP = f"lists, quotes or HTML elements nest deeper than {MAX_NESTING} levels"
# How to fix each problem the parse itself finds (Document.problems).
PROBLEM_HINTS = {
    "markdown/too-deep": "flatten the structure: Python-Markdown cannot render it (it would overflow the stack)",
    "markdown/front-matter": "write the front matter as `key: value` lines between two `---` lines at the very "
    "top of the page (a translation's source_hash is written by `python -m checks stamp`)",
    "html/too-large": "write the content in Markdown, or split it: the checks read at most this much raw HTML",
    "markdown/unclosed-fence": "close the code block with the same fence (``` or ~~~) on a line of its own",
    "html/markup-in-front-matter": 'write the title and description as plain text (no <, > or ")',
    "markdown/nested-list-indent": "indent a nested list by 4 spaces per level: Python-Markdown, which renders the "
    "site, nests only then (editors that preview CommonMark accept 2)",
}


@dataclass(frozen=True)
class TextRun:
    """Text a reader sees, from one source line; `kind` says where: prose, table, heading, admonition."""

    text: str
    line: int
    kind: str


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]
    source_cell_count: int


@dataclass(frozen=True)
class Table:
    line: int
    header: Row
    rows: list[Row]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.rows), len(self.header.cells))


@dataclass(frozen=True)
class Fence:
    info: str
    content: str
    line: int
    closed: bool

    @property
    def content_line(self) -> int:
        return self.line + 1


@dataclass(frozen=True)
class Code:
    """A code block: a fence or an indented block; `line` is the line of its first line of code."""

    info: str
    content: str
    line: int


@dataclass(frozen=True)
class Link:
    url: str
    line: int


@dataclass(frozen=True)
class Block:
    """A paragraph, list item or table cell as Markdown source: where sentences are read whole."""

    line: int
    kind: str  # prose | table
    source: str


@dataclass(frozen=True)
class InlineText:
    """Reader text of a block, with its links as spans (start, end, href) and the offset of each line break."""

    text: str
    links: tuple[tuple[int, int, str], ...]
    breaks: tuple[int, ...]

    def line_of(self, offset: int, first: int) -> int:
        return first + sum(1 for at in self.breaks if at <= offset)


def read_inline(source: str) -> InlineText:
    text: list[str] = []
    links: list[tuple[int, int, str]] = []
    breaks: list[int] = []
    length, href, start = 0, "", 0
    for token in _PARSER.parseInline(source):
        for child in token.children or []:
            piece = ""
            if child.type in ("softbreak", "hardbreak"):
                breaks.append(length)
                piece = " "
            elif child.type in ("text", "code_inline"):
                piece = child.content
            elif child.type == "html_inline" and child.content.lower().startswith("<br"):
                piece = " "
            elif child.type == "link_open":
                href, start = str(child.attrGet("href") or ""), length
            elif child.type == "link_close":
                links.append((start, length, href))
            text.append(piece)
            length += len(piece)
    return InlineText("".join(text), tuple(links), tuple(breaks))


@dataclass(frozen=True)
class Admonition:
    type: str
    title: str
    line: int
    # The box's last source line: what a reader reads inside the box lies between `line` and `end`.
    end: int = 0


@dataclass
class Document:
    path: Path
    front_matter: dict = field(default_factory=dict)
    headings: list[Heading] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    fences: list[Fence] = field(default_factory=list)
    code: list[Code] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    texts: list[TextRun] = field(default_factory=list)
    admonitions: list[Admonition] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    # Raw HTML tags, Markdown links and images and attr_lists, as the tags they render to.
    tags: list[Tag] = field(default_factory=list)
    styles: list[tuple[str, int]] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def mermaid(self) -> list[Fence]:
        return [f for f in self.fences if f.info.split()[:1] == ["mermaid"]]


def parse_document(path: Path, text: str) -> Document:
    lines, doc = lifted_lines(path, text)
    source = "\n".join(lines)
    try:
        tokens = _PARSER.parse(source)
    except RecursionError:
        doc.problems.append((1, "markdown/too-deep", _TOO_DEEP))
        return doc
    _collect(tokens, lines, doc)
    return doc


def lifted_lines(path: Path, text: str) -> tuple[list[str], Document]:
    """The page's lines as CommonMark must read them, line numbers unchanged: front matter blanked, each
    admonition's opening line blanked and its body dedented; the Document holds what was lifted."""
    doc = Document(path)
    lines = text.split("\n")
    _lift_front_matter(lines, doc)
    _lift_admonitions(lines, doc)
    return lines, doc


def _lift_front_matter(lines: list[str], doc: Document) -> None:
    if not lines or lines[0].strip() != "---":
        return
    end = front_matter_end(lines)
    if end is None:
        doc.problems.append((1, "markdown/front-matter", "front matter opened with --- is never closed"))
        return
    block = "\n".join(lines[1:end])
    try:
        data = load_yaml(block) or {}
    except yaml.YAMLError as error:
        # libyaml may point past the end (an unclosed bracket): keep the line inside the front matter.
        line = min(1 + (error_line(error, block) or 1), end)
        doc.problems.append((line, "markdown/front-matter", f"front matter is not valid YAML: {error_text(error)}"))
        data = {}
    if not isinstance(data, dict):
        doc.problems.append((1, "markdown/front-matter", "front matter must be a mapping of keys to values"))
        data = {}
    doc.front_matter = data
    for i in range(1, end):
        key = lines[i].partition(":")[0].strip()
        if key in data and not lines[i][:1].isspace():
            _front_matter_value(key, data[key], i + 1, doc)
    for i in range(end + 1):
        lines[i] = ""


# Material prints these unescaped into <title>, <meta content="…"> and the page header.
_SHOWN_KEYS = ("title", "description")
_MARKUP = re.compile(r'[<>"]')


def _front_matter_value(key: str, value: object, line: int, doc: Document) -> None:
    """A front-matter value, at its key's line: read as the HTML it may become (a theme may print any key)."""
    for text in _strings(value):
        html = HtmlParts()
        # One line for the whole value: a block scalar's lines are not the file's lines.
        if read_html(text.replace("\n", " "), line, html):
            doc.tags.extend(html.tags)
            doc.styles.extend(html.styles)
    if key in _SHOWN_KEYS and isinstance(value, str):
        # The page's title and description reach the reader (title bar, search, link previews).
        doc.texts.append(TextRun(value, line, "front-matter"))
        if markup := _MARKUP.search(value):
            doc.problems.append(
                (
                    line,
                    "html/markup-in-front-matter",
                    f"the front matter's {key} contains {markup[0]!r}: the theme prints {key} "
                    "unescaped into the page's <head> and header, so markup there runs or breaks the page",
                )
            )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _lift_admonitions(lines: list[str], doc: Document) -> None:
    """Replace `!!! type "title"` by a blank line and dedent its body, so CommonMark parses the body."""
    i = 0
    while i < len(lines):
        match = _ADMONITION.match(lines[i])
        if not match:
            i += 1
            continue
        indent = len(match["indent"].expandtabs(4))
        title = match["title"] or ""
        start = i + 1
        if title:
            doc.texts.append(TextRun(title, i + 1, "admonition"))
        lines[i] = ""
        body_indent = " " * (indent + 4)
        i += 1
        while i < len(lines) and (lines[i].startswith(body_indent) or not lines[i].strip()):
            if lines[i].strip():
                lines[i] = lines[i][indent + 4 :] if indent == 0 else " " * indent + lines[i][indent + 4 :]
            if (
                not lines[i].strip()
                and i + 1 < len(lines)
                and lines[i + 1].strip()
                and not lines[i + 1].startswith(body_indent)
            ):
                break
            i += 1
        doc.admonitions.append(Admonition(match["type"].lower(), title, start, i))


def _split_row(source: str) -> list[str]:
    """Cells of a table row as written, honouring escaped pipes and code spans."""
    body = source.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells, current, in_code = [], [], False
    previous = ""
    for char in body:
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code and previous != "\\":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        previous = char
    cells.append("".join(current).strip())
    return cells


def _inline_runs(token: Token, kind: str, doc: Document, line: int | None = None) -> None:
    """Split an inline token into runs, one per source line; record links, images and inline HTML."""
    if line is None:
        line = token.map[0] + 1 if token.map else 0
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            _add_run("".join(parts), line, kind, doc)
            parts, line = [], line + 1
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            doc.links.append(Link(href, line))
            doc.tags.append(Tag("a", (("href", href),), line))
            _add_title(child, line, kind, doc)
        elif child.type == "image":
            parts.append(child.content)
            doc.tags.append(Tag("img", (("src", str(child.attrGet("src") or "")),), line))
            _add_title(child, line, kind, doc)
        elif child.type == "html_inline":
            if child.content.lower().startswith("<br"):
                parts.append(" ")
            html = HtmlParts()
            read_html(child.content, line, html)
            _add_html(html, "html", doc)
    if parts:
        _add_run("".join(parts), line, kind, doc)


def _add_title(token: Token, line: int, kind: str, doc: Document) -> None:
    """A link's or image's title (`[x](url "title")`) is a tooltip the reader reads."""
    title = token.attrGet("title")
    if title:
        doc.texts.append(TextRun(str(title), line, kind))


def _add_run(text: str, line: int, kind: str, doc: Document) -> None:
    doc.texts.append(TextRun(text, line, kind))
    doc.tags.extend(attr_list_tags(text, line))


def _add_html(html: HtmlParts, kind: str, doc: Document) -> None:
    # Text in raw HTML is read as Markdown too: inside `markdown="1"` Python-Markdown renders it so,
    # and elsewhere a link written in it still shows its URL and numbers to the reader.
    for text, line in html.texts:
        for token in _PARSER.parseInline(text):
            _inline_runs(token, kind, doc, line)
    doc.tags.extend(html.tags)
    doc.styles.extend(html.styles)
    doc.links.extend(Link(tag.get("href") or "", tag.line) for tag in html.tags if tag.name == "a" and tag.get("href"))


def _html_block(token: Token, doc: Document) -> None:
    line = token.map[0] + 1 if token.map else 0
    html = HtmlParts()
    if read_html(token.content, line, html):
        _add_html(html, "html", doc)
    else:
        message = f"an HTML block of {len(token.content):,} characters is larger than the checks read"
        doc.problems.append((line, "html/too-large", f"{message} ({MAX_HTML_CHARS:,})"))


def _collect(tokens: list[Token], lines: list[str], doc: Document) -> None:
    table_rows: list[Row] = []
    table_line = 0
    row_cells: list[str] = []
    row_line = 0
    in_table = False
    pending_heading: Token | None = None
    # Lists open in each blockquote level: Python-Markdown reads a quote's content as a document of
    # its own, so a list nests by its indent after the quote markers, counted from the quote's lists.
    list_depths = [0]
    for token in tokens:
        if token.level > MAX_NESTING and not any(rule == "markdown/too-deep" for _, rule, _ in doc.problems):
            line = token.map[0] + 1 if token.map else 1
            doc.problems.append((line, "markdown/too-deep", _TOO_DEEP))
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depths[-1] += 1
            _check_nested_indent(token, list_depths, lines, doc)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depths[-1] -= 1
        elif token.type == "blockquote_open":
            list_depths.append(0)
        elif token.type == "blockquote_close" and len(list_depths) > 1:
            list_depths.pop()
        elif token.type == "heading_open":
            pending_heading = token
        elif token.type == "table_open":
            in_table, table_rows, table_line = True, [], (token.map[0] + 1 if token.map else 0)
        elif token.type == "table_close":
            in_table = False
            if table_rows:
                doc.tables.append(Table(table_line, table_rows[0], table_rows[1:]))
        elif token.type == "tr_open":
            row_cells, row_line = [], (token.map[0] + 1 if token.map else 0)
        elif token.type == "tr_close":
            source_cells = _split_row(lines[row_line - 1]) if 0 < row_line <= len(lines) else row_cells
            table_rows.append(Row(row_line, row_cells, len(source_cells)))
        elif token.type == "inline":
            if pending_heading is not None:
                level = int(pending_heading.tag[1:])
                doc.headings.append(Heading(level, token.content.strip(), token.map[0] + 1 if token.map else 0))
                _inline_runs(token, "heading", doc)
                pending_heading = None
            else:
                kind = "table" if in_table else "prose"
                if in_table:
                    row_cells.append(token.content.strip())
                _inline_runs(token, kind, doc)
                doc.blocks.append(Block(token.map[0] + 1 if token.map else row_line, kind, token.content))
        elif token.type == "html_block":
            _html_block(token, doc)
        elif token.type == "fence":
            start = token.map[0] if token.map else 0
            end = token.map[1] if token.map else 0
            fence_marker = token.markup
            closing = lines[end - 1].strip() if 0 < end <= len(lines) else ""
            closed = end - start >= 2 and closing.startswith(fence_marker) and set(closing) <= set(fence_marker[0])
            doc.fences.append(Fence(token.info.strip(), token.content, start + 1, closed))
            doc.code.append(Code(token.info.strip(), token.content, start + 2))
            if not closed:
                doc.problems.append((start + 1, "markdown/unclosed-fence", f"the {fence_marker} fence is never closed"))
        elif token.type == "code_block" and token.map:
            doc.code.append(Code("", token.content, token.map[0] + 1))


def _check_nested_indent(token: Token, list_depths: list[int], lines: list[str], doc: Document) -> None:
    """Python-Markdown nests a list only under a 4-space indent; with less it silently flattens it.
    The indent counts from the content of the innermost quote (admonition bodies are already dedented)."""
    depth = list_depths[-1]
    if depth < 2 or not token.map:
        return
    line = lines[token.map[0]].expandtabs(4)
    for _ in range(len(list_depths) - 1):
        line = _QUOTE_MARKER.sub("", line, count=1)
    indent = len(line) - len(line.lstrip(" "))
    if indent < 4 * (depth - 1):
        message = f"a nested list indented by {indent} spaces renders flat; indent it by {4 * (depth - 1)}"
        doc.problems.append((token.map[0] + 1, "markdown/nested-list-indent", message))
