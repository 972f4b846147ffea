"""Every page, in every language, as a reader's Chromium shows it."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from browser_pages import diagram_texts, open_page, search
from conftest import DOCS

from checks.markdown_doc import parse_document
from checks.pages import page_files

PAGES = page_files(DOCS)


@pytest.mark.browser
@pytest.mark.parametrize("page_file", PAGES, ids=lambda p: p.url or "/")
def test_page_shows_every_diagram_and_stays_on_this_host(browser, site_url, page_file):
    expected = len(parse_document(page_file.path, page_file.path.read_text(encoding="utf-8")).mermaid)
    page, visit = open_page(browser, urljoin(site_url, page_file.url))
    svgs = diagram_texts(page)

    assert len(svgs) == expected, f"{page_file.path.name}: {len(svgs)} SVGs for {expected} mermaid fences"
    assert visit.console_errors == []
    assert visit.page_errors == []
    assert visit.foreign_requests == []
    page.context.close()


@pytest.mark.browser
def test_multiline_labels_keep_their_line_breaks(browser, site_url):
    page, _ = open_page(browser, urljoin(site_url, "overlay/"))
    # `ノード 1<br/>10.0.1.4` must be drawn as two lines, not "ノード 110.0.1.4".
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('div.diagram text'))
             .filter(t => t.textContent.includes('10.0.1.4') && t.textContent.includes('ノード'))
             .map(t => Array.from(t.querySelectorAll('tspan.row')).map(r => r.textContent.trim()))"""
    )
    assert rows and all(len(lines) == 2 and lines[1] == lines[1].strip() for lines in rows), rows
    assert ["ノード 1", "10.0.1.4"] in rows, rows
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("start", "language", "target"), [("overlay/", "en", "en/overlay/"), ("en/flat/", "ja", "flat/")]
)
def test_language_switcher_lands_on_the_same_page(browser, site_url, start, language, target):
    page, visit = open_page(browser, urljoin(site_url, start))
    page.hover(".md-header__option .md-select")
    page.click(f".md-select__link[hreflang={language}]")
    page.wait_for_url(urljoin(site_url, target))
    assert page.evaluate("document.documentElement.lang") == language
    assert visit.console_errors == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("term", ["オーバーレイ", "SNAT", "サブネット"])
def test_japanese_search_finds_japanese_pages_only(browser, site_url, term):
    page, _ = open_page(browser, urljoin(site_url, "flat/"))
    results = search(page, term)
    assert results, term
    assert not [r for r in results if "/en/" in r], results
    if term == "オーバーレイ":
        assert urljoin(site_url, "overlay/") in results, results
    page.context.close()


@pytest.mark.browser
def test_english_search_finds_english_pages_only(browser, site_url):
    page, _ = open_page(browser, urljoin(site_url, "en/flat/"))
    results = search(page, "overlay")
    assert urljoin(site_url, "en/overlay/") in results, results
    assert all(r.startswith(urljoin(site_url, "en/")) for r in results), results
    page.context.close()
