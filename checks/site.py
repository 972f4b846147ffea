"""The documentation as the checks see it: every page parsed once, with its language and diagrams."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from pymdownx.slugs import slugify

from checks.docs_files import read_page
from checks.findings import Finding, display_path
from checks.markdown_doc import Document, parse_document
from checks.mermaid import Diagram, parse_mermaid
from checks.pages import SOURCE_LOCALE, page_files

_SLUGIFY = slugify(case="lower")
_TOC = {"toc": {"slugify": _SLUGIFY}}
_HEADING_ID = re.compile(r'<h[1-6][^>]* id="([^"]*)"')


@dataclass
class Page:
    path: Path
    display: str
    stem: str
    locale: str
    doc: Document
    diagrams: list[Diagram] = field(default_factory=list)
    # Every page of the site, so that a rule on one page can resolve links to the others.
    site_pages: list[Page] = field(default_factory=list, repr=False)
    _anchors: list[str] | None = field(default=None, repr=False, compare=False)

    def heading_anchors(self) -> list[str]:
        """The ids MkDocs gives the headings, computed as it computes them: Python-Markdown's toc
        (with pymdownx.slugs, as configured in mkdocs.yml) and attr_list over the headings as
        written, so a link's text, an entity, a full-width space or a `{#id}` come out as on the site."""
        if self._anchors is None:
            source = "\n\n".join(f"{'#' * heading.level} {heading.text}" for heading in self.doc.headings)
            html = markdown.Markdown(extensions=["toc", "attr_list"], extension_configs=_TOC).convert(source)
            self._anchors = _HEADING_ID.findall(html)
        return self._anchors

    def sibling(self, stem: str, locale: str) -> Page | None:
        return next((p for p in self.site_pages if p.stem == stem and p.locale == locale), None)

    def linked(self, stem: str) -> Page | None:
        """The page a link to `stem.md` opens: static-i18n resolves it to the page in this page's
        language, else to the source language's (the fallback of a page not yet translated)."""
        return self.sibling(stem, self.locale) or self.sibling(stem, SOURCE_LOCALE)


@dataclass
class Site:
    docs_dir: Path
    pages: list[Page]

    def by_locale(self, locale: str) -> dict[str, Page]:
        return {page.stem: page for page in self.pages if page.locale == locale}


def load_site(docs_dir: Path) -> tuple[Site, list[Finding]]:
    pages, findings = [], []
    for page_file in page_files(docs_dir):
        path = page_file.path
        display = display_path(path)
        text, problems = read_page(path)
        findings += problems
        if text is None:
            continue
        page = Page(path, display, page_file.stem, page_file.locale, parse_document(path, text))
        page.diagrams = [parse_mermaid(fence.content, fence.content_line) for fence in page.doc.mermaid]
        pages.append(page)
    for page in pages:
        page.site_pages = pages
    return Site(docs_dir, pages), findings
