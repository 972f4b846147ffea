"""Diagrams drawn at build time: inline SVG in the published HTML, accessible, searchable, cached.

The build draws each Mermaid fence once (site_build/diagrams.py) and keeps the SVG in a cache by
content: these tests read the built pages and count what each build drew.
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DOCS, mkdocs_build, project_copy
from test_checks_in_build import _get, _wait_for

from checks.markdown_doc import parse_document
from checks.pages import page_files
from site_build.diagram_cache import CACHE_ENV

DIAGRAM_PAGES = [p for p in page_files(DOCS) if parse_document(p.path, p.path.read_text(encoding="utf-8")).mermaid]
_DIAGRAM = re.compile(
    r'<div class="diagram" role="group" tabindex="0" aria-label="([^"]+)">(<svg\b.*?</svg>)</div>', re.S
)
# A label edit in one diagram of overlay.md that changes no number and no structure.
OLD_LABEL, NEW_LABEL = "CIDR（VNet の外）", "CIDR（VNet 外）"
_DRAWN = re.compile(r"diagrams: (\d+) drawn, (\d+) from the cache")


def _chromium_below(pid: int) -> list[str]:
    """Command lines of the Chromium processes descended from `pid`."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        parents[int(stat.parent.name)] = int(fields[1])

    def below(candidate: int) -> bool:
        while candidate in parents and candidate != pid:
            candidate = parents[candidate]
        return candidate == pid

    found = []
    for child in (c for c in parents if c != pid and below(c)):
        try:
            command = (Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "chrom" in command:
            found.append(command[:120])
    return found


def _text(page: str) -> str:
    """What a reader reads of a page: its text without the tags (SVG labels are split into tspans)."""
    return re.sub(r"<[^>]+>", "", page)


def _built_page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _drawn(output: str) -> tuple[int, int]:
    counts = _DRAWN.findall(output)
    assert len(counts) == 1, output[-2000:]
    return int(counts[0][0]), int(counts[0][1])


_FLOORS = re.compile(r"<style>@media screen\{(.*?)\}</style>\s*</head>", re.S)
_FLOOR = re.compile(r"\.md-typeset \.diagram svg#(diagram-\d+)\{min-width:(\d+)px\}")
_SVG_ID_WIDTH = re.compile(r'<svg\b[^>]*?\sid="(diagram-\d+)"[^>]*?\swidth="([\d.]+)"')


@pytest.mark.parametrize("page_file", DIAGRAM_PAGES, ids=lambda p: p.url or "/")
def test_each_diagram_has_a_screen_floor_where_its_text_is_drawn_at_11_px(built_site, page_file):
    page = _built_page(built_site, page_file.url)
    floors = _FLOORS.findall(page)
    assert len(floors) == 1, f"{page_file.url}: {len(floors)} floor stylesheets in the head"
    widths = {svg_id: float(width) for svg_id, width in _SVG_ID_WIDTH.findall(page)}
    assert widths, page_file.url
    floor = {svg_id: int(px) for svg_id, px in _FLOOR.findall(floors[0])}
    # At the floor, 16 px text is drawn at 11 px or just above (rounded up to a whole pixel).
    assert floor == {svg_id: math.ceil(width * 11 / 16) for svg_id, width in widths.items()}
    # The floor is a rule in the head: no style attribute, which the policy could only allow by 'unsafe-hashes'.
    assert not [name for name, svg in _DIAGRAM.findall(page) if " style=" in svg], page_file.url


@pytest.mark.parametrize("page_file", DIAGRAM_PAGES, ids=lambda p: p.url or "/")
def test_every_diagram_is_an_accessible_svg_in_the_html_itself(built_site, page_file):
    fences = parse_document(page_file.path, page_file.path.read_text(encoding="utf-8")).mermaid
    page = _built_page(built_site, page_file.url)
    diagrams = _DIAGRAM.findall(page)
    assert len(diagrams) == len(fences), f"{page_file.path.name}: {len(diagrams)} SVGs for {len(fences)} fences"
    assert 'class="mermaid"' not in page
    for region, svg in diagrams:
        opening = svg[: svg.index(">")]
        assert 'role="img"' in opening
        title_id = re.search(r'aria-labelledby="([^"]+)"', opening)[1]
        desc_id = re.search(r'aria-describedby="([^"]+)"', opening)[1]
        title = re.search(rf'<title id="{title_id}">([^<]+)</title>', svg)[1]
        assert re.search(rf'<desc id="{desc_id}">[^<]+</desc>', svg)
        assert region.endswith(title), (region, title)
        # Colours and fonts come from docs/stylesheets/diagrams.css, for both palettes.
        assert "<style" not in svg and " style=" not in svg


def test_no_page_carries_mermaid_code(built_site):
    for html in built_site.rglob("*.html"):
        scripts = re.findall(r"<script\b[^>]*>.*?</script>", html.read_text(encoding="utf-8"), re.S)
        assert not [s for s in scripts if "mermaid" in s.lower()], html
    assert not [p for p in built_site.rglob("*") if "mermaid" in p.name.lower()]


def test_diagram_ids_are_unique_on_every_page(built_site):
    for page_file in DIAGRAM_PAGES:
        ids = re.findall(r'(?<![\w-])id="([^"]+)"', _built_page(built_site, page_file.url))
        assert len(ids) == len(set(ids)), [i for i in set(ids) if ids.count(i) > 1]


@pytest.mark.parametrize(
    ("locale", "label", "other_label"),
    [
        ("ja", "ノードごとに /24 を切り出し", "A /24 carved out for each node"),
        ("en", "carved out for each node", "切り出し"),
    ],
)
def test_diagram_labels_are_found_by_the_search_of_their_language_only(built_site, locale, label, other_label):
    root = built_site if locale == "ja" else built_site / locale
    index = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))
    overlay = [d["text"] for d in index["docs"] if d["location"].startswith("overlay/")]
    assert any(label in text for text in overlay), f"{label!r} is not in the {locale} search index"
    everything = " ".join(d["text"] for d in index["docs"])
    assert other_label not in everything


