"""Network arithmetic on the registry, computed with `ipaddress`, never typed: containment, overlap,
Azure's reserved addresses, per-node capacity, and values derived from prefixes."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal

from checks.claims import APPROXIMATION
from checks.findings import Finding
from checks.registry import Registry, prefix_length


def check_network_plan(registry: Registry) -> Iterator[Finding]:
    path = registry.display_path()
    ranges = registry.ranges
    for item in ranges.values():
        parent = ranges.get(item.within or "")
        if parent and not item.network.subnet_of(parent.network):
            yield Finding(
                path,
                item.line,
                "network/not-within",
                f"{item.id} {item.network} is not inside {parent.id} {parent.network}",
                "fix the cidr or the `within` of the range",
            )
        for other_id in item.must_not_overlap:
            other = ranges[other_id]
            if item.network.overlaps(other.network):
                yield Finding(
                    path,
                    item.line,
                    "network/overlap",
                    f"{item.id} {item.network} overlaps {other.id} {other.network}",
                    "Learn requires the pod CIDR to stay outside the VNet, its subnets and the service CIDR",
                )
            for child in ranges.values():
                if child.within == other_id and item.network.overlaps(child.network):
                    yield Finding(
                        path,
                        item.line,
                        "network/overlap",
                        f"{item.id} {item.network} overlaps {child.id} {child.network}",
                        "the pod CIDR must not overlap any subnet of the VNet",
                    )
        yield from _range_facts(registry, item)
    for address in registry.addresses.values():
        owner = ranges[address.range_id]
        if address.ip not in owner.network:
            yield Finding(
                path,
                address.line,
                "network/outside-subnet",
                f"{address.ip} is not inside {owner.id} {owner.network}",
                "move the address into the range, or change `in`",
            )
            continue
        offset = int(address.ip) - int(owner.network.network_address)
        if owner.azure_subnet and (
            offset < registry.reserved_first or offset >= owner.network.num_addresses - registry.reserved_last
        ):
            yield Finding(
                path,
                address.line,
                "network/reserved-address",
                f"{address.ip} is reserved by Azure in {owner.network} (the first "
                f"{registry.reserved_first} and the last {registry.reserved_last} addresses are)",
                f"the first usable address is {owner.network.network_address + registry.reserved_first}",
            )
        if address.role == "first-usable":
            first = owner.network.network_address + (registry.reserved_first if owner.azure_subnet else 1)
            if address.ip != first:
                yield Finding(
                    path,
                    address.line,
                    "network/first-usable",
                    f"{address.ip} is called the first usable address of {owner.network}, but that is {first}",
                    "Azure keeps the first four addresses of a subnet",
                )
        yield from _fact_mismatch(registry, address.fact, str(address.ip), address.line, str(address.ip))
    yield from _derived_facts(registry)


def _fact_mismatch(registry: Registry, fact_id: str | None, value: str, line: int, shown: str) -> Iterator[Finding]:
    """A registry entry that names a fact must hold the fact's value."""
    fact = registry.facts.get(fact_id or "")
    if fact and fact.value != value:
        yield Finding(
            registry.display_path(),
            line,
            "network/fact-mismatch",
            f"{shown} should equal fact {fact.id} ({fact.display()})",
            "keep the two in step",
        )


def _range_facts(registry: Registry, item) -> Iterator[Finding]:
    path = registry.display_path()
    yield from _fact_mismatch(registry, item.fact, str(item.network), item.line, f"{item.id} {item.network}")
    prefix = registry.facts.get(item.prefix_fact or "")
    if prefix and Decimal(item.network.prefixlen) != prefix.value:
        yield Finding(
            path,
            item.line,
            "network/prefix-mismatch",
            f"{item.id} is a /{item.network.prefixlen}, but {prefix.id} says /{prefix.value}",
            "the per-node range must have the prefix Learn documents",
        )
    holds = registry.facts.get(item.holds_fact or "")
    if holds and item.network.num_addresses < holds.value:
        yield Finding(
            path,
            item.line,
            "network/capacity",
            f"{item.id} {item.network} holds {item.network.num_addresses} addresses, fewer than "
            f"{holds.id} ({holds.display()})",
            "a node's pod range must hold its maximum pod count",
        )


def _derived_facts(registry: Registry) -> Iterator[Finding]:
    path = registry.display_path()
    for fact in registry.facts.values():
        prefix_id = fact.derive.get("addresses_in_prefix")
        subnets = fact.derive.get("subnets_in_prefix")
        factors = fact.derive.get("product", [])
        if prefix_id:
            computed = Decimal(2) ** (32 - int(registry.facts[prefix_id].value))
            how = f"a /{registry.facts[prefix_id].value} holds {computed:,} addresses"
        elif subnets:
            outer, inner = registry.facts[subnets["range"]], registry.facts[subnets["subnet"]]
            computed = Decimal(2) ** (prefix_length(inner) - prefix_length(outer))
            how = f"{outer.display()} ({outer.id}) holds {computed:,} subnets of /{prefix_length(inner)} ({inner.id})"
        elif factors:
            computed = math.prod((registry.facts[name].value for name in factors), start=Decimal(1))
            how = " × ".join(f"{registry.facts[name].display()} ({name})" for name in factors) + f" = {computed:,}"
        else:
            continue
        tolerance = APPROXIMATION * computed if fact.approximate else 0
        if abs(computed - fact.value) > tolerance:
            yield Finding(
                path,
                fact.line,
                "facts/derived-mismatch",
                f"{fact.id} is {fact.display()}, but {how}",
                "fix the value, or mark it `approximate: true` if the pages say about/約",
            )
