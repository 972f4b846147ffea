"""The glossary and the terms/* rules: a broken entry is an error at its line, a wrong word a finding at its line."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest
from conftest import project_copy

from checks.engine import run_checks
from checks.findings import ConfigurationError
from checks.glossary import GLOSSARY, load_glossary
from checks.site import load_site
from checks.terms import check_terms
from site_build.glossary_tooltips import add_tooltips

REAL = GLOSSARY.read_text(encoding="utf-8")

# (what is broken, text of the real glossary to replace, replacement, rule, start of the line reported)
BROKEN = {
    "unknown field": ("  - id: node\n", "  - id: node\n    colour: blue\n", "glossary/schema", "    colour: blue"),
    "duplicate id": ("  - id: node\n", "  - id: pod\n", "glossary/duplicate", "  - id: pod"),
    "duplicate term": ("    ja: ノード\n", "    ja: サブネット\n", "glossary/duplicate", "    ja: サブネット"),
    "variant equal to a preferred term": (
        "      ja: [コンテナ]\n",
        "      ja: [ノード]\n",
        "glossary/variant-is-term",
        "      ja: [ノード]",
    ),
    "missing en definition": (
        "      en: A VM that acts as a Kubernetes worker; it hosts pods and gets an IP address from a VNet subnet.\n",
        "",
        "glossary/schema",
        "      ja: Kubernetes のワーカーとなる VM。",
    ),
    "missing ja definition": (
        "      ja: Kubernetes のワーカーとなる VM。Pod を載せ、VNet のサブネットから IP アドレスを受け取る。\n",
        "",
        "glossary/schema",
        "      en: A VM that acts as a Kubernetes worker",
    ),
    "abbreviation without expansion": (
        "en: IP address management, ",
        "",
        "glossary/expansion",
        "    abbr: IPAM",
    ),
    "expansion without abbreviation": (
        "    abbr: IPAM\n",
        "    abbr: null\n",
        "glossary/expansion",
        "    expansion: {ja: IP アドレス管理",
    ),
    "allowed phrase without a variant": (
        "        - ノードあたりの最大ポッド数\n",
        "        - ノードあたりの最大数\n",
        "glossary/allowed-without-variant",
        "        - ノードあたりの最大数",
    ),
    "number in a tooltip": (
        "      en: How pods are given IP addresses;",
        "      en: How 250 pods are given IP addresses;",
        "glossary/number-in-tooltip",
        "      en: How 250 pods",
    ),
    "key given twice": (
        "    ja: ノード\n",
        "    ja: ノード\n    ja: ノード\n",
        "registry/duplicate-key",
        "    ja: ノード",
    ),
    "not YAML": ("    ja: ノード\n", "    ja: [ノード\n", "registry/yaml", None),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_glossary_is_an_error_at_its_line(tmp_path: Path, name: str):
    old, new, rule, marker = BROKEN[name]
    assert REAL.count(old) == 1, f"the fixture no longer applies to the glossary: {old!r}"
    text = REAL.replace(old, new)
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as error:
        load_glossary(path)
    message = str(error.value)
    assert f"[{rule}]" in message, message
    if marker is None:
        # The parser's position, somewhere in the broken line's entry: the file and a line, never a traceback.
        assert message.startswith(f"{path}:") and message.split(":")[1].isdigit(), message
    else:
        # The later of two clashing lines is the one reported: the first stays as it was.
        line = max(i for i, content in enumerate(text.split("\n"), 1) if content.startswith(marker))
        assert message.startswith(f"{path}:{line}: "), (line, message)


def test_the_real_glossary_loads_with_ja_and_en_everywhere():
    glossary = load_glossary()
    for term in glossary.terms:
        assert term.names["ja"] and term.names["en"] and term.definition["ja"] and term.definition["en"], term.id
        if term.abbr:
            assert term.expansion["ja"] and term.expansion["en"], term.id


def _findings(tmp_path: Path, pages: dict[str, str], rule: str) -> list[tuple[str, int, str]]:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    site, _ = load_site(docs)
    return [(Path(f.path).name, f.line, f.message) for f in check_terms(site, load_glossary(), []) if f.rule == rule]


def test_a_page_with_the_variant_is_reported_at_its_line_with_the_preferred_term(tmp_path: Path):
    found = _findings(tmp_path, {"page.md": "# 見出し\n\nPod の話。\n\n別のポッドの話。\n"}, "terms/disallowed-variant")
    assert [(name, line) for name, line, _ in found] == [("page.md", 5)]
    assert "'ポッド'" in found[0][2] and "'Pod'" in found[0][2]


def test_the_preferred_term_is_no_variant_even_when_a_variant_is_part_of_it(tmp_path: Path):
    text = "# 見出し\n\nコンテナーを動かす。\n\nコンテナを動かす。\n"
    found = _findings(tmp_path, {"page.md": text}, "terms/disallowed-variant")
    assert [(name, line) for name, line, _ in found] == [("page.md", 5)]


def test_an_unknown_abbreviation_is_reported_once_at_its_first_use(tmp_path: Path):
    text = "# 見出し\n\nIPAM と SNAT。\n\nQRZ を使う。\n\nQRZ をもう一度。\n"
    found = _findings(tmp_path, {"page.md": text}, "terms/undefined-abbreviation")
    assert [(name, line) for name, line, _ in found] == [("page.md", 5)]
    assert "'QRZ'" in found[0][2]


def test_code_blocks_are_not_reader_prose_for_terms(tmp_path: Path):
    text = "# 見出し\n\n```sh\nQRZ=ポッド\n```\n"
    found = _findings(tmp_path, {"page.md": text}, "terms/undefined-abbreviation")
    assert found == []


def test_a_shown_abbreviation_without_a_row_in_the_glossary_table_is_reported(tmp_path: Path):
    table = "# 前提知識\n\n| 用語 | 意味 |\n| --- | --- |\n| **Pod** | 最小単位。 |\n\nSNAT の話。\n"
    found = _findings(tmp_path, {"prerequisites.md": table}, "terms/glossary-table")
    assert [(name, line) for name, line, _ in found] == [("prerequisites.md", 3)]
    assert "'SNAT'" in found[0][2] and "prerequisites.md:7" in found[0][2]


def test_tooltips_mark_the_first_use_only_in_the_page_language_and_never_in_code_links_or_headings():
    glossary = load_glossary()
    ipam = next(term for term in glossary.terms if term.abbr == "IPAM")
    page = (
        '<h2 id="ipam">IPAM</h2><p><code>IPAM</code> <a href="https://example.com/IPAM">IPAM</a></p>'
        '<p>IPAM &amp; IPAMS IPAM</p><pre class="mermaid">IPAM</pre>'
    )
    html = add_tooltips(page, "en", glossary)
    title = escape(glossary.tooltip(ipam, "en") or "", quote=True)
    assert html.count("<abbr") == 1
    assert f'<p><abbr title="{title}">IPAM</abbr> &amp; IPAMS IPAM</p>' in html
    assert html.replace(f'<abbr title="{title}">IPAM</abbr>', "IPAM") == page
    assert escape(glossary.tooltip(ipam, "ja") or "", quote=True) in add_tooltips(page, "ja", glossary)


def test_what_mkdocs_yml_shows_is_checked_too(tmp_path: Path):
    project = project_copy(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("copyright: ", "copyright: ポッドの解説。", 1)
    config.write_text(text, encoding="utf-8")
    line = next(i for i, content in enumerate(text.split("\n"), 1) if content.startswith("copyright: ポッド"))

    findings = run_checks(project / "docs").findings

    assert [(Path(f.path).name, f.line) for f in findings if f.rule == "terms/disallowed-variant"] == [
        ("mkdocs.yml", line)
    ]
