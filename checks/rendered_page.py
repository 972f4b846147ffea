"""What the reader gets decides: every number, address and external URL of a rendered page must be
one the checks saw in its source.

The checks parse Markdown with markdown-it; the site is rendered by Python-Markdown. Where the two
could differ, the build compares them: the checks record what they accounted for on each page,
and the checks' hook reads every page's converted HTML against that record. Anything the reader
would see that the checks never judged is a finding at the nearest source line.

The theme adds what is not in the page's Markdown: the `<title>`, the meta description and the
link-preview metas, the header (site name, page title) and the footer (copyright, the next and
previous pages' titles). Their numbers and addresses come from the page (front matter, first
heading) or from mkdocs.yml (site name and description, nav titles, copyright), which the checks
read too; one they never saw (a title made from the file name, a plugin's string) is a finding.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from checks.findings import Finding
from checks.html_source import BLOCK_ELEMENTS, TEXT_ATTRIBUTES
from checks.numbers import find_numbers, format_value

# Shown but never claimed: code is quoted, not stated (its numbers are not facts).
_SKIPPED = frozenset({"pre", "script", "style", "template"})
_URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "data", "action", "formaction")
# HTML larger than this is not compared; the checks already refuse pages of that size.
MAX_COMPARED_CHARS = 5_000_000
# Python-Markdown writes well-formed HTML: tags are read with a pattern, faster than html.parser
# on the build's own core. A quoted attribute value may hold ">".
_TAG = re.compile(
    r"""<!--.*?-->|<(?P<close>/?)(?P<name>[a-zA-Z][\w:-]*)(?P<attributes>(?:"[^"]*"|'[^']*'|[^'">])*)>""", re.S
)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Shown:
    key: str  # what is compared: the kind and value of a number, or a URL's host and path
    text: str  # as the reader sees it


def number_key(kind: str, value: object) -> str:
    return f"{kind}:{format_value(value) if not isinstance(value, str) else value}"


def url_key(url: str) -> str | None:
    """URLs with a host are compared; relative links are MkDocs' to resolve (and validate)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return f"url:{url.strip()}"
    if not parts.netloc and not parts.scheme:
        return None
    return f"url:{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path}"


def split_urls(name: str, value: str) -> list[str]:
    """The URLs an attribute holds: one, or each candidate of a srcset; none for other attributes."""
    if name == "srcset":
        return [part.split()[0] for part in value.split(",") if part.split()]
    return [value] if name in _URL_ATTRIBUTES and value else []


def _urls_of(attributes: str) -> list[str]:
    return [
        url
        for name, value in _ATTRIBUTE.findall(attributes)
        for url in split_urls(name.lower(), html.unescape(value.strip("\"'")))
    ]


def _texts_of(attributes: str) -> list[str]:
    """Attribute values a reader reads (tooltips, alternative text), still with their entities."""
    return [value.strip("\"'") for name, value in _ATTRIBUTE.findall(attributes) if name.lower() in TEXT_ATTRIBUTES]


def shown_on_page(page_html: str) -> list[Shown]:
    """Every number, address and URL with a host that the converted page shows or loads."""
    texts: list[str] = []
    urls: list[str] = []
    skipping = 0
    position = 0
    for tag in _TAG.finditer(page_html):
        if not skipping:
            texts.append(page_html[position : tag.start()])
        position = tag.end()
        name = (tag["name"] or "").lower()
        if name in _SKIPPED:
            skipping = max(0, skipping - 1) if tag["close"] else skipping + 1
        if name in BLOCK_ELEMENTS:
            texts.append("\n")
        if tag["attributes"] and not tag["close"]:
            urls += _urls_of(tag["attributes"])
            texts.extend(f"\n{value}\n" for value in _texts_of(tag["attributes"]))
    texts.append(page_html[position:])
    shown = []
    # Each element's text is read on its own, as the checks read each block and table cell.
    for block in html.unescape("".join(texts)).split("\n"):
        if _DIGIT.search(block):
            shown.extend(Shown(number_key(t.kind, t.value), t.display()) for t in find_numbers(block))
    shown.extend(Shown(key, url) for url in urls if (key := url_key(url)))
    return shown


