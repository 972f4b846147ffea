"""Does a Learn article still say what a registry fact says? Evidence matching and value reading.

Each fact names a heading (`source.anchor`); its evidence is looked for in that heading's section
only, so a phrase elsewhere on the page cannot vouch for it. A fact bound to a table cell
(`source.table: {row, column}`) is read from that one cell. Values are read by the fact's type
(a CIDR whole, "5,000" equal to 5000, "2500" never read as 250) and compared as values.

Outcomes: OK; REWORDED (a notice: the phrase is gone but the section still states the value);
FACT-CHANGED (an error: Learn states another value, or no longer states the fact).
"""

from __future__ import annotations

import difflib
import ipaddress
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from checks.learn_html import LearnPage, Table
from checks.registry import Fact

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Digit groups in English Learn text: a comma, a thin space or a narrow no-break space ("5 000").
_GROUP = "[,\u2009\u202f]"
_VALUE = {
    "integer": rf"\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d+",
    "decimal": rf"\d{{1,3}}(?:{_GROUP}\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?",
    "version": r"\d+(?:\.\d+)*",
    "cidr": r"\d{1,3}(?:\.\d{1,3}){3}/\d{1,3}",
    "ip": r"\d{1,3}(?:\.\d{1,3}){3}",
    "prefix": r"\d{1,3}",
    "date": rf"\d{{4}}-\d{{2}}-\d{{2}}|(?:{_MONTHS}) \d{{1,2}}, \d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}",
}
# A value ends where no digit, no decimal part and no prefix length follows: "250" is not "2500";
# a sign, a range or a "+" makes another value ("-5,000", "1-5,000", "5,000+" are not 5000).
_LEFT, _RIGHT = r"(?<![\w.,\-\u2212\u2009\u202f])", r"(?![\w+]|[.,/\-\u2009\u202f]\d)"
_SIMILAR = 0.5
_MARGIN = 0.1
# difflib runs once per candidate and is quadratic in a string's length: a valid 7 MB article of
# 180,000 sentences took 50 s per fact. The nearest sentence or anchor is looked for among the
# first candidates only, each cut to a sentence's length; past that the report shows no suggestion.
_COMPARED = 2_000
_COMPARED_CHARS = 400


@dataclass(frozen=True)
class Evidence:
    status: str
    detail: str
    expected: str | None = None
    found: str | None = None
    old_text: str | None = None
    new_text: str | None = None


def written(fact: Fact) -> str:
    """The value as Learn writes it inside the evidence phrase."""
    if fact.type == "prefix":
        return str(int(fact.value))
    if fact.type in ("integer", "decimal") and not fact.shown_as:
        return f"{fact.value:,}"
    return fact.display()


def read_value(fact_type: str, text: str) -> object | None:
    """A value of `fact_type` as something that compares by value; None when `text` is not one."""
    text = text.strip()
    try:
        if fact_type in ("integer", "decimal", "prefix"):
            return Decimal(re.sub(_GROUP, "", text))
        if fact_type == "version":
            parts = [int(p) for p in text.split(".")]
            while len(parts) > 1 and parts[-1] == 0:
                parts.pop()
            return tuple(parts)
        if fact_type == "cidr":
            # An interface compares address and prefix: 10.244.1.0/16 (host bits set) is not 10.244.0.0/16.
            return ipaddress.ip_interface(text) if "/" in text else None
        if fact_type == "ip":
            return ipaddress.ip_address(text)
        if fact_type == "date":
            for form in ("%Y-%m-%d", "%B %d, %Y", "%m/%d/%Y"):
                try:
                    return datetime.strptime(text, form).date()
                except ValueError:
                    continue
            return None
    except ValueError:
        return None
    return " ".join(text.lower().split())


def _registry_value(fact: Fact) -> object | None:
    return read_value(fact.type, str(fact.value))


def values_in(fact_type: str, text: str) -> list[tuple[re.Match[str], object]]:
    """Every value of `fact_type` in `text`, each with where it stands."""
    pattern = _VALUE.get(fact_type)
    if pattern is None:
        return []
    found = []
    for match in re.finditer(f"{_LEFT}(?:{pattern}){_RIGHT}", text, re.I):
        value = read_value(fact_type, match.group(0))
        if value is not None:
            found.append((match, value))
    return found


