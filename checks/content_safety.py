"""What a page may not bring to the reader's browser: code, frames, and resources from other hosts.

Raw HTML, Markdown links and images and attr_lists all reach the reader as HTML; each is read as
the tags it renders to (checks/html_source.py) and judged against checks/content_policy.yml.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from checks.findings import ConfigurationError, Finding, display_path
from checks.html_source import HtmlParts, Tag, read_html
from checks.site import Page, Site
from checks.yaml_files import load_yaml_file

POLICY = Path(__file__).with_name("content_policy.yml")
# Each section of the policy and the field that names its entries.
_SECTIONS = {
    "unsafe_elements": "name",
    "unsafe_url_schemes": "scheme",
    "unsafe_attributes": "name",
    "text_attributes": "name",
    "meta_http_equiv": "value",
    "resource_attributes": "name",
    "resource_link_rels": "rel",
    "resource_href_elements": "name",
    "submit_attributes": "name",
    "resource_hosts": "host",
}
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme ("java\tscript:").
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n]?|\\(.)", re.S)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)|@import\s+(["'])(.*?)\3""", re.I | re.S)
_FIX_RESOURCE = (
    "copy the file into docs/ (e.g. docs/images/) and refer to it by a relative path: readers behind "
    "company proxies cannot reach other hosts, and the site requests nothing from any host but its own"
)


@dataclass(frozen=True)
class Policy:
    path: Path
    sections: dict[str, dict[str, str]]  # section -> entry name -> why

    def why(self, section: str, name: str) -> str | None:
        return self.sections[section].get(name)

    def unsafe_attribute(self, name: str) -> str | None:
        return next(
            (why for pattern, why in self.sections["unsafe_attributes"].items() if fnmatch.fnmatch(name, pattern)), None
        )


def load_policy(path: Path = POLICY) -> Policy:
    where = display_path(path)
    text, data = load_yaml_file(path, "content policy")
    if not isinstance(data, dict):
        raise ConfigurationError(f"{where}:1: the content policy must be a mapping of the sections {sorted(_SECTIONS)}")
    lines = text.split("\n")

    def line_of(section: str) -> int:
        return next((i for i, content in enumerate(lines, 1) if content.startswith(f"{section}:")), 1)

    unknown = sorted(set(data) - set(_SECTIONS))
    missing = sorted(set(_SECTIONS) - set(data))
    if unknown or missing:
        name = (unknown or missing)[0]
        problem = f"unknown section {name!r}" if unknown else f"section {name!r} is missing"
        raise ConfigurationError(
            f"{where}:{line_of(name) if unknown else 1}: {problem}; the sections are {sorted(_SECTIONS)}"
        )
    sections: dict[str, dict[str, str]] = {}
    for section, key in _SECTIONS.items():
        entries = data[section] or []
        if not isinstance(entries, list):
            raise ConfigurationError(f"{where}:{line_of(section)}: {section} must be a list of entries")
        sections[section] = {}
        for entry in entries:
            if (
                not isinstance(entry, dict)
                or set(entry) != {key, "why"}
                or not isinstance(entry[key], str)
                or not isinstance(entry["why"], str)
                or not entry["why"].strip()
            ):
                raise ConfigurationError(
                    f"{where}:{line_of(section)}: each entry of {section} needs exactly `{key}` and a `why`: {entry!r}"
                )
            sections[section][entry[key].lower()] = entry["why"]
    return Policy(path, sections)


def _scheme(value: str) -> str:
    match = _SCHEME.match(_INVISIBLE.sub("", value).lower())
    return match[1] if match else ""


def _host(url: str) -> str:
    """The host a URL points at, "" for a path of the site itself."""
    cleaned = _INVISIBLE.sub("", url).replace("\\", "/")
    if not (cleaned.startswith("//") or re.match(r"[a-z][a-z0-9+.-]*://", cleaned, re.I)):
        return ""
    try:
        return urlsplit(cleaned).hostname or cleaned
    except ValueError:
        return cleaned


def _css_urls(css: str) -> list[tuple[str, int]]:
    """Each URL the CSS loads, with the number of lines before it."""

    def unescape(match: re.Match[str]) -> str:
        if match[1]:
            code = int(match[1], 16)
            return chr(code) if 0 < code <= 0x10FFFF else ""
        return match[2]

    plain = _CSS_ESCAPE.sub(unescape, css)
    return [
        (match[2] if match[2] is not None else match[4], plain.count("\n", 0, match.start()))
        for match in _CSS_URL.finditer(plain)
    ]


