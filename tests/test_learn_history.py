"""The nightly against a fake Learn made of real Learn history (tests/fake_learn.py).

The real registry and the real site are checked against the articles as they stood at real
commits of MicrosoftDocs/azure-aks-docs: the audited state must be all OK, each earlier state must
give exactly the changes that happened. Single-page cases start from the audited extract and edit
one sentence or cell, as Learn edits do.
"""

from __future__ import annotations

import copy
import gzip
import http.client
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DOCS, ROOT
from fake_learn import HISTORY, extract, history, render, start

from checks.audit import load_audit
from checks.engine import run_checks
from checks.findings import ConfigurationError
from checks.languages import LEARN_LOCALES
from checks.learn_client import LearnClient
from checks.learn_evidence import check_fact
from checks.learn_html import read_page
from checks.learn_snapshot import load_snapshot
from checks.learn_values import read_value, values_in
from checks.links import check_links
from checks.online import EXIT_CONTENT, EXIT_OK, run_online, write_reports
from checks.registry import load_registry
from checks.site import load_site

AUDITED = "fb060abe"
OVERLAY = "azure/aks/concepts-network-azure-cni-overlay"
OVERVIEW = "azure/aks/concepts-network-cni-overview"


def _night(scenario: str, tmp_path: Path):
    snapshot = tmp_path / "learn_anchors.json"
    shutil.copyfile(ROOT / "checks" / "learn_anchors.json", snapshot)
    server, url = start(scenario)
    try:
        site, _ = load_site(DOCS)
        client = LearnClient(base_url=url, connect_timeout=2, read_timeout=5, retries=0)
        return run_online(site, load_registry(), snapshot, client), snapshot
    finally:
        server.shutdown()


def _subject(result) -> str:
    return result.fact or result.url.rsplit("/", 1)[-1]


def _changes(report) -> set[tuple]:
    """(fact or page#anchor, status, the registry's value or anchor, Learn's value or nearest anchor)."""
    changes = set()
    for r in report.results:
        if r.status == "ANCHOR-MISSING":
            changes.add((_subject(r), r.status, r.url.rsplit("#", 1)[-1], r.suggestion))
        elif r.status != "OK":
            changes.add((_subject(r), r.status, r.expected, r.found))
    return changes


def test_the_audited_state_is_all_ok_and_the_refreshed_snapshot_passes_offline(tmp_path: Path):
    report, snapshot = _night("audited", tmp_path)
    assert _changes(report) == set()
    assert report.exit_code == EXIT_OK and len(report.results) > 50
    anchors = load_snapshot(snapshot)
    # ja-jp lags: its overlay article still has the heading English renamed on 2026-07-31.
    assert "how-azure-cni-overlay-networking-works" in anchors["en-us"][OVERLAY]
    assert "how-azure-cni-overlay-networking-works" not in anchors["ja-jp"][OVERLAY]
    assert "overview-of-overlay-networking" in anchors["ja-jp"][OVERLAY]
    offline = run_checks(DOCS, ROOT / "checks" / "facts.yml", snapshot)
    assert [f for f in offline.findings if f.rule.startswith("links/")] == []


