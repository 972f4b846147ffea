"""The site's languages, from checks/languages.yml: codes, Learn locales, html lang, search and script."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from checks.findings import ConfigurationError, display_path
from checks.yaml_files import load_yaml_file

LANGUAGES_FILE = Path(__file__).with_name("languages.yml")
SCHEMA = Path(__file__).with_name("languages.schema.json")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    learn_locale: str
    html_lang: str
    search: tuple[str, ...]
    segmenter: str
    cjk: bool
    role: str
    line: int  # of its entry in languages.yml


def load_languages(path: Path = LANGUAGES_FILE) -> tuple[Language, ...]:
    """Every language, the source first; ConfigurationError at languages.yml:LINE when the list is wrong."""
    where = display_path(path)
    text, data = load_yaml_file(path, "language list")
    lines = _entry_lines(text)
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise ConfigurationError(
            "\n".join(f"{where}:{_line(e.absolute_path, lines)}: [languages/schema] {e.message}" for e in errors)
        )
    languages = tuple(
        Language(**{**{k: v for k, v in entry.items() if k != "why"}, "search": tuple(entry["search"])}, line=lines[i])
        for i, entry in enumerate(data["languages"])
    )
    codes = [language.code for language in languages]
    for language in languages:
        if codes.count(language.code) > 1:
            raise ConfigurationError(f"{where}:{language.line}: [languages/duplicate] {language.code} is listed twice")
    sources = [language for language in languages if language.role == "source"]
    if len(sources) != 1 or languages[0].role != "source":
        line = sources[1].line if len(sources) > 1 else languages[0].line
        raise ConfigurationError(
            f"{where}:{line}: [languages/source] exactly one language, the first, has role: source"
            f" (found {[s.code for s in sources]})"
        )
    return languages


def _entry_lines(text: str) -> list[int]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "languages" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return []


def _line(location, lines: list[int]) -> int:
    path = list(location)
    if len(path) >= 2 and isinstance(path[1], int) and path[1] < len(lines):
        return lines[path[1]]
    return 1


@cache
def languages() -> tuple[Language, ...]:
    return load_languages()


def _site_languages() -> tuple[Language, ...]:
    # Read when checks/ is imported (the CLI, both MkDocs hooks, the tests): a broken list must stop
    # them with its file:line message, not a traceback through every module that imports it.
    try:
        return languages()
    except ConfigurationError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def language(code: str) -> Language | None:
    return next((language for language in languages() if language.code == code), None)


def learn_locale(code: str) -> str:
    """The Learn locale of page language `code`; a language the site does not have links en-us."""
    found = language(code)
    return found.learn_locale if found else "en-us"


LOCALES: tuple[str, ...] = tuple(language.code for language in _site_languages())
SOURCE_LOCALE: str = LOCALES[0]
LEARN_LOCALES: tuple[str, ...] = tuple(language.learn_locale for language in _site_languages())
