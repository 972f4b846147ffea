"""MkDocs hooks that assemble the site: diagrams drawn at build time, page rewrites, per-language search.

They are not checks: `make bench` builds the site with these hooks alone to measure what the checks cost.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from checks.findings import display_path
from site_build import html_fixes, search_index
from site_build.diagrams import Diagrams
from site_build.reader_text import text_for

log = get_plugin_logger("site")

# The diagrams of the build under way; its browser lives from the first uncached diagram to the end
# of the build (every language: static-i18n builds the others inside its own on_post_build).
_diagrams: Diagrams | None = None


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    global _diagrams
    if 'class="mermaid"' not in html:
        return html
    if _diagrams is None:
        _diagrams = Diagrams()
    locale = getattr(page.file, "locale", config.plugins["i18n"].default_language)
    path = Path(page.file.abs_src_path)
    return _diagrams.draw_page(html, path, display_path(path), locale)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    locale = config.plugins["i18n"].current_language
    # static-i18n shows a page missing in `locale` in the source language: say so, in `locale`.
    if getattr(page.file, "locale", locale) != locale:
        context.setdefault("notices", {})["fallback"] = text_for(locale)["fallback"]
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    i18n = config.plugins["i18n"]
    locale = getattr(page.file, "locale", i18n.default_language)
    prefix = "" if locale == i18n.default_language else locale
    return html_fixes.point_search_at_language(html_fixes.drop_hreflang_links(output), prefix)


# static-i18n builds the other languages inside its own on_post_build (priority -100); run after
# it, once, when every language is on disk.
@event_priority(-110)
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins["i18n"]
    if i18n.building:
        return
    site_dir = Path(config.site_dir)
    others = [locale for locale in i18n.build_languages if locale != i18n.default_language]
    counts = search_index.split_search_index(site_dir, i18n.default_language, others)
    log.info("search index split per language: %s", counts)
    _finish_diagrams()


def on_build_error(error: Exception) -> None:
    _finish_diagrams()


def on_shutdown() -> None:
    _finish_diagrams()


def _finish_diagrams() -> None:
    global _diagrams
    if _diagrams is None:
        return
    log.info("diagrams: %d drawn, %d from the cache", _diagrams.rendered, _diagrams.from_cache)
    _diagrams.close()
    _diagrams = None
