"""The glossary (checks/glossary.yml) as the checks and the site read it: one term per concept and language.

Broken entries are configuration errors at glossary.yml:LINE with a `glossary/...` rule: an unknown
or missing field (glossary/schema), an id or term given twice (glossary/duplicate), a variant that
is some entry's preferred term (glossary/variant-is-term), an `allowed_in` phrase that holds none of
its entry's variants (glossary/allowed-without-variant), an abbreviation without its expansion or
an expansion without an abbreviation (glossary/expansion), a number in an abbreviation's tooltip
text, its expansion or definition (glossary/number-in-tooltip: every page would show it, bound to
no fact).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from checks.findings import ConfigurationError, display_path
from checks.numbers import find_numbers
from checks.yaml_files import load_yaml_tree, node_line, schema_error_line, schema_error_text

GLOSSARY = Path(__file__).with_name("glossary.yml")
SCHEMA = Path(__file__).with_name("glossary.schema.json")
LANGUAGES = ("ja", "en", "zh", "ko")
# The languages every entry defines: the site's own. zh and ko are filled as translations come.
REQUIRED = ("ja", "en")


@dataclass(frozen=True)
class Term:
    id: str
    line: int
    names: dict[str, str]  # language -> the term as Learn's articles in that language write it
    abbr: str | None
    expansion: dict[str, str]
    variants: dict[str, tuple[str, ...]]
    allowed_in: dict[str, tuple[str, ...]]
    definition: dict[str, str]
    url: str


@dataclass(frozen=True)
class GlossaryTable:
    page: str  # the stem of the page that holds it: prerequisites
    header: dict[str, str]  # language -> the first header cell that marks the table
    line: int


@dataclass(frozen=True)
class Glossary:
    path: Path
    terms: tuple[Term, ...]
    allowed_abbreviations: dict[str, str]  # abbreviation -> why it needs no entry
    table: GlossaryTable

    @property
    def display(self) -> str:
        return display_path(self.path)

    def where(self, term: Term) -> str:
        return f"{self.display}:{term.line}"

    def tooltip(self, term: Term, locale: str) -> str | None:
        """What hovering the abbreviation shows: its expansion and definition, in `locale` (None without them)."""
        if locale not in term.expansion or locale not in term.definition:
            return None
        return f"{term.expansion[locale]} — {term.definition[locale]}"

    def abbreviated(self) -> list[Term]:
        return [term for term in self.terms if term.abbr]

    def names(self, locale: str) -> set[str]:
        """Every preferred term of the language: text a variant may be part of without being one."""
        return {term.names[locale] for term in self.terms if locale in term.names}


@cache
def _schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def _schema_error(error: jsonschema.ValidationError, root: yaml.Node | None, where: str) -> ConfigurationError:
    path = list(error.absolute_path)
    field = ".".join(str(part) for part in path) or "(top level)"
    line = schema_error_line(error, root)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(key for key in error.instance if key not in allowed)
        known = ", ".join(sorted(allowed))
        return ConfigurationError(
            f"{where}:{line}: [glossary/schema] {field}: unknown field {unknown[0]!r} (fields: {known})"
        )
    if error.validator == "required" and path[-1:] == ["definition"]:
        return ConfigurationError(
            f"{where}:{line}: [glossary/schema] {field}: {schema_error_text(error)}: "
            "every term needs a one-line definition in ja and en"
        )
    return ConfigurationError(f"{where}:{line}: [glossary/schema] {field}: {schema_error_text(error)}")


def load_glossary(path: Path = GLOSSARY) -> Glossary:
    """The glossary, validated; a ConfigurationError at glossary.yml:LINE when an entry is wrong."""
    data, root = load_yaml_tree(path, "glossary")
    where = display_path(path)
    error = next(iter(sorted(jsonschema.Draft202012Validator(_schema()).iter_errors(data), key=str)), None)
    if error is not None:
        raise _schema_error(error, root, where)
    terms = [_term(entry, node_line(root, ["terms", index])) for index, entry in enumerate(data["terms"])]
    allowed = {item["abbr"]: item["why"] for item in data["allowed_abbreviations"]}
    table = data["glossary_table"]
    glossary = Glossary(
        path,
        tuple(terms),
        allowed,
        GlossaryTable(table["page"], table["header"], node_line(root, ["glossary_table"])),
    )
    _check_consistency(glossary, root, where)
    return glossary


def _term(entry: dict, line: int) -> Term:
    def words(field: str) -> dict[str, tuple[str, ...]]:
        return {locale: tuple(items) for locale, items in (entry.get(field) or {}).items()}

    return Term(
        entry["id"],
        line,
        {locale: entry[locale] for locale in LANGUAGES if locale in entry},
        entry.get("abbr"),
        dict(entry.get("expansion") or {}),
        words("variants"),
        words("allowed_in"),
        dict(entry["definition"]),
        entry["source"]["url"] + (f"#{entry['source']['anchor']}" if entry["source"].get("anchor") else ""),
    )


def _check_consistency(glossary: Glossary, root: yaml.Node | None, where: str) -> None:
    def fail(index: int, field: list[object], rule: str, message: str) -> None:
        line = node_line(root, ["terms", index, *field])
        raise ConfigurationError(f"{where}:{line}: [glossary/{rule}] {message}")

    ids: dict[str, int] = {}
    names: dict[tuple[str, str], str] = {}
    abbreviations: dict[str, str] = {}
    for index, term in enumerate(glossary.terms):
        if term.id in ids:
            fail(index, ["id"], "duplicate", f"term id {term.id!r} is used twice (first on line {ids[term.id]})")
        ids[term.id] = term.line
        for locale, name in term.names.items():
            if (locale, name) in names:
                other = names[(locale, name)]
                fail(index, [locale], "duplicate", f"{term.id}: the {locale} term {name!r} is also {other!r}'s")
            names[(locale, name)] = term.id
        if term.abbr:
            if term.abbr in abbreviations or term.abbr in glossary.allowed_abbreviations:
                first = abbreviations.get(term.abbr, "allowed_abbreviations")
                fail(index, ["abbr"], "duplicate", f"{term.id}: abbreviation {term.abbr!r} is also in {first}")
            abbreviations[term.abbr] = term.id
            for field, texts in (("expansion", term.expansion), ("definition", term.definition)):
                for locale, text in texts.items():
                    numbers = find_numbers(text)
                    if numbers:
                        fail(
                            index,
                            [field, locale],
                            "number-in-tooltip",
                            f"{term.id}: the tooltip of {term.abbr!r} would show {numbers[0].display()!r}, "
                            "which no fact binds; say it without the number",
                        )
            missing = [locale for locale in REQUIRED if locale not in term.expansion]
            if missing:
                fail(index, ["abbr"], "expansion", f"{term.id}: {term.abbr!r} has no expansion in {missing[0]}")
        elif term.expansion:
            fail(index, ["expansion"], "expansion", f"{term.id}: an expansion without an abbreviation (abbr)")
    for index, term in enumerate(glossary.terms):
        for locale, variants in term.variants.items():
            for position, variant in enumerate(variants):
                if (locale, variant) in names:
                    fail(
                        index,
                        ["variants", locale, position],
                        "variant-is-term",
                        f"{term.id}: variant {variant!r} is the {locale} term of {names[(locale, variant)]!r}",
                    )
        for locale, phrases in term.allowed_in.items():
            variants = term.variants.get(locale, ())
            for position, phrase in enumerate(phrases):
                if phrase in variants or not any(variant in phrase for variant in variants):
                    fail(
                        index,
                        ["allowed_in", locale, position],
                        "allowed-without-variant",
                        f"{term.id}: allowed_in phrase {phrase!r} must be longer than a {locale} variant and hold one",
                    )
