"""Tables: every row as wide as its header, and one value per property of a model across the site."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from checks.findings import Finding
from checks.markdown_doc import Table
from checks.registry import Registry
from checks.site import Page, Site


@dataclass(frozen=True)
class Statement:
    """One table cell stating a property of a model, and the value it states (None if unknown)."""

    page: Page
    line: int
    attribute: str
    model: str
    value: str | None
    cell: str


def plain(cell: str) -> str:
    return re.sub(r"\s+", " ", cell.replace("**", "").replace("`", "")).strip()


def check_column_counts(site: Site) -> Iterator[Finding]:
    for page in site.pages:
        for table in page.doc.tables:
            width = table.header.source_cell_count
            for row in table.rows:
                if row.source_cell_count != width:
                    yield Finding(
                        page.display,
                        row.line,
                        "tables/column-count",
                        f"this row has {row.source_cell_count} cells, the header has {width}",
                        "Python-Markdown silently drops extra cells and pads missing ones; "
                        "make every row as wide as the header (an escaped \\| is not a separator)",
                    )


def table_statements(site: Site, registry: Registry) -> list[Statement]:
    statements = []
    for page in site.pages:
        for table in page.doc.tables:
            statements.extend(_statements(page, table, registry))
    return statements


def _statements(page: Page, table: Table, registry: Registry) -> Iterator[Statement]:
    headers = [plain(cell) for cell in table.header.cells]
    columns: dict[int, str] = {}
    for model, spec in registry.models.items():
        names = {plain(name) for name in spec["headers"].get(page.locale, [])}
        columns.update({i: model for i, header in enumerate(headers) if i and header in names})
    if not columns and len(headers) == 2:
        owner = next((m for m, spec in registry.models.items() if spec["page"] == page.stem), None)
        if owner:
            columns = {1: owner}
    for row in table.rows:
        label = plain(row.cells[0]) if row.cells else ""
        attribute = next(
            (a for a in registry.attributes if label in {plain(x) for x in a["labels"].get(page.locale, [])}),
            None,
        )
        if attribute is None:
            continue
        for index, model in columns.items():
            if index < len(row.cells):
                cell = plain(row.cells[index])
                yield Statement(page, row.line, attribute["id"], model, classify(cell, attribute, page.locale), cell)


def classify(cell: str, attribute: dict, locale: str) -> str | None:
    for value, phrases in attribute["values"].items():
        if any(plain(phrase) in cell for phrase in phrases.get(locale, [])):
            return value
    return None


def check_against_facts(statements: list[Statement], registry: Registry) -> Iterator[Finding]:
    """A cell bound to a yes/no or either/or fact must state the fact's value."""
    facts = registry.attribute_facts()
    for statement in statements:
        fact = registry.facts.get(facts.get((statement.attribute, statement.model), ""))
        if fact and statement.value and statement.value != fact.value:
            yield Finding(
                statement.page.display,
                statement.line,
                "tables/contradicts-fact",
                f"{statement.model} / {statement.attribute} is {statement.value!r} here, but fact {fact.id} "
                f"is {fact.value!r}",
                f"{fact.why} Source: {fact.source.url}#{fact.source.anchor}",
            )


def check_consistency(statements: list[Statement]) -> Iterator[Finding]:
    groups: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
    for statement in statements:
        if statement.value is None:
            yield Finding(
                statement.page.display,
                statement.line,
                "tables/unknown-value",
                f"cannot tell which value this cell states for {statement.model} / {statement.attribute}: "
                f"{statement.cell[:80]!r}",
                f"use the wording of the other tables, or add the phrase to attributes.{statement.attribute} "
                "in checks/facts.yml",
            )
            continue
        groups[(statement.page.locale, statement.attribute, statement.model)].append(statement)
    for (_, attribute, model), group in groups.items():
        counts: dict[str, int] = defaultdict(int)
        for statement in group:
            counts[statement.value] += 1
        if len(counts) < 2:
            continue
        majority = max(counts, key=lambda v: (counts[v], -min(s.line for s in group if s.value == v)))
        agreeing = ", ".join(f"{s.page.display}:{s.line}" for s in group if s.value == majority)
        for statement in group:
            if statement.value != majority:
                yield Finding(
                    statement.page.display,
                    statement.line,
                    "tables/inconsistent",
                    f"{model} / {attribute} is {statement.value!r} here, but {majority!r} in {agreeing}",
                    "the same property of the same model must read the same in every table",
                )