def _urls(tag: Tag, policy: Policy) -> Iterator[tuple[str, str, str]]:
    """(attribute, URL, kind) for each URL of a tag; kind is resource, submit or value."""
    rels = set((tag.get("rel") or "").lower().split())
    fetching_rels = set(policy.sections["resource_link_rels"])
    for name, value in tag.attrs:
        if name == "style":
            yield from ((name, url, "resource") for url, _ in _css_urls(value))
        elif name == "srcset":
            yield from ((name, part.split()[0], "resource") for part in value.split(",") if part.split())
        elif name == "ping":
            yield from ((name, url, "resource") for url in value.split())
        elif (
            policy.why("resource_attributes", name)
            or (name == "href" and rels & fetching_rels)
            or (name == "href" and policy.why("resource_href_elements", tag.name))
        ):
            yield name, value, "resource"
        elif policy.why("submit_attributes", name):
            yield name, value, "submit"
        elif not policy.why("text_attributes", name):
            yield name, value, "value"


def check_content(site: Site, policy: Policy) -> Iterator[Finding]:
    for page in site.pages:
        # Mermaid draws a label's HTML (htmlLabels), so a label's tags reach the reader too.
        labels = HtmlParts()
        for diagram in page.diagrams:
            for label in diagram.labels:
                if "<" in label.text:
                    read_html(label.text, label.line, labels)
        for tag in page.doc.tags + labels.tags:
            yield from _check_tag(page, tag, policy)
        for css, line in page.doc.styles + labels.styles:
            for url, offset in _css_urls(css):
                yield from _check_url(page, line + offset, "<style>", url, "resource", policy)


def _check_tag(page: Page, tag: Tag, policy: Policy) -> Iterator[Finding]:
    shown = "an attribute list {…}" if tag.name == "attr_list" else f"<{tag.name}>"
    why = policy.why("unsafe_elements", tag.name)
    if why:
        yield Finding(
            page.display,
            tag.line,
            "html/unsafe-element",
            f"{shown} is not allowed on a page: {why}",
            f"remove the <{tag.name}> element; link to the content instead (<a href> or a Markdown link)",
        )
    equiv = (tag.get("http-equiv") or "").strip().lower()
    if tag.name == "meta" and policy.why("meta_http_equiv", equiv):
        yield Finding(
            page.display,
            tag.line,
            "html/unsafe-element",
            f'<meta http-equiv="{equiv}"> is not allowed on a page: {policy.why("meta_http_equiv", equiv)}',
            "remove the <meta> element; link to the other page instead",
        )
    for name, _ in tag.attrs:
        why = policy.unsafe_attribute(name)
        if why:
            yield Finding(
                page.display,
                tag.line,
                "html/unsafe-attribute",
                f"{shown} carries the attribute {name}: {why}",
                f"remove {name}=…; the site's behaviour comes from its own scripts, listed in mkdocs.yml",
            )
    for name, url, kind in _urls(tag, policy):
        yield from _check_url(page, tag.line, f"{shown} {name}", url, kind, policy)


def _check_url(page: Page, line: int, where: str, url: str, kind: str, policy: Policy) -> Iterator[Finding]:
    scheme = _scheme(url)
    why = policy.why("unsafe_url_schemes", scheme)
    if why:
        yield Finding(
            page.display,
            line,
            "html/unsafe-url",
            f"{where} is a {scheme}: URL ({url.strip()[:60]!r}): {why}",
            "link to a page (https://…, or a relative path to a file in docs/) instead",
        )
        return
    host = _host(url)
    if not host or policy.why("resource_hosts", host.lower()):
        return
    if kind == "resource":
        yield Finding(
            page.display,
            line,
            "html/third-party-resource",
            f"{where} loads {url.strip()[:80]} from another host ({host}) when the page opens",
            _FIX_RESOURCE,
        )
    elif kind == "submit":
        yield Finding(
            page.display,
            line,
            "html/unsafe-element",
            f"{where} sends what readers type to another host ({host})",
            "remove the form; link to the other site's page instead",
        )