EXPECTED = {
    # 2026-07-30: before the flat SNAT sentence changed and the overlay scale row was split.
    "2026-07-30": {
        ("concepts-network-azure-cni-overlay#how-azure-cni-overlay-networking-works", "ANCHOR-MISSING",
         "how-azure-cni-overlay-networking-works", "overview-of-overlay-networking"),
        ("flat-egress", "FACT-CHANGED", None, None),
        ("learn-change-flat-source-ip", "FACT-CHANGED", None, None),
        ("flat-recommended-ipam", "FACT-CHANGED", None, None),
        ("learn-change-overlay-limits", "FACT-CHANGED", None, None),
        ("overlay-default-max-pods", "REWORDED", "250", "250"),
        ("overlay-max-nodes", "REWORDED", "5,000", "5,000"),
        ("overlay-windows-recommended-max-pods", "FACT-CHANGED", "110", None),
        # The facts cited under that vanished heading are not verified elsewhere on the page.
        ("node-vnet-ips-per-node", "FACT-CHANGED", None, None),
        ("overlay-direct-inbound", "FACT-CHANGED", None, None),
        ("overlay-node-pod-prefix", "FACT-CHANGED", "24", None),
        # The source-IP matrix: its flat sentences are those of 2026-07-30, and the overlay egress fact sits
        # under the vanished heading; the overlay cells and the legacy FAQ (dynamic, on-premises) already stood.
        ("overlay-egress", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-dynamic-same-vnet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-dynamic-peered-vnet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-dynamic-internet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-static-same-vnet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-static-peered-vnet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-static-onprem", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-static-internet", "FACT-CHANGED", None, None),
        ("source-ip-node-subnet-same-vnet", "FACT-CHANGED", None, None),
        ("source-ip-node-subnet-peered-vnet", "FACT-CHANGED", None, None),
        ("source-ip-node-subnet-onprem", "FACT-CHANGED", None, None),
        ("source-ip-node-subnet-internet", "FACT-CHANGED", None, None),
    },
    # 2025-03-13: no Application Gateway for Containers row yet, older row labels and headings,
    # plan-pod-networking not yet published.
    "2025-03-13": {
        ("azure-cni-overlay#key-parameters-for-azure-cni-overlay-aks-clusters", "ANCHOR-MISSING",
         "key-parameters-for-azure-cni-overlay-aks-clusters", "set-up-an-overlay-cluster"),
        ("azure-cni-overlay?pivots=aks-cni-overlay-cluster#key-parameters-for-azure-cni-overlay-aks-clusters",
         "ANCHOR-MISSING", "key-parameters-for-azure-cni-overlay-aks-clusters", "set-up-an-overlay-cluster"),
        ("concepts-network-azure-cni-overlay#how-azure-cni-overlay-networking-works", "ANCHOR-MISSING",
         "how-azure-cni-overlay-networking-works", "overview-of-overlay-networking"),
        ("concepts-network-azure-cni-pod-subnet#static-block-allocation-mode", "ANCHOR-MISSING",
         "static-block-allocation-mode", "static-block-allocation-mode-preview"),
        ("plan-pod-networking", "BROKEN", None, None),
        ("plan-pod-networking#considerations-for-flat-networking-model-options", "BROKEN", None, None),
        ("plan-pod-networking#recommendations", "BROKEN", None, None),
        ("node-subnet-agc-supported", "FACT-CHANGED", "Supported", None),
        ("example-onprem-db-port", "FACT-CHANGED", None, None),
        ("overlay-vm-peered-connectivity", "REWORDED", "Pod initiated", "Pod initiated"),
        ("flat-vm-peered-connectivity", "REWORDED", "Both ways", "Both ways"),
        ("overlay-onprem-connectivity", "REWORDED", "Pod initiated", "Pod initiated"),
        ("flat-onprem-connectivity", "REWORDED", "Both ways", "Both ways"),
        ("flat-direct-inbound", "FACT-CHANGED", None, None),
        ("flat-egress", "FACT-CHANGED", None, None),
        ("learn-change-flat-source-ip", "FACT-CHANGED", None, None),
        ("flat-recommended-ipam", "FACT-CHANGED", None, None),
        ("overlay-egress", "FACT-CHANGED", None, None),
        ("learn-change-overlay-limits", "FACT-CHANGED", None, None),
        ("overlay-default-max-pods", "REWORDED", "250", "250"),
        ("overlay-max-nodes", "REWORDED", "5,000", "5000"),
        ("overlay-windows-recommended-max-pods", "FACT-CHANGED", "110", None),
        # The facts cited under the vanished headings are not verified elsewhere on the page.
        ("node-vnet-ips-per-node", "FACT-CHANGED", None, None),
        ("overlay-direct-inbound", "FACT-CHANGED", None, None),
        ("overlay-node-pod-prefix", "FACT-CHANGED", "24", None),
        ("overlay-default-pod-cidr", "FACT-CHANGED", "10.244.0.0/16", None),
        # Of the source-IP matrix the overlay SNAT sentence stood in older words ("Traffic leaving the
        # cluster"), as did the /24 sizing rule ("Ensure the private CIDR"): notices. "utilizes SNAT"
        # for "uses SNAT" is another word, so a change: only inflections and spelling are forgiven.
        # The flat cells did not stand; the pricing tiers were not yet a comparison table, and two
        # headings had older names.
        ("source-ip-overlay-same-vnet", "FACT-CHANGED", None, None),
        ("source-ip-overlay-peered-vnet", "REWORDED", None, None),
        ("source-ip-overlay-onprem", "REWORDED", None, None),
        ("source-ip-pod-subnet-dynamic-same-vnet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-dynamic-peered-vnet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-dynamic-internet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-static-same-vnet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-static-peered-vnet", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-static-onprem", "FACT-CHANGED", None, None),
        ("source-ip-pod-subnet-static-internet", "FACT-CHANGED", None, None),
        ("source-ip-node-subnet-same-vnet", "FACT-CHANGED", None, None),
        ("source-ip-node-subnet-peered-vnet", "FACT-CHANGED", None, None),
        ("source-ip-node-subnet-onprem", "FACT-CHANGED", None, None),
        ("source-ip-node-subnet-internet", "FACT-CHANGED", None, None),
        ("overlay-default-pod-cidr-node-capacity", "REWORDED", None, None),
        ("source-ip-overlay-internet", "FACT-CHANGED", None, None),
        ("egress-outboundtype#outbound-type-load-balancer", "ANCHOR-MISSING", "outbound-type-load-balancer",
         "outbound-type-of-loadbalancer"),
        ("free-tier-max-nodes", "FACT-CHANGED", "1,000", None),
        ("standard-tier-max-nodes", "FACT-CHANGED", "5,000", None),
        ("free-standard-pricing-tiers#aks-pricing-tiers-comparison", "ANCHOR-MISSING", "aks-pricing-tiers-comparison",
         None),
        ("concepts-network-azure-cni-overlay#choosing-a-network-model", "ANCHOR-MISSING", "choosing-a-network-model",
         "choosing-a-network-model-to-use"),
        # The heading said "nodepool" then.
        ("azure-cni-overlay?pivots=aks-cni-overlay-cluster#add-a-new-node-pool-to-a-dedicated-subnet", "ANCHOR-MISSING",
         "add-a-new-node-pool-to-a-dedicated-subnet", "add-a-new-nodepool-to-a-dedicated-subnet"),
    },
}  # fmt: skip


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_each_past_state_gives_exactly_the_changes_that_happened(scenario: str, tmp_path: Path):
    report, _ = _night(scenario, tmp_path)
    assert _changes(report) == EXPECTED[scenario]
    assert report.exit_code == EXIT_CONTENT


def test_the_report_tells_reworded_from_changed_with_old_and_new_text(tmp_path: Path):
    report, _ = _night("2026-07-30", tmp_path)
    write_reports(report, tmp_path / "nightly")
    text = (tmp_path / "nightly" / "report.md").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "nightly" / "report.json").read_text(encoding="utf-8"))
    results = {(r["fact"], r["status"]): r for r in data["results"] if r["fact"]}

    reworded = results[("overlay-default-max-pods", "REWORDED")]
    assert (reworded["old_text"], reworded["new_text"]) == ("Default 250", "The default for Azure CNI Overlay is 250.")
    changed = results[("flat-egress", "FACT-CHANGED")]
    assert changed["old_text"] == "the source IP address that a destination sees depends on the IPAM option"
    assert "Traffic that leaves your clusters is not SNAT'd" in changed["new_text"]
    windows = results[("overlay-windows-recommended-max-pods", "FACT-CHANGED")]
    assert (windows["expected"], windows["found"]) == ("110", None)
    missing = next(r for r in data["results"] if r["status"] == "ANCHOR-MISSING")
    assert missing["suggestion"] == "overview-of-overlay-networking"

    notices = text.split("## Notices (reworded, value unchanged)")[1]
    problems = text.split("## Content problems")[1].split("## Notices")[0]
    assert "**REWORDED** fact `overlay-default-max-pods`" in notices
    assert "Learn now: 'The default for Azure CNI Overlay is 250.'" in notices
    assert "REWORDED" not in problems and "**FACT-CHANGED** fact `flat-egress`" in problems
    assert "value: registry `110`, Learn now `(not stated)`" in problems
    assert "nearest existing anchor: `#overview-of-overlay-networking`" in problems
    # 21: the facts under the vanished #how-azure-cni-overlay-networking-works are not verified, and
    # the source-IP matrix rests on sentences that were not there yet.
    assert text.startswith("# Nightly Microsoft Learn check: 21 content problem(s), 2 notice(s), 0 unreachable")


