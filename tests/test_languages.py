"""The one list of languages (checks/languages.yml) and what reads it: mkdocs.yml, search, diagrams."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks.findings import ConfigurationError
from checks.languages import LANGUAGES_FILE, languages, load_languages
from checks.markdown_doc import parse_document
from checks.mermaid import accessibility_problems, parse_mermaid
from checks.site_config import language_findings
from site_build.search_index import split_search_index

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = ROOT / "mkdocs.yml"


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def test_the_site_has_four_languages_the_source_first():
    assert [language.code for language in languages()] == ["ja", "en", "zh", "ko"]
    assert [language.learn_locale for language in languages()] == ["ja-jp", "en-us", "zh-cn", "ko-kr"]


def test_mkdocs_lists_the_same_languages():
    assert language_findings(MKDOCS) == []


def test_a_language_missing_in_mkdocs_is_a_finding_at_its_line(tmp_path):
    text = MKDOCS.read_text(encoding="utf-8")
    start = text.index("        - locale: ko")
    end = text.index("  - git-revision-date-localized:")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text[:start] + text[end:], encoding="utf-8")
    findings = language_findings(config)
    assert [(f.line, f.rule) for f in findings] == [
        (_line_of(text[:start] + text[end:], "- git-revision"), "site/languages")
    ]
    assert "ko (checks/languages.yml:" in findings[0].message


def test_languages_in_another_order_are_a_finding_at_the_first_that_differs(tmp_path):
    text = (
        MKDOCS.read_text(encoding="utf-8")
        .replace("- locale: zh", "- locale: xx")
        .replace("- locale: ko", "- locale: zh")
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(text.replace("- locale: xx", "- locale: ko"), encoding="utf-8")
    written = config.read_text(encoding="utf-8")
    findings = language_findings(config)
    assert [f.line for f in findings] == [_line_of(written, "- locale: ko"), _line_of(written, "- locale: zh")]


def test_a_renamed_language_is_a_finding_at_its_name(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(MKDOCS.read_text(encoding="utf-8").replace("name: 한국어", "name: Korean"), encoding="utf-8")
    findings = language_findings(config)
    assert [f.line for f in findings] == [_line_of(config.read_text(encoding="utf-8"), "name: Korean")]


def test_a_search_language_missing_from_the_search_plugin_is_a_finding_at_its_line(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        MKDOCS.read_text(encoding="utf-8").replace("lang: [ja, en, zh, ko]", "lang: [ja, en]"), encoding="utf-8"
    )
    findings = language_findings(config)
    assert [f.line for f in findings] == [_line_of(config.read_text(encoding="utf-8"), "lang: [ja, en]")]
    assert "['ko', 'zh']" in findings[0].message


def test_a_broken_language_entry_is_an_error_at_its_line(tmp_path):
    text = LANGUAGES_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "languages.yml"
    broken.write_text(text.replace("    learn_locale: zh-cn\n", ""), encoding="utf-8")
    with pytest.raises(
        ConfigurationError, match=rf"languages.yml:{_line_of(text, '- code: zh')}: \[languages/schema\]"
    ):
        load_languages(broken)


def test_two_source_languages_are_an_error(tmp_path):
    text = LANGUAGES_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "languages.yml"
    broken.write_text(text.replace("    role: translation\n", "    role: source\n", 1), encoding="utf-8")
    with pytest.raises(
        ConfigurationError, match=rf"languages.yml:{_line_of(text, '- code: en')}: \[languages/source\]"
    ):
        load_languages(broken)


def _split(tmp_path: Path) -> dict[str, dict]:
    combined = {
        "config": {"lang": ["ja", "en", "zh", "ko"], "separator": "[\\s\\-]+"},
        "docs": [
            {"location": "", "title": "切り出し", "text": "ノード用サブネットから切り出し"},
            {"location": "en/", "title": "Overlay", "text": "Pods get IPs"},
            {"location": "zh/", "title": "覆盖网络", "text": "每个节点都有子网"},
            {"location": "ko/", "title": "오버레이", "text": "노드 서브넷"},
        ],
    }
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(combined), encoding="utf-8")
    assert split_search_index(tmp_path, languages()) == {"ja": 1, "en": 1, "zh": 1, "ko": 1}
    roots = {"ja": tmp_path, "en": tmp_path / "en", "zh": tmp_path / "zh", "ko": tmp_path / "ko"}
    return {
        code: json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))
        for code, root in roots.items()
    }


def test_only_the_chinese_index_is_segmented(tmp_path):
    indexes = _split(tmp_path)
    assert indexes["ja"]["docs"][0]["text"] == "ノード用サブネットから切り出し"
    assert indexes["ja"]["config"]["lang"] == ["ja", "en"]
    assert indexes["ko"]["docs"][0] == {"location": "", "title": "오버레이", "text": "노드 서브넷"}
    zh = indexes["zh"]
    assert zh["config"]["lang"] == ["zh"] and "\\u200b" in zh["config"]["separator"]
    assert zh["docs"][0]["text"].split("\u200b") == ["每个", "节点", "都", "有", "子网"]


def test_a_diagram_title_in_the_wrong_script_is_a_problem():
    markdown = "```mermaid\ngraph TB\n    accTitle: Overlay network\n    accDescr: 节点和 Pod\n    A --> B\n```\n"
    fence = parse_document(Path("page.zh.md"), markdown).mermaid[0]
    diagram = parse_mermaid(fence.content, fence.content_line)
    assert [line for line, _ in accessibility_problems(diagram, "zh")] == [3]
    assert "简体中文" in accessibility_problems(diagram, "zh")[0][1]
