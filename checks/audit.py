"""The claim audit (checks/audit.yml) as the engine reads it: each claim, its Learn quote, where the site states it.

The audit was a report nobody's code read; loaded here, it binds a checked statement to the words a
reader sees, so an edit of those words, or a box that tells the wrong story about them, fails the
build like a wrong number does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, cached_property
from pathlib import Path

import jsonschema
import yaml

from checks.findings import ConfigurationError, display_path
from checks.languages import LOCALES, SOURCE_LOCALE
from checks.learn_quotes import quote_cells
from checks.yaml_files import key_line, load_yaml_tree, node_line, schema_error_line, schema_error_text

AUDIT = Path(__file__).with_name("audit.yml")
SCHEMA = Path(__file__).with_name("audit.schema.json")


@dataclass(frozen=True)
class Mention:
    locale: str
    page: str  # file name under docs/, as written in the audit: flat.md, flat.en.md
    phrase: str


@dataclass(frozen=True)
class Change:
    kind: str  # correction | learn-update
    commit: str = ""
    date: str = ""


@dataclass(frozen=True)
class Source:
    repo: str
    path: str  # the Markdown file in `repo`
    anchor: str | None  # the heading that holds the quote; None: the whole article
    url: str
    line: int  # of `source:` in the audit


@dataclass(frozen=True)
class Claim:
    id: str
    line: int
    verdict: str
    quote: str | None
    url: str
    mentions: tuple[Mention, ...]
    change: Change | None
    # A claim about a link (its path, anchor or parameters) rather than about AKS: reported in the
    # changelog, never in a reader-facing box.
    about: str = "fact"
    # Why a fact claim is stated on no page; a fact claim has `mentions` or this (claims/unplaced).
    not_on_site: str | None = None
    source: Source | None = None
    # Another claim whose Correction or Updated box tells the reader of this claim's change (its
    # words on a page are a table cell, say, beside the box that explains them).
    told_by: str | None = None
    # A quoted table row: the column header of each cell after its label.
    columns: tuple[str, ...] = ()

    @property
    def stated_on(self) -> tuple[str, ...]:
        """docs/PAGE for each page the audit binds the claim to."""
        return tuple(dict.fromkeys(f"docs/{mention.page}" for mention in self.mentions))


@dataclass(frozen=True)
class Audit:
    path: Path
    mirror_commit: str
    # The day of the Learn source every quote was read from: no claim can be "checked" later than this.
    evidence_date: str
    claims: tuple[Claim, ...]

    @property
    def display(self) -> str:
        return display_path(self.path)

    def where(self, claim: Claim) -> str:
        return f"{self.display}:{claim.line}"

    @cached_property
    def by_id(self) -> dict[str, Claim]:
        return {claim.id: claim for claim in self.claims}


# The audit's two lists of entries: claims the seed makes, and Learn facts the seed left out that the
# site may state (an omission has no verdict; it is read as "omission").
LISTS = ("claims", "omissions")


def _plain(value: object) -> object:
    """YAML reads an unquoted 2026-07-30 as a date; the audit compares days as ISO text."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


# A date must be a day of the calendar: 2026-02-30 is not one.
_DAYS = jsonschema.FormatChecker(formats=["date"])