def _page(key: str, edit: tuple[str, str] | None = None, locale: str = "en-us"):
    """The audited extract of `key` as Learn's HTML, with one text edit applied."""
    state = copy.deepcopy(extract(key, AUDITED))
    if edit:
        old, new = edit
        hits = [b for b in state["blocks"] if old in b["md"]]
        assert hits, f"{old!r} is not in the {key} extract"
        for block in hits:
            block["md"] = block["md"].replace(old, new)
    page = read_page(render(state, locale))
    assert page is not None
    return page


REGISTRY = load_registry()


@pytest.mark.parametrize(
    ("key", "fact", "edit", "status", "found"),
    [
        # A CIDR and an IP are read whole, a version with its minor part.
        ("azure/aks/azure-cni-overlay", "overlay-default-pod-cidr", ("10.244.0.0/16", "10.245.0.0/16"),
         "FACT-CHANGED", "10.245.0.0/16"),
        ("azure/aks/configure-kubenet", "aks-default-dns-service-ip", ("10.0.0.10", "10.0.0.100"),
         "FACT-CHANGED", "10.0.0.100"),
        ("azure/aks/concepts-network-azure-cni-pod-subnet", "static-block-min-kubernetes", ("1.28", "1.29"),
         "FACT-CHANGED", "1.29"),
        # A missing final period is no change; digit grouping is no change.
        ("azure/aks/concepts-network-azure-cni-pod-subnet", "static-block-min-kubernetes", ("1.28.", "1.28"),
         "OK", "1.28"),
        (OVERLAY, "overlay-max-nodes", ("5,000 nodes", "5000 nodes"), "OK", "5000"),
        # "Default {value}" has a right boundary: 2500 is not 250.
        (OVERLAY, "overlay-default-max-pods", ("| Default | 250 |", "| Default | 2500 |"), "FACT-CHANGED", "2500"),
        (OVERLAY, "overlay-node-pod-prefix", ("`/24` address space carved", "`/25` address space carved"),
         "FACT-CHANGED", "25"),
        # A support-matrix cell is read from its row and column, not from anywhere on the page.
        (OVERVIEW, "flat-onprem-connectivity",
         ("ExpressRoute | Pod initiated | Both ways |", "ExpressRoute | Pod initiated | Pod initiated |"),
         "FACT-CHANGED", "Pod initiated"),
        (OVERVIEW, "overlay-vm-peered-connectivity",
         ("peered virtual network | Pod initiated |", "peered virtual network | Both ways |"), "FACT-CHANGED",
         "Both ways"),
        (OVERVIEW, "node-subnet-agc-supported",
         ("Containers | Supported | Supported | Supported |", "Containers | Supported | Supported | Not Supported |"),
         "FACT-CHANGED", "Not Supported"),
    ],
)  # fmt: skip
def test_values_are_read_by_type_and_cells_by_row_and_column(key, fact, edit, status, found):
    result = check_fact(REGISTRY.facts[fact], _page(key, edit))
    assert (result.status, result.found) == (status, found), result.detail


