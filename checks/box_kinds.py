"""The Correction and Updated box types (checks/boxes.yml): which change each tells, and its title per language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema

from checks.findings import ConfigurationError, display_path
from checks.languages import LOCALES
from checks.yaml_files import load_yaml_tree, node_line, schema_error_line, schema_error_text

BOXES = Path(__file__).with_name("boxes.yml")
SCHEMA = Path(__file__).with_name("boxes.schema.json")


@dataclass(frozen=True)
class BoxKind:
    type: str  # the admonition type: `!!! correction`
    change: str  # the audit's change kind it tells: correction | learn-update
    titles: dict[str, str]  # language code -> the box's title


@cache
def _schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def load_box_kinds(path: Path = BOXES) -> dict[str, BoxKind]:
    """Box type -> kind; a ConfigurationError at boxes.yml:LINE when an entry is wrong or a language lacks a title."""
    data, root = load_yaml_tree(path, "box list")
    where = display_path(path)
    error = next(iter(sorted(jsonschema.Draft202012Validator(_schema()).iter_errors(data), key=str)), None)
    if error is not None:
        field = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        raise ConfigurationError(
            f"{where}:{schema_error_line(error, root)}: [boxes/schema] {field}: {schema_error_text(error)}"
        )
    assert isinstance(data, dict)  # the schema says so
    kinds: dict[str, BoxKind] = {}
    changes: dict[str, str] = {}
    for index, entry in enumerate(data["boxes"]):
        line = node_line(root, ["boxes", index])
        missing = [code for code in LOCALES if code not in entry["title"]]
        if missing:
            raise ConfigurationError(
                f"{where}:{node_line(root, ['boxes', index, 'title'])}: [boxes/schema] the {entry['type']} box has "
                f"no title in {', '.join(missing)} (checks/languages.yml lists it): add `{missing[0]}: ...`"
            )
        if entry["type"] in kinds or entry["change"] in changes:
            twice = entry["type"] if entry["type"] in kinds else entry["change"]
            raise ConfigurationError(f"{where}:{line}: [boxes/schema] {twice!r} is given to two box types")
        for code, title in entry["title"].items():
            other = next((kind for kind in kinds.values() if kind.titles.get(code) == title), None)
            if other is not None:
                raise ConfigurationError(
                    f"{where}:{node_line(root, ['boxes', index, 'title', code])}: [boxes/schema] the {entry['type']} "
                    f"box's {code} title {title!r} is also the {other.type} box's: a reader tells them apart by it"
                )
        kinds[entry["type"]] = BoxKind(entry["type"], entry["change"], dict(entry["title"]))
        changes[entry["change"]] = entry["type"]
    # Every kind of change the audit records is told in a box of its own.
    untold = [change for change in _schema()["$defs"]["box"]["properties"]["change"]["enum"] if change not in changes]
    if untold:
        raise ConfigurationError(
            f"{where}:{node_line(root, ['boxes'])}: [boxes/schema] no box type tells a {untold[0]!r} change "
            "(checks/audit.yml records it): give it an entry with its type and titles"
        )
    return kinds