def _literal(part: str) -> str:
    words = [re.escape(w) for w in part.split()]
    pattern = r"\s+".join(words)
    if part[:1].isspace():
        pattern = r"\s*" + pattern
    if part[-1:].isspace():
        pattern += r"\s*"
    return pattern


def phrase_pattern(fact: Fact) -> re.Pattern[str]:
    """The evidence as a pattern: any whitespace, any case, the final period optional,
    `{value}` a value of the fact's type with boundaries (an enum's or a boolean's own words)."""
    text = fact.source.evidence.translate(str.maketrans({"\u2019": "'", "\u2018": "'"})).strip()
    final = text.endswith(".")
    text = text.removesuffix(".")
    before, marker, after = text.partition("{value}")
    pattern = _literal(before)
    if marker:
        value = _VALUE.get(fact.type) or _literal(written(fact))
        pattern += f"{_LEFT}(?P<value>{value}){_RIGHT}" + _literal(after)
    if text[:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    pattern += r"\.?" if final else (r"(?!\w)" if text[-1:].isalnum() else "")
    return re.compile(pattern, re.I)


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence (within one line of the article) around text[start:end]."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = [m.end() for m in re.finditer(r"[.!?]\s", text[line_start:start])]
    after = re.search(r"[.!?](\s|$)", text[end:line_end])
    first = line_start + (before[-1] if before else 0)
    last = end + after.end() if after else line_end
    return text[first:last].strip()[:400]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a[:_COMPARED_CHARS], b[:_COMPARED_CHARS]).ratio()


def _ratio_if_similar(a: str, b: str) -> float:
    """The ratio when it can reach _SIMILAR; 0 without the quadratic work when its cheap upper bounds cannot."""
    matcher = difflib.SequenceMatcher(None, a[:_COMPARED_CHARS], b[:_COMPARED_CHARS])
    if matcher.real_quick_ratio() < _SIMILAR or matcher.quick_ratio() < _SIMILAR:
        return 0.0
    return matcher.ratio()


def nearest(word: str, candidates: list[str]) -> str | None:
    """The most similar of the first _COMPARED candidates, when it is similar enough to be worth offering."""
    scored = [(_ratio_if_similar(word, c), c) for c in candidates[:_COMPARED]]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] >= _SIMILAR else None


def _sentences(text: str) -> Iterator[str]:
    """The sentences of `text`, lazily: a huge section is split only as far as it is compared."""
    start = 0
    for gap in re.finditer(r"(?<=[.!?])\s+|\n", text):
        if len(sentence := text[start : gap.start()].strip()) > 3:
            yield sentence
        start = gap.end()
    if len(sentence := text[start:].strip()) > 3:
        yield sentence


def _similar_sentence(phrase: str, text: str) -> str | None:
    sentences = {s.lower(): s for s in itertools.islice(_sentences(text), _COMPARED)}
    match = nearest(phrase.lower(), list(sentences))
    return sentences[match] if match else None


def check_fact(fact: Fact, page: LearnPage) -> Evidence:
    anchor = fact.source.anchor
    evidence = fact.source.evidence
    has_value = "{value}" in evidence
    expected = written(fact) if has_value or fact.source.table else None
    old_text = evidence.replace("{value}", expected or "")
    span = page.section(anchor) if anchor else (0, len(page.text))
    # Another section's words or table cannot vouch for the fact: it is not verified, never OK.
    if span is None:
        detail = f"the cited section #{anchor} is gone: the fact is not looked for elsewhere on the page"
        return Evidence("FACT-CHANGED", detail, expected, None, old_text)
    if fact.source.table:
        tables = page.tables_in(span)
        if not tables:
            return Evidence("FACT-CHANGED", f"the cited section #{anchor} has no table", expected, None, old_text)
        return _check_cell(fact, tables)
    section = page.text[span[0] : span[1]]
    matches = list(phrase_pattern(fact).finditer(section))
    if matches and not has_value:
        return Evidence("OK", f"evidence found: {matches[0].group(0)!r}", old_text=old_text)
    # The phrase may stand twice (a CIDR and an IP both "The default value is …"): any that agrees will do.
    agreeing = [m for m in matches if read_value(fact.type, m.group("value")) == _registry_value(fact)]
    match = (agreeing or matches or [None])[0]
    if match:
        found = match.group("value")
        sentence = sentence_at(section, match.start(), match.end())
        if read_value(fact.type, found) == _registry_value(fact):
            return Evidence("OK", f"evidence found: {match.group(0)!r}", expected, found, old_text, sentence)
        return Evidence(
            "FACT-CHANGED",
            f"Learn now says {found} where the registry says {expected}: {sentence!r}",
            expected,
            found,
            old_text,
            sentence,
        )
    if has_value:
        same = [m for m, value in values_in(fact.type, section) if value == _registry_value(fact)]
        if same:
            sentence = sentence_at(section, same[0].start(), same[0].end())
            return Evidence(
                "REWORDED",
                f"the phrase {old_text!r} is gone, but the section still states {expected}: {sentence!r}",
                expected,
                same[0].group(0),
                old_text,
                sentence,
            )
    similar = _similar_sentence(old_text, section)
    detail = f"{f'#{anchor}' if anchor else 'the page'} no longer states {old_text!r}"
    if similar:
        detail += f"; the closest sentence now is {similar!r}"
    # Nothing alike: show how the section opens now, so the report shows what Learn says instead.
    new_text = similar or " ".join(section.split("\n")[1:]).strip()[:300] or None
    return Evidence("FACT-CHANGED", detail, expected, None, old_text, new_text)