ROW = "| Maximum nodes per cluster | 5,000 nodes | 400 nodes |"


@pytest.mark.parametrize(
    ("key", "fact", "edit", "status", "found", "says"),
    [
        # The phrase is gone and the same value stands where the fact is now stated: a notice.
        (OVERLAY, "overlay-max-nodes", (ROW, "| Nodes per cluster (maximum) | 5,000 | 400 |"), "REWORDED", "5,000",
         "Nodes per cluster (maximum) | Azure CNI Overlay: 5,000"),
        # Another value where the fact is now stated: a change, with Learn's value.
        (OVERLAY, "overlay-default-max-pods", ("| Default | 250 |", "| Default value | 110 |"), "FACT-CHANGED",
         "110", "Default value | Value: 110"),
        (OVERLAY, "overlay-max-nodes", (ROW, "| Nodes per cluster (maximum) | 6,000 | 5,000 |"), "FACT-CHANGED",
         "6,000", "Nodes per cluster (maximum) | Azure CNI Overlay: 6,000"),
        # The registry's value in the section, but in another role (the pods row, the maximum): not the fact.
        (OVERLAY, "overlay-default-max-pods", ("| Default | 250 |", "| Minimum | 10 |"), "FACT-CHANGED", None,
         "250 stands in the section only in another role"),
        (OVERLAY, "overlay-max-nodes", (ROW, "| Maximum pods in a cluster | 5,000 pods | 400 pods |"), "FACT-CHANGED",
         None, "5,000 stands in the section only in another role"),
    ],
)  # fmt: skip
def test_a_value_vouches_for_a_fact_only_in_the_same_role(key, fact, edit, status, found, says):
    result = check_fact(REGISTRY.facts[fact], _page(key, edit))
    assert (result.status, result.found) == (status, found), result.detail
    assert says in (result.new_text if found else result.detail), result


