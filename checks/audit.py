"""The claim audit (checks/audit.yml) as the engine reads it: each claim, its Learn quote, where the site states it.

The audit was a report nobody's code read; loaded here, it binds a checked statement to the words a
reader sees, so an edit of those words, or a box that tells the wrong story about them, fails the
build like a wrong number does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from checks.findings import ConfigurationError, display_path
from checks.yaml_files import StrictLoader, load_yaml_file

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


# The audit's two lists of entries: claims the seed makes, and Learn facts the seed left out that the
# site may state (an omission has no verdict; it is read as "omission").
LISTS = ("claims", "omissions")


def claim_lines(text: str, key: str = "claims") -> list[int]:
    """The line of each entry of the list `key`, in order (the text has loaded, so it composes)."""
    root = yaml.compose(text, Loader=StrictLoader)
    for name, value in root.value if root is not None else []:
        if name.value == key:
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _plain(value: object) -> object:
    """YAML reads an unquoted 2026-07-30 as a date; the audit compares days as ISO text."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@cache
def _schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def load_audit(path: Path = AUDIT) -> Audit:
    """The audit, validated; a ConfigurationError at audit.yml:LINE when an entry is malformed."""
    text, raw = load_yaml_file(path, "claim audit")
    data = _plain(raw)
    lines = {
        str(entry.get("id")): line
        for key in LISTS
        for entry, line in zip(data.get(key) or [], claim_lines(text, key), strict=False)
        if isinstance(entry, dict)
    }
    where = display_path(path)
    error = next(iter(sorted(jsonschema.Draft202012Validator(_schema()).iter_errors(data), key=str)), None)
    if error is not None:
        location = list(error.absolute_path)
        line = 1
        if len(location) >= 2 and location[0] in LISTS and isinstance(location[1], int):
            line = lines.get(str(data[location[0]][location[1]].get("id")), 1)
        field = ".".join(str(part) for part in location) or "(top level)"
        raise ConfigurationError(f"{where}:{line}: [audit/schema] {field}: {error.message}")
    claims: list[Claim] = []
    seen: set[str] = set()
    entries = [*data["claims"], *({**entry, "verdict": "omission"} for entry in data.get("omissions") or [])]
    for entry in entries:
        line = lines.get(entry["id"], 1)
        if entry["id"] in seen:
            raise ConfigurationError(f"{where}:{line}: [audit/schema] claim id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        mentions = tuple(
            Mention(locale, item["page"], item["phrase"])
            for locale, items in (entry.get("site") or {}).items()
            for item in items
        )
        change = Change(**entry["change"]) if entry.get("change") else None
        source = entry.get("source") or {}
        claims.append(
            Claim(
                entry["id"],
                line,
                entry["verdict"],
                entry.get("learn_quote"),
                source.get("url") or "",
                mentions,
                change,
                entry.get("about", "fact"),
                entry.get("not_on_site"),
            )
        )
    return Audit(path, data["mirror"]["commit"], str(data["mirror"]["commit_date"])[:10], tuple(claims))
