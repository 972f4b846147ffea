"""The nightly's watch over the audit: does the live Learn page still say what each audited claim quotes?

Every claim and omission of checks/audit.yml with a `learn_quote` and a `source.url` is looked for in the page
that the nightly fetches anyway for the registry and the site's links (one fetch per URL and
locale), in the section of its `source.anchor` (the whole article when the anchor is null). The
quote is compared as the reader reads it (checks/learn_quotes.py). Outcomes:

- OK: the quote stands in the cited section.
- CLAIM-MOVED (a notice): the quote stands on the page in another section, which is named.
- REWORDED (a notice): the quote is gone, but a passage of the section recalls at least SIMILAR of
  it and contradicts it in nothing. The report gives the old and the new text.
- CLAIM-CHANGED (an error): the closest passage contradicts the quote (a value of the quote is not
  in it, a negation or an "only" is added or dropped), a quoted table row now holds other cells, the
  cited section is gone, or the quote is gone and nothing in the section is close.
- UNREACHABLE: the page could not be had, as for facts (checks/online.py): never a content finding.

SIMILAR = 0.5 comes from Learn's own history (`tests/fake_learn_rewordings.py --survey`). Of the 243
sentences commits removed or rewrote in the cited articles (2024-04 to 2026-07), each set against
the sentence the same commit added to the same section that recalls it best, 42 score below 0.3
(the statement was dropped: what is closest is another statement) and 201 score 0.45 or more (the
same statement reworded, shortened, with its clauses swapped or split in two); none lies between.
The two below 0.5 are sentences split in two whose larger half keeps just under half the words:
the nightly reports such a split as a change, the safe side. So a notice is only given when at
least half of the quote is still there: a Learn edit that keeps less is an error, which opens the
nightly issue, rather than a notice, which does not.
tests/fixtures/learn_history/rewordings.yml holds real edits of both kinds, each checked by
tests/test_learn_claims.py.

Claims are checked against en-us only. The quotes are English, from the English Markdown sources at
the audited commit; the ja-jp page is a translation that lags English by weeks and never holds an
English sentence, so a quote looked for there would be gone every night. The site's Japanese pages
state the same claims, and what they rest on is that English source.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from checks.audit import AUDIT, load_audit
from checks.learn_html import DataRow, LearnPage, Table
from checks.learn_quotes import (
    Word,
    cell_value,
    collapse,
    contradiction,
    normal,
    quote_cells,
    quote_text,
    recall,
    stands_in,
    words,
)

CLAIM_LOCALE = "en-us"
SIMILAR = 0.5
# Passages compared per claim, as for facts (checks/learn_evidence.py): a hostile section of
# 100,000 sentences is cut short, not read for minutes.
_COMPARED = 2_000
_COMPARED_CHARS = 600
_PART_END = re.compile(r"(?<=[.!?])\s+|\n")


@dataclass(frozen=True)
class Claim:
    id: str
    entry: str  # audit.yml:LINE of the claim
    quote: str  # Learn's Markdown, as the audit has it
    url: str  # the en-us page
    anchor: str | None
    # The site pages the audit binds the claim to (its `site:` field, when it has one).
    stated_on: tuple[str, ...] = ()
    # A quoted table row: the column header of each cell after its label (the audit's learn_columns).
    columns: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.entry} (claim {self.id})"


@dataclass(frozen=True)
class Verdict:
    status: str
    detail: str
    old_text: str
    new_text: str | None = None
    moved_to: str | None = None  # CLAIM-MOVED: the anchor of the section that holds the quote now


def load_claims(path: Path = AUDIT) -> list[Claim]:
    """The audit's claims that quote Learn, read by the engine's own loader: an entry the build
    rejects (checks/audit.schema.json: a confirmed claim without its quote, say) is an error at
    audit.yml:LINE for the nightly too, never a claim it silently leaves out."""
    audit = load_audit(path)
    return [
        Claim(
            claim.id,
            audit.where(claim),
            claim.quote,
            _en_us(claim.url),
            claim.source.anchor,
            claim.stated_on,
            claim.columns,
        )
        for claim in audit.claims
        if claim.quote and claim.source
    ]


def _en_us(url: str) -> str:
    """The claim's page in English, whatever locale the audit wrote."""
    parts = urlsplit(url)
    path = re.sub(r"^/[a-z]{2}-[a-z]{2}(?=/)", "", parts.path)
    return urlunsplit(("https", parts.netloc, f"/{CLAIM_LOCALE}{path}", parts.query, parts.fragment))


