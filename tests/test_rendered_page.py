"""The build's comparison of each rendered page with what the checks saw (checks/rendered_page.py)."""

from __future__ import annotations

from checks.rendered_page import shown_on_page, unaccounted


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
