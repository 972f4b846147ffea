"""The documentation pages on disk: which page exists in which language, and where it is served."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

SOURCE_LOCALE = "ja"
LOCALES = ("ja", "en")


@dataclass(frozen=True)
class PageFile:
    path: Path
    stem: str
    locale: str

    @property
    def url(self) -> str:
        """Path below the site root, as MkDocs serves it with directory URLs."""
        prefix = "" if self.locale == SOURCE_LOCALE else f"{self.locale}/"
        return prefix if self.stem == "index" else f"{prefix}{self.stem}/"

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def page_files(docs_dir: Path) -> list[PageFile]:
    pages = []
    for path in sorted(docs_dir.glob("*.md")):
        stem, _, locale = path.stem.partition(".")
        pages.append(PageFile(path, stem, locale or SOURCE_LOCALE))
    return pages


def mermaid_sources(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [t.content for t in tokens if t.type == "fence" and t.info.strip() == "mermaid"]
