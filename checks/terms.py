"""Terms against the glossary (checks/glossary.yml): one word per concept, and every abbreviation explained.

- terms/disallowed-variant: a reader-visible text run (prose, tables, boxes, diagram labels and
  titles, raw HTML text, front matter, mkdocs.yml's strings) holds a word the glossary lists as a
  variant of a term, in the page's language.
- terms/undefined-abbreviation: a page shows an all-caps word of two or more letters that is
  neither a glossary abbreviation nor in the glossary's `allowed_abbreviations`.
- terms/glossary-table: the prerequisites glossary table names a word that is not a glossary term,
  or lacks a row for an abbreviation the site shows in that language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from checks.audited_claims import reader_text
from checks.findings import Finding
from checks.glossary import Glossary, Term
from checks.site import Page, Site

# An all-caps word of 2+ letters (digits inside allowed), with an optional plural "s": IPAM, SNATs.
# Letters or digits right before or after make it part of a longer word (IPv4, DCsv2, SNAT1).
ABBREVIATION = re.compile(r"(?<![A-Za-z0-9_])([A-Z][A-Z0-9]*[A-Z])s?(?![A-Za-z0-9_])")
_BOLD = re.compile(r"\*\*|__")


@dataclass(frozen=True)
class Use:
    """One occurrence of a word in a page's reader-visible text."""

    line: int
    text: str  # the run it stands in
    start: int


def page_runs(page: Page) -> list[tuple[int, str]]:
    """(source line, text) of every run a reader of the page sees, in source order."""
    return list(reader_text(page).runs)


def variant_uses(
    term: Term, locale: str, runs: list[tuple[int, str]], protected: set[str]
) -> Iterator[tuple[str, Use]]:
    """Each occurrence of one of `term`'s variants that is not inside a longer allowed word.

    `protected` are the language's preferred terms (コンテナ inside コンテナー is no variant);
    the term's `allowed_in` phrases are added to them."""
    shields = protected | set(term.allowed_in.get(locale, ()))
    for line, text in runs:
        covered = [(m.start(), m.end()) for shield in shields for m in re.finditer(re.escape(shield), text)]
        for variant in term.variants.get(locale, ()):
            for match in re.finditer(re.escape(variant), text):
                if not any(start <= match.start() and match.end() <= end for start, end in covered):
                    yield variant, Use(line, text, match.start())


def abbreviation_uses(runs: list[tuple[int, str]]) -> Iterator[tuple[str, Use]]:
    for line, text in runs:
        for match in ABBREVIATION.finditer(text):
            yield match.group(1), Use(line, text, match.start())


def check_terms(site: Site, glossary: Glossary, config_pages: list[Page]) -> list[Finding]:
    findings: list[Finding] = []
    for page in [*site.pages, *config_pages]:
        runs = page_runs(page)
        findings += _variants(page, runs, glossary)
        findings += _abbreviations(page, runs, glossary)
    findings += _glossary_tables(site, glossary)
    return findings


def _variants(page: Page, runs: list[tuple[int, str]], glossary: Glossary) -> Iterator[Finding]:
    protected = glossary.names(page.locale)
    for term in glossary.terms:
        preferred = term.names.get(page.locale)
        if preferred is None:
            continue
        for variant, use in variant_uses(term, page.locale, runs, protected):
            yield Finding(
                page.display,
                use.line,
                "terms/disallowed-variant",
                f"{variant!r} is a variant the glossary does not allow; write {preferred!r} (term {term.id!r})",
                f"replace {variant!r} with {preferred!r}. If {variant!r} is right here (Learn's own title quoted "
                f"in a link), add that phrase to `allowed_in.{page.locale}` of {term.id!r} at {glossary.where(term)}",
            )


def _abbreviations(page: Page, runs: list[tuple[int, str]], glossary: Glossary) -> Iterator[Finding]:
    known = set(glossary.allowed_abbreviations)
    known |= {word for term in glossary.abbreviated() for word in (term.abbr or "").split()}
    reported: set[str] = set()
    for word, use in abbreviation_uses(runs):
        if word in known or word in reported:
            continue
        reported.add(word)
        yield Finding(
            page.display,
            use.line,
            "terms/undefined-abbreviation",
            f"abbreviation {word!r} has no glossary entry",
            f"add a term with `abbr: {word}`, its expansion and ja/en definitions to {glossary.display}; if every "
            "reader of the site knows it, add it to `allowed_abbreviations` there with a `why`",
        )


def _row_term(cell: str, terms: tuple[Term, ...], locale: str) -> Term | None:
    """The glossary term a glossary-table row names: its first cell starts with the term or its abbreviation."""
    text = _BOLD.sub("", cell).strip().casefold()
    best: tuple[int, Term] | None = None
    for term in terms:
        for name in (term.names.get(locale), term.abbr):
            if not name:
                continue
            name = name.casefold()
            rest = text[len(name) :]
            named = text.startswith(name) and (not rest or rest.startswith(("（", "(", " (")))
            if named and (best is None or len(name) > best[0]):
                best = (len(name), term)
    return best[1] if best else None


def _shown_abbreviations(pages: list[Page], glossary: Glossary) -> dict[str, tuple[Page, int]]:
    """Glossary abbreviations the pages show, each with the first page and line that shows it."""
    shown: dict[str, tuple[Page, int]] = {}
    for page in pages:
        for line, text in page_runs(page):
            for term in glossary.abbreviated():
                pattern = rf"(?<![A-Za-z0-9_]){re.escape(term.abbr or '')}s?(?![A-Za-z0-9_])"
                if term.id not in shown and re.search(pattern, text):
                    shown[term.id] = (page, line)
    return shown


def _glossary_tables(site: Site, glossary: Glossary) -> Iterator[Finding]:
    spec = glossary.table
    for page in site.pages:
        if page.stem != spec.page or page.locale not in spec.header:
            continue
        header = spec.header[page.locale]
        table = next(
            (t for t in page.doc.tables if t.header.cells and _BOLD.sub("", t.header.cells[0]).strip() == header),
            None,
        )
        if table is None:
            yield Finding(
                page.display,
                1,
                "terms/glossary-table",
                f"no glossary table (a table whose first header cell is {header!r}) on this page",
                f"restore the table, or change `glossary_table` at {glossary.display}:{spec.line}",
            )
            continue
        rows: set[str] = set()
        for row in table.rows:
            term = _row_term(row.cells[0] if row.cells else "", glossary.terms, page.locale)
            if term is None:
                yield Finding(
                    page.display,
                    row.line,
                    "terms/glossary-table",
                    f"row {row.cells[0] if row.cells else ''!r} names no glossary term",
                    f"start the first cell with a {page.locale} term or abbreviation of {glossary.display}, "
                    "or add the term there (definition and Learn source)",
                )
            else:
                rows.add(term.id)
        same_language = [p for p in site.pages if p.locale == page.locale]
        for term_id, (where, line) in sorted(_shown_abbreviations(same_language, glossary).items()):
            if term_id not in rows:
                term = next(t for t in glossary.terms if t.id == term_id)
                yield Finding(
                    page.display,
                    table.line,
                    "terms/glossary-table",
                    f"the glossary table has no row for {term.abbr!r}, which {where.display}:{line} shows",
                    f"add a row `| **{term.names[page.locale]}** | {term.definition[page.locale]} |` "
                    f"(from {glossary.where(term)}), in the English twin too",
                )
