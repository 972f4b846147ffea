"""Mutations of the real docs: each must fail the real `mkdocs build --strict` at the right file and line."""

from __future__ import annotations

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
        "あり（ノード IP に変換）",
        "なし（ノード IP に変換）",
        "tables/inconsistent",
        "送信時の SNAT",
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

    result = mkdocs_build(tmp_path / "site", config=project / "mkdocs.yml")

    assert result.returncode != 0, f"the build passed despite: {name}"
    assert f"docs/{page}:{line}: [{rule}]" in result.stderr, result.stderr[-3000:]
