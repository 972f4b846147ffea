"""The claim audit inside the engine: each rule on a broken copy of the real docs, audit and registry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checks.audit import AUDIT, load_audit
from checks.box_kinds import BOXES, load_box_kinds
from checks.engine import run_checks
from checks.findings import ConfigurationError
from checks.registry import REGISTRY

DOCS = Path(__file__).resolve().parent.parent / "docs"
SNAT_UPDATE = (
    "    commit: 8036a30f072f29097463e02deeaf5c154cb58864\n    date: {day}\n\n- id: flat-egress-no-snat-diagram"
)


def _copy(tmp_path: Path) -> tuple[Path, Path, Path]:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    audit, registry = tmp_path / "audit.yml", tmp_path / "facts.yml"
    shutil.copy(AUDIT, audit)
    shutil.copy(REGISTRY, registry)
    return docs, audit, registry


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old`; the line where it was, for the expected finding."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _findings(docs: Path, audit: Path, registry: Path, rule: str) -> list[tuple[str, int]]:
    report = run_checks(docs, registry_path=registry, audit_path=audit)
    return [(Path(f.path).name, f.line) for f in report.findings if f.rule == rule]


def _at_claim(audit: Path, claim_id: str) -> tuple[str, int]:
    """Where a finding about the audit entry `claim_id` must point."""
    return ("audit.yml", next(c for c in load_audit(audit).claims if c.id == claim_id).line)


def test_the_real_site_binds_every_box_and_phrase(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    report = run_checks(docs, registry_path=registry, audit_path=audit)
    assert [f for f in report.findings if f.rule.startswith("claims/")] == []
    assert any(claim.change and claim.change.kind == "learn-update" for claim in report.audit.claims)


def test_a_fact_verified_after_its_evidence_is_a_finding_in_the_registry(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    evidence = '      evidence: "Maximum nodes per cluster {value} nodes"\n'
    _edit(registry, evidence + "    verified: 2026-08-21", evidence + "    verified: 2026-11-26")
    lines = registry.read_text(encoding="utf-8").split("\n")
    line = lines.index("    verified: 2026-11-26", lines.index("  - id: overlay-max-nodes")) + 1
    assert ("facts.yml", line) in _findings(docs, audit, registry, "claims/date-after-evidence")


def test_a_learn_update_dated_after_the_audited_source_is_a_finding(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    _edit(
        audit,
        SNAT_UPDATE.format(day="2026-07-30"),
        SNAT_UPDATE.format(day="2026-09-30"),
    )
    assert _at_claim(audit, "flat-egress-no-snat") in _findings(docs, audit, registry, "claims/date-after-evidence")


def test_a_learn_update_without_its_commit_is_a_configuration_error_at_its_line(tmp_path: Path):
    _, audit, _ = _copy(tmp_path)
    _edit(
        audit,
        SNAT_UPDATE.format(day="2026-07-30"),
        SNAT_UPDATE.format(day="2026-07-30").split("\n", 1)[1],
    )
    lines = audit.read_text(encoding="utf-8").split("\n")
    entry = lines.index("- id: flat-egress-no-snat")
    change = lines.index("  change:", entry) + 2  # the mapping that lacks the commit
    with pytest.raises(
        ConfigurationError,
        match=rf"audit\.yml:{change}: \[audit/schema\] claim 'flat-egress-no-snat' change: 'commit' is a required",
    ):
        load_audit(audit)


def test_an_updated_box_whose_claim_is_a_correction_names_the_box_line(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    line = _edit(
        docs / "overlay.md",
        '!!! correction "訂正: 元の資料の誤り"',
        '!!! updated "更新: Microsoft Learn の記載が変わりました"',
    )
    assert ("overlay.md", line) in _findings(docs, audit, registry, "claims/box-kind")


def test_a_box_bound_to_no_claim_is_a_finding(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    text = (docs / "choosing.md").read_text(encoding="utf-8")
    line = text.count("\n") + 2
    (docs / "choosing.md").write_text(
        text + '\n!!! correction "訂正"\n\n    Pod は常に VNet の IP を持ちます。\n', encoding="utf-8"
    )
    assert ("choosing.md", line) in _findings(docs, audit, registry, "claims/box-kind")


def test_a_link_change_told_in_an_article_box_belongs_in_the_changelog(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    entry = (docs / "changelog.en.md").read_text(encoding="utf-8").split("\n- ", 1)[1]
    text = (docs / "flat.en.md").read_text(encoding="utf-8")
    line = text.count("\n") + 2
    (docs / "flat.en.md").write_text(text + f'\n!!! updated "Updated"\n\n    {entry}\n', encoding="utf-8")
    assert ("flat.en.md", line) in _findings(docs, audit, registry, "claims/changelog")


def test_a_changelog_entry_bound_to_no_link_claim_is_a_finding(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    text = (docs / "changelog.md").read_text(encoding="utf-8")
    line = text.count("\n") + 1
    (docs / "changelog.md").write_text(text + "- 出典ページの並び順を変えました。\n", encoding="utf-8")
    assert ("changelog.md", line) in _findings(docs, audit, registry, "claims/changelog")


def test_a_claim_bound_to_a_page_the_site_lacks_points_into_the_audit(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    _edit(audit, "    - page: changelog.en.md\n", "    - page: change-log.en.md\n")
    assert _at_claim(audit, "link-azure-cni-overlay-tabs-param") in _findings(
        docs, audit, registry, "claims/phrase-missing"
    )


def test_the_sources_page_lists_each_language_s_audited_claims_with_learn_s_words(built_site: Path):
    audit = load_audit()
    for locale, page in (("ja", "sources/index.html"), ("en", "en/sources/index.html")):
        html = (built_site / page).read_text(encoding="utf-8")
        stated = [claim for claim in audit.claims if claim.quote and any(m.locale == locale for m in claim.mentions)]
        assert stated, locale
        missing = [claim.id for claim in stated if f"<code>{claim.id}</code>" not in html]
        assert missing == [], page
        assert "<!-- claim-audit -->" not in html


POD_ONE_IP_SOURCE = """    path: articles/aks/concepts-network-legacy-cni.md
    anchor: azure-cni-node-subnet
    url: https://learn.microsoft.com/en-us/azure/aks/concepts-network-legacy-cni#azure-cni-node-subnet
  why: Glossary definition reused throughout the page."""


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        # The nightly would look for the quote under a heading Learn does not have: every night a change.
        ("anchor: azure-cni-node-subnet\n", "anchor: azure-cni-node-subnets\n", "links/anchor-missing"),
        ("legacy-cni#azure-cni-node-subnet\n", "legacy-cni#azure-cni-pod-subnet\n", "links/source-mismatch"),
        (
            "path: articles/aks/concepts-network-legacy-cni.md",
            "path: articles/aks/concepts-network.md",
            "links/source-mismatch",
        ),
        (
            "en-us/azure/aks/concepts-network-legacy-cni#",
            "en-us/azure/aks/concepts-network-legacy#",
            "links/unknown-page",
        ),
    ],
)
def test_an_audit_source_that_names_no_heading_of_its_page_is_a_finding_offline(tmp_path: Path, old, new, rule):
    docs, audit, registry = _copy(tmp_path)
    _edit(audit, POD_ONE_IP_SOURCE, POD_ONE_IP_SOURCE.replace(old, new, 1))
    source = next(c for c in load_audit(audit).claims if c.id == "pod-one-ip").source
    assert source is not None
    assert _findings(docs, audit, registry, rule) == [("audit.yml", source.line)]


CORRECTION_TITLES = {
    "ja": "訂正: 元の資料の誤り",
    "en": "Correction: the original document was wrong",
    "zh": "更正：原始资料中的错误",
    "ko": "정정: 원본 자료의 오류",
}
UPDATED_TITLES = {
    "ja": "更新: Microsoft Learn の記載が変わりました",
    "en": "Updated: Microsoft Learn has changed",
    "zh": "更新：Microsoft Learn 的说明已更改",
    "ko": "업데이트: Microsoft Learn의 내용이 변경되었습니다",
}
PAGES = {"ja": "index.md", "en": "index.en.md", "zh": "index.zh.md", "ko": "index.ko.md"}


@pytest.mark.parametrize("locale", PAGES)
def test_a_correction_box_titled_as_an_update_is_a_finding_at_the_box(tmp_path: Path, locale: str):
    docs, audit, registry = _copy(tmp_path)
    old = f'!!! correction "{CORRECTION_TITLES[locale]}"'
    line = _edit(docs / PAGES[locale], old, f'!!! correction "{UPDATED_TITLES[locale]}"')
    assert _findings(docs, audit, registry, "claims/box-title") == [(PAGES[locale], line)]


@pytest.mark.parametrize("locale", PAGES)
def test_a_correction_box_turned_into_a_note_is_a_finding(tmp_path: Path, locale: str):
    docs, audit, registry = _copy(tmp_path)
    line = _edit(docs / PAGES[locale], f'!!! correction "{CORRECTION_TITLES[locale]}"', '!!! note "Note"')
    assert (PAGES[locale], line) in _findings(docs, audit, registry, "claims/box-kind")
    # And the page now states a corrected claim that no Correction box tells.
    assert [name for name, _ in _findings(docs, audit, registry, "claims/box-missing")] == [PAGES[locale]] * 2


def test_an_untitled_correction_box_and_a_note_titled_as_a_correction_are_findings(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    untitled = _edit(
        docs / "flat.md",
        f'!!! correction "{CORRECTION_TITLES["ja"]}"\n\n    元の資料は、Azure',
        "!!! correction\n\n    元の資料は、Azure",
    )
    posing = _edit(
        docs / "flat.md",
        '!!! note "注意"\n\n    オーバーレイの Pod CIDR',
        f'!!! note "{CORRECTION_TITLES["ja"]}"\n\n    オーバーレイの Pod CIDR',
    )
    assert sorted(_findings(docs, audit, registry, "claims/box-title")) == [
        ("flat.md", untitled),
        ("flat.md", posing),
    ]


def test_a_correction_told_by_an_update_s_box_is_a_finding_in_the_audit(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    _edit(audit, "  told_by: overlay-internet-egress-outbound-type\n", "  told_by: flat-egress-no-snat\n")
    assert _at_claim(audit, "overlay-egress-snat-node-ip") in _findings(docs, audit, registry, "claims/box-missing")


def test_a_box_type_without_a_title_in_a_language_of_the_site_is_a_configuration_error(tmp_path: Path):
    boxes = tmp_path / "boxes.yml"
    text = BOXES.read_text(encoding="utf-8")
    boxes.write_text(text.replace(f'      ko: "{CORRECTION_TITLES["ko"]}"\n', ""), encoding="utf-8")
    line = text.split("\n").index("    title:") + 2
    with pytest.raises(
        ConfigurationError, match=rf"boxes\.yml:{line}: \[boxes/schema\] the correction box has no title in ko"
    ):
        load_box_kinds(boxes)


@pytest.mark.parametrize(
    ("page", "old", "new"),
    [
        # A table cell reworded: not the diagram label that shares its last words.
        (
            "overlay.en.md",
            "SNAT to the node IP (internet traffic gets the outbound type's public IP)",
            "SNAT to the IP of the node (internet traffic gets the public IP of the outbound type)",
        ),
        # A sentence reworded inside a box: not the box title that shares two words.
        (
            "flat.md",
            "これは Learn の更新ではなく、元の資料の誤りです",
            "これは Learn の変更ではなく、もとの資料の間違いです",
        ),
    ],
)
def test_an_edited_bound_phrase_is_reported_where_the_edit_is(tmp_path: Path, page: str, old: str, new: str):
    docs, audit, registry = _copy(tmp_path)
    line = _edit(docs / page, old, new)
    assert (page, line) in _findings(docs, audit, registry, "claims/phrase-missing")


def test_every_change_kind_has_a_box_and_no_two_boxes_share_a_title(tmp_path: Path):
    text = BOXES.read_text(encoding="utf-8")
    boxes = tmp_path / "boxes.yml"
    boxes.write_text(text[: text.index("  - type: updated")], encoding="utf-8")
    with pytest.raises(
        ConfigurationError, match=r"boxes\.yml:\d+: \[boxes/schema\] no box type tells a 'learn-update'"
    ):
        load_box_kinds(boxes)
    boxes.write_text(text.replace(UPDATED_TITLES["en"], CORRECTION_TITLES["en"]), encoding="utf-8")
    line = text.split("\n").index(f'      en: "{UPDATED_TITLES["en"]}"') + 1
    with pytest.raises(ConfigurationError, match=rf"boxes\.yml:{line}: \[boxes/schema\] the updated box's en title"):
        load_box_kinds(boxes)


def test_a_box_type_written_in_capitals_is_the_box_the_reader_sees(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    _edit(
        docs / "index.md", f'!!! correction "{CORRECTION_TITLES["ja"]}"', f'!!! Correction "{CORRECTION_TITLES["ja"]}"'
    )
    report = run_checks(docs, registry_path=registry, audit_path=audit)
    assert [f for f in report.findings if f.rule.startswith(("claims/", "parity/admonitions"))] == []


def test_a_learn_update_on_no_day_of_the_calendar_is_a_configuration_error_at_its_line(tmp_path: Path):
    _, audit, _ = _copy(tmp_path)
    line = _edit(audit, SNAT_UPDATE.format(day="2026-07-30"), SNAT_UPDATE.format(day="2026-02-30")) + 1
    with pytest.raises(
        ConfigurationError, match=rf"audit\.yml:{line}: \[audit/schema\] claim 'flat-egress-no-snat' change\.date"
    ):
        load_audit(audit)


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        # A phrase under a language the site lacks, or another language's page, would never be read.
        ("    en:\n    - page: prerequisites.en.md\n      phrase: Each pod",
         "    fr:\n    - page: prerequisites.en.md\n      phrase: Each pod", "site.fr: 'fr' is not a language"),
        ("    - page: prerequisites.en.md\n      phrase: Each pod has one IP address",
         "    - page: prerequisites.zh.md\n      phrase: Each pod has one IP address",
         "prerequisites.zh.md is a zh page"),
    ],
)  # fmt: skip
def test_a_phrase_bound_where_no_reader_reads_it_is_a_configuration_error(
    tmp_path: Path, old: str, new: str, named: str
):
    _, audit, _ = _copy(tmp_path)
    line = _edit(audit, old, new)  # the first line of the edit: the language, or the page
    with pytest.raises(ConfigurationError, match=rf"audit\.yml:{line}: \[audit/schema\] claim 'pod-one-ip' ") as raised:
        load_audit(audit)
    assert named in str(raised.value)


def test_a_link_a_translation_lacks_is_named_as_the_translation_would_write_it(tmp_path: Path):
    docs, audit, registry = _copy(tmp_path)
    (docs / "flat.md").write_text(
        (docs / "flat.md").read_text(encoding="utf-8") + "\n[a](overlay.md#特徴まとめ)\n", "utf-8"
    )
    report = run_checks(docs, registry_path=registry, audit_path=audit)
    (message,) = [f.message for f in report.findings if f.rule == "parity/links" and f.path.endswith("flat.en.md")]
    assert message.startswith("overlay.md#summary-of-characteristics is linked 0 times here"), message