def test_a_decimal_is_compared_as_a_value():
    page = _page(OVERLAY, ("independent limits.", "independent limits. The ratio is 1.50 to one."))
    fact = replace(
        REGISTRY.facts["overlay-max-nodes"],
        type="decimal",
        value=Decimal("1.5"),
        source=replace(REGISTRY.facts["overlay-max-nodes"].source, evidence="The ratio is {value} to one."),
    )
    assert check_fact(fact, page).status == "OK"
    assert check_fact(replace(fact, value=Decimal("1.25")), page).found == "1.50"


def test_evidence_counts_only_in_the_section_of_its_anchor():
    sentence = "the source IP address that a destination sees depends on the IPAM option"
    state = copy.deepcopy(extract(OVERVIEW, AUDITED))
    for block in state["blocks"]:
        # Learn drops the sentence from #flat-networks; the same words stand in #overlay-networks.
        block["md"] = block["md"].replace(sentence, "pod IPs are always kept")
        block["md"] = block["md"].replace("Use this IPAM option for most scenarios.", f"Note that {sentence}.")
    page = read_page(render(state, "en-us"))
    assert sentence in page.text
    assert check_fact(REGISTRY.facts["flat-egress"], page).status == "FACT-CHANGED"
    assert check_fact(REGISTRY.facts["flat-egress"], _page(OVERVIEW)).status == "OK"


def test_only_the_article_counts_not_the_navigation_footer_or_scripts():
    html = render(extract(OVERLAY, AUDITED), "en-us")
    page = read_page(html)
    assert "Was this page helpful" in html and "Was this page helpful" not in page.text
    assert "feedback" not in page.anchors and "nav-title" not in page.anchors
    assert "hidden" not in page.text
    assert read_page(html.replace('<main id="main"', '<div id="main"')) is None
    assert read_page("<html><body><main id='main'><p>no title</p></main></body></html>") is None


def test_each_link_is_checked_against_the_anchors_of_its_own_locale(tmp_path: Path):
    _, snapshot = _night("audited", tmp_path)
    anchors = load_snapshot(snapshot)
    docs = tmp_path / "docs"
    docs.mkdir()
    target = "azure/aks/concepts-network-azure-cni-overlay#how-azure-cni-overlay-networking-works"
    (docs / "index.md").write_text(f"# ページ\n\n[Learn](https://learn.microsoft.com/ja-jp/{target})\n", "utf-8")
    (docs / "index.en.md").write_text(f"# Page\n\n[Learn](https://learn.microsoft.com/en-us/{target})\n", "utf-8")
    site, _ = load_site(docs)
    findings = [f for f in check_links(site, REGISTRY, anchors, load_audit()) if f.rule == "links/anchor-missing"]
    assert [(f.path.rsplit("/", 1)[-1], f.line) for f in findings] == [("index.md", 3)]
    assert "overview-of-overlay-networking" in findings[0].hint


def test_a_snapshot_of_the_first_format_is_read_for_every_locale(tmp_path: Path):
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"source": "x", "pages": {"azure/aks/x": ["a", "b"]}}), encoding="utf-8")
    # The first format had one anchor list per page: it stands for every locale the site links to.
    locales = {"en-us", *LEARN_LOCALES}
    assert locales >= {"en-us", "ja-jp", "zh-cn", "ko-kr"}
    assert load_snapshot(old) == {locale: {"azure/aks/x": ["a", "b"]} for locale in locales}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"source": "x", "locales": {"en-us": ["a"]}}), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"broken\.json"):
        load_snapshot(broken)


def _get(url: str, path: str, encoding: str = "gzip") -> tuple[http.client.HTTPResponse, bytes]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", path, headers={"Accept-Encoding": encoding})
    reply = connection.getresponse()
    body = reply.read()
    connection.close()
    return reply, body