@cache
def _schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def load_audit(path: Path = AUDIT) -> Audit:
    """The audit, validated; a ConfigurationError at audit.yml:LINE (of the field) when an entry is malformed."""
    raw, root = load_yaml_tree(path, "claim audit")
    data = _plain(raw)
    where = display_path(path)
    validator = jsonschema.Draft202012Validator(_schema(), format_checker=_DAYS)
    error = next(iter(sorted(validator.iter_errors(data), key=str)), None)
    if error is not None:
        field = _field(data, list(error.absolute_path))
        hint = HINTS.get(error.validator, "")
        raise ConfigurationError(
            f"{where}:{schema_error_line(error, root)}: [audit/schema] {field}: {schema_error_text(error)}{hint}"
        )
    assert isinstance(data, dict)  # the schema says so
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    for key in LISTS:
        for index, entry in enumerate(data.get(key) or []):
            line = node_line(root, [key, index])
            if entry["id"] in seen:
                raise ConfigurationError(
                    f"{where}:{node_line(root, [key, index, 'id'])}: [audit/schema] claim id {entry['id']!r} "
                    f"is used twice (first on line {seen[entry['id']]})"
                )
            seen[entry["id"]] = line
            _check_site(entry.get("site") or {}, root, [key, index, "site"], where, entry["id"])
            claim = _claim(entry, key, line, node_line(root, [key, index, "source"]))
            cells = quote_cells(claim.quote) if claim.quote else None
            if cells is not None and len(claim.columns) != len(cells) - 1:
                raise ConfigurationError(
                    f"{where}:{node_line(root, [key, index, 'learn_quote'])}: [audit/schema] claim {claim.id!r} "
                    f"quotes a table row of {len(cells) - 1} cells after its label: `learn_columns` names the "
                    f"header of each ({len(claim.columns)} given), so the nightly reads the row by column"
                )
            claims.append(claim)
    return Audit(path, data["mirror"]["commit"], str(data["mirror"]["commit_date"])[:10], tuple(claims))


def _check_site(site: dict, root: yaml.Node | None, path: list[object], where: str, claim_id: str) -> None:
    """Each `site:` language is one of the site's, and each page is a page of that language: a phrase
    bound under a language the site lacks, or to another language's page, would never be read."""
    for locale, mentions in site.items():
        if locale not in LOCALES:
            line = key_line(root, path, locale)
            raise ConfigurationError(
                f"{where}:{line}: [audit/schema] claim {claim_id!r} site.{locale}: {locale!r} is not a language "
                f"of the site (checks/languages.yml: {', '.join(LOCALES)})"
            )
        for number, mention in enumerate(mentions):
            stem, _, suffix = mention["page"].removesuffix(".md").rpartition(".")
            page_locale = suffix if stem and suffix in LOCALES else SOURCE_LOCALE
            if page_locale != locale:
                line = node_line(root, [*path, locale, number, "page"])
                raise ConfigurationError(
                    f"{where}:{line}: [audit/schema] claim {claim_id!r} site.{locale}: {mention['page']} is a "
                    f"{page_locale} page; bind it under `{page_locale}:`"
                )


def _field(data: object, path: list[object]) -> str:
    """`claim 'ID' field.sub` for an entry's field (its index says nothing to a contributor)."""
    if len(path) >= 2 and path[0] in LISTS and isinstance(path[1], int) and isinstance(data, dict):
        entry = data[path[0]][path[1]]
        name = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(name, str):
            return f"claim {name!r} " + (".".join(str(part) for part in path[2:]) or "(entry)")
    return ".".join(str(part) for part in path) or "(top level)"


# What the schema's bare messages leave out: how the entry is put right.
HINTS = {
    "required": " (see the field list at the top of checks/audit.yml)",
    "additionalProperties": " (see the field list at the top of checks/audit.yml)",
}


def _claim(entry: dict, key: str, line: int, source_line: int) -> Claim:
    mentions = tuple(
        Mention(locale, item["page"], item["phrase"])
        for locale, items in (entry.get("site") or {}).items()
        for item in items
    )
    source = entry.get("source")
    return Claim(
        entry["id"],
        line,
        # An omission (a Learn fact the seed leaves out) has no verdict.
        entry.get("verdict", "omission") if key == "claims" else "omission",
        entry.get("learn_quote"),
        source["url"] if source else "",
        mentions,
        Change(**entry["change"]) if entry.get("change") else None,
        entry.get("about", "fact"),
        entry.get("not_on_site"),
        Source(source["repo"], source["path"], source["anchor"], source["url"], source_line) if source else None,
        entry.get("told_by"),
        tuple(entry.get("learn_columns") or ()),
    )