def check_claim(claim: Claim, page: LearnPage) -> Verdict:
    quote = quote_text(claim.quote)
    cited = f"#{claim.anchor}" if claim.anchor else "the page"
    span = page.section(claim.anchor) if claim.anchor else (0, len(page.text))
    cells = quote_cells(claim.quote)
    # A row is read by its columns first: its words can all stand while its header moved away.
    row = _check_row(cells, claim.columns, cited, page.tables_in(span)) if cells and span else None
    if row is not None:
        return row
    if span is not None and cells is None and stands_in(quote, page.text[span[0] : span[1]]):
        return Verdict("OK", f"the quote stands in {cited}", quote)
    moved_to = next((anchor for anchor, text in _own_sections(page) if stands_in(quote, text)), None)
    if moved_to is not None:
        now = f"#{moved_to}" if moved_to else "the top of the article"
        return Verdict("CLAIM-MOVED", f"the quote now stands in {now}, not in {cited}", quote, quote, moved_to)
    if span is None:
        detail = f"the cited section {cited} is gone and the quote is not on the page"
        return Verdict("CLAIM-CHANGED", detail, quote, closest(claim.quote, page.text).passage)
    section = page.text[span[0] : span[1]]
    if cells is not None:
        lines = [line for line in section.split("\n")[1:] if line.strip()]
        detail = f"no row in {cited} is labelled like {cells[0]!r}"
        return Verdict("CLAIM-CHANGED", detail, quote, collapse(lines[0]) if lines else None)
    best = closest(claim.quote, section)
    if best.score < SIMILAR:
        detail = f"the quote is gone from {cited} and nothing there is close"
        if best.passage:
            detail += f" (the closest passage recalls {best.score:.0%} of it)"
        return Verdict("CLAIM-CHANGED", detail, quote, best.passage or _opening(section))
    why = contradiction(claim.quote, best.span, best.passage or "")
    if why:
        detail = f"the closest passage in {cited} contradicts the quote: {why}"
        return Verdict("CLAIM-CHANGED", detail, quote, best.passage)
    detail = f"{cited} says it in other words (the passage recalls {best.score:.0%} of the quote)"
    return Verdict("REWORDED", detail, quote, best.passage)


def _opening(section: str) -> str | None:
    """How the section opens now (below its heading): what Learn says instead, for the report."""
    return " ".join(section.split("\n")[1:]).strip()[:300] or None


def _own_sections(page: LearnPage) -> Iterator[tuple[str, str]]:
    """Each heading's anchor with its text up to the next heading (the text above the first: '')."""
    bounds = [(0, ""), *((h.start, h.id) for h in page.headings if h.level > 1)]
    for (start, anchor), (end, _) in zip(bounds, [*bounds[1:], (len(page.text), "")], strict=True):
        yield anchor, page.text[start:end]


def sentences(text: str) -> list[str]:
    """The sentences and lines of `text` (a table row, a list item, a cell's `<br>` is a line)."""
    return [p.strip() for p in _PART_END.split(text) if len(p.strip()) > 3]


@dataclass(frozen=True)
class Closest:
    score: float = 0.0
    passage: str | None = None
    span: tuple[Word, ...] = ()


