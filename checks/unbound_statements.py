"""claims/unbound-statement: a sentence that cites Microsoft Learn states a Learn fact, so something binds it.

Numbers are bound to the fact registry; a qualitative statement is bound to the audit by its words
(checks/audited_claims.py). A sentence that links a Learn article, or says that Learn says so, is
presenting Learn's word: it must hold a `site` phrase of an audited claim, or a number a registry
mention binds, or nothing would notice when it is edited or when Learn changes. The site's own
reasoning is written without a Learn citation, and a bare citation ("Source: [article](url)") states
nothing of its own.

A sentence about the site itself that names Learn ("each cell's link is its Learn source") is bound
to an audit entry with `about: site`. A table cell that the table checks read as a model's property
is bound by them (checks/tables.py). A reading-list item, an article's link and a parenthesised
note of what it holds, cites without stating. The sources page (it lists the claims) and the
changelog (claims/changelog binds its entries) are not articles. A sentence is read as the reader
reads it: links are their text, markup is gone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from checks.audit import Audit
from checks.audited_claims import squeeze
from checks.claims import Binder
from checks.findings import Finding
from checks.markdown_doc import InlineText, read_inline
from checks.site import Page, Site
from checks.tables import Statement

RULE = "claims/unbound-statement"
NOT_ARTICLES = {"sources", "changelog"}
LEARN_HOST = "learn.microsoft.com"
# Korean particles attach to the word (Learn이, Learn의): a Latin letter, not \b, bounds it.
_NAMES_LEARN = re.compile(r"(?<![A-Za-z])Learn(?![A-Za-z])")
# A sentence ends after 。！？ (and the closing brackets that follow), or after . ! ? before a space;
# "e.g." and its kind do not end one.
_END = re.compile(r"[。！？][）」』\)]*|[.!?](?=\s)")
_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "etc.", "cf.")
# What is left of a bare citation once its links are taken out: a label and punctuation.
_CITATION_LABELS = re.compile(r"出典|参照|来源|출처|Sources?|See|[\W_]", re.I)
_MIN_OWN_TEXT = 6
_NOTE_ONLY = re.compile(r"^\s*[（(][^（）()]*[）)]\s*$")


def sentences(inline: InlineText) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of the block's reader text; never inside a link's text."""
    text, start = inline.text, 0
    for match in _END.finditer(text):
        end = match.end()
        inside_link = any(a < match.start() < b for a, b, _ in inline.links)
        if inside_link or text[:end].endswith(_ABBREVIATIONS):
            continue
        yield start, end
        start = end
    if text[start:].strip():
        yield start, len(text)


def _cites_learn(inline: InlineText, start: int, end: int) -> bool:
    learn_links = [(a, b) for a, b, href in inline.links if urlsplit(href).hostname == LEARN_HOST]
    if any(a < end and b > start for a, b in learn_links):
        return True
    own = _own_text(inline, start, end)
    return bool(_NAMES_LEARN.search(own))


def _own_text(inline: InlineText, start: int, end: int) -> str:
    """The sentence without the text of its links."""
    kept = []
    for offset in range(start, end):
        if not any(a <= offset < b for a, b, _ in inline.links):
            kept.append(inline.text[offset])
    return "".join(kept)


def _reading_list_item(inline: InlineText, start: int, own: str) -> bool:
    """An article's link first, then only a parenthesised note of what it holds."""
    leading = [a for a, _, _ in inline.links if a >= start]
    return bool(leading) and not inline.text[start : min(leading)].strip() and bool(_NOTE_ONLY.match(own))


def check_unbound_statements(site: Site, audit: Audit, binder: Binder, statements: list[Statement]) -> list[Finding]:
    findings = []
    for page in site.pages:
        if page.stem in NOT_ARTICLES:
            continue
        phrases = [squeeze(m.phrase) for claim in audit.claims for m in claim.mentions if m.page == page.path.name]
        rows = {s.line for s in statements if s.page.path == page.path}
        findings += _page_findings(page, phrases, binder, rows)
    return findings


def _page_findings(page: Page, phrases: list[str], binder: Binder, rows: set[int]) -> Iterator[Finding]:
    for block in page.doc.blocks:
        if block.kind == "table" and block.line in rows:
            continue
        inline = read_inline(block.source)
        squeezed = squeeze(inline.text)
        spans = [(squeezed.find(p), squeezed.find(p) + len(p)) for p in phrases if p and p in squeezed]
        for start, end in sentences(inline):
            sentence = inline.text[start:end]
            if not _cites_learn(inline, start, end):
                continue
            own = _own_text(inline, start, end)
            if len(_CITATION_LABELS.sub("", own)) < _MIN_OWN_TEXT or _reading_list_item(inline, start, own):
                continue
            first, last = len(squeeze(inline.text[:start])), len(squeeze(inline.text[:end]))
            if any(a < last and b > first for a, b in spans) or binder.states_fact(sentence, page.locale):
                continue
            yield Finding(
                page.display,
                inline.line_of(start, block.line),
                RULE,
                f"this sentence presents Microsoft Learn's word, but no audited claim or fact binds it: "
                f"{sentence.strip()[:120]!r}",
                "add its key words as a `site` phrase (this page, this language) of the checks/audit.yml claim "
                "whose learn_quote says so, or add a claim (learn_quote from the Learn source, source, why, "
                "verdict); if it is the site's own reasoning, say so without citing Learn",
            )
