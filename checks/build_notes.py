"""What a site build needs from the checks, as plain records.

They cross from the process that runs the checks to MkDocs' own, so this module imports nothing
heavy: the build's process never loads the engine when the checks run beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.findings import Finding, WithFindings


@dataclass(frozen=True)
class PageNotes:
    stem: str
    locale: str
    outdated: bool
    # The earliest date on which a fact the page states was verified; None when it states none.
    verified: str | None
    display: str = ""
    # The numbers, addresses and URLs the checks judged on the page (checks/rendered_page.py keys).
    accounted: frozenset[str] = frozenset()


@dataclass
class BuildNotes(WithFindings):
    findings: list[Finding]
    pages: dict[str, PageNotes]  # by the page's resolved source path
    sources_tables: dict[str, str]  # the sources page's table, by locale
    # (resolved source path, locale the page is shown in untranslated) -> (old text, new text)
    anchor_rewrites: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    claims_tables: dict[str, str] = field(default_factory=dict)  # the sources page's audited claims, by locale
    seconds: float = 0.0
    # What mkdocs.yml shows on every page (site name, nav titles ...), and that with every page's own:
    # the theme's <head>, header and footer are compared with them (checks/rendered_page.py).
    config_accounted: frozenset[str] = frozenset()
    site_accounted: frozenset[str] = frozenset()

    def retarget_anchors(self, markdown: str, path: str, locale: str) -> str:
        for old, new in self.anchor_rewrites.get((path, locale), []):
            markdown = markdown.replace(old, new)
        return markdown
