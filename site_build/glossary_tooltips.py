"""Glossary tooltips: the first use of each glossary abbreviation on a page becomes
`<abbr title="expansion — definition">`, in the page's language; Material's `content.tooltips`
shows it on hover and focus.

The converted HTML is edited, not the Markdown: Python-Markdown's abbr extension marks every use of
an abbreviation, and only the first one per page should carry the tooltip. Text inside code,
links, headings, diagrams and existing `<abbr>` is left alone (a link's text is already a target,
a heading is also the table of contents, code is quoted).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from checks.glossary import Glossary, Term

# Elements whose text never gets a tooltip; diagrams are `<pre class="mermaid">` until drawn, SVG after.
_SKIPPED = frozenset(
    {"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "svg", "title", "button", "textarea"}
    | {f"h{level}" for level in range(1, 7)}
)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class _FirstUses(HTMLParser):
    """Offsets in the HTML of the first use of each abbreviation, in text outside skipped elements."""

    def __init__(self, source: str, pattern: re.Pattern[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.pattern = pattern
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", source)]
        self.open: list[str] = []
        self.skipping = 0
        self.found: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self.open.append(tag)
        self.skipping += tag in _SKIPPED

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            return
        while self.open:
            closed = self.open.pop()
            self.skipping -= closed in _SKIPPED
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        for match in self.pattern.finditer(data):
            self.found.setdefault(match.group(1), start + match.start(1))


def add_tooltips(page_html: str, locale: str, glossary: Glossary) -> str:
    """`page_html` with the first use of each glossary abbreviation wrapped in `<abbr title=...>`."""
    terms: dict[str, Term] = {}
    titles: dict[str, str] = {}
    for term in glossary.abbreviated():
        title = glossary.tooltip(term, locale)
        if term.abbr and title:
            terms[term.abbr] = term
            titles[term.abbr] = title
    if not terms:
        return page_html
    names = "|".join(re.escape(abbr) for abbr in sorted(terms, key=len, reverse=True))
    # A plural "s" still reads as the abbreviation (CIDRs); letters or digits around make another word.
    pattern = re.compile(rf"(?<![A-Za-z0-9_])({names})(?=s?(?![A-Za-z0-9_]))")
    finder = _FirstUses(page_html, pattern)
    finder.feed(page_html)
    finder.close()
    for abbr, offset in sorted(finder.found.items(), key=lambda item: item[1], reverse=True):
        title = html.escape(titles[abbr], quote=True)
        end = offset + len(abbr)
        page_html = f'{page_html[:offset]}<abbr title="{title}">{abbr}</abbr>{page_html[end:]}'
    return page_html