def _diagrams_in(docs: Path) -> int:
    """Every language's pages draw their own diagrams: the count is the fences of all built pages."""
    fences = sum(page.read_text(encoding="utf-8").count("```mermaid") for page in docs.glob("*.md"))
    assert fences >= 8
    return fences


@pytest.mark.slow
def test_a_build_draws_only_the_diagrams_it_has_not_drawn_before(tmp_path: Path):
    project = project_copy(tmp_path)
    env = {CACHE_ENV: str(tmp_path / "cache")}
    first = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", env=env)
    assert first.returncode == 0, first.stderr
    total = _diagrams_in(project / "docs")
    assert _drawn(first.stderr) == (total, 0)

    # Everything cached: the build needs no browser at all.
    warm = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", env={**env, "CHROMIUM": "/nonexistent"})
    assert warm.returncode == 0, warm.stderr
    assert _drawn(warm.stderr) == (0, total)

    page = project / "docs" / "overlay.md"
    page.write_text(page.read_text(encoding="utf-8").replace(OLD_LABEL, NEW_LABEL), encoding="utf-8")
    edited = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", env=env)
    assert edited.returncode == 0, edited.stderr
    assert _drawn(edited.stderr) == (1, total - 1)
    assert NEW_LABEL in _text(_built_page(tmp_path / "site", "overlay/"))


@pytest.mark.slow
def test_an_uncached_diagram_without_chromium_fails_naming_make_system_deps(tmp_path: Path):
    project = project_copy(tmp_path)
    env = {CACHE_ENV: str(tmp_path / "empty-cache"), "CHROMIUM": "/nonexistent/chromium"}
    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml", env=env)
    assert result.returncode != 0
    assert "make system-deps" in result.stderr and "/nonexistent/chromium" in result.stderr, result.stderr
    assert re.search(r"docs/\w+(\.en)?\.md:\d+: ", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("page_name", ["overlay.md", "overlay.en.md"])
def test_a_diagram_mermaid_rejects_fails_the_build_at_its_file_and_line(tmp_path: Path, page_name: str):
    project = project_copy(tmp_path)
    page = project / "docs" / page_name
    lines = page.read_text(encoding="utf-8").split("\n")
    # `A -> B` (one dash) is no flowchart link: Mermaid rejects it, and so do the checks.
    index = next(i for i, text in enumerate(lines) if text.strip() == 'Node1 --> Pod2["Pod 10.244.1.11"]')
    lines[index] = lines[index].replace("-->", "->")
    page.write_text("\n".join(lines), encoding="utf-8")
    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode != 0
    assert f"docs/{page_name}:{index + 1}: error [mermaid/syntax] Mermaid cannot draw" in result.stderr, result.stderr
    assert "Expecting " in result.stderr  # Mermaid's own words
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_serve_redraws_only_the_edited_diagram(tmp_path: Path):
    project = project_copy(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", CACHE_ENV: str(tmp_path / "cache")}
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            served = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/overlay/"))
            assert OLD_LABEL in _text(served)
            _wait_for(lambda: _DRAWN.search(log.read_text(encoding="utf-8")))
            # The build closed its browser: nothing is left running between builds.
            assert _wait_for(lambda: not _chromium_below(server.pid), seconds=10), _chromium_below(server.pid)
            page = project / "docs" / "overlay.md"
            page.write_text(page.read_text(encoding="utf-8").replace(OLD_LABEL, NEW_LABEL), encoding="utf-8")
            _wait_for(lambda: len(_DRAWN.findall(log.read_text(encoding="utf-8"))) >= 2)
            served = _wait_for(lambda: (text := _get(f"http://127.0.0.1:{port}/overlay/")) and NEW_LABEL in _text(text))
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    total = _diagrams_in(project / "docs")
    assert [tuple(map(int, c)) for c in _DRAWN.findall(text)][:2] == [(total, 0), (1, total - 1)], text[-3000:]
    assert "Traceback" not in text