def test_the_fake_learn_serves_pages_shaped_like_learn():
    server, url = start("audited")
    try:
        reply, body = _get(url, "/en-us/azure/aks/azure-cni-overlay?pivots=aks-cni-overlay-cluster")
        assert (reply.status, reply.version) == (200, 11)
        assert reply.getheader("Content-Type").startswith("text/html")
        assert reply.getheader("Content-Encoding") == "gzip"
        page = gzip.decompress(body).decode("utf-8")
        assert page.startswith('<!DOCTYPE html>\n<html lang="en-us"')
        assert 'data-pivot="aks-cni-overlay-cluster"' in page and 'role="tabpanel"' in page
        reply, body = _get(url, "/ja-jp/azure/aks/concepts-network-azure-cni-overlay", encoding="identity")
        page = body.decode("utf-8")
        assert reply.getheader("Content-Encoding") is None and '<html lang="ja-jp"' in page
        assert '<div class="IMPORTANT"><p>Important</p>' in page and "<table>" in page
        assert read_page(page).title == "Overview of Azure CNI Overlay networking in Azure Kubernetes Service (AKS)"
        assert _get(url, "/en-us/azure/aks/no-such-article")[0].status == 404
    finally:
        server.shutdown()


def test_the_history_fixture_is_small_extracts_of_real_commits():
    assert HISTORY.stat().st_size < 300_000
    data = history()
    assert set(data["states"]) == {AUDITED, "4ac445f81", "8c3d998eb"}
    for key, article in data["articles"].items():
        assert AUDITED in article["states"], key
        for state in article["states"].values():
            assert "same_as" in state or len(state["blocks"]) <= 40, key


def test_a_table_binding_without_its_column_is_a_configuration_error_naming_the_entry(tmp_path: Path):
    text = (ROOT / "checks" / "facts.yml").read_text(encoding="utf-8")
    broken = tmp_path / "facts.yml"
    broken.write_text(text.replace('        column: "Azure CNI Node Subnet (legacy)"\n', "", 1), encoding="utf-8")
    with pytest.raises(ConfigurationError) as error:
        load_registry(broken)
    entry = text.index("  - id: node-subnet-agc-supported")
    line = text[: text.index("        row:", entry)].count("\n") + 1  # the table binding that lacks its column
    assert f"facts.yml:{line}: entry 'node-subnet-agc-supported' field source.table.column: is missing" in str(
        error.value
    )


def test_a_phrase_that_stands_twice_agrees_when_one_of_them_states_the_value():
    extra = "Maximum nodes per cluster 6,000 nodes applies to the preview tier."
    page = _page(OVERLAY, ("Like Azure CNI Overlay, kubenet", f"{extra} Like Azure CNI Overlay, kubenet"))
    assert page.text.index(extra) < page.text.index("Maximum nodes per cluster\t5,000 nodes")  # cells apart
    assert check_fact(REGISTRY.facts["overlay-max-nodes"], page).status == "OK"
    alone = _page(OVERLAY, ("Maximum nodes per cluster | 5,000 nodes", "Maximum nodes per cluster | 6,000 nodes"))
    assert check_fact(REGISTRY.facts["overlay-max-nodes"], alone).found == "6,000"


@pytest.mark.parametrize(
    ("fact_type", "one", "other", "same"),
    [
        ("integer", "5,000", "5000", True),
        ("decimal", "1.50", "1.5", True),
        ("version", "1.28", "1.28.0", True),
        ("version", "1.28", "1.2", False),
        ("cidr", "10.244.0.0/16", "10.244.0.0/24", False),
        ("ip", "10.0.0.10", "10.0.0.010", False),
        ("date", "March 14, 2025", "2025-03-14", True),
        ("date", "03/14/2025", "2025-03-14", True),
        ("enum", "Both  ways", "both ways", True),
    ],
)
def test_values_compare_as_values_of_their_type(fact_type: str, one: str, other: str, same: bool):
    assert read_value(fact_type, one) is not None
    assert (read_value(fact_type, one) == read_value(fact_type, other)) is same


def test_values_are_read_with_boundaries():
    text = "Use 10.245.0.0/16 or 10.0.0.10, version 1.28, 2500 pods, /24 ranges."
    assert [m.group(0) for m, _ in values_in("cidr", text)] == ["10.245.0.0/16"]
    assert [m.group(0) for m, _ in values_in("ip", text)] == ["10.0.0.10"]
    assert [m.group(0) for m, _ in values_in("integer", text)][-2:] == ["2500", "24"]
    assert "250" not in [m.group(0) for m, _ in values_in("integer", text)]


