"""Glossary tooltips as Chromium shows them: a page's first IPAM explains itself, in the page's language."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from browser_pages import open_page

from checks.glossary import load_glossary

# Text nodes of the article that show IPAM outside headings, code and links, and whether an <abbr> holds them.
IPAM_USES = """() => {
  const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  const uses = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/(^|[^A-Za-z])IPAM([^A-Za-z]|$)/.test(node.textContent)) continue;
    if (node.parentElement.closest('h1, h2, h3, h4, h5, h6, code, pre, a, svg')) continue;
    uses.push(Boolean(node.parentElement.closest('abbr')));
  }
  return uses;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("url, locale", [("flat/", "ja"), ("en/flat/", "en")])
def test_first_ipam_shows_its_tooltip_in_the_page_language_and_later_ones_have_none(browser, site_url, url, locale):
    glossary = load_glossary()
    ipam = next(term for term in glossary.terms if term.abbr == "IPAM")
    expected = glossary.tooltip(ipam, locale)
    page, visit = open_page(browser, urljoin(site_url, url))

    uses = page.evaluate(IPAM_USES)
    assert uses[:1] == [True] and len(uses) >= 2 and not any(uses[1:]), uses
    first = page.locator("article abbr", has_text="IPAM")
    assert first.count() == 1
    first.hover()
    tooltip = page.locator(".md-tooltip2")
    tooltip.first.wait_for(state="visible", timeout=5000)
    assert expected in tooltip.first.inner_text().replace("\n", " ")
    assert visit.csp_violations == []
    assert visit.console_errors == []
    page.context.close()
