"""Values as Learn writes them, read by the fact's type and the page's locale (checks/learn_values.py)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from fake_learn import extract, render

from checks.learn_evidence import check_fact
from checks.learn_html import read_page
from checks.learn_values import read_value, values_in
from checks.registry import load_registry

REGISTRY = load_registry()
OVERLAY = "azure/aks/concepts-network-azure-cni-overlay"
POD_SUBNET = "azure/aks/concepts-network-azure-cni-pod-subnet"


@pytest.mark.parametrize(
    ("fact_type", "text", "locale", "value"),
    [
        ("integer", "5,000", "en-us", Decimal(5000)),
        ("integer", "5\u202f000", "en-us", Decimal(5000)),
        ("integer", "5\u2009000", "en-us", Decimal(5000)),
        ("integer", "5\u00a0000", "en-us", Decimal(5000)),
        # In en-us a point is a decimal mark: 5.000 is five, a changed value, not 5000.
        ("integer", "5.000", "en-us", Decimal(5)),
        ("integer", "5.000", "de-de", Decimal(5000)),
        ("integer", "5.000", "ja-jp", Decimal(5)),
        ("decimal", "1,5", "de-de", Decimal("1.5")),
        ("decimal", "5.000,5", "de-de", Decimal("5000.5")),
        ("decimal", "1.50", "en-us", Decimal("1.5")),
        ("integer", "5\u00a0000", "fr-fr", Decimal(5000)),
        ("version", "1.28.x", "en-us", (1, 28)),
        ("version", "v1.28", "en-us", (1, 28)),
        ("version", "1.28.0", "en-us", (1, 28)),
        ("version", "1.28.5", "en-us", (1, 28, 5)),
        ("date", "September 30, 2025", "en-us", date(2025, 9, 30)),
        ("date", "Sept 30, 2025", "en-us", date(2025, 9, 30)),
        ("date", "Sep. 30, 2025", "en-us", date(2025, 9, 30)),
        ("date", "sept 30 2025", "en-us", date(2025, 9, 30)),
        ("date", "30 September 2025", "en-gb", date(2025, 9, 30)),
        ("date", "2025年9月30日", "ja-jp", date(2025, 9, 30)),
        ("date", "2025-09-30", "en-us", date(2025, 9, 30)),
        ("date", "9/30/2025", "en-us", date(2025, 9, 30)),
        ("date", "30.09.2025", "de-de", date(2025, 9, 30)),
        ("date", "2025/09/30", "ja-jp", date(2025, 9, 30)),
    ],
)
def test_a_value_is_read_by_type_and_locale(fact_type: str, text: str, locale: str, value: object):
    assert read_value(fact_type, text, locale) == value
    assert [v for _, v in values_in(fact_type, f"about {text} here", locale)] == [value]


@pytest.mark.parametrize(
    ("fact_type", "text", "locale"),
    [
        ("date", "9/30/2025", "de-de"),  # the 9th day of the 30th month
        ("date", "September 31, 2025", "en-us"),
        ("integer", "1,5", "en-us"),  # not a number in en-us: neither 1 nor 5
        ("decimal", "1,5", "en-us"),
    ],
)
def test_what_is_no_value_of_the_type_in_its_locale_is_not_read(fact_type: str, text: str, locale: str):
    assert read_value(fact_type, text, locale) is None
    assert list(values_in(fact_type, f"about {text} here", locale)) == []


@pytest.mark.parametrize(
    "text",
    [
        "10–250 pods",  # a range (en dash), not its end
        "10-250 pods",
        "10 – 250 pods",
        "10～250 pods",
        "10~250 pods",
        "-250 pods",
        "250+ pods",
        "2500 pods",
        "250.5 pods",
        # A plain space between digit groups: cells and words stand apart by it, so neither number is read.
        "2 250 pods",
    ],
)
def test_a_range_a_sign_or_more_digits_make_another_value(text: str):
    assert Decimal(250) not in [value for _, value in values_in("integer", text)]


def test_a_spaced_tilde_is_about_not_a_range():
    assert [m.group(0) for m, _ in values_in("prefix", "x.x.x.x/12 ~ 1 million IPs")] == ["12", "1"]


def _page(key: str, old: str, new: str, lang: str = "en-us"):
    state = copy.deepcopy(extract(key, "fb060abe"))
    hits = [b for b in state["blocks"] if old in b["md"]]
    assert hits, old
    for block in hits:
        block["md"] = block["md"].replace(old, new)
    return read_page(render(state, lang))


@pytest.mark.parametrize(
    ("written", "lang", "status", "found"),
    [
        ("5&nbsp;000 nodes", "en-us", "OK", "5\u202f000"),
        ("5&#8239;000 nodes", "en-us", "OK", "5\u202f000"),
        ("5&thinsp;000 nodes", "en-us", "OK", "5\u2009000"),
        ("5.000 nodes", "en-us", "FACT-CHANGED", "5.000"),
        ("5.000 nodes", "de-de", "OK", "5.000"),
        ("5.5 nodes", "en-us", "FACT-CHANGED", "5.5"),
    ],
)
def test_a_limit_in_a_table_cell_is_read_in_the_page_s_locale(written: str, lang: str, status: str, found: str):
    page = _page(OVERLAY, "| 5,000 nodes |", f"| {written} |", lang)
    assert page.locale == lang
    result = check_fact(REGISTRY.facts["overlay-max-nodes"], page)
    assert (result.status, result.found) == (status, found), result.detail


@pytest.mark.parametrize(
    ("written", "status", "found"),
    [
        ("1.28.x", "OK", "1.28.x"),
        ("v1.28", "OK", "v1.28"),
        ("1.28.5", "FACT-CHANGED", "1.28.5"),
        ("1.29.x", "FACT-CHANGED", "1.29.x"),
    ],
)
def test_a_version_is_read_with_its_patch_wildcard(written: str, status: str, found: str):
    page = _page(POD_SUBNET, "required is 1.28.", f"required is {written}.")
    result = check_fact(REGISTRY.facts["static-block-min-kubernetes"], page)
    assert (result.status, result.found) == (status, found), result.detail


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("September 30, 2026", "OK"),
        ("Sept 30, 2026", "OK"),
        ("Sep. 30, 2026", "OK"),
        ("2026-09-30", "OK"),
        ("9/30/2026", "OK"),
        ("September 30, 2027", "FACT-CHANGED"),
    ],
)
def test_a_written_out_date_is_read_as_a_date(written: str, status: str):
    base = REGISTRY.facts["overlay-max-nodes"]
    # Learn's own sentence about Azure NPM on Windows, in the audited overlay article.
    fact = replace(
        base,
        type="date",
        value="2026-09-30",
        source=replace(base.source, evidence="Azure NPM is no longer supported on Windows nodes as of {value}"),
    )
    page = _page(OVERLAY, "as of September 30, 2026", f"as of {written}")
    assert check_fact(fact, page).status == status


def test_a_range_where_the_limit_stood_is_a_change_not_the_limit():
    page = _page(OVERLAY, "| 5,000 nodes |", "| 1–5,000 nodes |")
    result = check_fact(REGISTRY.facts["overlay-max-nodes"], page)
    assert result.status == "FACT-CHANGED" and result.found is None, result.detail