def test_the_nightly_command_against_the_fake_learn(tmp_path: Path):
    snapshot = tmp_path / "learn_anchors.json"
    shutil.copyfile(ROOT / "checks" / "learn_anchors.json", snapshot)
    server, url = start("audited")
    try:
        command = [sys.executable, "-m", "checks", "--online", "--snapshot", str(snapshot)]
        command += ["--report-dir", str(tmp_path), "--retries", "0"]
        env = {**os.environ, "CHECKS_LEARN_BASE_URL": url, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "Every reference is OK." in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert set(load_snapshot(snapshot)) == {"en-us", *LEARN_LOCALES}


def test_a_large_article_is_read_in_linear_time():
    sections = "".join(f'<h2 id="h{i}">Heading {i}</h2><p>{"word " * 1000}</p>' for i in range(400))
    started = time.monotonic()
    page = read_page(f'<main id="main"><h1>Title</h1>{sections}</main>')
    assert time.monotonic() - started < 10
    assert len(page.headings) == 401 and page.section("h399") is not None


def test_a_link_into_a_zone_pivot_must_open_the_pivot_that_holds_the_heading(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    page = "https://learn.microsoft.com/en-us/azure/aks/azure-cni-overlay"
    links = [
        f"[right]({page}?pivots=aks-cni-overlay-cluster#key-parameters-for-azure-cni-overlay-aks-clusters)",
        f"[wrong]({page}?pivots=aks-cni-overlay-cluster-dual-stack#key-parameters-for-azure-cni-overlay-aks-clusters)",
    ]
    (docs / "index.md").write_text("# Page\n\n" + "\n\n".join(links) + "\n", encoding="utf-8")
    snapshot = tmp_path / "learn_anchors.json"
    shutil.copyfile(ROOT / "checks" / "learn_anchors.json", snapshot)
    server, url = start("audited")
    try:
        site, _ = load_site(docs)
        client = LearnClient(base_url=url, connect_timeout=2, read_timeout=5, retries=0)
        report = run_online(site, REGISTRY, snapshot, client)
    finally:
        server.shutdown()
    statuses = {r.url.split("?")[1].split("#")[0]: r for r in report.results if "?" in r.url}
    assert statuses["pivots=aks-cni-overlay-cluster"].status == "OK"
    wrong = statuses["pivots=aks-cni-overlay-cluster-dual-stack"]
    assert wrong.status == "ANCHOR-MISSING" and "another zone pivot" in wrong.detail
    # The suggestion is a heading the reader of that pivot can see.
    visible = read_page(render(extract("azure/aks/azure-cni-overlay", AUDITED), "en-us")).anchors_in_pivot(
        "aks-cni-overlay-cluster-dual-stack"
    )
    assert wrong.suggestion in visible and "key-parameters-for-azure-cni-overlay-aks-clusters" not in visible


def test_a_bound_row_is_looked_for_in_every_table_of_the_section():
    column = "<tr><th>Feature</th><th>Azure CNI Pod Subnet</th></tr>"
    other = f"<table>{column}<tr><td>Windows node pools</td><td>Supported</td></tr></table>"
    holding = (
        f"<table>{column}<tr><td>On-premises access via virtual private network (VPN) and Azure ExpressRoute</td>"
        "<td>Both ways</td></tr></table>"
    )
    html = '<main id="main"><h1>Title</h1><h2 id="feature-comparison">Feature comparison</h2>{}</main>'
    fact = REGISTRY.facts["flat-onprem-connectivity"]
    assert check_fact(fact, read_page(html.format(other + holding))).status == "OK"
    alone = check_fact(fact, read_page(html.format(other)))
    assert alone.status == "FACT-CHANGED" and "has no row" in alone.detail


def test_a_fact_no_longer_stated_on_a_huge_article_is_found_out_in_bounded_time():
    # 150,000 short sentences in the cited section (~6 MB, within the byte limit): the search for the
    # closest sentence once took 40 s per fact.
    sentences = " ".join(f"Sentence n{i} about cluster nodes here." for i in range(150_000))
    html = f'<main id="main"><h1>Title</h1><h2 id="limits">Limits</h2><p>{sentences}</p></main>'
    fact = REGISTRY.facts["overlay-max-nodes"]
    fact = replace(fact, source=replace(fact.source, anchor="limits"))
    page = read_page(html)
    started = time.monotonic()
    result = check_fact(fact, page)
    assert time.monotonic() - started < 5  # once 40 s; now about 1 s, a busy machine included
    assert result.status == "FACT-CHANGED" and result.found is None


def test_evidence_with_two_value_markers_is_a_configuration_error_naming_the_entry(tmp_path: Path):
    text = (ROOT / "checks" / "facts.yml").read_text(encoding="utf-8")
    evidence = REGISTRY.facts["overlay-max-nodes"].source.evidence
    assert evidence.count("{value}") == 1 and text.count(evidence) == 1
    broken = tmp_path / "facts.yml"
    broken.write_text(text.replace(evidence, evidence + " ({value} before)"), encoding="utf-8")
    with pytest.raises(ConfigurationError) as error:
        load_registry(broken)
    line = text[: text.index(evidence)].count("\n") + 1  # the field itself
    assert f"facts.yml:{line}: entry 'overlay-max-nodes' field source.evidence: " in str(error.value)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ({"pages": {"azure/aks/ok": "notalist"}}, "pages.azure/aks/ok must be a list"),
        ({"pages": {"azure/aks/ok": [1, 2]}}, "pages.azure/aks/ok must be a list of anchors"),
        ({"pages": ["azure/aks/ok"]}, "pages must map page keys"),
        ({"locales": {"en-us": {"azure/aks/ok": "notalist"}}}, "locales.en-us.azure/aks/ok must be a list"),
        ({"locales": ["en-us"]}, "locales must map each locale"),
        (["pages"], "must be a JSON object"),
    ],
)
def test_a_malformed_snapshot_of_either_format_is_a_configuration_error_naming_the_key(
    content: object, named: str, tmp_path: Path
):
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ConfigurationError) as error:
        load_snapshot(broken)
    assert str(error.value).startswith(f"{broken}:1: [registry/json] not a Learn anchor snapshot: ") and named in str(
        error.value
    )


