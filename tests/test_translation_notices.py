"""An outdated or missing translation warns the contributor and tells the reader, without failing the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import mkdocs_build, project_copy

from checks.registry import load_registry


@pytest.mark.slow
def test_outdated_and_missing_translations_show_notices_and_build(tmp_path: Path):
    project = project_copy(tmp_path)
    source = project / "docs" / "flat.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nこの段落は翻訳より新しい追記です。\n", encoding="utf-8")
    (project / "docs" / "prerequisites.en.md").unlink()
    # comparison.md links sections of flat.md and overlay.md by their Japanese anchors.
    (project / "docs" / "comparison.en.md").unlink()

    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml")

    assert result.returncode == 0, result.stderr[-3000:]
    assert "docs/flat.en.md:1: [parity/outdated]" in result.stderr
    assert "docs/prerequisites.md:1: [parity/missing-translation]" in result.stderr
    outdated = (tmp_path / "site" / "en" / "flat" / "index.html").read_text(encoding="utf-8")
    assert "has changed since it was translated" in outdated
    assert 'href="../../flat/"' in outdated
    fallback = (tmp_path / "site" / "en" / "prerequisites" / "index.html").read_text(encoding="utf-8")
    assert "has not been translated yet" in fallback
    comparison = (tmp_path / "site" / "en" / "comparison" / "index.html").read_text(encoding="utf-8")
    assert 'href="../flat/#traffic-leaving-the-cluster-source-ip-depends-on-ipam-option-and-destination"' in comparison
    current = (tmp_path / "site" / "en" / "overlay" / "index.html").read_text(encoding="utf-8")
    assert "translation-notice" not in current


def test_sources_page_lists_every_fact_in_both_languages(built_site: Path):
    registry = load_registry()
    for page, verified_header in (("sources/index.html", "確認日"), ("en/sources/index.html", "Verified")):
        html = (built_site / page).read_text(encoding="utf-8")
        assert verified_header in html
        missing = [fact for fact in registry.facts if f"<code>{fact}</code>" not in html]
        assert missing == [], page


def test_content_pages_say_when_their_facts_were_verified(built_site: Path):
    html = (built_site / "en" / "overlay" / "index.html").read_text(encoding="utf-8")
    assert "checked against the Microsoft Learn sources as of 2026-08-21" in html
    assert 'href="../sources/"' in html


@pytest.mark.slow
def test_an_outdated_chinese_or_korean_translation_shows_the_banner_in_its_language(tmp_path: Path):
    from conftest import I18N_FIXTURES

    from site_build.reader_text import text_for

    project = project_copy(tmp_path)
    for name in ("sources.zh.md", "sources.ko.md"):
        (project / "docs" / name).write_text((I18N_FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    source = project / "docs" / "sources.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n翻訳より新しい追記です。\n", encoding="utf-8")

    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml")

    assert result.returncode == 0, result.stderr[-3000:]
    for language in ("zh", "ko"):
        assert f"docs/sources.{language}.md:1: [parity/outdated]" in result.stderr
        html = (tmp_path / "site" / language / "sources" / "index.html").read_text(encoding="utf-8")
        banner = text_for(language)["outdated"].split("<a")[0]
        assert banner in html, language
        assert 'href="../../sources/"' in html
        assert text_for(language)["fallback"] not in html
