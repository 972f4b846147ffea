"""Every page, in every language, as a reader's Chromium shows it."""

from __future__ import annotations

from urllib.parse import quote, urljoin

import pytest
from browser_pages import diagram_texts, open_page, search
from conftest import DOCS

from checks.markdown_doc import parse_document
from checks.pages import LOCALES, SOURCE_LOCALE, page_files, page_url
from checks.site import load_site

PAGES = page_files(DOCS)
# Every page in every language: a page without its translation is served in the source language.
SHOWN = [
    (page_url(page.stem, language), next((p for p in PAGES if p.stem == page.stem and p.locale == language), page))
    for page in PAGES
    if page.locale == SOURCE_LOCALE
    for language in LOCALES
]


@pytest.mark.browser
@pytest.mark.parametrize(("url", "page_file"), SHOWN, ids=[url or "/" for url, _ in SHOWN])
def test_page_shows_every_diagram_and_stays_on_this_host(browser, site_url, url, page_file):
    expected = len(parse_document(page_file.path, page_file.path.read_text(encoding="utf-8")).mermaid)
    page, visit = open_page(browser, urljoin(site_url, url))
    svgs = diagram_texts(page)

    assert len(svgs) == expected, f"{url}: {len(svgs)} SVGs for {expected} mermaid fences of {page_file.path.name}"
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
    ("start", "language", "target"),
    [
        ("overlay/", "en", "en/overlay/"),
        ("en/flat/", "ja", "flat/"),
        ("en/flat/", "zh", "zh/flat/"),
        ("zh/comparison/", "ko", "ko/comparison/"),
        ("ko/", "ja", ""),
    ],
)
def test_language_switcher_lands_on_the_same_page(browser, site_url, start, language, target):
    page, visit = open_page(browser, urljoin(site_url, start))
    page.hover(".md-header__option .md-select")
    page.click(f".md-select__link[hreflang={language}]")
    # Playwright scrolls the link into view before it clicks, so the switcher may add the section the
    # page was scrolled to (the section tests below check that); the page is what this test is about.
    page.wait_for_url(lambda url: url.split("#")[0] == urljoin(site_url, target))
    assert page.evaluate("document.documentElement.lang") == language
    assert visit.console_errors == []
    page.context.close()


def _nth_heading(stem: str, locale: str, index: int) -> str:
    shown = next((p for p in PAGES if p.stem == stem and p.locale == locale), None) or next(
        p for p in PAGES if p.stem == stem and p.locale == SOURCE_LOCALE
    )
    anchors = load_site(DOCS)[0].by_locale(shown.locale)[stem].heading_anchors()
    return quote(anchors[index])


@pytest.mark.browser
@pytest.mark.parametrize(("start", "target"), [("ja", "en"), ("en", "ja"), ("en", "zh"), ("zh", "ko")])
def test_language_switcher_keeps_the_section(browser, site_url, start, target):
    section = _nth_heading("overlay", start, 2)
    page, visit = open_page(browser, urljoin(site_url, f"{page_url('overlay', start)}#{section}"))
    page.hover(".md-header__option .md-select")
    page.click(f".md-select__link[hreflang={target}]")
    expected = urljoin(site_url, f"{page_url('overlay', target)}#{_nth_heading('overlay', target, 2)}")
    page.wait_for_url(expected)
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


def _language_of(url: str, site_url: str) -> str:
    first = url.removeprefix(site_url).split("/")[0]
    return first if first in LOCALES else SOURCE_LOCALE


@pytest.mark.browser
def test_language_switcher_keeps_the_section_scrolled_to(browser, site_url):
    page, visit = open_page(browser, urljoin(site_url, page_url("overlay", "en")))
    heading = load_site(DOCS)[0].by_locale("en")["overlay"].heading_anchors()[3]
    page.evaluate("id => document.getElementById(id).scrollIntoView()", heading)
    page.hover(".md-header__option .md-select")
    page.click(".md-select__link[hreflang=ko]")
    page.wait_for_url(urljoin(site_url, f"{page_url('overlay', 'ko')}#{_nth_heading('overlay', 'ko', 3)}"))
    assert visit.console_errors == []
    page.context.close()


# zh: jieba must have cut 注册表 out of 事实注册表; ko: whitespace tokens; en: a word the English
# stemmer leaves whole (Material's search adds a wildcard to the query, which lunr does not stem).
@pytest.mark.browser
@pytest.mark.parametrize(
    ("language", "term"),
    [("zh", "注册表"), ("ko", "레지스트리"), ("ja", "レジストリ"), ("en", "fact")],
)
def test_search_in_each_language_finds_that_languages_pages_only(browser, translated_site_url, language, term):
    home = urljoin(translated_site_url, page_url("sources", language))
    page, visit = open_page(browser, home)
    results = search(page, term)
    assert home in results, results
    assert {_language_of(r, translated_site_url) for r in results} == {language}, results
    assert visit.console_errors == [] and visit.page_errors == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "face"), [("ja", "JP"), ("zh", "SC"), ("ko", "KR")])
def test_each_language_draws_its_text_with_its_own_cjk_face(browser, translated_site_url, language, face):
    page, _ = open_page(browser, urljoin(translated_site_url, page_url("sources", language)))
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    heading = session.send("DOM.querySelector", {"nodeId": root, "selector": ".md-content h1"})["nodeId"]
    fonts = [f["familyName"] for f in session.send("CSS.getPlatformFontsForNode", {"nodeId": heading})["fonts"]]
    assert fonts and all(name.startswith("Noto Sans CJK") for name in fonts), fonts
    assert f"Noto Sans CJK {face}" in fonts, fonts
    page.context.close()
