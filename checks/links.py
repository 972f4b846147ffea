"""Microsoft Learn links: https, learn.microsoft.com, the page's locale, no tracking, anchors that exist."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from checks.audit import Audit
from checks.findings import ConfigurationError, Finding, display_path
from checks.languages import learn_locale as page_learn_locale
from checks.learn_evidence import nearest
from checks.learn_snapshot import DEFAULT_LOCALE, Anchors, learn_locale, learn_page_key
from checks.registry import Registry
from checks.site import Page, Site
from checks.yaml_files import load_yaml_file

LEARN_HOST = "learn.microsoft.com"
OLD_HOST = "docs.microsoft.com"
LINK_POLICY = Path(__file__).with_name("link_policy.yml")
# The repository whose Markdown is behind learn.microsoft.com/azure/aks.
AKS_DOCS = "MicrosoftDocs/azure-aks-docs"
SNAPSHOT_HINT = "refresh checks/learn_anchors.json (`make nightly`, or python -m checks.learn_snapshot)"


@dataclass(frozen=True)
class LinkPolicy:
    tracking: tuple[str, ...]  # parameter name patterns, lower case
    short_hosts: frozenset[str]

    def is_tracking(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name.lower(), pattern) for pattern in self.tracking)


def load_link_policy(path: Path = LINK_POLICY) -> LinkPolicy:
    where = display_path(path)
    text, data = load_yaml_file(path, "link policy")
    sections = ("tracking_parameters", "short_link_hosts")
    if not isinstance(data, dict) or set(data) != set(sections):
        raise ConfigurationError(f"{where}:1: the link policy must be a mapping of exactly the sections {sections}")
    names: dict[str, list[str]] = {}
    for section in sections:
        line = next((i for i, content in enumerate(text.split("\n"), 1) if content.startswith(section)), 1)
        entries = data[section] or []
        valid = isinstance(entries, list) and all(
            isinstance(e, dict)
            and set(e) == {"name", "why"}
            and isinstance(e["name"], str)
            and isinstance(e["why"], str)
            and e["why"].strip()
            for e in entries
        )
        if not valid:
            raise ConfigurationError(f"{where}:{line}: each entry of {section} needs exactly `name` and a `why`")
        names[section] = [e["name"].lower() for e in entries]
    return LinkPolicy(tuple(names["tracking_parameters"]), frozenset(names["short_link_hosts"]))


def check_links(site: Site, registry: Registry, anchors: Anchors, audit: Audit) -> Iterator[Finding]:
    policy = load_link_policy()
    linked_pages: set[str] = set()
    for page in site.pages:
        locale = page_learn_locale(page.locale)
        for link in page.doc.links:
            try:
                parts = urlsplit(link.url)
                # A trailing dot names the same host (a fully qualified name): browsers open it alike.
                host = (parts.hostname or "").lower().rstrip(".")
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
            if host in policy.short_hosts:
                yield Finding(
                    page.display,
                    link.line,
                    "links/learn-host",
                    f"{link.url} is a short link ({host}) that redirects elsewhere: the checks cannot see the"
                    " page, locale or anchor it opens",
                    f"open it and link the https://{LEARN_HOST}/{locale}/… URL it leads to",
                )
                continue
            if not parts.scheme and not parts.netloc:
                yield from _internal(page, link.line, parts.path, unquote(parts.fragment))
                continue
            if host != LEARN_HOST:
                continue
            key = learn_page_key(parts.path)
            linked_pages.add(key)
            if parts.netloc.lower() != LEARN_HOST:
                what = "user info before the host" if "@" in parts.netloc else f"the host written as {parts.netloc}"
                fixed = urlunsplit(("https", LEARN_HOST, parts.path, parts.query, parts.fragment))
                yield Finding(
                    page.display,
                    link.line,
                    "links/learn-host",
                    f"{link.url} carries {what}",
                    f"write the host as {LEARN_HOST}: {fixed}",
                )
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
            tracking = [k for k, _ in parse_qsl(parts.query) if policy.is_tracking(k)]
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
    yield from _audit_sources(audit, anchors)


def _internal(page: Page, line: int, path: str, anchor: str) -> Iterator[Finding]:
    """A link to another page of the site, or to a heading: MkDocs only warns about an anchor, and
    a translation would otherwise be blamed for differing from a source whose link is the broken one."""
    if path and not path.endswith(".md"):
        return  # an asset (image, download): MkDocs' strict build reports a missing file
    stem = path.removesuffix(".md").removeprefix("./") if path else page.stem
    target = page.linked(stem)
    if target is None:
        pages = sorted({p.stem for p in page.site_pages})
        closest = nearest(stem, pages)
        yield Finding(
            page.display,
            line,
            "links/internal",
            f"{path} is no page of the site",
            f"link {closest}.md" if closest else f"link one of: {', '.join(f'{p}.md' for p in pages)}",
        )
        return
    anchors = target.heading_anchors()
    if anchor and anchor not in anchors:
        closest = nearest(anchor, anchors)
        listed = ", ".join(f"#{a}" for a in anchors)
        yield Finding(
            page.display,
            line,
            "links/internal-anchor",
            f"#{anchor} is not a heading of {target.display}",
            f"use #{closest} (the closest), or one of: {listed}" if closest else f"use one of: {listed}",
        )


def _audit_sources(audit: Audit, anchors: Anchors) -> Iterator[Finding]:
    """Each audited quote's page and heading, offline: the nightly looks for the quote in that section,
    so a heading that is not there would make every night report the claim as changed."""
    for claim in audit.claims:
        source = claim.source
        if source is None:
            continue
        parts = urlsplit(source.url)
        key = learn_page_key(parts.path)
        where = f"claim {claim.id}: source.url {source.url}"
        pages = anchors.get(learn_locale(parts.path, DEFAULT_LOCALE), {})
        yield from _anchor(audit.display, source.line, where, key, source.anchor or "", pages)
        if (parts.fragment or None) != source.anchor:
            points = f"#{parts.fragment}" if parts.fragment else "the top of the page"
            yield Finding(
                audit.display,
                source.line,
                "links/source-mismatch",
                f"claim {claim.id}: source.url points at {points} but source.anchor is "
                + (f"#{source.anchor}" if source.anchor else "null"),
                "make the two name the heading that holds the quote",
            )
        article = key.removeprefix("azure/aks/")
        if source.repo == AKS_DOCS and key.startswith("azure/aks/") and source.path != f"articles/aks/{article}.md":
            yield Finding(
                audit.display,
                source.line,
                "links/source-mismatch",
                f"claim {claim.id}: source.path {source.path} is not the file behind {key}",
                f"write path: articles/aks/{article}.md, or the URL of the page the quote is from",
            )


def _anchor(path: str, line: int, url: str, key: str, anchor: str, anchors: dict[str, list[str]]) -> Iterator[Finding]:
    if key not in anchors:
        yield Finding(path, line, "links/unknown-page", f"{url}: the page is not in the anchor snapshot", SNAPSHOT_HINT)
    elif anchor and anchor not in anchors[key]:
        closest = nearest(anchor, anchors[key])
        others = [a for a in anchors[key] if a != closest]
        nearby = ", ".join(a for a in others if a.split("-")[0] == anchor.split("-")[0]) or ", ".join(others[:8])
        nearby = f"{closest} (the closest), or one of: {nearby}" if closest else nearby
        yield Finding(
            path,
            line,
            "links/anchor-missing",
            f"#{anchor} is not a heading of {key}",
            f"use one of: {nearby}; if Learn renamed the heading, {SNAPSHOT_HINT}",
        )
