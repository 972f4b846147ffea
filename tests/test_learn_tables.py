"""Support-matrix facts are read from their row and column, whatever markup the table uses.

Learn's real feature comparison (concepts-network-cni-overview, audited extract) is rewritten with
the markup Learn articles use: grouped headers, cells spanning rows or columns, footnote markers,
nested tables, header rows repeated in the body. The same content must read the same; a changed
cell must be caught in its row and column.
"""

from __future__ import annotations

import re

import pytest
from fake_learn import extract, render

from checks.learn_evidence import check_fact
from checks.learn_html import read_page
from checks.registry import load_registry

OVERVIEW = "azure/aks/concepts-network-cni-overview"
REGISTRY = load_registry()
VM = (
    "Connectivity between pod and virtual machine (VM), with the VM in the same virtual network or a peered "
    "virtual network"
)
ONPREM = "On-premises access via virtual private network (VPN) and Azure ExpressRoute"
AGC = "Exposure of services via Application Gateway for Containers"
HEADER = (
    "<thead><tr><th>Feature</th><th>Azure CNI Overlay</th><th>Azure CNI Pod Subnet</th>"
    "<th>Azure CNI Node Subnet (legacy)</th><th>Kubenet (legacy)</th></tr></thead>"
)
# The facts bound to this table, and the value each must read on the audited page.
FACTS = {
    "overlay-vm-peered-connectivity": "Pod initiated",
    "flat-vm-peered-connectivity": "Both ways",
    "overlay-onprem-connectivity": "Pod initiated",
    "flat-onprem-connectivity": "Both ways",
    "node-subnet-agc-supported": "Supported",
}


def _row(*cells: str) -> str:
    return "<tr>" + "".join(c if c.startswith("<t") else f"<td>{c}</td>" for c in cells) + "</tr>"


def _page(table: str):
    """The audited overview page with its feature comparison replaced by `table`."""
    html = render(extract(OVERVIEW, "fb060abe"), "en-us")
    start = html.index('<h3 id="feature-comparison">')
    start = html.index("<table>", start)
    end = html.index("</table>", start) + len("</table>")
    page = read_page(html[:start] + f"<table>{table}</table>" + html[end:])
    assert page is not None
    return page


SAME_CONTENT = {
    # Two header rows: "Azure CNI" spans three columns, "Feature" and "Kubenet" span both rows.
    "grouped-header": (
        '<thead><tr><th rowspan="2">Feature</th><th colspan="3">Azure CNI</th>'
        '<th rowspan="2">Kubenet (legacy)</th></tr>'
        "<tr><th>Overlay</th><th>Pod Subnet</th><th>Node Subnet (legacy)</th></tr></thead><tbody>"
        + _row(VM, "Pod initiated", "Both ways", "Both ways", "Pod initiated")
        + _row(ONPREM, "Pod initiated", "Both ways", "Both ways", "Pod initiated")
        + _row(AGC, "Supported", "Supported", "Supported", "Not Supported")
        + "</tbody>"
    ),
    # The same answer for two rows is written once, spanning both.
    "rowspan-cells": (
        HEADER
        + "<tbody>"
        + _row(VM, *(f'<td rowspan="2">{v}</td>' for v in ("Pod initiated", "Both ways", "Both ways", "Pod initiated")))
        + _row(ONPREM)
        + _row(AGC, "Supported", "Supported", "Supported", "Not Supported")
        + "</tbody>"
    ),
    # The same answer for neighbouring columns is written once, spanning them.
    "colspan-cells": (
        HEADER
        + "<tbody>"
        + _row(VM, "Pod initiated", '<td colspan="2">Both ways</td>', "Pod initiated")
        + _row(ONPREM, "Pod initiated", '<td colspan="2">Both ways</td>', "Pod initiated")
        + _row(AGC, '<td colspan="3">Supported</td>', "Not Supported")
        + "</tbody>"
    ),
    # Footnote markers are not part of the answer nor of the row's name.
    "footnote-markers": (
        HEADER
        + "<tbody>"
        + _row(VM, "Pod initiated<sup>1</sup>", "Both ways<sup>1</sup>", "Both ways", "Pod initiated")
        + _row(ONPREM + '<sup><a href="#note-2">2</a></sup>', "Pod initiated", "Both ways²", "Both ways", "No")
        + _row(AGC, "Supported", "Supported", "Supported <sup>3</sup>", "Not Supported")
        + "</tbody>"
    ),
    # A cell holding a table of its own: the outer row keeps its columns.
    "nested-table": (
        HEADER
        + "<tbody>"
        + _row(
            VM,
            "Pod initiated<table><tr><th>Direction</th><th>Note</th></tr><tr><td>Out</td><td>SNAT</td></tr></table>",
            "Both ways",
            "Both ways",
            "Pod initiated",
        )
        + _row(ONPREM, "Pod initiated", "Both ways", "Both ways", "Pod initiated")
        + _row(AGC, "Supported", "Supported", "Supported", "Not Supported")
        + "</tbody>"
    ),
    # Row headers in <th>, a section row spanning the table, and a header row repeated in the
    # body with the columns in another order: each row is read by the header above it.
    "header-rows-in-the-body": (
        "<tbody>"
        + _row(
            "<th>Feature</th><th>Azure CNI Overlay</th><th>Azure CNI Pod Subnet</th>"
            "<th>Azure CNI Node Subnet (legacy)</th><th>Kubenet (legacy)</th>"
        )
        + _row('<th colspan="5">Connectivity</th>')
        + _row(f'<th scope="row">{VM}</th>', "Pod initiated", "Both ways", "Both ways", "Pod initiated")
        + _row(f'<th scope="row">{ONPREM}</th>', "Pod initiated", "Both ways", "Both ways", "Pod initiated")
        + _row(
            "<th>Feature</th><th>Azure CNI Overlay</th><th>Azure CNI Pod Subnet</th><th>Kubenet (legacy)</th>"
            "<th>Azure CNI Node Subnet (legacy)</th>"
        )
        + _row(f'<th scope="row">{AGC}</th>', "Supported", "Supported", "Not Supported", "Supported")
        + "</tbody>"
    ),
}


