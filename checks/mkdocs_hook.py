"""MkDocs hooks that run the checks in every build: findings fail a strict build, notes go on the pages."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from checks.beside_build import PendingNotes
from checks.build_notes import BuildNotes, PageNotes
from checks.docs_files import guard_docs
from checks.findings import ConfigurationError, Finding
from checks.pages import SOURCE_LOCALE, page_url, relative_url
from checks.rendered_page import unaccounted, unaccounted_chrome
from site_build.reader_text import text_for

log = get_plugin_logger("checks")

# Where the sources page (docs/sources.md and its translations) wants the table generated from the registry.
MARKER = "<!-- fact-registry -->"
CLAIMS_MARKER = "<!-- claim-audit -->"

_pending: dict[str, PendingNotes] = {}
_notes: dict[str, BuildNotes] = {}
# A page shown in two languages (untranslated) is rendered twice; report what it hides once.
_reported: set[Finding] = set()


def _i18n(config: MkDocsConfig):
    return config.plugins["i18n"]


def on_pre_build(config: MkDocsConfig) -> None:
    # static-i18n runs one build per language; the checks cover every language at once, so run them once.
    if _i18n(config).building:
        return
    _notes.clear()
    _reported.clear()
    # MkDocs collects (and later copies) docs/ right after this hook, following symlinks, and
    # crashes on a page it cannot decode or nest: such files stop the build here, before it reads them.
    blocking = guard_docs(Path(config.docs_dir))
    if blocking:
        for finding in blocking:
            log.warning(_message(finding))
        raise PluginError(f"checks: {len(blocking)} file(s) in docs/ stop the build before MkDocs reads them")
    # The registry and the anchor snapshot of the site being built sit beside its mkdocs.yml.
    checks_dir = Path(config.config_file_path).parent / "checks"
    try:
        _pending["build"] = PendingNotes(
            Path(config.docs_dir),
            checks_dir / "facts.yml",
            checks_dir / "learn_anchors.json",
            Path(config.config_file_path),
        )
    except ConfigurationError as error:
        raise PluginError(f"checks: {error}") from None


def _build_notes() -> BuildNotes | None:
    """The checks' notes, collected (and their findings logged) the first time the build needs them."""
    if "build" in _notes or "build" not in _pending:
        return _notes.get("build")
    pending = _pending.pop("build")
    try:
        notes = pending.result()
    except ConfigurationError as error:
        raise PluginError(f"checks: {error}") from None
    _notes["build"] = notes
    for finding in notes.findings:
        # Warnings (an outdated translation) are shown without failing a strict build.
        (log.warning if finding.severity == "error" else log.info)(_message(finding))
    where = f"beside the build, which waited {pending.waited:.2f} s for them" if pending.parallel else "in the build"
    log.info(
        "%d error(s), %d warning(s) in %d pages (%.2f s %s)",
        len(notes.errors),
        len(notes.warnings),
        len(notes.pages),
        notes.seconds,
        where,
    )
    return notes


def _message(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}: [{finding.rule}] {finding.message}\n  how to fix: {finding.hint}"


def _page_notes(page: Page) -> tuple[BuildNotes | None, PageNotes | None, str]:
    notes = _build_notes()
    path = str(Path(page.file.abs_src_path).resolve()) if page.file.abs_src_path else ""
    return notes, notes.pages.get(path) if notes else None, path


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    locale = _i18n(config).current_language
    # Only a page shown untranslated needs the checks' notes now; the others let the checks run on.
    if getattr(page.file, "locale", locale) == locale:
        return markdown
    notes, _, path = _page_notes(page)
    return notes.retarget_anchors(markdown, path, locale) if notes else markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    notes, checked, path = _page_notes(page)
    if notes is None or checked is None:
        return html
    # What the reader gets decides: what Python-Markdown rendered and the checks never saw fails the build.
    _report_once(unaccounted(html, checked.accounted, checked.display, _source(path)))
    # The table is HTML already: pasted into the converted page, it costs the build no Markdown.
    html = html.replace(CLAIMS_MARKER, notes.claims_tables.get(checked.locale, ""))
    return html.replace(MARKER, notes.sources_tables.get(checked.locale, ""))


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    notes, checked, _ = _page_notes(page)
    # A page whose HTML the checks judged unsafe is never written: a strict build would fail only after
    # writing it (and a non-strict one not at all), leaving it in site/ for whoever serves that folder.
    if notes and checked and any(f.path == checked.display and f.rule.startswith("html/") for f in notes.errors):
        raise PluginError(f"checks: {checked.display} brings unsafe HTML to the reader (see above); it is not written")
    if notes and checked:
        # The theme's <head>, header and footer: the page's title, the site's name, the nav's titles.
        page_accounted = checked.accounted | notes.config_accounted
        source = _source(str(Path(page.file.abs_src_path).resolve()))
        _report_once(unaccounted_chrome(output, page_accounted, notes.site_accounted, checked.display, source))
    return output


def _source(path: str) -> str:
    return Path(path).read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def _report_once(findings: list[Finding]) -> None:
    for finding in findings:
        if finding not in _reported:
            _reported.add(finding)
            log.warning(_message(finding))


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    notes, checked, _ = _page_notes(page)
    if notes is None or checked is None:
        return context
    locale = _i18n(config).current_language
    here = page_url(checked.stem, locale)
    text = text_for(locale)
    notices = context.setdefault("notices", {})
    if checked.outdated:
        source = relative_url(here, page_url(checked.stem, SOURCE_LOCALE))
        notices["outdated"] = text["outdated"].format(source=source)
    if checked.verified:
        sources = relative_url(here, page_url("sources", locale))
        notices["verified"] = text["verified_footer"].format(date=checked.verified, sources=sources)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    # A site without pages never asked for the notes: collect them anyway, so findings still fail the build.
    if not _i18n(config).building:
        _build_notes()


def on_build_error(error: Exception) -> None:
    pending = _pending.pop("build", None)
    if pending is not None:
        pending.cancel()
