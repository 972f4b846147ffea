"""The language switcher keeps the reader's section: each link carries the heading ids of its page.

Headings differ per language (`#概念図`, `#conceptual-diagram`, `#概念图`), but a translation keeps
the source's headings in the same order (checks/parity.py, parity/headings): the n-th heading of one
language is the n-th of every other. docs/javascripts/language-section.js reads the ids this module
writes on the switcher's links and sends the reader to the n-th heading of the chosen language.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from checks.pages import SOURCE_LOCALE
from checks.site import load_site

_SWITCHER_LINK = re.compile(r'<a href="[^"]*" hreflang="(?P<lang>[^"]+)" class="md-select__link"')


def page_anchors(docs_dir: Path) -> dict[tuple[str, str], list[str]]:
    """(stem, language) -> heading ids of page `stem` in that language; the source's under (stem, "")."""
    site, _ = load_site(docs_dir)
    anchors = {(page.stem, page.locale): page.heading_anchors() for page in site.pages}
    return {**anchors, **{(stem, ""): ids for (stem, locale), ids in anchors.items() if locale == SOURCE_LOCALE}}


def with_section_anchors(page_html: str, stem: str, anchors: dict[tuple[str, str], list[str]]) -> str:
    """Add `data-anchors` (the heading ids, space-separated, in order) to every switcher link; a
    language without the page shows the source (static-i18n's fallback), so it gets the source's ids."""

    def annotate(match: re.Match[str]) -> str:
        ids = anchors.get((stem, match["lang"]), anchors.get((stem, ""), []))
        return f'{match[0]} data-anchors="{html.escape(" ".join(ids))}"'

    return _SWITCHER_LINK.sub(annotate, page_html)