@pytest.mark.parametrize("case", sorted(SAME_CONTENT))
def test_the_same_matrix_in_other_markup_reads_the_same(case: str):
    page = _page(SAME_CONTENT[case])
    read = {fact: check_fact(REGISTRY.facts[fact], page) for fact in FACTS}
    assert {fact: (r.status, r.found) for fact, r in read.items()} == {
        fact: ("OK", value) for fact, value in FACTS.items()
    }, {fact: r.detail for fact, r in read.items()}


def test_a_footnote_on_the_cell_is_shown_in_the_report():
    result = check_fact(REGISTRY.facts["flat-vm-peered-connectivity"], _page(SAME_CONTENT["footnote-markers"]))
    assert result.status == "OK" and "footnote 1" in result.detail


CHANGED = [
    # A spanning cell that changes answers for every row and column it spans.
    ("rowspan-cells", "flat-onprem-connectivity",
     ('<td rowspan="2">Both ways</td>', '<td rowspan="2">Pod initiated</td>'), "Pod initiated"),
    ("colspan-cells", "node-subnet-agc-supported",
     ('<td colspan="3">Supported</td><td>Not Supported</td>',
      '<td colspan="2">Supported</td><td colspan="2">Not Supported</td>'), "Not Supported"),
    ("grouped-header", "flat-vm-peered-connectivity", ("Pod initiated</td><td>Both ways", "Pod initiated</td><td>None"),
     "None"),
    ("header-rows-in-the-body", "node-subnet-agc-supported",
     ("Not Supported</td><td>Supported", "Supported</td><td>No"), "No"),
    ("footnote-markers", "flat-onprem-connectivity", ("Both ways²", "Pod initiated²"), "Pod initiated"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "fact", "edit", "found"), CHANGED)
def test_a_changed_cell_is_caught_in_its_row_and_column(case: str, fact: str, edit: tuple[str, str], found: str):
    table = SAME_CONTENT[case]
    assert edit[0] in table
    result = check_fact(REGISTRY.facts[fact], _page(table.replace(edit[0], edit[1], 1)))
    assert (result.status, result.found) == ("FACT-CHANGED", found), result.detail


def test_spans_are_bounded_on_hostile_tables():
    # 2,000 rows each spanning 1,000 columns and every row below: the grid is capped, not built.
    rows = "".join(f'<tr><td rowspan="65534" colspan="1000">{i}</td></tr>' for i in range(2_000))
    page = read_page(f'<main id="main"><h1>T</h1><h2 id="s">S</h2><table>{rows}</table></main>')
    assert page is not None and page.tables[0].truncated


def test_the_table_text_keeps_one_line_per_row_and_cells_apart():
    page = _page(SAME_CONTENT["colspan-cells"])
    line = next(line for line in page.text.split("\n") if line.startswith(AGC))
    # Cells are kept apart, so that "250 | 110" is never read as one number.
    assert re.split(r"\s*\t\s*", line.strip()) == [AGC, "Supported", "Not Supported"]


def test_a_table_without_any_header_row_is_read_by_its_first_row():
    table = (
        _row(
            "Feature", "Azure CNI Overlay", "Azure CNI Pod Subnet", "Azure CNI Node Subnet (legacy)", "Kubenet (legacy)"
        )
        + _row(VM, "Pod initiated", "Both ways", "Both ways", "Pod initiated")
        + _row(ONPREM, "Pod initiated", "Both ways", "Both ways", "Pod initiated")
        + _row(AGC, "Supported", "Supported", "Supported", "Not Supported")
    )
    page = _page(table)
    assert {fact: check_fact(REGISTRY.facts[fact], page).status for fact in FACTS} == dict.fromkeys(FACTS, "OK")
