"""Translation parity: a translated page says the same things, in the same shape, as its source."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from checks.claims import Binder, Binding
from checks.findings import Finding
from checks.pages import LOCALES, SOURCE_LOCALE
from checks.site import Page, Site
from checks.tables import Statement, plain

SOURCE_HASH_KEY = "source_hash"
_LEARN_LOCALE = re.compile(r"^(https?://learn\.microsoft\.com/)[a-z]{2}-[a-z]{2}/", re.I)


def source_hash_of(path: Path) -> str:
    """Short hash of a source page's text: what a translation records as the version it translates."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def check_parity(site: Site, binder: Binder, bindings: list[Binding], statements: list[Statement]) -> Iterator[Finding]:
    sources = site.by_locale(SOURCE_LOCALE)
    for locale in LOCALES:
        if locale == SOURCE_LOCALE:
            continue
        translations = site.by_locale(locale)
        for stem, source in sources.items():
            translation = translations.get(stem)
            if translation is None:
                yield Finding(
                    source.display,
                    1,
                    "parity/missing-translation",
                    f"no {locale} translation: readers get this page in Japanese with a notice",
                    f"add {source.path.with_suffix(f'.{locale}.md').name}",
                    "warning",
                )
                continue
            yield from _pair(source, translation, binder, bindings, statements)
        for stem, translation in translations.items():
            if stem not in sources:
                yield Finding(
                    translation.display,
                    1,
                    "parity/orphan-translation",
                    f"there is no source page {stem}.md for this translation",
                    "translate from a Japanese page, or add the Japanese page first",
                )


def _pair(
    source: Page, translation: Page, binder: Binder, bindings: list[Binding], statements: list[Statement]
) -> Iterator[Finding]:
    yield from _version(source, translation)
    yield from _headings(source, translation)
    yield from _tables(source, translation, binder, statements)
    yield from _diagrams(source, translation)
    yield from _sequences(
        source,
        translation,
        "admonitions",
        [a.type for a in source.doc.admonitions],
        [a.type for a in translation.doc.admonitions],
        [a.line for a in translation.doc.admonitions],
    )
    yield from _claims(source, translation, bindings)
    yield from _links(source, translation)


def _finding(translation: Page, line: int, rule: str, message: str, hint: str) -> Finding:
    return Finding(translation.display, line, f"parity/{rule}", message, hint)


def _version(source: Page, translation: Page) -> Iterator[Finding]:
    current = source_hash_of(source.path)
    recorded = translation.doc.front_matter.get(SOURCE_HASH_KEY)
    if recorded is None:
        yield _finding(
            translation,
            1,
            "source-hash",
            f"the translation does not record which version of {source.display} it translates",
            f"add front matter `{SOURCE_HASH_KEY}: {current}` (run `python -m checks stamp {translation.display}`)",
        )
    elif str(recorded) != current:
        yield Finding(
            translation.display,
            1,
            "parity/outdated",
            f"{source.display} changed since this translation was made ({SOURCE_HASH_KEY} {recorded}, now {current})",
            f"bring the translation up to date, then run `python -m checks stamp {translation.display}`",
            "warning",
        )


def _sequences(
    source: Page, translation: Page, what: str, expected: list, found: list, lines: list[int]
) -> Iterator[Finding]:
    if expected == found:
        return
    index = next(
        (i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b),
        min(len(expected), len(found)),
    )
    line = lines[index] if index < len(lines) else (lines[-1] if lines else 1)
    yield _finding(
        translation,
        line,
        what,
        f"{what} differ from {source.display}: expected {expected[index : index + 3]}, "
        f"found {found[index : index + 3]}",
        f"keep the same {what}, in the same order, as the source page",
    )


def _headings(source: Page, translation: Page) -> Iterator[Finding]:
    yield from _sequences(
        source,
        translation,
        "headings",
        [f"h{h.level}" for h in source.doc.headings],
        [f"h{h.level}" for h in translation.doc.headings],
        [h.line for h in translation.doc.headings],
    )


