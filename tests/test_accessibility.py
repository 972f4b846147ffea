"""axe-core finds nothing on any page, in any language, in either palette."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from browser_pages import diagram_texts, open_page, site_pages
from conftest import ROOT

# Pinned in package.json and injected from node_modules: the test never fetches axe from a CDN.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = site_pages()

RUN_AXE = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v =>
  `${v.id} (${v.impact}): ${v.help}\\n` +
  v.nodes.map(n => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\\n'))"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci installs the pinned axe-core)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.browser
@pytest.mark.parametrize(("url", "diagrams"), PAGES, ids=[url or "/" for url, _ in PAGES])
def test_no_axe_violations_in_either_palette(browser, site_url, axe_source, url, diagrams):
    page, _ = open_page(browser, urljoin(site_url, url))
    # Evaluated through the DevTools protocol, so the page's Content-Security-Policy stays as served.
    page.evaluate(axe_source)
    found = []
    for scheme in ("default", "slate"):
        if scheme == "slate":
            page.click("form[data-md-component=palette] label:not([hidden])")
        page.wait_for_function(f"document.body.dataset.mdColorScheme === '{scheme}'")
        # The diagrams are inline SVG coloured by the palette's CSS variables: axe judges them too.
        assert len(diagram_texts(page)) == diagrams
        found += [f"[{scheme}] {violation}" for violation in page.evaluate(RUN_AXE)]
    assert found == [], f"{url or '/'}:\n" + "\n".join(found)
    page.context.close()
