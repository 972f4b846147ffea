"""Whatever a contributor types, the engine answers with findings: never a traceback, never silence."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.engine import run_checks
from checks.findings import Finding

# Pieces that exercise every parser: tables, fences, mermaid, admonitions, front matter, links, numbers.
FRAGMENTS = st.sampled_from(
    [
        "| a | b |\n",
        "| --- | --- |\n",
        "| 1 | 2 | 3 |\n",
        "|",
        "```mermaid\n",
        "```\n",
        "graph TB\n",
        "grahp\n",
        "sequenceDiagram\n",
        "A -->|x| B[label]\n",
        'subgraph S["t"]\n',
        "end\n",
        "P->>Q: hi\n",
        '!!! note "t"\n',
        "    body\n",
        "---\n",
        "source_hash: [\n",
        "# H\n",
        "## 見出し\n",
        "- item\n",
        "  - nested\n",
        "[l](https://learn.microsoft.com/ja-jp/azure/aks/concepts-network#nope)\n",
        "[l](overlay.md#x)\n",
        "最大 5,000 ノード × 250 Pod\n",
        "約 100 万 IP\n",
        "10.0.1.4\n",
        "10.0.9.0/24\n",
        "/24\n",
        "2026-13-45\n",
        "999.1.1.1\n",
        "64K\n",
        "\t",
        "\n",
        "\x00",
        "\\|",
        "`",
        "**",
        "<br/>",
    ]
)
MARKDOWN = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=MARKDOWN, translation=MARKDOWN)
def test_arbitrary_markdown_only_ever_yields_findings(source: str, translation: str):
    with tempfile.TemporaryDirectory() as directory:
        docs = Path(directory)
        (docs / "page.md").write_text(source, encoding="utf-8", errors="surrogatepass")
        (docs / "page.en.md").write_text(translation, encoding="utf-8", errors="surrogatepass")
        report = run_checks(docs)
    assert all(isinstance(f, Finding) and f.rule and f.line >= 0 for f in report.findings)


def test_invalid_utf8_is_a_finding(tmp_path: Path):
    (tmp_path / "page.md").write_bytes(b"# \xff\xfe broken\n")
    report = run_checks(tmp_path)
    assert [f.rule for f in report.findings if f.path.endswith("page.md")][:1] == ["markdown/not-text"]
