"""The real `mkdocs build --strict`: offline, self-contained, and failing loudly on broken links."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import mkdocs_build, project_copy

from checks.languages import languages
from site_build.diagram_cache import CACHE_ENV

FOREIGN_MARKERS = ('src="http', "src='http", "fonts.googleapis", "unpkg.com", "jsdelivr", "api.github.com")


@pytest.mark.slow
def test_strict_build_succeeds_without_any_network(tmp_path: Path):
    if shutil.which("unshare") is None:
        pytest.fail("unshare (util-linux) is required to prove the build is offline")
    # A private network namespace has only a loopback device that is down: any request fails.
    # An empty diagram cache: Chromium draws every diagram, offline too.
    env = {CACHE_ENV: str(tmp_path / "diagram-cache")}
    result = mkdocs_build(tmp_path / "site", prefix=("unshare", "--net", "--map-root-user"), env=env)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert ", 0 from the cache" in result.stderr  # every diagram drawn in this namespace
    assert not (tmp_path / "site" / "javascripts" / "vendor").exists()


def test_built_pages_reference_no_other_host(built_site: Path):
    offenders = []
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for marker in FOREIGN_MARKERS:
            if marker in text:
                offenders.append(f"{html.relative_to(built_site)}: {marker}")
    assert offenders == []


def test_each_language_has_its_own_search_index(built_site: Path):

    ja = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((built_site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert ja["docs"] and en["docs"]
    assert not [d for d in ja["docs"] if d["location"].startswith("en/")]
    assert en["config"]["lang"] == ["en"]
    for language in languages()[1:]:
        index = json.loads((built_site / language.code / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == list(language.search)
        assert not [d for d in ja["docs"] if d["location"].startswith(f"{language.code}/")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("link", "message"),
    [("[x](missing-page.md)", "missing-page.md"), ("[x](overlay.md#no-such-anchor)", "no-such-anchor")],
)
def test_broken_internal_link_or_anchor_fails_the_build(tmp_path: Path, link: str, message: str):
    project = project_copy(tmp_path)
    page = project / "docs" / "comparison.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{link}\n", encoding="utf-8")
    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode != 0
    assert "comparison.md" in result.stderr and message in result.stderr, result.stderr
