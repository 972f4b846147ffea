"""The number forms readers see in Japanese and English, and the values they stand for."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checks.numbers import find_numbers


@pytest.mark.parametrize(
    ("text", "kind", "value", "approximate"),
    [
        ("最大 5,000 ノード", "number", Decimal(5000), False),
        ("5000 nodes", "number", Decimal(5000), False),
        ("約 100 万 IP", "number", Decimal(1_000_000), True),
        ("about 1 million IPs", "number", Decimal(1_000_000), True),
        ("6.4 万", "number", Decimal(64_000), False),
        ("64K", "number", Decimal(64_000), False),
        ("/24 を切り出し", "prefix", Decimal(24), False),
        ("既定値は 10.244.0.0/16。", "cidr", "10.244.0.0/16", False),
        ("ノード 10.0.1.4 から", "ip", "10.0.1.4", False),
        ("Kubernetes 1.28 以上", "number", Decimal("1.28"), False),
        ("250 Pod/ノード", "number", Decimal(250), False),
        ("250 pods per node", "number", Decimal(250), False),
        ("Pod の IP（10.244.x.x）", "cidr", "10.244.0.0/16", False),
        ("（2026-07-30 の更新）", "date", "2026-07-30", False),
    ],
)
def test_number_form(text: str, kind: str, value: object, approximate: bool):
    (token,) = find_numbers(text)
    assert (token.kind, token.value, token.approximate) == (kind, value, approximate)


@pytest.mark.parametrize("text", ["Node1 --> P3", "IPv4 と IPv6", "Out2[x]", "CIDR1", "①"])
def test_identifiers_are_not_numbers(text: str):
    assert find_numbers(text) == []


@pytest.mark.parametrize("text", ["999.1.1.1", "10.0.1.256", "10.0.0.0/33"])
def test_impossible_addresses_are_read_as_invalid_addresses(text: str):
    assert [t.kind for t in find_numbers(text)] == ["invalid-address"]
