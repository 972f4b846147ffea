"""MkDocs hooks: a thin dispatcher over the small modules of the `checks` package."""

from __future__ import annotations

import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from checks import fallback, mermaid_assets, search_index, site_html, sources_page
from checks.engine import Report, run_checks
from checks.findings import ConfigurationError

log = get_plugin_logger("checks")


class _BuildState:
    """What the checks found, indexed once per build for the per-page events."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.pages = {page.path.resolve(): page for page in report.site.pages}
        self.outdated = {f.path for f in report.findings if f.rule == "parity/outdated"}
        self.verified: dict[str, str] = {}
        for binding in report.bindings:
            if binding.kind == "fact":
                date = report.registry.facts[binding.target].verified
                shown = binding.page.display
                self.verified[shown] = min(date, self.verified.get(shown, date))


_state: dict[str, _BuildState] = {}


def _i18n(config: MkDocsConfig):
    return config.plugins["i18n"]


def on_pre_build(config: MkDocsConfig) -> None:
    # static-i18n runs one build per language; the checks cover every language at once, so run them once.
    if _i18n(config).building:
        return
    # The registry and the anchor snapshot of the site being built sit beside its mkdocs.yml.
    checks_dir = Path(config.config_file_path).parent / "checks"
    started = time.perf_counter()
    try:
        report = run_checks(Path(config.docs_dir), checks_dir / "facts.yml", checks_dir / "learn_anchors.json")
    except ConfigurationError as error:
        raise PluginError(f"checks: {error}") from None
    _state["build"] = _BuildState(report)
    for finding in report.findings:
        message = f"{finding.path}:{finding.line}: [{finding.rule}] {finding.message}\n  how to fix: {finding.hint}"
        # Warnings (an outdated translation) are shown without failing a strict build.
        (log.warning if finding.severity == "error" else log.info)(message)
    seconds = time.perf_counter() - started
    log.info(
        "%d error(s), %d warning(s) in %d pages (%.2f s)",
        len(report.errors),
        len(report.warnings),
        len(report.site.pages),
        seconds,
    )


def _checked_page(page: Page):
    state = _state.get("build")
    if state is None or not page.file.abs_src_path:
        return None, None
    return state, state.pages.get(Path(page.file.abs_src_path).resolve())


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state, checked = _checked_page(page)
    if state is None or checked is None:
        return markdown
    locale = _i18n(config).current_language
    if checked.locale != locale:
        markdown = fallback.retarget_anchors(markdown, checked, locale)
    if sources_page.MARKER not in markdown:
        return markdown
    report = state.report
    titles = {
        p.stem: p.doc.headings[0].text for p in report.site.pages if p.locale == checked.locale and p.doc.headings
    }
    table = sources_page.sources_table(report.registry, report.bindings, checked.locale, titles)
    return markdown.replace(sources_page.MARKER, table)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return site_html.escape_mermaid_sources(html)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    state, checked = _checked_page(page)
    i18n = _i18n(config)
    locale = i18n.current_language
    text = sources_page.TEXT.get(locale, sources_page.TEXT["en"])
    notes = {"fallback": text["fallback"] if getattr(page.file, "locale", locale) != locale else ""}
    if state is not None and checked is not None:
        if checked.display in state.outdated:
            source_url = "" if checked.stem == "index" else f"{checked.stem}/"
            notes["outdated"] = text["outdated"].format(source=_relative(page.url, source_url))
        if checked.display in state.verified:
            sources = _relative(page.url, _sources_url(locale, i18n))
            notes["verified"] = text["verified_footer"].format(date=state.verified[checked.display], sources=sources)
    context["checks_notes"] = notes
    return context


def _sources_url(locale: str, i18n) -> str:
    return "sources/" if locale == i18n.default_language else f"{locale}/sources/"


def _relative(from_url: str, to_url: str) -> str:
    depth = from_url.count("/")
    return "../" * depth + to_url if depth else to_url or "./"


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    i18n = _i18n(config)
    locale = getattr(page.file, "locale", i18n.default_language)
    prefix = "" if locale == i18n.default_language else locale
    output = site_html.anchor_mermaid_import(site_html.drop_hreflang_links(output))
    return site_html.point_search_at_language(output, prefix)


# static-i18n builds the other languages inside its own on_post_build (priority -100); run after
# it, once, when every language is on disk.
@event_priority(-110)
def on_post_build(config: MkDocsConfig) -> None:
    i18n = _i18n(config)
    if i18n.building:
        return
    site_dir = Path(config.site_dir)
    others = [locale for locale in i18n.build_languages if locale != i18n.default_language]
    counts = search_index.split_search_index(site_dir, i18n.default_language, others)
    log.info("search index split per language: %s", counts)
    copied = mermaid_assets.copy_mermaid(site_dir)
    log.info("self-hosted mermaid copied (%d bytes)", copied)
