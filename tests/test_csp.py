"""The Content-Security-Policy: the site works under it in Chromium, and what it forbids does not run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from browser_pages import diagram_texts, open_page, search, site_pages
from conftest import serve

from checks.findings import ConfigurationError
from site_build import csp

PAGES = site_pages()
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"/>\n')
# A page without diagrams.
PLAIN_PAGE = "en/sources/index.html"


def _settle(page) -> None:
    """Let the reports of violations that already happened reach Python."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 100))")


def _site_copy(built_site: Path, tmp_path: Path, page: str, rewrite) -> str:
    """A copy of the built site, with `page` rewritten after the build, served on 127.0.0.1."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    target = site / page
    target.write_text(rewrite(target.read_text(encoding="utf-8")), encoding="utf-8")
    return str(site)


def test_every_page_has_one_policy_before_its_first_script(built_site):
    for html_file in sorted(built_site.rglob("*.html")):
        text = html_file.read_text(encoding="utf-8")
        metas = list(CSP_META.finditer(text))
        assert len(metas) == 1, f"{html_file}: {len(metas)} Content-Security-Policy <meta>"
        assert "<script" not in text[: metas[0].start()], f"{html_file}: a script comes before the policy"
        assert "'unsafe-eval'" not in metas[0].group(1)


@pytest.mark.browser
@pytest.mark.parametrize(("url", "diagrams"), PAGES, ids=[url or "/" for url, _ in PAGES])
def test_every_page_works_under_its_policy(browser, site_url, url, diagrams):
    page, visit = open_page(browser, urljoin(site_url, url))
    svgs = diagram_texts(page)
    _settle(page)
    assert page.evaluate("typeof __md_get") == "function", "Material's inline scripts did not run"
    assert len(svgs) == diagrams
    assert visit.csp_violations == []
    assert visit.console_errors == []
    assert visit.page_errors == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("start", "term", "found", "language", "target"),
    [("flat/", "オーバーレイ", "overlay/", "en", "en/flat/"), ("en/flat/", "overlay", "en/overlay/", "ja", "flat/")],
)
def test_search_palette_and_language_switcher_work_under_the_policy(
    browser, site_url, start, term, found, language, target
):
    page, visit = open_page(browser, urljoin(site_url, start))
    assert urljoin(site_url, found) in search(page, term)
    page.keyboard.press("Escape")

    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.click("form[data-md-component=palette] label:not([hidden])")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")

    page.hover(".md-header__option .md-select")
    page.click(f".md-select__link[hreflang={language}]")
    page.wait_for_url(urljoin(site_url, target))
    # The palette chosen on the first page is restored by Material's inline script on the next.
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    _settle(page)
    assert visit.csp_violations == []
    assert visit.console_errors == []
    page.context.close()


@pytest.mark.browser
def test_an_injected_inline_script_and_handler_do_not_run(browser, built_site, tmp_path):
    def inject(text: str) -> str:
        injected = (
            "<script>window.__injected = 'script ran'</script>"
            '<button id="injected" onclick="window.__injected_handler = \'handler ran\'">x</button>'
        )
        return text.replace("</body>", injected + "</body>")

    server, url = serve(Path(_site_copy(built_site, tmp_path, PLAIN_PAGE, inject)))
    try:
        page, visit = open_page(browser, urljoin(url, PLAIN_PAGE))
        page.click("#injected")
        _settle(page)
        assert page.evaluate("window.__injected") is None
        assert page.evaluate("window.__injected_handler") is None
        assert page.evaluate("typeof __md_get") == "function", "the page's own inline scripts must still run"
        directives = sorted({v.split()[0] for v in visit.csp_violations})
        assert directives == ["script-src-attr", "script-src-elem"], visit.csp_violations
        page.context.close()
    finally:
        server.shutdown()


@pytest.mark.browser
def test_styles_written_at_build_time_are_allowed_by_their_hashes(browser, built_site, tmp_path):
    """Diagrams rendered to SVG at build time bring <style> elements and style attributes."""

    def add_styles(text: str) -> str:
        text = CSP_META.sub("", text, count=1).replace(
            "</article>",
            "<style>#csp-probe { color: rgb(1, 2, 3) }</style>"
            '<p id="csp-probe" style="background-color: rgb(4, 5, 6)">probe</p>'
            # An SVG as a serializer writes it: `>` escaped, CSS in CDATA.
            '<svg id="csp-svg"><style>#csp-svg &gt; rect { fill: rgb(7, 8, 9) }'
            "<![CDATA[ #csp-svg > circle { fill: rgb(10, 11, 12) } ]]></style>"
            '<rect width="4" height="4"/><circle r="2"/></svg></article>',
        )
        return csp.add_policy(text, csp.load_policy(), PLAIN_PAGE)

    server, url = serve(Path(_site_copy(built_site, tmp_path, PLAIN_PAGE, add_styles)))
    try:
        page, visit = open_page(browser, urljoin(url, PLAIN_PAGE))
        _settle(page)
        probe = page.eval_on_selector(
            "#csp-probe", "p => [getComputedStyle(p).color, getComputedStyle(p).backgroundColor]"
        )
        assert probe == ["rgb(1, 2, 3)", "rgb(4, 5, 6)"]
        shapes = "#csp-svg > :is(rect, circle)"
        fills = page.eval_on_selector_all(shapes, "shapes => shapes.map(s => getComputedStyle(s).fill)")
        assert fills == ["rgb(7, 8, 9)", "rgb(10, 11, 12)"]
        assert visit.csp_violations == []
        assert "'unsafe-inline'" not in page.eval_on_selector("meta[http-equiv]", "m => m.content")
        page.context.close()
    finally:
        server.shutdown()


def test_the_policy_of_the_site_loads():
    names = [directive.name for directive in csp.load_policy()]
    assert names[0] == "default-src"
    assert {"script-src", "style-src", "object-src", "base-uri", "form-action", "worker-src"} <= set(names)


POLICY_HEAD = "directives:\n  default-src:\n    sources: [\"'none'\"]\n    why: w\n    source: s\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (POLICY_HEAD + "  script-src:\n    sources: [self]\n    why: w\n    source: s\n", 7, "with its single quotes"),
        (POLICY_HEAD + "  frame-ancestors:\n    sources: [\"'none'\"]\n    why: w\n    source: s\n", 6, "ignored"),
        (POLICY_HEAD + "  scrpt-src:\n    sources: [\"'self'\"]\n    why: w\n    source: s\n", 6, "unknown directive"),
        (POLICY_HEAD + "  img-src:\n    sources: [\"'self'\"]\n    source: s\n", 6, "needs `why:`"),
        (POLICY_HEAD + "  img-src:\n    sources: \"'self'\"\n    why: w\n    source: s\n", 7, "must be a list"),
        (
            POLICY_HEAD + "  img-src:\n    sources: [\"'self'\"]\n    hashes: img\n    why: w\n    source: s\n",
            8,
            "script or style",
        ),
        (POLICY_HEAD + "  img-src:\n    sources: [\"'self'\"\n", 8, "not valid YAML"),
        ("policy: {}\n", 1, "needs a `directives:`"),
    ],
    ids=["bare-keyword", "header-only", "unknown", "no-why", "not-a-list", "bad-hashes", "yaml", "no-directives"],
)
def test_a_broken_policy_names_its_file_and_line(tmp_path, text, line, message):
    policy = tmp_path / "csp.yml"
    policy.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as raised:
        csp.load_policy(policy)
    assert str(raised.value).startswith(f"{policy}:{line}: "), raised.value
    assert message in str(raised.value)


def test_hashes_cover_runnable_inline_scripts_only():
    directives = csp.load_policy()
    page = (
        '<head><meta charset="utf-8"/><script>a()</script><script src="x.js"></script>'
        '<script type="application/json">{"data": 1}</script></head><body><p style="color: red">x</p></body>'
    )
    policy = csp.policy_for(page, directives)
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src "))
    style_src = next(part for part in policy.split("; ") if part.startswith("style-src "))
    assert script_src.count("'sha256-") == 1
    assert style_src.startswith("style-src 'self' 'unsafe-hashes' 'sha256-")
    assert "'unsafe-inline'" not in policy


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("<head><title>t</title></head>", 'no <meta charset="utf-8">'),
        ('<head><script>a()</script><meta charset="utf-8"/></head>', "comes before"),
        ('<head><meta charset="utf-8"/><meta http-equiv="Content-Security-Policy" content="x"/></head>', "already"),
    ],
)
def test_a_page_the_policy_cannot_govern_is_an_error(page, message):
    with pytest.raises(ValueError, match=message):
        csp.add_policy(page, csp.load_policy(), "docs/x.md")