def _tables(source: Page, translation: Page, binder: Binder, statements: list[Statement]) -> Iterator[Finding]:
    src_tables, dst_tables = source.doc.tables, translation.doc.tables
    if len(src_tables) != len(dst_tables):
        line = dst_tables[min(len(src_tables), len(dst_tables)) - 1].line if dst_tables else 1
        yield _finding(
            translation,
            line,
            "tables",
            f"{len(dst_tables)} tables, the source has {len(src_tables)}",
            "translate every table of the source",
        )
    values = {(s.page.display, s.line, s.model): s.value for s in statements}
    for src, dst in zip(src_tables, dst_tables, strict=False):
        if src.shape != dst.shape:
            yield _finding(
                translation,
                dst.line,
                "table-shape",
                f"table is {dst.shape[0]} rows x {dst.shape[1]} columns, the source table "
                f"({source.display}:{src.line}) is {src.shape[0]} x {src.shape[1]}",
                "a translated table keeps the rows and columns of the source",
            )
            continue
        for src_row, dst_row in zip(src.rows, dst.rows, strict=True):
            for src_cell, dst_cell in zip(src_row.cells, dst_row.cells, strict=False):
                expected = Counter(str(t.value) for t in binder.claimed_numbers(plain(src_cell), source.locale))
                found = Counter(str(t.value) for t in binder.claimed_numbers(plain(dst_cell), translation.locale))
                if expected != found:
                    yield _finding(
                        translation,
                        dst_row.line,
                        "table-numbers",
                        f"numbers differ from {source.display}:{src_row.line}: "
                        f"expected {sorted(expected)}, found {sorted(found)}",
                        "a translated cell states the same numbers as the source cell",
                    )
            for model in ("overlay", "flat"):
                src_value = values.get((source.display, src_row.line, model))
                dst_value = values.get((translation.display, dst_row.line, model))
                if src_value and dst_value and src_value != dst_value:
                    yield _finding(
                        translation,
                        dst_row.line,
                        "table-values",
                        f"{model} is {dst_value!r} here but {src_value!r} in {source.display}:{src_row.line}",
                        "a translated cell states the same value as the source cell",
                    )


def _diagrams(source: Page, translation: Page) -> Iterator[Finding]:
    src, dst = source.diagrams, translation.diagrams
    fences = translation.doc.mermaid
    if len(src) != len(dst):
        yield _finding(
            translation,
            fences[-1].line if fences else 1,
            "diagrams",
            f"{len(dst)} diagrams, the source has {len(src)}",
            "translate every diagram of the source",
        )
    for index, (a, b) in enumerate(zip(src, dst, strict=False)):
        fence = fences[index]
        if a.kind != b.kind:
            yield _finding(
                translation,
                fence.line,
                "diagram",
                f"a {b.kind} diagram, the source has a {a.kind}",
                "keep the diagram type",
            )
            continue
        for key, expected in a.structure().items():
            found = b.structure()[key]
            if expected != found:
                yield _finding(
                    translation,
                    fence.line,
                    "diagram",
                    f"diagram {index + 1}: {key} differ from {source.display}:{source.doc.mermaid[index].line}: "
                    f"{_difference(expected, found)}",
                    "translate labels only: node ids, edges, arrows and subgraph membership stay the same",
                )


def _difference(expected: object, found: object) -> str:
    if isinstance(expected, dict) and isinstance(found, dict):
        changed = sorted(k for k in set(expected) | set(found) if expected.get(k) != found.get(k))
        return f"differs for {changed[:5]}"
    if isinstance(expected, list) and isinstance(found, list):
        missing = [x for x in expected if x not in found]
        extra = [x for x in found if x not in expected]
        if missing or extra:
            return f"missing {missing[:3]}, extra {extra[:3]}"
        return "same items in another order"
    return f"expected {expected}, found {found}"


