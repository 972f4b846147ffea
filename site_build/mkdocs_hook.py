"""MkDocs hooks that assemble the site: diagrams drawn at build time, glossary tooltips, page rewrites,
per-language search, CSP.

They are not checks: `make bench` builds the site with these hooks alone to measure what the checks cost.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from checks.findings import ConfigurationError, display_path
from checks.glossary import Glossary, load_glossary
from checks.languages import languages
from site_build import csp, html_fixes, language_switch, search_index
from site_build.diagrams import Diagrams
from site_build.glossary_tooltips import add_tooltips
from site_build.reader_text import text_for

log = get_plugin_logger("site")
_policy: list[csp.Directive] = []
_glossary: Glossary | None = None
_serving = False


def on_startup(command: str, dirty: bool) -> None:
    # `mkdocs serve` adds an inline live-reload script to every response, with a new timestamp each
    # time: no hash written at build time can allow it, so the dev server shows pages without a policy.
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> None:
    # Material's search segments every language with jieba once it is importable, Japanese
    # included, which breaks Japanese search; site_build/search_index.py segments the Chinese index alone.
    from material.plugins.search import plugin as material_search

    material_search.jieba = None


def on_pre_build(config: MkDocsConfig) -> None:
    global _policy, _glossary
    try:
        _policy = csp.load_policy()
        _glossary = load_glossary()
    except ConfigurationError as error:
        raise PluginError(str(error)) from None
    if _serving:
        log.info("Content-Security-Policy left out under `mkdocs serve` (live reload); builds and tests apply it")


# The diagrams of the build under way; its browser lives from the first uncached diagram to the end
# of the build (every language: static-i18n builds the others inside its own on_post_build).
_diagrams: Diagrams | None = None


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    global _diagrams
    locale = getattr(page.file, "locale", config.plugins["i18n"].default_language)
    if _glossary is not None:
        html = add_tooltips(html, locale, _glossary)
    if 'class="mermaid"' not in html:
        return html
    if _diagrams is None:
        _diagrams = Diagrams()
    path = Path(page.file.abs_src_path)
    return _diagrams.draw_page(html, path, display_path(path), locale)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    locale = config.plugins["i18n"].current_language
    # static-i18n shows a page missing in `locale` in the source language: say so, in `locale`.
    if getattr(page.file, "locale", locale) != locale:
        context.setdefault("notices", {})["fallback"] = text_for(locale)["fallback"]
    return context


# Last of every plugin's on_post_page (mermaid2 adds its module script at 0, static-i18n runs at
# -100): the policy hashes the inline scripts of the HTML exactly as it is written to disk.
@event_priority(-200)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    i18n = config.plugins["i18n"]
    locale = getattr(page.file, "locale", i18n.default_language)
    prefix = "" if locale == i18n.default_language else locale
    output = html_fixes.point_search_at_language(html_fixes.drop_hreflang_links(output), prefix)
    stem = Path(page.file.src_uri).with_suffix("").as_posix().partition(".")[0]
    output = language_switch.with_section_anchors(output, stem, _anchors(config))
    if _diagrams is not None:
        output = _diagrams.with_floors(output, display_path(Path(page.file.abs_src_path)))
    return _with_policy(output, page.file.src_uri)


# 404.html is a theme template, not a page: it gets no on_post_page. It inherits the hreflang links
# of the last page rendered, which would make Material fetch that page's sitemap.xml (two 404s).
@event_priority(-200)
def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name != "404.html":
        return output
    return _with_policy(html_fixes.drop_hreflang_links(output), template_name)


_section_anchors: dict[tuple[str, str], list[str]] | None = None


def _anchors(config: MkDocsConfig) -> dict[tuple[str, str], list[str]]:
    # Read once per build, from the Markdown of every language (the languages build one after another).
    global _section_anchors
    if _section_anchors is None:
        _section_anchors = language_switch.page_anchors(Path(config.docs_dir))
    return _section_anchors


def _with_policy(output: str, page: str) -> str:
    if _serving:
        return output
    try:
        return csp.add_policy(output, _policy, page)
    except ValueError as error:
        raise PluginError(str(error)) from None


# static-i18n builds the other languages inside its own on_post_build (priority -100); run after
# it, once, when every language is on disk.
@event_priority(-110)
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins["i18n"]
    if i18n.building:
        return
    built = [language for language in languages() if language.code in i18n.build_languages]
    try:
        counts = search_index.split_search_index(Path(config.site_dir), tuple(built))
    except search_index.SegmenterMissing as error:
        raise PluginError(str(error)) from None
    log.info("search index split per language: %s", counts)
    _finish_build()


def on_build_error(error: Exception) -> None:
    _finish_build()


def on_shutdown() -> None:
    _finish_build()


def _finish_build() -> None:
    # `mkdocs serve` rebuilds in the same process: the next build reads the headings afresh.
    global _section_anchors
    _section_anchors = None
    _finish_diagrams()


def _finish_diagrams() -> None:
    global _diagrams
    if _diagrams is None:
        return
    log.info("diagrams: %d drawn, %d from the cache", _diagrams.rendered, _diagrams.from_cache)
    _diagrams.close()
    _diagrams = None
