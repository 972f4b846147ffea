"""Every page, in every language, as a reader's Chromium shows it."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from browser_pages import open_page, search, wait_for_diagrams
from conftest import DOCS

from checks.markdown_doc import parse_document
from checks.pages import page_files

PAGES = page_files(DOCS)


@pytest.mark.browser
@pytest.mark.parametrize("page_file", PAGES, ids=lambda p: p.url or "/")
def test_page_renders_every_diagram_and_stays_on_this_host(browser, site_url, page_file):
    expected = len(parse_document(page_file.path, page_file.path.read_text(encoding="utf-8")).mermaid)
    page, visit = open_page(browser, urljoin(site_url, page_file.url))
    svgs = wait_for_diagrams(page, expected)
    page.wait_for_load_state("networkidle")

    assert len(svgs) == expected, f"{page_file.path.name}: {len(svgs)} SVGs for {expected} mermaid fences"
    assert not [s for s in svgs if "Syntax error" in s]
    assert visit.console_errors == []
    assert visit.page_errors == []
    assert visit.foreign_requests == []
    page.context.close()


@pytest.mark.browser
def test_multiline_labels_keep_their_line_breaks(browser, site_url):
    page, _ = open_page(browser, urljoin(site_url, "overlay/"))
    wait_for_diagrams(page, 3)
    # `ノード 1<br/>10.0.1.4` must be drawn as two lines, not "ノード 110.0.1.4".
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll('div.mermaid'))
             .flatMap(h => Array.from(h.shadowRoot.querySelectorAll('.nodeLabel')))
             .filter(l => l.textContent.includes('10.0.1.4'))
             .map(l => l.innerHTML)"""
    )
    assert lines and all("<br" in html for html in lines), lines
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagram_text_contrasts_with_the_page_in_both_palettes(browser, site_url, scheme):
    page, _ = open_page(browser, urljoin(site_url, "en/overlay/"), color_scheme=scheme)
    wait_for_diagrams(page, 3)
    colors = page.evaluate(
        """() => {
          const label = document.querySelector('div.mermaid').shadowRoot.querySelector('.nodeLabel');
          const rgb = s => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
          const lum = ([r, g, b]) => {
            const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
          };
          const fg = lum(rgb(getComputedStyle(label).color));
          const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
          return {ratio: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05),
                  scheme: document.body.getAttribute('data-md-color-scheme')};
        }"""
    )
    assert colors["scheme"] == ("slate" if scheme == "dark" else "default")
    assert colors["ratio"] >= 4.5, colors
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
