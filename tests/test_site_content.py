"""What the built pages promise readers: localized Learn links, Japanese anchors, edit links, dates."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import DOCS
from markdown_it import MarkdownIt

from checks.pages import page_files

LEARN_LOCALE = {"ja": "ja-jp", "en": "en-us"}


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
        assert locale == LEARN_LOCALE[page_file.locale], f"{page_file.path.name}: {url}"


def test_every_page_exists_in_every_language():
    by_stem: dict[str, set[str]] = {}
    for page_file in page_files(DOCS):
        by_stem.setdefault(page_file.stem, set()).add(page_file.locale)
    assert {stem: locales for stem, locales in by_stem.items() if locales != {"ja", "en"}} == {}


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