def closest(quote_markdown: str, section: str) -> Closest:
    """The run of as many sentences (or lines) as the quote has that recalls most of it."""
    text = quote_text(quote_markdown)
    quote = words(text)
    parts = sentences(section)
    size = len(sentences(text.replace(" • ", "\n"))) or 1
    runs = (" ".join(parts[i : i + size])[:_COMPARED_CHARS] for i in range(max(1, len(parts) - size + 1)))
    best = Closest()
    for passage in itertools.islice(runs, _COMPARED):
        found = recall(quote, words(passage), SIMILAR)
        if found.score > best.score:
            best = Closest(found.score, passage, tuple(found.span))
    return best


def _check_row(cells: list[str], columns: tuple[str, ...], cited: str, tables: list[Table]) -> Verdict | None:
    """A quoted table row against the section's row whose label recalls it best, read by column as
    the reader reads a table: each quoted cell against the cell under the same column header, as a
    value ("5,000" and "5000" are one number). The same values under another label, or with their
    columns in another order, are a notice with both rows; another value under a column, or a
    column gone, is a change. None when no row of the section is labelled like it."""
    label = words(cells[0])

    def label_score(row: DataRow) -> float:
        return max((recall(label, words(name), SIMILAR).score for name in row.labels), default=0.0)

    rows = [row for table in tables for row in table.data_rows][:_COMPARED]
    # A row labelled exactly so is the row: a neighbour with the old values ("... (preview)") is not it.
    exact = [row for row in rows if normal(cells[0]) in map(normal, row.labels)]
    if exact:
        return _row_verdict(cells, columns, cited, exact[0])
    # Relabelled: of the rows labelled like it, best first, the one that holds the quoted values (a
    # relabelled row may recall less of the label than a neighbour: "Max nodes in a cluster" against
    # "Maximum pods per node"); none holds them: the change is told against the best-labelled row.
    candidates = sorted((row for row in rows if label_score(row) >= SIMILAR), key=label_score, reverse=True)
    verdicts = [_row_verdict(cells, columns, cited, row) for row in candidates]
    return next((v for v in verdicts if v.status != "CLAIM-CHANGED"), verdicts[0] if verdicts else None)


def _row_verdict(cells: list[str], columns: tuple[str, ...], cited: str, row: DataRow) -> Verdict:
    quoted = " | ".join(cells)
    now = collapse(" | ".join(cell.text for cell in row.cells))
    under = {normal(names[0]): cell.text for names, cell in zip(row.columns, row.cells, strict=True)}

    def header_score(column: str, header: str) -> float:
        return recall(words(column), words(header), SIMILAR).score

    # A header is the quoted column's when it is written so, or else when it recalls it best and is
    # no other quoted column's own header ("Azure CNI Node Subnet (legacy)" shares most words with
    # "Azure CNI Pod Subnet": a column removed is not the next one).
    quoted_headers = {normal(column) for column in columns}
    literal = normal(row.labels[0]) == normal(cells[0])
    for column, value in zip(columns, cells[1:], strict=True):
        others = [header for header in under if header == normal(column) or header not in quoted_headers]
        name = max(others, key=lambda header: (header == normal(column), header_score(column, header)), default="")
        if not name or (name != normal(column) and header_score(column, name) < SIMILAR):
            detail = f"the row labelled like {cells[0]!r} in {cited} has no column {column!r} any more"
            return Verdict("CLAIM-CHANGED", detail, quoted, now)
        if cell_value(under[name]) != cell_value(value):
            detail = f"under {column!r}, the row labelled like {cells[0]!r} in {cited} now says {under[name]!r}"
            return Verdict("CLAIM-CHANGED", f"{detail}, not {value!r}", quoted, now)
        literal = literal and normal(under[name]) == normal(value) and name == normal(column)
    if literal and now.casefold() == normal(quoted):
        return Verdict("OK", f"the quote stands in {cited}", quoted)
    if normal(row.labels[0]) != normal(cells[0]):
        return Verdict("REWORDED", f"the row holds the same cells under another label in {cited}", quoted, now)
    detail = f"the row holds the same values under the same columns in {cited}, written or ordered another way"
    return Verdict("REWORDED", detail, quoted, now)
