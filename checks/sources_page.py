"""The sources page: generated at build time from the registry, in the reader's language.

The table is HTML, written where the checks run: with the checks beside the build, the build only
pastes it into the converted page instead of converting rows of Markdown links on its own path.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from checks.audit import Audit
from checks.claims import Binding
from checks.languages import learn_locale
from checks.pages import page_url, relative_url
from checks.registry import Registry
from site_build.reader_text import text_for


def sources_table(registry: Registry, bindings: list[Binding], locale: str, titles: dict[str, str]) -> str:
    """An HTML table of every fact: value, the pages of `locale` that state it, source, verified date."""
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
    header = "".join(f"<th>{escape(column)}</th>" for column in text["columns"])
    rows = [f"<table>\n<thead>\n<tr>{header}</tr>\n</thead>\n<tbody>"]
    for fact in registry.facts.values():
        links = [_page_link(stem, locale, titles.get(stem, stem)) for stem in sorted(used[fact.id])]
        url = fact.source.url.replace("/en-us/", f"/{learn_locale(locale)}/")
        article = url.rstrip("/").rsplit("/", 1)[-1]
        cells = [
            f"<strong>{escape(worded.get(fact.id) or fact.display())}</strong>",
            f"{escape(fact.unit_in(locale))}<br><code>{escape(fact.id)}</code>",
            ", ".join(links) or escape(text["unused"]),
            f'<a href="{escape(url)}#{escape(fact.source.anchor)}">{escape(article)} #{escape(fact.source.anchor)}</a>',
            escape(fact.verified),
        ]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    rows.append("</tbody>\n</table>")
    return "\n".join(rows)


def claims_table(audit: Audit, locale: str, titles: dict[str, str]) -> str:
    """An HTML table of every audited claim the pages of `locale` state: Learn's words beside the site's."""
    text = text_for(locale)
    header = "".join(f"<th>{escape(column)}</th>" for column in text["claim_columns"])
    rows = [f"<table>\n<thead>\n<tr>{header}</tr>\n</thead>\n<tbody>"]
    for claim in audit.claims:
        mentions = [m for m in claim.mentions if m.locale == locale]
        if not mentions or not claim.quote:
            continue
        stated = "<br>".join(
            f"{_page_link(_stem(m.page), locale, titles.get(_stem(m.page), _stem(m.page)))}: {escape(m.phrase)}"
            for m in mentions
        )
        url = claim.url.replace("/en-us/", f"/{learn_locale(locale)}/")
        article = url.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]
        anchor = url.partition("#")[2]
        evidence = text["claim_evidence"].format(date=audit.evidence_date, commit=audit.mirror_commit[:8])
        if claim.change and claim.change.kind == "learn-update":
            evidence += "<br>" + escape(
                text["claim_update"].format(date=claim.change.date, commit=claim.change.commit[:8])
            )
        elif claim.change:
            evidence += "<br>" + escape(text["claim_correction"])
        cells = [
            f'<q lang="en">{escape(claim.quote)}</q><br><code>{escape(claim.id)}</code>',
            stated,
            f'<a href="{escape(url)}">{escape(article)}{" #" + escape(anchor) if anchor else ""}</a>',
            evidence,
        ]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    rows.append("</tbody>\n</table>")
    return "\n".join(rows)


def _stem(page: str) -> str:
    return page.split(".", 1)[0]


def _page_link(stem: str, locale: str, title: str) -> str:
    """A link from the sources page of `locale` to page `stem` of the same language."""
    href = relative_url(page_url("sources", locale), page_url(stem, locale))
    return f'<a href="{escape(href)}">{escape(title)}</a>'
