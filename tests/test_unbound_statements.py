"""claims/unbound-statement and claims/unplaced on broken copies of the real docs and audit."""

from __future__ import annotations

import shutil
from pathlib import Path

from checks.audit import AUDIT
from checks.engine import run_checks
from checks.markdown_doc import read_inline
from checks.registry import REGISTRY
from checks.unbound_statements import sentences

DOCS = Path(__file__).resolve().parent.parent / "docs"
LEARN = "https://learn.microsoft.com/ja-jp/azure/aks/concepts-network"


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    docs, audit = tmp_path / "docs", tmp_path / "audit.yml"
    shutil.copytree(DOCS, docs)
    shutil.copy(AUDIT, audit)
    return docs, audit


def _append(page: Path, text: str) -> int:
    """Add a paragraph at the end of `page`; the line it starts on."""
    before = page.read_text(encoding="utf-8").rstrip("\n")
    page.write_text(before + "\n\n" + text + "\n", encoding="utf-8")
    return before.count("\n") + 3


def _found(docs: Path, audit: Path, rule: str) -> list[tuple[str, int, str]]:
    report = run_checks(docs, registry_path=REGISTRY, audit_path=audit)
    return [(Path(f.path).name, f.line, f.message) for f in report.findings if f.rule == rule]


def test_the_real_site_binds_every_sentence_that_cites_learn(tmp_path: Path):
    docs, audit = _copy(tmp_path)
    assert _found(docs, audit, "claims/unbound-statement") == []
    assert _found(docs, audit, "claims/unplaced") == []


def test_a_sentence_citing_a_learn_article_and_bound_to_nothing_is_reported_at_its_line(tmp_path: Path):
    docs, audit = _copy(tmp_path)
    line = _append(
        docs / "overlay.md", f"Pod の IP はノードごとに変わります（[概念]({LEARN})）。これはこのサイトの説明です。"
    )
    found = [(name, at) for name, at, message in _found(docs, audit, "claims/unbound-statement")]
    assert found == [("overlay.md", line)]


def test_a_korean_sentence_naming_learn_with_a_particle_is_read_as_citing_it(tmp_path: Path):
    docs, audit = _copy(tmp_path)
    line = _append(docs / "flat.ko.md", "Learn에 따르면 Pod는 항상 같은 노드에서 실행됩니다.")
    assert [(n, at) for n, at, _ in _found(docs, audit, "claims/unbound-statement")] == [("flat.ko.md", line)]


def test_a_bare_citation_and_a_reading_list_item_state_nothing_of_their_own(tmp_path: Path):
    docs, audit = _copy(tmp_path)
    _append(docs / "overlay.md", f"出典: [概念]({LEARN})\n\n- [概念]({LEARN})（ネットワークの基本）")
    assert _found(docs, audit, "claims/unbound-statement") == []


def test_editing_a_bound_sentence_that_cites_learn_leaves_it_unbound(tmp_path: Path):
    docs, audit = _copy(tmp_path)
    page = docs / "choosing.md"
    text = page.read_text(encoding="utf-8")
    old = "Learn の一般的な推奨は Azure CNI Overlay です"
    assert text.count(old) == 1
    page.write_text(text.replace(old, "Learn の一般的な推奨は kubenet です"), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    assert ("choosing.md", line) in [(n, at) for n, at, _ in _found(docs, audit, "claims/unbound-statement")]


# A claim the audit schema accepts: its Learn quote and where it stands.
QUOTED = (
    "  learn_quote: every pod gets an IP address from the subnet and can be accessed directly\n"
    "  source:\n    repo: MicrosoftDocs/azure-aks-docs\n    path: articles/aks/concepts-network-legacy-cni.md\n"
    "    anchor: azure-cni-node-subnet\n"
    "    url: https://learn.microsoft.com/en-us/azure/aks/concepts-network-legacy-cni#azure-cni-node-subnet\n"
)


def test_a_fact_claim_without_site_or_reason_is_unplaced_at_its_audit_line(tmp_path: Path):
    docs, audit = _copy(tmp_path)
    text = audit.read_text(encoding="utf-8")
    entry = f"- id: unplaced-example\n  verdict: confirmed\n{QUOTED}  why: A test of the placement rule.\n\n"
    audit.write_text(text.replace("claims:\n\n", "claims:\n\n" + entry, 1), encoding="utf-8")
    line = audit.read_text(encoding="utf-8").split("\n").index("- id: unplaced-example") + 1
    assert [(n, at) for n, at, _ in _found(docs, audit, "claims/unplaced")] == [("audit.yml", line)]


def test_a_claim_bound_in_japanese_only_is_unplaced_in_the_translations(tmp_path: Path):
    docs, audit = _copy(tmp_path)
    text = audit.read_text(encoding="utf-8")
    site = "  site:\n    ja:\n    - page: prerequisites.md\n      phrase: 1 つの Pod = 1 つの IP アドレス\n"
    entry = f"- id: ja-only-example\n  verdict: confirmed\n{QUOTED}  why: A test of the placement rule.\n{site}\n"
    audit.write_text(text.replace("claims:\n\n", "claims:\n\n" + entry, 1), encoding="utf-8")
    messages = [m for n, _, m in _found(docs, audit, "claims/unplaced") if "ja-only-example" in m]
    assert sorted(m.rsplit(" ", 1)[-1] for m in messages) == [
        "prerequisites.en.md",
        "prerequisites.ko.md",
        "prerequisites.zh.md",
    ]


def test_sentences_end_at_japanese_and_english_stops_but_not_inside_a_link_or_after_e_g():
    inline = read_inline("A is B, e.g. C. See [the v1.2. article](https://x.test). 次です。最後")
    parts = [inline.text[a:b].strip() for a, b in sentences(inline)]
    assert parts == ["A is B, e.g. C.", "See the v1.2. article.", "次です。", "最後"]
