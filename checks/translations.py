"""Record in a translated page which version of its Japanese source it translates."""

from __future__ import annotations

import re
from pathlib import Path

from checks.findings import ConfigurationError
from checks.pages import SOURCE_LOCALE
from checks.parity import SOURCE_HASH_KEY, source_hash_of

_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.S)


def source_of(translation: Path) -> Path:
    stem, _, locale = translation.name.removesuffix(".md").partition(".")
    if not locale or locale == SOURCE_LOCALE:
        raise ConfigurationError(f"{translation}: not a translation (expected a name like page.en.md)")
    source = translation.with_name(f"{stem}.md")
    if not source.is_file():
        raise ConfigurationError(f"{translation}: its source {source} does not exist")
    return source


def stamp_translation(translation: Path) -> str:
    """Set `source_hash` in the translation's front matter to the current source; return a summary."""
    if not translation.is_file():
        raise ConfigurationError(f"{translation}: no such file")
    digest = source_hash_of(source_of(translation))
    text = translation.read_text(encoding="utf-8")
    line = f"{SOURCE_HASH_KEY}: {digest}\n"
    match = _FRONT_MATTER.match(text)
    if match is None:
        text = f"---\n{line}---\n\n{text}"
    elif re.search(rf"^{SOURCE_HASH_KEY}:.*\n", match.group(1), re.M):
        body = re.sub(rf"^{SOURCE_HASH_KEY}:.*\n", line, match.group(1), flags=re.M)
        text = f"---\n{body}---\n{text[match.end() :]}"
    else:
        text = f"---\n{match.group(1)}{line}---\n{text[match.end() :]}"
    translation.write_text(text, encoding="utf-8")
    return f"{translation}: {SOURCE_HASH_KEY} {digest}"
