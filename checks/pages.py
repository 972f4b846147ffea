"""The documentation pages on disk: which page exists in which language, and where it is served."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from checks.docs_files import file_problem
from checks.languages import LOCALES, SOURCE_LOCALE

__all__ = ["LOCALES", "SOURCE_LOCALE", "PageFile", "page_files", "page_url", "relative_url"]


@dataclass(frozen=True)
class PageFile:
    path: Path
    stem: str
    locale: str

    @property
    def url(self) -> str:
        return page_url(self.stem, self.locale)


def page_url(stem: str, locale: str) -> str:
    """Path of page `stem` in `locale` below the site root, as MkDocs serves it with directory URLs."""
    prefix = "" if locale == SOURCE_LOCALE else f"{locale}/"
    return prefix if stem == "index" else f"{prefix}{stem}/"


def relative_url(from_url: str, to_url: str) -> str:
    """The link from one page to another, both given as paths below the site root (`en/flat/`)."""
    return posixpath.relpath(f"/{to_url}", f"/{from_url}") + "/"


def page_files(docs_dir: Path) -> list[PageFile]:
    """Every Markdown page below `docs_dir`; `flat.en.md` is the English version of `flat.md`."""
    pages = []
    for path in sorted(docs_dir.rglob("*.md")):
        if file_problem(path, docs_dir):
            continue  # reported by checks/docs_files.py; never followed nor opened
        stem, _, locale = path.relative_to(docs_dir).with_suffix("").as_posix().partition(".")
        pages.append(PageFile(path, stem, locale or SOURCE_LOCALE))
    return pages
