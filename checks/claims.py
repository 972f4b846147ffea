"""Bind every number a page shows to the registry: a fact, an example address, or a counter word.

A number bound to a fact must equal it; a number bound to nothing is a finding. So a number is
never typed twice without a check holding the copies together.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from checks.findings import Finding
from checks.numbers import NumberToken, find_numbers, format_value, mention_number_pattern
from checks.registry import Fact, Registry
from checks.site import Page

_TIMES = re.compile(r"\s*(?:×|x|\*|times)\s*", re.I)
APPROXIMATION = Decimal("0.1")


@dataclass(frozen=True)
class Run:
    text: str
    line: int
    kind: str


@dataclass(frozen=True)
class Binding:
    page: Page
    line: int
    token: NumberToken | None  # None for a table cell that states a yes/no fact
    target: str
    kind: str  # fact | address | range | counter


def page_runs(page: Page) -> Iterator[Run]:
    for run in page.doc.texts:
        yield Run(run.text, run.line, run.kind)
    for diagram in page.diagrams:
        for label in diagram.labels:
            yield Run(label.text.replace("<br/>", " ").replace("<br>", " "), label.line, "diagram")


@cache
def _compile(template: str) -> re.Pattern[str]:
    before, _, after = template.partition("{n}")

    def literal(part: str) -> str:
        return r"\s*".join(re.escape(piece) for piece in part.split()) if part.strip() else ""

    gap_before = r"\s*" if before.endswith(" ") else ""
    gap_after = r"\s*" if after.startswith(" ") else ""
    pattern = f"{literal(before)}{gap_before}(?P<n>{mention_number_pattern()}){gap_after}{literal(after)}"
    return re.compile(pattern, re.IGNORECASE)


# A mention template with the words it needs: most runs mention few facts, and a template whose
# words are absent from a run cannot match it, so its pattern is not even compiled.
Template = tuple[str, tuple[str, ...]]


def _templates(templates: list[str]) -> tuple[Template, ...]:
    return tuple((t, tuple(word.lower() for word in t.replace("{n}", " ").split())) for t in templates)


def _spans(templates: tuple[Template, ...], text: str, lowered: str) -> Iterator[tuple[int, int]]:
    for template, words in templates:
        if all(word in lowered for word in words):
            for match in _compile(template).finditer(text):
                yield match.span("n")


def _overlaps(token: NumberToken, start: int, end: int) -> bool:
    return token.start < end and start < token.end


def token_matches(fact: Fact, token: NumberToken) -> bool:
    if fact.type in ("integer", "decimal"):
        if token.kind != "number" or not isinstance(token.value, Decimal):
            return False
        if fact.approximate:
            return abs(token.value - fact.value) <= APPROXIMATION * fact.value
        return token.value == fact.value
    if fact.type == "prefix":
        return token.kind == "prefix" and token.value == fact.value
    if fact.type == "version":
        return token.kind == "number" and token.text.strip() == fact.value
    if fact.type == "cidr":
        return token.kind == "cidr" and str(ipaddress.ip_network(str(token.value), strict=False)) == fact.value
    if fact.type == "ip":
        return token.kind == "ip" and token.value == fact.value
    return token.kind == "date" and token.value == fact.value


class Binder:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.dates = {f.value: f for f in registry.facts.values() if f.type == "date"}
        self.range_by_cidr = {str(r.network): r for r in registry.ranges.values()}
        self.mentions = {
            locale: [(f, _templates(f.mentions[locale])) for f in registry.facts.values() if f.mentions.get(locale)]
            for locale in {locale for f in registry.facts.values() for locale in f.mentions}
        }
        self.counters = {
            locale: _templates([c[locale] for c in registry.counters if locale in c])
            for locale in {locale for c in registry.counters for locale in c}
        }
        self.never_multiplied = [
            (fact, registry.facts[fact.never_multiply_with])
            for fact in registry.facts.values()
            if fact.never_multiply_with in registry.facts
        ]

    def bind(self, page: Page) -> tuple[list[Binding], list[Finding]]:
        bindings: list[Binding] = []
        findings: list[Finding] = []
        for run in page_runs(page):
            self._bind_run(page, run, bindings, findings)
        return bindings, findings

    def _bind_run(self, page: Page, run: Run, bindings: list[Binding], findings: list[Finding]) -> None:
        tokens = find_numbers(run.text)
        if not tokens:
            return
        candidates: dict[int, list[Fact]] = {}
        lowered = run.text.lower()
        for fact, templates in self.mentions.get(page.locale, []):
            for start, end in _spans(templates, run.text, lowered):
                for index, token in enumerate(tokens):
                    if _overlaps(token, start, end) and fact not in candidates.setdefault(index, []):
                        candidates[index].append(fact)
        counted = self._counted(tokens, run.text, page.locale)
        for index, token in enumerate(tokens):
            facts = candidates.get(index, [])
            if facts:
                match = next((fact for fact in facts if token_matches(fact, token)), None)
                if match:
                    bindings.append(Binding(page, run.line, token, match.id, "fact"))
                else:
                    findings.append(self._contradiction(page, run, token, facts))
            elif index in counted:
                bindings.append(Binding(page, run.line, token, "counter", "counter"))
            else:
                result = self._bind_unmentioned(page, run, token)
                (bindings if isinstance(result, Binding) else findings).append(result)
        findings.extend(self._multiplied(page, run, tokens))

    def states_fact(self, text: str, locale: str) -> bool:
        """Whether `text` holds a number that one of the registry's mentions binds to its fact."""
        tokens = find_numbers(text)
        lowered = text.lower()
        return any(
            _overlaps(token, start, end) and token_matches(fact, token)
            for fact, templates in self.mentions.get(locale, [])
            for start, end in _spans(templates, text, lowered)
            for token in tokens
        )

    def _counted(self, tokens: list[NumberToken], text: str, locale: str) -> set[int]:
        return {
            index
            for start, end in _spans(self.counters.get(locale, ()), text, text.lower())
            for index, token in enumerate(tokens)
            if _overlaps(token, start, end)
        }

    def claimed_numbers(self, text: str, locale: str) -> list[NumberToken]:
        """The numbers of `text` that state something: all but counter words."""
        tokens = find_numbers(text)
        counted = self._counted(tokens, text, locale)
        return [token for index, token in enumerate(tokens) if index not in counted]

    def address_findings(self, page: Page, run: Run) -> list[Finding]:
        """The addresses and ranges of `run` that the example plan does not hold (code: checks/code_values.py)."""
        findings = []
        for token in find_numbers(run.text):
            if token.kind in ("ip", "cidr", "invalid-address"):
                result = self._bind_unmentioned(page, run, token)
                if isinstance(result, Finding):
                    findings.append(result)
        return findings

    def _contradiction(self, page: Page, run: Run, token: NumberToken, facts: list[Fact]) -> Finding:
        expected = " or ".join(f"{fact.display()} ({fact.id})" for fact in facts)
        fact = facts[0]
        return Finding(
            page.display,
            run.line,
            "numbers/contradicts-fact",
            f"found {token.display()}, expected {expected}",
            f"{fact.why} Source: {fact.source.url}#{fact.source.anchor}. If Learn changed, update "
            f"`{fact.id}` in checks/facts.yml (value and verified) and every page that states it.",
        )

    def _bind_unmentioned(self, page: Page, run: Run, token: NumberToken) -> Binding | Finding:
        """A number no mention claims: a dated fact, an example address or range, or unbound."""
        if token.kind == "date" and str(token.value) in self.dates:
            return Binding(page, run.line, token, self.dates[str(token.value)].id, "fact")
        if token.kind == "ip":
            address = self.registry.addresses.get(str(token.value))
            if address:
                return Binding(page, run.line, token, address.range_id, "address")
            return self._unknown_address(page, run, token)
        if token.kind == "cidr":
            network = str(ipaddress.ip_network(str(token.value), strict=False))
            known = self.range_by_cidr.get(network)
            target = known.id if known else self.registry.shorthand.get(network)
            if target:
                return Binding(page, run.line, token, target, "range")
            rule, message = "network/unknown-range", f"{token.display()} is not a range of the example address plan"
            hint = "add it to network.ranges in checks/facts.yml, or use a range that is there"
        elif token.kind == "invalid-address":
            rule, message = "network/invalid-address", f"{token.display()} is not a valid IPv4 address or network"
            hint = "each of the four parts is 0-255 and a prefix is /0-/32; fix the typo"
        elif token.kind == "date":
            rule, message = "numbers/unbound", f"the date {token.display()} is not in the registry"
            hint = "add it to checks/facts.yml as a fact of type date, with its source and why"
        else:
            rule, message = (
                "numbers/unbound",
                f"{token.display()} is not bound to any fact (in: {run.text.strip()[:80]!r})",
            )
            hint = (
                "add a fact to checks/facts.yml (value, source, why) with a mention that matches this "
                "sentence, or add this phrasing to the mentions of the fact it states"
            )
        return Finding(page.display, run.line, rule, message, hint)

    def _unknown_address(self, page: Page, run: Run, token: NumberToken) -> Finding:
        ip = ipaddress.IPv4Address(str(token.value))
        containing = [r for r in self.registry.ranges.values() if ip in r.network]
        subnets = [r for r in self.registry.ranges.values() if r.azure_subnet]
        if (
            containing
            and not any(r.azure_subnet for r in containing)
            and any(s.network.subnet_of(c.network) for c in containing for s in subnets)
        ):
            names = ", ".join(f"{s.id} {s.network}" for s in subnets)
            return Finding(
                page.display,
                run.line,
                "network/outside-subnet",
                f"{ip} lies in {containing[0].id} {containing[0].network} but in none of its subnets: {names}",
                "an example host address must sit in the subnet the page draws it in; fix the address",
            )
        if not containing:
            return Finding(
                page.display,
                run.line,
                "network/outside-subnet",
                f"{ip} lies in no range of the example address plan",
                "use an address from network.ranges in checks/facts.yml, or add the range it belongs to",
            )
        return Finding(
            page.display,
            run.line,
            "network/unknown-address",
            f"{ip} (in {containing[-1].id}) is not an address of the example plan",
            "add it to network.addresses in checks/facts.yml with the range it belongs to and a why",
        )

    def _multiplied(self, page: Page, run: Run, tokens: list[NumberToken]) -> Iterator[Finding]:
        """Learn says some limits must never be multiplied; neither the product nor `a × b` may appear."""
        for fact, other in self.never_multiplied:
            product = fact.value * other.value
            for left, right in itertools.pairwise(tokens):
                between = run.text[left.end : right.start]
                values = {left.value, right.value}
                if values == {fact.value, other.value} and _TIMES.fullmatch(
                    between.replace("ノード", "").strip() or " "
                ):
                    yield self._multiply_finding(page, run, fact, other, f"{left.display()}{between}{right.display()}")
            for token in tokens:
                if token.kind == "number" and token.value == product:
                    yield self._multiply_finding(page, run, fact, other, format_value(product))

    def _multiply_finding(self, page: Page, run: Run, fact: Fact, other: Fact, shown: str) -> Finding:
        return Finding(
            page.display,
            run.line,
            "numbers/multiplied-limits",
            f"{shown!r} multiplies {fact.id} and {other.id}, which Learn says are independent limits",
            f"state them separately, e.g. 'up to {fact.display()} … / up to {other.display()} …'. "
            f"Source: {fact.source.url}#{fact.source.anchor}",
        )
