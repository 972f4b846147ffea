"""Mutations of the real docs: each must fail the real `mkdocs build --strict` at the right file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import mkdocs_build, project_copy

# (page, text to replace, replacement, rule the build must report, line it must report)
MUTATIONS = {
    "number changed in one language only": (
        "overlay.en.md",
        "| **Scale** | Up to 5,000 nodes",
        "| **Scale** | Up to 6,000 nodes",
        "numbers/contradicts-fact",
        "| **Scale** |",
    ),
    "あり/なし swapped in one table": (
        "comparison.md",
        "あり（ノード IP に変換。インターネット宛ては送信方法のパブリック IP）",
        "なし（Pod IP のまま）",
        "tables/inconsistent",
        "送信時の SNAT",
    ),
    "overlay egress back to the node IP for the internet": (
        "overlay.md",
        "SNAT によりノードの IP に変換（インターネット宛ては送信方法のパブリック IP）",
        "SNAT によりノードの IP に変換",
        "tables/contradicts-fact",
        "| **送信（エグレス）** |",
    ),
    "source-IP matrix cell changed in one language": (
        "comparison.en.md",
        "| **Destination in a peered VNet** | Node IP",
        "| **Destination in a peered VNet** | Pod IP",
        "tables/contradicts-fact",
        "| **Destination in a peered VNet** |",
    ),
    "node added to one language's diagram": (
        "flat.en.md",
        '    Node2 -.->|"Hosts"| Pod3',
        '    Node2 -.->|"Hosts"| Pod3\n    Node2 --> Pod4["Pod 10.0.2.11"]',
        "parity/diagram",
        "```mermaid",
    ),
    "link with the wrong locale": (
        "choosing.md",
        "https://learn.microsoft.com/ja-jp/azure/aks/concepts-network)",
        "https://learn.microsoft.com/en-us/azure/aks/concepts-network)",
        "links/locale",
        "concepts-network)",
    ),
    "link to a missing anchor": (
        "flat.md",
        "concepts-network-cni-overview#feature-comparison",
        "concepts-network-cni-overview#feature-matrix",
        "links/anchor-missing",
        "#feature-matrix",
    ),
    "example address moved outside its subnet": (
        "overlay.md",
        'Node1["ノード 1<br/>10.0.1.4"]',
        'Node1["ノード 1<br/>10.0.3.4"]',
        "network/outside-subnet",
        "10.0.3.4",
    ),
    "unbound new number": (
        "prerequisites.md",
        "複数の Pod を載せる。",
        "複数の Pod を載せる（通常 37 個まで）。",
        "numbers/unbound",
        "37 個",
    ),
    "audited statement edited without re-checking it": (
        "flat.md",
        "現在の Microsoft Learn では「プライベート ネットワーク宛ての通信で宛先に見える送信元 IP は"
        " IPAM オプションによって異なる」とされています",
        "現在の Microsoft Learn では「送信元 IP は常に Pod の IP」とされています",
        "claims/phrase-missing",
        "「送信元 IP は常に Pod の IP」",
    ),
    "a correction labelled as a Learn update": (
        "flat.en.md",
        '!!! correction "Correction: the original document was wrong"\n\n    The original document listed',
        '!!! updated "Updated: Learn changed"\n\n    The original document listed',
        "claims/box-kind",
        '!!! updated "Updated: Learn changed"',
    ),
    "ポッド, the glossary's variant of Pod": (
        "overlay.md",
        "オーバーレイでは、**Pod からクラスターの外へ出る",
        "オーバーレイでは、**ポッドからクラスターの外へ出る",
        "terms/disallowed-variant",
        "**ポッドからクラスターの外へ出る",
    ),
    "table row with an extra cell": (
        "comparison.md",
        "| **推奨 CNI** | Azure CNI Overlay | Azure CNI Pod Subnet |",
        "| **推奨 CNI** | Azure CNI Overlay | Azure CNI Pod Subnet | Azure CNI Node Subnet |",
        "tables/column-count",
        "| **推奨 CNI** |",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", MUTATIONS)
def test_mutation_fails_the_build_at_its_line(tmp_path: Path, name: str):
    page, old, new, rule, marker = MUTATIONS[name]
    project = project_copy(tmp_path)
    path = project / "docs" / page
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the mutation no longer applies to {page}: {old!r}"
    mutated = text.replace(old, new)
    path.write_text(mutated, encoding="utf-8")
    line = next(i for i, content in enumerate(mutated.split("\n"), 1) if marker in content)
    if rule == "parity/diagram":
        line = next(i for i, content in enumerate(mutated.split("\n"), 1) if content.startswith("```mermaid"))

    # A build that hangs on the file fails the test (TimeoutExpired) instead of hanging it.
    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", timeout=120)

    assert result.returncode != 0, f"the build passed despite: {name}"
    assert f"docs/{page}:{line}: [{rule}]" in result.stderr, result.stderr[-3000:]


# Hostile content a contributor might add, in every place a reader sees it; all at once, in one build.
# (page, text appended, rule, marker of the line the build must report)
HOSTILE_CONTENT = [
    ("index.md", "<table><tr><td>最大 6,000 ノード</td></tr></table>", "numbers/contradicts-fact", "最大 6,000"),
    ("index.md", '<div markdown="1">\nアドレス 999.1.1.1 の例\n</div>', "network/invalid-address", "999.1.1.1"),
    (
        "index.md",
        '<p><a href="http://learn.microsoft.com/en-us/azure/aks/concepts-network?WT.mc_id=x">Learn</a></p>',
        "links/tracking",
        "WT.mc_id",
    ),
    ("index.md", '!!! note "最大 7,000 ノード"\n    本文', "numbers/contradicts-fact", "最大 7,000"),
    ("index.md", "*[IPAM]: 最大 8,000 ノード", "numbers/contradicts-fact", "最大 8,000"),
    ("index.md", "<script>alert(1)</script>", "html/unsafe-element", "<script>"),
    ("index.md", '<svg><use href="//evil.example/u.svg#x"/></svg>', "html/third-party-resource", "u.svg"),
    ("index.md", '<a href="flat.md" ping="https://tracker.example/p">x</a>', "html/third-party-resource", "ping="),
    ("index.md", '<img src="images/x.png" alt="x" onerror="alert(1)">', "html/unsafe-attribute", "onerror"),
    ("index.md", "[x](javascript:alert(1))", "html/unsafe-url", "javascript:"),
    ("index.md", "![logo](https://cdn.example/logo.png)", "html/third-party-resource", "cdn.example/logo"),
    ("index.md", '<link rel="stylesheet" href="https://fonts.example/a.css">', "html/third-party-resource", "fonts."),
    ("index.md", '<meta http-equiv="refresh" content="0; url=https://example.com/">', "html/unsafe-element", "refresh"),
    ("index.md", "アドレスの例は 300.244.x.x です。", "network/invalid-address", "300.244"),
    ("index.md", '[フラット](flat.md "最大 9,000 ノード")', "numbers/contradicts-fact", "9,000"),
    # CommonMark reads the indented line as code, Python-Markdown as a paragraph of the list item:
    # the comparison of the rendered page with what the checks saw catches what the parsers disagree on.
    ("index.md", "- 項目\n\n      最大 4,242 ノード", "html/unchecked", "4,242"),
]


@pytest.mark.slow
def test_hostile_content_fails_the_build_at_each_line(tmp_path: Path):
    project = project_copy(tmp_path)
    path = project / "docs" / "index.md"
    text = path.read_text(encoding="utf-8") + "".join(f"\n{added}\n" for _, added, _, _ in HOSTILE_CONTENT)
    path.write_text(text, encoding="utf-8")
    # The page's title and description reach the reader too (the title bar, search, link previews).
    flat = project / "docs" / "flat.en.md"
    flat.write_text(flat.read_text(encoding="utf-8").replace("---\n", "---\ntitle: Up to 6,000 nodes\n", 1))
    lines = text.split("\n")

    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml")

    assert result.returncode != 0
    assert "docs/flat.en.md:2: [numbers/contradicts-fact]" in result.stderr, result.stderr[-3000:]
    for page, _, rule, marker in HOSTILE_CONTENT:
        line = next(i for i, content in enumerate(lines, 1) if marker in content)
        assert f"docs/{page}:{line}: [{rule}]" in result.stderr, (marker, result.stderr[-3000:])


# Front matter Material prints unescaped into <title>, <meta name="description"> and the page header.
FRONT_MATTER = {
    "same-origin script in the title": ('title: "フラット<script src=../pwn.js></script>"', "pwn.js"),
    "image from another host in the title": ('title: "<img src=//evil.example/fm.png>"', "evil.example"),
    "description breaking out of its attribute": ('description: "\\" onload=\\"alert()"', "onload"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", FRONT_MATTER)
def test_markup_in_the_front_matter_fails_the_build_and_is_not_published(tmp_path: Path, name: str):
    entry, marker = FRONT_MATTER[name]
    project = project_copy(tmp_path)
    (project / "docs" / "pwn.js").write_text("document.title = 'pwned'\n", encoding="utf-8")
    page = project / "docs" / "flat.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(f"---\n{entry}\n---\n\n{text}", encoding="utf-8")

    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml")

    assert result.returncode != 0, f"the build passed despite: {name}"
    assert "docs/flat.md:2: [html/markup-in-front-matter]" in result.stderr, result.stderr[-3000:]
    published = [path for path in (tmp_path / "site").rglob("*.html") if marker in path.read_text(encoding="utf-8")]
    assert published == []


def _outside_symlink(docs: Path) -> str:
    (docs / "passwd.txt").symlink_to("/etc/passwd")
    return "docs/passwd.txt:1: [files/symlink-outside-docs]"


def _outside_hardlink(docs: Path) -> str:
    # Like `ln /etc/passwd docs/`, with a file of the test's own (a link across file systems fails).
    secret = docs.parent.parent / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    os.link(secret, docs / "passwd.txt")
    return "docs/passwd.txt:1: [files/hardlink]"


def _symlink_loop(docs: Path) -> str:
    (docs / "a.md").symlink_to("b.md")
    (docs / "b.md").symlink_to("a.md")
    return "docs/a.md:1: [files/symlink-loop]"


def _folder_loop(docs: Path) -> str:
    (docs / "again").symlink_to(".")
    return "docs/again:1: [files/symlink-loop]"


def _invalid_utf8(docs: Path) -> str:
    (docs / "notes.md").write_bytes(b"# Notes\n\nok\n\xff\xfe\n")
    return "docs/notes.md:4: [markdown/not-text]"


def _deep_nesting(docs: Path) -> str:
    (docs / "deep.md").write_text("# Deep\n\n" + "".join("    " * i + "- x\n" for i in range(400)), encoding="utf-8")
    return "docs/deep.md:44: [markdown/too-deep]"


def _fifo(docs: Path) -> str:
    # Opening a FIFO blocks until someone writes: the build would hang without a word.
    os.mkfifo(docs / "fifo.md")
    return "docs/fifo.md:1: [files/not-regular]"


def _front_matter_bomb(docs: Path) -> str:
    # MkDocs loads the front matter itself and walks every expanded alias: the build would hang.
    laughs = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}' if n else 'lol'] * 9)}]\n" for n in range(9))
    (docs / "laughs.md").write_text(f"---\n{laughs}---\n# Laughs\n", encoding="utf-8")
    return "docs/laughs.md:6: [markdown/front-matter] front matter is not valid YAML: aliases expand"


def _duplicate_registry_key(docs: Path) -> str:
    registry = docs.parent / "checks" / "facts.yml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("    value: 5000\n", "    value: 5000\n    value: 6000\n", 1), encoding="utf-8")
    line = text.split("\n").index("    value: 5000") + 2
    return f"checks/facts.yml:{line}: [registry/duplicate-key]"


# Files that must stop the build before MkDocs reads docs/: a crash or a published outside file otherwise.
BLOCKING = {
    "symlink to a file outside docs/": _outside_symlink,
    "hardlink to a file outside docs/": _outside_hardlink,
    "symlink loop": _symlink_loop,
    "symlink to its own folder": _folder_loop,
    "invalid UTF-8 in a page": _invalid_utf8,
    "lists nested 400 deep": _deep_nesting,
    "a FIFO named like a page": _fifo,
    "an alias bomb in a page's front matter": _front_matter_bomb,
    "duplicate key in the registry": _duplicate_registry_key,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", BLOCKING)
def test_bad_file_stops_the_build_with_its_path(tmp_path: Path, name: str):
    project = project_copy(tmp_path)
    expected = BLOCKING[name](project / "docs")

    # A build that hangs on the file fails the test (TimeoutExpired) instead of hanging it.
    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", timeout=120)

    assert result.returncode != 0, f"the build passed despite: {name}"
    assert expected in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert not (tmp_path / "site" / "passwd.txt").exists()


@pytest.mark.slow
def test_what_the_theme_shows_around_every_page_is_checked(tmp_path: Path):
    """The site's name, description, nav titles and a page's title reach each page's <title>, metas,
    header and footer: their numbers are bound like the pages' own, at their line of mkdocs.yml."""
    project = project_copy(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    edits = [
        ("site_name: AKS のネットワークモデル\n", "site_name: AKS のネットワークモデル（最大 6,000 ノード）\n"),
        ("            オーバーレイ ネットワーク: Overlay network\n",
         "            オーバーレイ ネットワーク: Overlay network (up to 7,000 nodes)\n"),
        ("in diagrams and tables\n", "in diagrams and tables, pods in 10.99.0.0/16\n"),
        # A page without a heading takes its title from its file name, which the checks never read.
        ("  - 出典: sources.md\n", "  - 出典: sources.md\n  - limits-4242.md\n"),
    ]  # fmt: skip
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    (project / "docs" / "limits-4242.md").write_text("本文だけのページです。\n", encoding="utf-8")
    lines = text.split("\n")

    def line(marker: str) -> int:
        return next(i for i, content in enumerate(lines, 1) if marker in content)

    result = mkdocs_build(tmp_path / "site", config=config, timeout=180)

    assert result.returncode != 0
    for expected in (
        f"mkdocs.yml:{line('site_name:')}: [numbers/contradicts-fact] found 6,000",
        f"mkdocs.yml:{line('up to 7,000 nodes')}: [numbers/contradicts-fact] found 7,000",
        f"mkdocs.yml:{line('10.99.0.0/16')}: [network/unknown-range]",
        "docs/limits-4242.md:1: [html/unchecked] the page's title, header or footer shows '4242'",
    ):
        assert expected in result.stderr, (expected, result.stderr[-4000:])


# Mutations of the zh and ko pages (tests/fixtures/i18n, until the translators' pages land).
TRANSLATION_MUTATIONS = {
    "zh page links Learn in English": (
        "sources.zh.md",
        "生成。\n",
        "生成（[概述](https://learn.microsoft.com/en-us/azure/aks/concepts-network)）。\n",
        "links/locale",
        "concepts-network",
    ),
    "ko page demotes a heading": (
        "sources.ko.md",
        "## 사이트의 설명과 Microsoft Learn의 원문",
        "### 사이트의 설명과 Microsoft Learn의 원문",
        "parity/headings",
        "### 사이트의 설명",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", TRANSLATION_MUTATIONS)
def test_mutation_in_a_chinese_or_korean_page_fails_the_build_at_its_line(tmp_path: Path, name: str):
    from conftest import I18N_FIXTURES

    page, old, new, rule, marker = TRANSLATION_MUTATIONS[name]
    project = project_copy(tmp_path)
    for fixture in ("sources.zh.md", "sources.ko.md"):
        (project / "docs" / fixture).write_text((I18N_FIXTURES / fixture).read_text(encoding="utf-8"), encoding="utf-8")
    path = project / "docs" / page
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the mutation no longer applies to {page}: {old!r}"
    mutated = text.replace(old, new)
    path.write_text(mutated, encoding="utf-8")
    line = next(i for i, content in enumerate(mutated.split("\n"), 1) if marker in content)

    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", timeout=120)

    assert result.returncode != 0, f"the build passed despite: {name}"
    assert f"docs/{page}:{line}: [{rule}]" in result.stderr, result.stderr[-3000:]
