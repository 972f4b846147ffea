"""The sources page: generated at build time from the registry, in the reader's language."""

from __future__ import annotations

from collections import defaultdict

from checks.claims import Binding
from checks.links import LEARN_LOCALE
from checks.registry import Registry
from checks.site_text import text_for


def sources_table(registry: Registry, bindings: list[Binding], locale: str, titles: dict[str, str]) -> str:
    """A Markdown table of every fact: value, the pages of `locale` that state it, source, verified date."""
    used: dict[str, set[str]] = defaultdict(set)
    for binding in bindings:
        if binding.kind == "fact" and binding.page.locale == locale:
            used[binding.target].add(binding.page.stem)
    text = text_for(locale)
    # A yes/no or either/or fact reads as the tables word it: 可能 / Possible rather than "yes".
    worded = {
        fact_id: attribute["values"][registry.facts[fact_id].value].get(locale, [None])[0]
        for attribute in registry.attributes
        for fact_id in attribute.get("facts", {}).values()
    }
    rows = ["| " + " | ".join(text["columns"]) + " |", "|" + " --- |" * len(text["columns"])]
    for fact in registry.facts.values():
        pages = ", ".join(f"[{titles.get(stem, stem)}]({stem}.md)" for stem in sorted(used[fact.id])) or text["unused"]
        url = fact.source.url.replace("/en-us/", f"/{LEARN_LOCALE.get(locale, 'en-us')}/")
        article = url.rstrip("/").rsplit("/", 1)[-1]
        source = f"[{article} #{fact.source.anchor}]({url}#{fact.source.anchor})"
        value = worded.get(fact.id) or fact.display()
        rows.append(f"| **{value}** | {fact.unit_in(locale)}<br>`{fact.id}` | {pages} | {source} | {fact.verified} |")
    return "\n".join(rows)
