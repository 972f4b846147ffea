"""JavaScript bytes a reader downloads: a page with diagrams costs no more than a page without.

Diagrams are SVG drawn at build time, so no page loads mermaid. Bytes are deterministic for a given
build, so these are assertions, not benchmarks. Run `make weight` to print the table.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from browser_pages import open_page
from conftest import DOCS

from checks.markdown_doc import parse_document
from checks.pages import page_files

PAGES = page_files(DOCS)


@pytest.fixture(scope="module")
def weights(browser, site_url) -> dict[str, tuple[int, int, list[str]]]:
    """For each page: its diagram count, its JavaScript bytes and the paths it requested."""
    measured = {}
    for page_file in PAGES:
        diagrams = len(parse_document(page_file.path, page_file.path.read_text(encoding="utf-8")).mermaid)
        page, visit = open_page(browser, urljoin(site_url, page_file.url))
        measured[page_file.url] = (diagrams, visit.total_script_bytes, visit.requested_paths)
        print(f"\n{page_file.url or '/':<24} diagrams={diagrams} js_total={visit.total_script_bytes:>9,}")
        page.context.close()
    return measured


@pytest.mark.browser
@pytest.mark.parametrize("page_file", PAGES, ids=lambda p: p.url or "/")
def test_no_page_requests_mermaid(weights, page_file):
    _, _, paths = weights[page_file.url]
    assert not [p for p in paths if "mermaid" in p.lower()], paths


@pytest.mark.browser
@pytest.mark.parametrize("page_file", [p for p in PAGES if p.path.read_text(encoding="utf-8").count("```mermaid")])
def test_a_diagram_page_loads_no_more_javascript_than_a_page_without(weights, page_file):
    # Within one language: the search worker loads each language's own stemmer and segmenter.
    without = [js for other in PAGES if other.locale == page_file.locale for d, js, _ in [weights[other.url]] if d == 0]
    assert without, f"no page without diagrams in {page_file.locale} to compare with"
    diagrams, js, _ = weights[page_file.url]
    assert diagrams > 0
    assert js <= min(without), f"{page_file.url}: {js:,} bytes of JavaScript, pages without diagrams {without}"
