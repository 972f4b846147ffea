"""The build's comparison of each rendered page with what the checks saw (checks/rendered_page.py)."""

from __future__ import annotations

from checks.rendered_page import shown_in_chrome, shown_on_page, unaccounted, unaccounted_chrome


def test_inline_markup_code_and_relative_links_are_read_as_the_reader_reads_them():
    html = (
        '<p>Node <strong>10</strong>.0.1.4 &amp; <a href="../flat/#x" title="a > b">5,000</a></p>'
        "<pre><code>999.1.1.1</code></pre><script>var n = 42;</script>"
        '<img src="https://cdn.example/a.png" srcset="a.png 1x, //cdn.example/b.png 2x" alt="/24 &amp; more">'
    )
    shown = {item.key for item in shown_on_page(html)}
    expected = {"ip:10.0.1.4", "number:5,000", "prefix:24", "url:https://cdn.example/a.png", "url:://cdn.example/b.png"}
    assert shown == expected


def test_what_the_checks_did_not_see_is_a_finding_at_the_first_source_line_that_holds_it():
    source = "# Page\n\n- item\n\n      up to 4,242 nodes\n"
    html = "<h1>Page</h1><ul><li><p>item</p><p>up to 4,242 nodes</p></li></ul>"
    findings = unaccounted(html, frozenset(), "docs/page.md", source)
    assert [(f.path, f.line, f.rule) for f in findings] == [("docs/page.md", 5, "html/unchecked")]
    assert unaccounted(html, frozenset({"number:4,242"}), "docs/page.md", source) == []


PAGE = (
    '<html><head><meta charset="utf-8"><meta name="description" content="Up to 6,000 nodes">'
    '<meta property="og:title" content="10.99.0.0/16"><meta name="generator" content="mkdocs-1.6.1">'
    "<title>Limits 4242 - AKS network models</title><script>var x = 77;</script></head><body>"
    '<header class="md-header"><a href="https://example.com/9">AKS network models</a><span>Page 55</span></header>'
    "<article><p>Body 31</p></article>"
    '<footer class="md-footer"><a href="../next/">Next: up to 250 pods</a><div>Copyright 2026</div></footer>'
    "</body></html>"
)


def test_the_theme_s_title_metas_header_and_footer_are_read_apart_from_the_article():
    own, site = shown_in_chrome(PAGE)
    assert {item.key for item in own} == {"number:6,000", "cidr:10.99.0.0/16", "number:4,242", "number:55"}
    assert {item.key for item in site} == {"number:250", "number:2,026"}


def test_what_the_theme_shows_and_the_checks_never_saw_is_a_finding():
    source = "# Page\n\nBody 31\n"
    accounted = frozenset({"number:6,000", "cidr:10.99.0.0/16", "number:55"})
    findings = unaccounted_chrome(PAGE, accounted, accounted | {"number:250", "number:2,026"}, "docs/p.md", source)
    assert [(f.path, f.line, f.rule) for f in findings] == [("docs/p.md", 1, "html/unchecked")]
    assert "'4242'" in findings[0].message


def test_a_footer_in_the_article_is_the_article_s_and_the_theme_s_footer_is_still_read():
    page = PAGE.replace("<p>Body 31</p>", "<footer><p>Article footer 12</p></footer>")
    _, site = shown_in_chrome(page)
    assert {item.key for item in site} == {"number:250", "number:2,026"}
