"""What a reader copies from a code block: its addresses and the settings a fact limits.

Code is quoted, not stated: a count in an example's output (`READY 1/1`, `sleep 5`), a port, a
version or a timestamp says nothing about AKS, so code is not bound number by number like prose.
But a reader copies commands and templates into a real cluster: `--pod-cidr 10.244.0.0/16` becomes
their pod range and `--max-pods 300` their node pool's limit. So in every fenced and indented code
block (diagrams aside, which are read as diagrams):

- every IPv4 address, range and `10.244.x.x` shorthand is one of the example network plan's, by the
  same rules as in prose (`network/*`): what a page draws and what it tells readers to type agree;
- a flag or setting that a fact names in `settings` (`--max-pods`, `maxPods`, `max_pods`: the
  overlay pods-per-node limit) has a literal value within that fact (`numbers/code-setting`). A
  variable or a placeholder (`$MAX_PODS`, `<max-pods>`) is not a value and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from checks.claims import Binder, Run
from checks.findings import Finding
from checks.learn_values import read_value
from checks.registry import Fact
from checks.site import Site

_LIMITS = {"maximum": "at most", "minimum": "at least", "equal": "exactly"}


def check_code(site: Site, binder: Binder) -> Iterator[Finding]:
    settings = [
        (fact, name, limit, _setting_pattern(name))
        for fact in binder.registry.facts.values()
        for name, limit in fact.settings
    ]
    for page in site.pages:
        for block in page.doc.code:
            if block.info.split()[:1] == ["mermaid"]:
                continue
            for offset, text in enumerate(block.content.split("\n")):
                run = Run(text, block.line + offset, "code")
                yield from binder.address_findings(page, run)
                for fact, name, limit, pattern in settings:
                    for match in pattern.finditer(text):
                        if not _within(fact, match["value"], limit):
                            yield _out_of_limit(page.display, run.line, fact, name, match["value"], limit)


def _setting_pattern(name: str) -> re.Pattern[str]:
    """`--max-pods 300`, `--max-pods=300`, `"maxPods": 300`, `max_pods = 300`: the value given to `name`."""
    return re.compile(rf"""(?<![\w-]){re.escape(name)}["']?(?:\s*[=:]\s*|\s+)["']?(?P<value>[^\s"',;)\]}}]+)""")


def _within(fact: Fact, text: str, limit: str) -> bool:
    """Whether a literal value keeps to the fact; a value that is no number (a variable) is not judged."""
    if fact.type == "version":
        value, bound = read_value("version", text), read_value("version", str(fact.value))
    else:
        value, bound = _number(text), fact.value
    if value is None or bound is None:
        return True
    if limit == "maximum":
        return value <= bound
    if limit == "minimum":
        return value >= bound
    return value == bound


def _number(text: str) -> Decimal | None:
    return Decimal(text) if re.fullmatch(r"\d+(?:\.\d+)?", text) else None


def _out_of_limit(path: str, line: int, fact: Fact, name: str, value: str, limit: str) -> Finding:
    return Finding(
        path,
        line,
        "numbers/code-setting",
        f"`{name} {value}` in code is outside {fact.id}: {name} must be {_LIMITS[limit]} {fact.display()} "
        f"({fact.unit})",
        f"a reader copies this command; use a value within the limit. {fact.why} "
        f"Source: {fact.source.url}#{fact.source.anchor}",
    )
