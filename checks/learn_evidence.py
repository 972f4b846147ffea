"""Does a Learn article still say what a registry fact says? Evidence matching, by section and role.

Each fact names a heading (`source.anchor`); its evidence is looked for in that heading's section
only, so a phrase elsewhere on the page cannot vouch for it. A fact bound to a table cell
(`source.table: {row, column}`) is read from that one cell, found by its row's and column's names.
Values are read by the fact's type and the page's locale (checks/learn_values.py) and compared as
values.

When the phrase is gone, the value counts only in the same role: the words around it (its sentence,
or its cell with the row's and the column's names) carry at least half of the evidence's own words,
the word after it is the evidence's unit ("{value} nodes": "250 pods" counts something else), and in
a table it stands in the cell beside the row's name, where the phrase ran (the next column states
the same property of another subject). Of the statements in that role, the one that fits best
decides: the same value is REWORDED, another is FACT-CHANGED with Learn's value. So "Default
{value}" is not vouched for by "The maximum is 250" in the same section, nor the overlay node limit
by kubenet's column or by the pods row.

Outcomes: OK; REWORDED (a notice: the phrase is gone but the section still states the same value in
the same role); FACT-CHANGED (an error: Learn states another value in that role, or no longer states
the fact; the report says which, with the old and the new text).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from checks.learn_html import LearnPage, Table
from checks.learn_quotes import same_statement
from checks.learn_values import boundaries, read_value, value_pattern, values_in
from checks.registry import Fact

_SIMILAR = 0.5
_MARGIN = 0.1
# difflib runs once per candidate and is quadratic in a string's length: a valid 7 MB article of
# 180,000 sentences took 50 s per fact. The nearest sentence or anchor is looked for among the
# first candidates only, each cut to a sentence's length; past that the report shows no suggestion.
_COMPARED = 2_000
_COMPARED_CHARS = 400
_SENTENCE_WINDOW = 2_000
# The share of the evidence's own words that must stand around a value for it to state the fact.
_SAME_ROLE = 0.5
# Words that say nothing about which fact a sentence states.
_STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "in", "is", "it", "of", "on", "or"}
    | {"per", "than", "that", "the", "this", "to", "with", "you", "your"}
)
_WORD = re.compile(r"[a-z0-9]+")


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


def _registry_value(fact: Fact) -> object | None:
    return read_value(fact.type, str(fact.value))


def _literal(part: str) -> str:
    words = [re.escape(w) for w in part.split()]
    pattern = r"\s+".join(words)
    if part[:1].isspace():
        pattern = r"\s*" + pattern
    if part[-1:].isspace():
        pattern += r"\s*"
    return pattern


def phrase_pattern(fact: Fact, locale: str = "en-us") -> re.Pattern[str]:
    """The evidence as a pattern: any whitespace, any case, the final period optional,
    `{value}` a value of the fact's type with boundaries (an enum's or a boolean's own words)."""
    text = fact.source.evidence.translate(str.maketrans({"\u2019": "'", "\u2018": "'"})).strip()
    final = text.endswith(".")
    text = text.removesuffix(".")
    before, marker, after = text.partition("{value}")
    pattern = _literal(before)
    if marker:
        left, right = boundaries(locale)
        value = value_pattern(fact.type, locale) or _literal(written(fact))
        pattern += f"{left}(?P<value>{value}){right}" + _literal(after)
    if text[:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    pattern += r"\.?" if final else (r"(?!\w)" if text[-1:].isalnum() else "")
    return re.compile(pattern, re.I)


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence (within one line of the article, and _SENTENCE_WINDOW characters either side)
    around text[start:end]: a huge paragraph without a full stop is never scanned whole per value."""
    line_start = max(text.rfind("\n", max(0, start - _SENTENCE_WINDOW), start) + 1, start - _SENTENCE_WINDOW, 0)
    line_end = text.find("\n", end, end + _SENTENCE_WINDOW)
    line_end = min(len(text), end + _SENTENCE_WINDOW) if line_end < 0 else line_end
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
        return _check_cell(fact, tables, page.locale)
    section = page.text[span[0] : span[1]]
    matches = list(phrase_pattern(fact, page.locale).finditer(section))
    if matches and not has_value:
        return Evidence("OK", f"evidence found: {matches[0].group(0)!r}", old_text=old_text)
    registry = _registry_value(fact)
    # The phrase may stand twice (a CIDR and an IP both "The default value is …"): any that agrees will do.
    agreeing = [m for m in matches if read_value(fact.type, m.group("value"), page.locale) == registry]
    match = (agreeing or matches or [None])[0]
    if match:
        found = match.group("value")
        sentence = sentence_at(section, match.start(), match.end())
        if read_value(fact.type, found, page.locale) == registry:
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
        return _by_role(fact, page, span, old_text)
    return _no_longer_stated(fact, section, old_text, expected)


@dataclass(frozen=True)
class _Stated:
    """A value of the fact's type in the cited section, and the words around it."""

    text: str  # as Learn writes it
    value: object
    context: str  # its sentence, or its cell with the row's and the column's names
    score: tuple[float, int]  # share of the evidence's words around it; evidence words next to it


def _words(text: str) -> list[str]:
    """The words that tell one fact from another, singular ("nodes" and "node" are one word)."""
    return [w.removesuffix("s") if len(w) > 3 else w for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS]


def _by_role(fact: Fact, page: LearnPage, span: tuple[int, int], old_text: str) -> Evidence:
    """The phrase is gone: is the fact still stated, by the same value, in the same role?"""
    section = page.text[span[0] : span[1]]
    expected = written(fact)
    stated = _stated(fact, page, span)
    registry = _registry_value(fact)
    # The one statement that best fits the evidence decides: most of its words around the value, then
    # its words right beside the value, then the first (a row's first column, nearest its name).
    in_role = sorted((s for s in stated if s.score[0] >= _SAME_ROLE), key=lambda s: (-s.score[0], -s.score[1]))
    if in_role and in_role[0].value == registry:
        now = in_role[0]
        detail = f"the phrase {old_text!r} is gone, but the section still states {expected} in the same role: "
        return Evidence("REWORDED", detail + repr(now.context), expected, now.text, old_text, now.context)
    if in_role:
        now = in_role[0]
        detail = (
            f"the phrase {old_text!r} is gone; where the section now states it, Learn says {now.text} "
            f"where the registry says {expected}: {now.context!r}"
        )
        return Evidence("FACT-CHANGED", detail, expected, now.text, old_text, now.context)
    evidence = _no_longer_stated(fact, section, old_text, expected)
    elsewhere = next((s for s in stated if s.value == registry), None)
    if elsewhere is None:
        return evidence
    detail = f"{evidence.detail}; {expected} stands in the section only in another role: {elsewhere.context!r}"
    return Evidence("FACT-CHANGED", detail, expected, None, old_text, evidence.new_text)


def _stated(fact: Fact, page: LearnPage, span: tuple[int, int]) -> list[_Stated]:
    section = page.text[span[0] : span[1]]
    before, _, after = fact.source.evidence.partition("{value}")
    wanted = set(_words(before + " " + after))
    beside = set(_words(before)[-1:] + _words(after)[:1])
    # What the value counts ("{value} nodes"): a statement that does not name it counts something else.
    unit = next((w for w in _words(after) if not w.isdigit()), None)
    stated = []
    for match, value in itertools.islice(values_in(fact.type, section, page.locale), _COMPARED):
        cell = page.cell_at(span[0] + match.start())
        # In a table the phrase ran from the row's name into the cell beside it: another column of
        # the row states the same property of another subject (kubenet beside Azure CNI Overlay).
        beside_name = True
        if cell is not None:
            row, column = cell
            context = f"{row.labels[0]} | {row.columns[column][0]}: {row.cells[column].text}"
            beside_name = column == row.first_data
        else:
            context = sentence_at(section, match.start(), match.end())
        words = set(_words(context))
        # The evidence's words right before and after {value}, standing right before and after it.
        next_words = _words(re.split(r"[\t\n]", section[match.end() : match.end() + 80])[0])
        neighbours = set(_words(section[max(0, match.start() - 40) : match.start()])[-1:] + next_words[:1])
        # The word after the value is what it counts: "250 pods" is no count of nodes. With none after
        # it (a cell holding the number alone), the row's or the sentence's words must name the unit.
        counts = next_words[0] if next_words and not next_words[0].isdigit() else None
        names_unit = unit is None or (counts == unit if counts else unit in words)
        share = len(wanted & words) / len(wanted) if wanted and names_unit and beside_name else 0.0
        stated.append(_Stated(match.group(0), value, context, (share, len(beside & neighbours))))
    return stated


def _no_longer_stated(fact: Fact, section: str, old_text: str, expected: str | None) -> Evidence:
    anchor = fact.source.anchor
    if "{value}" not in fact.source.evidence:
        # A statement with no value in it (a yes/no fact) said again in the same words, only
        # inflected or contracted otherwise ("can't" -> "cannot", "that leaves" -> "leaving"), is a
        # notice, as it is for an audited claim; a word replaced ("private" -> "public", "can" ->
        # "might"), moved or dropped is a change: the fact rests on that sentence.
        cited = f"#{anchor}" if anchor else "the page"
        for sentence in itertools.islice(_sentences(section), _COMPARED):
            if same_statement(old_text, sentence):
                detail = f"{cited} says it in the same words, written another way"
                return Evidence("REWORDED", detail, expected, None, old_text, sentence)
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


def _check_cell(fact: Fact, tables: list[Table], locale: str) -> Evidence:
    table_binding = fact.source.table or {}
    row_label, column = table_binding["row"], table_binding["column"]
    expected = fact.source.evidence.replace("{value}", written(fact))
    old_text = f"{row_label} | {column}: {expected}"
    every_row = [row for table in tables for row in table.data_rows]
    names = ", ".join(row.labels[0] for row in every_row[:40])
    missing = f"#{fact.source.anchor} has no row {row_label!r} in its tables (rows: {names})"
    for table in tables:
        rows = table.data_rows
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
        if not _cell_agrees(fact, cell.text, locale):
            detail = f"cell {where!r} now says {cell.text!r}{notes} where the registry expects {expected!r}"
            return Evidence("FACT-CHANGED", detail, expected, cell.text, old_text, new_text)
        if relabelled:
            detail = f"the cell is now labelled {where!r}{notes}"
            return Evidence("REWORDED", detail, expected, cell.text, old_text, new_text)
        return Evidence("OK", f"cell {where!r} says {cell.text!r}{notes}", expected, cell.text, old_text, new_text)
    return Evidence("FACT-CHANGED", missing, expected, None, old_text)


def _cell_agrees(fact: Fact, cell: str, locale: str) -> bool:
    evidence = fact.source.evidence
    if "{value}" not in evidence:
        return _label(cell) == _label(evidence)
    match = phrase_pattern(fact, locale).fullmatch(cell.strip())
    return bool(match) and read_value(fact.type, match.group("value"), locale) == _registry_value(fact)