def test_a_bound_cell_is_read_only_from_its_cited_section():
    table = (
        "<table><tr><th>Feature</th><th>Azure CNI Pod Subnet</th></tr><tr><td>On-premises access via virtual "
        "private network (VPN) and Azure ExpressRoute</td><td>Both ways</td></tr></table>"
    )
    fact = REGISTRY.facts["flat-onprem-connectivity"]
    cited = f'<h2 id="{fact.source.anchor}">Feature comparison</h2>'
    elsewhere = f'<main id="main"><h1>Title</h1>{cited}<p>No table now.</p><h2 id="other">Other</h2>{table}</main>'
    lost = check_fact(fact, read_page(elsewhere))
    assert lost.status == "FACT-CHANGED" and "has no table" in lost.detail, lost.detail
    gone = check_fact(fact, read_page(f'<main id="main"><h1>Title</h1><h2 id="other">Other</h2>{table}</main>'))
    assert gone.status == "FACT-CHANGED" and "is gone" in gone.detail, gone.detail


@pytest.mark.parametrize(
    ("fact_type", "text", "values"),
    [
        # Digit groups: a comma, a thin space, a narrow no-break space.
        ("integer", "Up to 5,000 nodes.", ["5,000"]),
        ("integer", "Up to 5\u2009000 nodes.", ["5\u2009000"]),
        ("integer", "Up to 5\u202f000 nodes.", ["5\u202f000"]),
        # A sign, a range or a "+" is another value than the bare number.
        ("integer", "A change of -5,000 nodes.", []),
        ("integer", "Scale to 5,000+ nodes.", []),
        ("integer", "Between 1-5,000 nodes.", []),
    ],
)
def test_values_are_read_with_their_digit_groups_and_not_from_ranges(fact_type: str, text: str, values: list[str]):
    found = [(m.group(0), value) for m, value in values_in(fact_type, text)]
    assert [match for match, _ in found] == values
    assert all(value == Decimal(5000) for _, value in found)


def test_a_cidr_with_host_bits_is_not_the_network():
    assert read_value("cidr", "10.244.1.0/16") != read_value("cidr", "10.244.0.0/16")
    assert read_value("cidr", "10.244.0.0/16") == read_value("cidr", "10.244.0.0/16")


def test_reading_values_by_role_on_a_huge_paragraph_is_bounded():
    # One 6 MB paragraph of values: each candidate's sentence is looked for near it, not across the line.
    sentences = " ".join(f"Pool {i % 97} runs 5,{i % 1000:03d} pods here" for i in range(200_000))
    html = f'<main id="main"><h1>Title</h1><h2 id="limits">Limits</h2><p>{sentences}</p></main>'
    fact = REGISTRY.facts["overlay-max-nodes"]
    fact = replace(fact, source=replace(fact.source, anchor="limits"))
    page = read_page(html)
    started = time.monotonic()
    result = check_fact(fact, page)
    assert time.monotonic() - started < 5
    assert result.status == "FACT-CHANGED" and result.found is None
