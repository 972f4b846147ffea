"""Run the engine over a site and keep what its build needs: findings, per-page notes, sources tables."""

from __future__ import annotations

from pathlib import Path

from checks.build_notes import BuildNotes, PageNotes
from checks.claims import page_runs
from checks.engine import run_checks
from checks.fallback import anchor_rewrites
from checks.numbers import find_numbers
from checks.pages import LOCALES
from checks.rendered_page import number_key, split_urls, url_key
from checks.site import Page
from checks.sources_page import claims_table, sources_table


def collect_notes(
    docs_dir: Path, registry_path: Path, snapshot_path: Path, config_path: Path | None = None
) -> BuildNotes:
    report = run_checks(docs_dir, registry_path, snapshot_path, config_path=config_path)
    outdated = {f.path for f in report.findings if f.rule == "parity/outdated"}
    verified: dict[str, str] = {}
    for binding in report.bindings:
        if binding.kind == "fact":
            date = report.registry.facts[binding.target].verified
            shown = binding.page.display
            verified[shown] = min(date, verified.get(shown, date))
    pages = {
        str(page.path.resolve()): PageNotes(
            page.stem,
            page.locale,
            outdated=page.display in outdated,
            verified=verified.get(page.display),
            display=page.display,
            accounted=accounted(page),
        )
        for page in report.site.pages
    }
    tables, claims = {}, {}
    for locale in LOCALES:
        titles = {p.stem: p.doc.headings[0].text for p in report.site.pages if p.locale == locale and p.doc.headings}
        tables[locale] = sources_table(report.registry, report.bindings, locale, titles)
        claims[locale] = claims_table(report.audit, locale, titles)
    # A page missing in a language is shown there in its source language (static-i18n's fallback).
    rewrites = {
        (str(page.path.resolve()), locale): anchor_rewrites(page, locale)
        for page in report.site.pages
        for locale in LOCALES
        if locale != page.locale and page.sibling(page.stem, locale) is None
    }
    config = frozenset().union(*(accounted(page) for page in report.config_pages))
    return BuildNotes(
        report.findings,
        pages,
        tables,
        {key: value for key, value in rewrites.items() if value},
        config_accounted=config,
        site_accounted=config.union(*(notes.accounted for notes in pages.values())),
        claims_tables=claims,
    )


def accounted(page: Page) -> frozenset[str]:
    """What the checks judged on a page, keyed as checks/rendered_page.py keys what the rendered page shows."""
    keys = {number_key(t.kind, t.value) for run in page_runs(page) for t in find_numbers(run.text)}
    urls = [link.url for link in page.doc.links]
    urls += [url for tag in page.doc.tags for name, value in tag.attrs for url in split_urls(name, value)]
    keys.update(key for url in urls if (key := url_key(url)))
    return frozenset(keys)