def unaccounted(page_html: str, accounted: frozenset[str], path: str, source: str) -> list[Finding]:
    """Findings for what the rendered page shows and the checks never saw, at the nearest source line."""
    if len(page_html) > MAX_COMPARED_CHARS:
        return []
    lines = source.split("\n")
    findings = {}
    for item in shown_on_page(page_html):
        if item.key in accounted or item.key in findings:
            continue
        line = next((number for number, content in enumerate(lines, 1) if item.text in content), 1)
        findings[item.key] = Finding(
            path,
            line,
            "html/unchecked",
            f"the rendered page shows {item.text!r}, which the checks did not see in the page's source",
            "write it where the checks read it (plain Markdown, a table, an admonition, or raw HTML that "
            "is not generated); if the checks missed a construct, report it as a bug in checks/",
        )
    return list(findings.values())


# Metas whose content a reader sees: the search result and the link preview of the page.
_SHOWN_METAS = {"description", "og:title", "og:description", "twitter:title", "twitter:description"}
_ELEMENT = {name: re.compile(rf"<{name}\b[^>]*>(.*?)</{name}>", re.S | re.I) for name in ("head", "header", "footer")}
_META = re.compile(r"<meta\b((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>", re.I)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)


def shown_in_chrome(page_html: str) -> tuple[list[Shown], list[Shown]]:
    """The numbers and addresses the theme shows around the page: (its <head> and header, its footer)."""
    head = _ELEMENT["head"].search(page_html)
    parts = []
    if head:
        parts += [f"<p>{title}</p>" for title in _TITLE.findall(head[1])]
        for meta in _META.findall(head[1]):
            attributes = {name.lower(): value.strip("\"'") for name, value in _ATTRIBUTE.findall(meta)}
            if (attributes.get("name") or attributes.get("property") or "").lower() in _SHOWN_METAS:
                parts.append(f"<p>{attributes.get('content', '')}</p>")
    header = _ELEMENT["header"].search(page_html)
    # The theme's footer is the page's last: a <footer> the article itself holds comes before it.
    footer = _ELEMENT["footer"].search(page_html, max(0, page_html.rfind("<footer")))

    def numbers(fragment: str) -> list[Shown]:
        return [item for item in shown_on_page(fragment) if not item.key.startswith("url:")]

    return numbers("".join(parts) + (header[0] if header else "")), numbers(footer[0] if footer else "")


def unaccounted_chrome(
    page_html: str, page_accounted: frozenset[str], site_accounted: frozenset[str], path: str, source: str
) -> list[Finding]:
    """Findings for what the theme shows around a page that the checks never saw: in its <head> and
    header against the page and mkdocs.yml, in its footer against the whole site (other pages' titles)."""
    if len(page_html) > MAX_COMPARED_CHARS:
        return []
    own, site = shown_in_chrome(page_html)
    lines = source.split("\n")
    findings = {}
    for item, accounted in [*((i, page_accounted) for i in own), *((i, site_accounted) for i in site)]:
        if item.key in accounted or item.key in findings:
            continue
        line = next((number for number, content in enumerate(lines, 1) if item.text in content), 1)
        findings[item.key] = Finding(
            path,
            line,
            "html/unchecked",
            f"the page's title, header or footer shows {item.text!r}, which the checks did not see in the "
            "page's source or in mkdocs.yml",
            "give the page a title the checks read (its first heading, the front matter's title, or its nav "
            "title in mkdocs.yml) instead of one made from its file name; if a theme or plugin string shows "
            "it, report it as a bug in checks/",
        )
    return list(findings.values())
