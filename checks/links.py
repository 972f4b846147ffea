"""Microsoft Learn links: https, learn.microsoft.com, the page's locale, no tracking, anchors that exist."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from checks.findings import Finding
from checks.learn_evidence import nearest
from checks.learn_snapshot import DEFAULT_LOCALE, Anchors, learn_locale, learn_page_key
from checks.registry import Registry
from checks.site import Site

LEARN_HOST = "learn.microsoft.com"
OLD_HOST = "docs.microsoft.com"
LEARN_LOCALE = {"ja": "ja-jp", "en": "en-us"}
TRACKING = ("wt.mc_id", "utm_", "ocid", "icid", "clcid")
SNAPSHOT_HINT = "refresh checks/learn_anchors.json (`make nightly`, or python -m checks.learn_snapshot)"


def check_links(site: Site, registry: Registry, anchors: Anchors) -> Iterator[Finding]:
    linked_pages: set[str] = set()
    for page in site.pages:
        locale = LEARN_LOCALE.get(page.locale, "en-us")
        for link in page.doc.links:
            try:
                parts = urlsplit(link.url)
                host = (parts.hostname or "").lower()
            except ValueError as error:
                yield Finding(
                    page.display,
                    link.line,
                    "links/malformed",
                    f"{link.url} is not a valid URL ({error})",
                    "fix the URL: a host in [brackets] must be an IPv6 address, and a [ needs its ]",
                )
                continue
            if host == OLD_HOST:
                fixed = urlunsplit(
                    (
                        "https",
                        LEARN_HOST,
                        f"/{locale}/{learn_page_key(parts.path)}",
                        parts.query,
                        parts.fragment,
                    )
                )
                yield Finding(
                    page.display,
                    link.line,
                    "links/learn-host",
                    f"{link.url} uses the retired host {host}",
                    f"link {fixed}",
                )
                continue
            if host != LEARN_HOST:
                continue
            key = learn_page_key(parts.path)
            linked_pages.add(key)
            if parts.scheme != "https":
                yield Finding(
                    page.display,
                    link.line,
                    "links/https",
                    f"{link.url} is not https",
                    "write https://learn.microsoft.com/…",
                )
            first = [p for p in parts.path.split("/") if p][:1]
            if first != [locale]:
                fixed = urlunsplit(("https", LEARN_HOST, f"/{locale}/{key}", parts.query, parts.fragment))
                yield Finding(
                    page.display,
                    link.line,
                    "links/locale",
                    f"{link.url} should use the page's locale /{locale}/",
                    f"link {fixed}",
                )
            tracking = [k for k, _ in parse_qsl(parts.query) if k.lower().startswith(TRACKING)]
            if tracking:
                yield Finding(
                    page.display,
                    link.line,
                    "links/tracking",
                    f"{link.url} carries tracking parameters {tracking}",
                    "remove them from the URL",
                )
            # Each link is checked against the anchors of the locale it opens.
            pages = anchors.get(learn_locale(parts.path, locale), {})
            yield from _anchor(page.display, link.line, link.url, key, parts.fragment, pages)
    for fact in registry.facts.values():
        key = learn_page_key(urlsplit(fact.source.url).path)
        pages = anchors.get(learn_locale(urlsplit(fact.source.url).path, DEFAULT_LOCALE), {})
        yield from _anchor(registry.display_path(), fact.line, fact.source.url, key, fact.source.anchor, pages)
        if key not in linked_pages:
            yield Finding(
                registry.display_path(),
                fact.line,
                "links/source-not-linked",
                f"fact {fact.id} cites {fact.source.url}, which no page links to",
                "link the source where the page states the fact, so readers can check it",
            )


def _anchor(path: str, line: int, url: str, key: str, anchor: str, anchors: dict[str, list[str]]) -> Iterator[Finding]:
    if key not in anchors:
        yield Finding(path, line, "links/unknown-page", f"{url}: the page is not in the anchor snapshot", SNAPSHOT_HINT)
    elif anchor and anchor not in anchors[key]:
        closest = nearest(anchor, anchors[key])
        nearby = ", ".join(a for a in anchors[key] if a.split("-")[0] == anchor.split("-")[0]) or ", ".join(
            anchors[key][:8]
        )
        nearby = f"{closest} (the closest), or one of: {nearby}" if closest else nearby
        yield Finding(
            path,
            line,
            "links/anchor-missing",
            f"#{anchor} is not a heading of {key}",
            f"use one of: {nearby}; if Learn renamed the heading, {SNAPSHOT_HINT}",
        )
