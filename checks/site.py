"""The documentation as the checks see it: every page parsed once, with its language and diagrams."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pymdownx.slugs import slugify

from checks.docs_files import read_page
from checks.findings import Finding, display_path
from checks.markdown_doc import Document, parse_document
from checks.mermaid import Diagram, parse_mermaid
from checks.pages import page_files

_SLUGIFY = slugify(case="lower")
# attr_list's block at the end of a heading: `## Title {#id .class}`.
_ATTRIBUTES = re.compile(r"\s*\{:?[^{}]*\}\s*$")
_GIVEN_ID = re.compile(r"\{:?[^{}]*?#(?P<id>[\w-]+)[^{}]*\}\s*$")


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

    def heading_anchors(self) -> list[str]:
        """The ids MkDocs gives the headings: an attr_list `{#id}` as written, else toc's slug
        (pymdownx.slugs, as configured in mkdocs.yml), a repeated one with `_1`, `_2` ... as toc does."""
        anchors: list[str] = []
        for heading in self.doc.headings:
            given = _GIVEN_ID.search(heading.text)
            anchor = given["id"] if given else _SLUGIFY(_ATTRIBUTES.sub("", heading.text).strip(), "-")
            unique, count = anchor, 0
            while unique in anchors:
                count += 1
                unique = f"{anchor}_{count}"
            anchors.append(unique)
        return anchors

    def sibling(self, stem: str, locale: str) -> Page | None:
        return next((p for p in self.site_pages if p.stem == stem and p.locale == locale), None)


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