def _claims(source: Page, translation: Page, bindings: list[Binding]) -> Iterator[Finding]:
    def stated(page: Page) -> Counter[str]:
        return Counter(b.target for b in bindings if b.page is page and b.kind == "fact")

    expected, found = stated(source), stated(translation)
    for fact in sorted(set(expected) | set(found)):
        if expected[fact] != found[fact]:
            line = next((b.line for b in bindings if b.page is translation and b.target == fact), None)
            if line is None:
                source_line = next((b.line for b in bindings if b.page is source and b.target == fact), 1)
                line = aligned_line(source, translation, source_line)
            yield _finding(
                translation,
                line,
                "facts",
                f"fact {fact} is stated {found[fact]} times here and {expected[fact]} times in {source.display}",
                "state the same facts as the source page (a number changed or dropped in one language?)",
            )


def _link_key(url: str, page: Page) -> str:
    """Learn links compare without their locale; internal anchors by the heading they point at."""
    url = _LEARN_LOCALE.sub(r"\1{locale}/", url)
    target, _, anchor = url.partition("#")
    if "://" in target or not target.endswith(".md") or not anchor:
        return url
    # A page not yet translated is shown in the source language (static-i18n's fallback): its anchors.
    stem = target.removesuffix(".md")
    linked = page.linked(stem)
    if linked is None:
        return url
    slugs = linked.heading_anchors()
    anchor = unquote(anchor)
    return f"{target}#heading-{slugs.index(anchor) + 1}" if anchor in slugs else url


def _internal(key: str) -> bool:
    return "://" not in key and (key.partition("#")[0].endswith(".md") or key.startswith("#"))


def _unresolved(key: str) -> bool:
    return _internal(key) and "#" in key and "#heading-" not in key


def aligned_line(source: Page, translation: Page, source_line: int) -> int:
    """Where in the translation to point for something at `source_line` of the source that the
    translation lacks: its heading of the same section (headings are kept in step, parity/headings)."""
    index = sum(1 for heading in source.doc.headings if heading.line <= source_line) - 1
    headings = translation.doc.headings
    return headings[index].line if 0 <= index < len(headings) else 1


def _shown(key: str, page: Page) -> str:
    """A link key as the contributor writes it on `page`: `overlay.md#heading-5` is the anchor the
    page's language gives that heading (`overlay.md#summary-of-characteristics` in English)."""
    target, _, anchor = key.partition("#heading-")
    if not anchor.isdigit():
        return key
    stem = target.removesuffix(".md")
    linked = page.linked(stem)
    anchors = linked.heading_anchors() if linked else []
    index = int(anchor) - 1
    return f"{target}#{anchors[index]}" if 0 <= index < len(anchors) else key


def _links(source: Page, translation: Page) -> Iterator[Finding]:
    def normalized(page: Page) -> list[tuple[str, int]]:
        return [(_link_key(link.url, page), link.line) for link in page.doc.links]

    source_links, found_links = normalized(source), normalized(translation)
    # A source link to a heading that is not there is the source's error (links/internal-anchor):
    # until it is fixed, the translations cannot be told what to link.
    if any(_unresolved(key) for key, _ in source_links):
        source_links = [(key, line) for key, line in source_links if not _internal(key)]
        found_links = [(key, line) for key, line in found_links if not _internal(key)]
    expected = Counter(key for key, _ in source_links)
    found = Counter(key for key, _ in found_links)
    for url in sorted(set(expected) | set(found)):
        if expected[url] != found[url]:
            source_line = next((line for key, line in source_links if key == url), 1)
            line = next((line for key, line in found_links if key == url), None) or aligned_line(
                source, translation, source_line
            )
            yield _finding(
                translation,
                line,
                "links",
                f"{_shown(url, translation)} is linked {found[url]} times here and {expected[url]} times in "
                f"{source.display}" + (f" (first at line {source_line})" if expected[url] else ""),
                "link the same pages and anchors as the source (only the Learn locale differs)",
            )