def _label(text: str) -> str:
    return " ".join(text.lower().split())


def _best(label: str, candidates: list[tuple[str, ...]]) -> int | None:
    """The index of the candidate one of whose names equals `label`, else of the one whose first
    name is clearly most similar to it: a relabelled row is recognised, a neighbouring row ("App
    Gateway" for "App Gateway for Containers") is not taken for it."""
    wanted = _label(label)
    for rank in range(max((len(names) for names in candidates), default=0)):
        exact = [i for i, names in enumerate(candidates) if rank < len(names) and _label(names[rank]) == wanted]
        if exact:
            return exact[0]
    firsts = [_label(names[0]) if names else "" for names in candidates[:_COMPARED]]
    scored = sorted(((_ratio(wanted, c), i) for i, c in enumerate(firsts)), reverse=True)
    if not scored or scored[0][0] < _SIMILAR:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < _MARGIN:
        return None
    return scored[0][1]


def _check_cell(fact: Fact, tables: list[Table]) -> Evidence:
    table_binding = fact.source.table or {}
    row_label, column = table_binding["row"], table_binding["column"]
    expected = fact.source.evidence.replace("{value}", written(fact))
    old_text = f"{row_label} | {column}: {expected}"
    every_row = [row for table in tables for row in table.data_rows()]
    names = ", ".join(row.labels[0] for row in every_row[:40])
    missing = f"#{fact.source.anchor} has no row {row_label!r} in its tables (rows: {names})"
    for table in tables:
        rows = table.data_rows()
        index = _best(row_label, [row.labels for row in rows])
        if index is None:
            continue  # another table of the section may hold the row
        row = rows[index]
        col = _best(column, list(row.columns))
        if col is None:
            names = ", ".join(names[0] for names in row.columns[1:] if names[0])
            missing = f"the table with row {row.labels[0]!r} has no column {column!r} (columns: {names})"
            continue
        cell = row.cells[col]
        where = f"{row.labels[0]} | {row.columns[col][0]}"
        new_text = f"{where}: {cell.text}"
        notes = f" (footnote {', '.join(cell.notes)})" if cell.notes else ""
        relabelled = _label(row_label) not in map(_label, row.labels) or _label(column) not in map(
            _label, row.columns[col]
        )
        if not _cell_agrees(fact, cell.text):
            detail = f"cell {where!r} now says {cell.text!r}{notes} where the registry expects {expected!r}"
            return Evidence("FACT-CHANGED", detail, expected, cell.text, old_text, new_text)
        if relabelled:
            detail = f"the cell is now labelled {where!r}{notes}"
            return Evidence("REWORDED", detail, expected, cell.text, old_text, new_text)
        return Evidence("OK", f"cell {where!r} says {cell.text!r}{notes}", expected, cell.text, old_text, new_text)
    return Evidence("FACT-CHANGED", missing, expected, None, old_text)


def _cell_agrees(fact: Fact, cell: str) -> bool:
    evidence = fact.source.evidence
    if "{value}" not in evidence:
        return _label(cell) == _label(evidence)
    match = phrase_pattern(fact).fullmatch(cell.strip())
    return bool(match) and read_value(fact.type, match.group("value")) == _registry_value(fact)
