"""JavaScript bytes a reader downloads: no mermaid without diagrams, a bounded amount with them.

Bytes are deterministic for a given build, so these are assertions, not benchmarks. Run
`make weight` to print the table.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from browser_pages import open_page, wait_for_diagrams
from conftest import DOCS

from checks.markdown_doc import parse_document
from checks.pages import page_files

# mermaid 11's UMD bundle alone is 3.57 MB; its lazily loaded ESM build needs about 0.75 MB of core
# plus a chunk per diagram type, and Material's own scripts about 0.2 MB.
DIAGRAM_PAGE_JS_LIMIT = 1_250_000
MERMAID_PATHS = ("/javascripts/mermaid-loader.mjs", "/javascripts/vendor/mermaid/")


@pytest.mark.browser
@pytest.mark.parametrize("page_file", page_files(DOCS), ids=lambda p: p.url or "/")
def test_javascript_weight(browser, site_url, page_file):
    diagrams = len(parse_document(page_file.path, page_file.path.read_text(encoding="utf-8")).mermaid)
    page, visit = open_page(browser, urljoin(site_url, page_file.url))
    wait_for_diagrams(page, diagrams)
    page.wait_for_load_state("networkidle")
    mermaid_bytes = sum(size for path, size in visit.script_bytes.items() if path.startswith(MERMAID_PATHS))
    print(
        f"\n{page_file.url or '/':<24} diagrams={diagrams} js_total={visit.total_script_bytes:>9,} "
        f"mermaid={mermaid_bytes:>9,}"
    )
    if diagrams == 0:
        assert mermaid_bytes == 0, sorted(p for p in visit.script_bytes if p.startswith(MERMAID_PATHS))
    else:
        assert mermaid_bytes > 0
        assert visit.total_script_bytes <= DIAGRAM_PAGE_JS_LIMIT, visit.script_bytes
    page.context.close()
