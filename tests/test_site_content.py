"""What the built pages promise readers: localized Learn links, Japanese anchors, edit links, dates."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import DOCS
from markdown_it import MarkdownIt

from checks.languages import languages, learn_locale
from checks.pages import SOURCE_LOCALE, page_files, page_url


def _links(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    inline = [child for t in tokens if t.children for child in t.children]
    return [t.attrGet("href") for t in inline if t.type == "link_open"]


@pytest.mark.parametrize("page_file", page_files(DOCS), ids=lambda p: p.path.name)
def test_learn_links_use_the_page_language(page_file):
    learn = [
        u for u in _links(page_file.path.read_text(encoding="utf-8")) if urlsplit(u).hostname == "learn.microsoft.com"
    ]
    for url in learn:
        locale = urlsplit(url).path.split("/")[1]
        assert locale == learn_locale(page_file.locale), f"{page_file.path.name}: {url}"


def test_every_page_exists_in_japanese_and_english():
    # zh and ko fall back to Japanese, with a notice, page by page until their translations land.
    by_stem: dict[str, set[str]] = {}
    for page_file in page_files(DOCS):
        by_stem.setdefault(page_file.stem, set()).add(page_file.locale)
    assert {stem: locales for stem, locales in by_stem.items() if not locales >= {"ja", "en"}} == {}


STEMS = sorted({page_file.stem for page_file in page_files(DOCS)})


@pytest.mark.parametrize("language", languages(), ids=lambda language: language.code)
def test_every_page_of_every_language_has_its_html_lang(built_site: Path, language):
    for stem in STEMS:
        html = (built_site / page_url(stem, language.code) / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{language.html_lang}"' in html, f"{language.code}: {stem}"


@pytest.mark.parametrize("language", languages()[1:], ids=lambda language: language.code)
def test_an_untranslated_page_falls_back_with_the_notice_in_the_readers_language(built_site: Path, language):
    from site_build.reader_text import text_for

    translated = {p.stem for p in page_files(DOCS) if p.locale == language.code}
    for stem in STEMS:
        html = (built_site / page_url(stem, language.code) / "index.html").read_text(encoding="utf-8")
        assert (text_for(language.code)["fallback"] in html) == (stem not in translated), f"{language.code}: {stem}"


def test_sitemap_names_every_language_of_every_page(built_site: Path):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    alternates = {
        urlsplit(re.search(r"<loc>(.*?)</loc>", block)[1]).path: {
            lang: urlsplit(url).path for lang, url in re.findall(r'hreflang="([^"]+)" href="([^"]+)"', block)
        }
        for block in re.findall(r"<url>.*?</url>", sitemap, re.S)
    }
    for stem in STEMS:
        assert alternates[f"/{page_url(stem, SOURCE_LOCALE)}"] == {
            language.html_lang: f"/{page_url(stem, language.code)}" for language in languages()
        }, stem


def test_japanese_headings_keep_japanese_anchors(built_site: Path):
    html = (built_site / "overlay" / "index.html").read_text(encoding="utf-8")
    assert 'id="概念図"' in html
    assert not re.search(r'<h2 id="_\d+"', html)


@pytest.mark.parametrize(
    ("path", "source"), [("overlay/index.html", "overlay.md"), ("en/flat/index.html", "flat.en.md")]
)
def test_pages_link_to_their_source_for_editing_and_show_a_date(built_site: Path, path: str, source: str):
    html = (built_site / path).read_text(encoding="utf-8")
    assert re.search(rf'href="https://github\.com/[^"]+/edit/main/docs/{re.escape(source)}"', html)
    assert "git-revision-date-localized-plugin" in html


def test_english_pages_contain_no_japanese_text(built_site: Path):
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    for html_path in (built_site / "en").rglob("index.html"):
        main = html_path.read_text(encoding="utf-8").split('<article class="md-content__inner md-typeset">')[1]
        main = main.split("</article>")[0]
        assert not japanese.findall(main), html_path


@pytest.mark.parametrize("path", ["choosing/index.html", "en/choosing/index.html", "overlay/index.html"])
def test_nested_lists_stay_nested(built_site: Path, path: str):
    # Python-Markdown nests a list only under a 4-space indent; 2 spaces silently flattens it.
    html = (built_site / path).read_text(encoding="utf-8")
    assert re.search(r"<li>.*?<ul>\s*<li>", html, re.S), path
