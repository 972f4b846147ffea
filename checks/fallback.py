"""A page shown untranslated in another language keeps working links into translated pages."""

from __future__ import annotations

from urllib.parse import unquote

from checks.site import Page


def anchor_rewrites(page: Page, locale: str) -> list[tuple[str, str]]:
    """Replacements that point `other.md#source-heading` at the same heading of `other`'s translation.

    static-i18n resolves a fallback page's `flat.md` to the translated flat page, whose anchors are
    the translated headings: `#japanese-anchor` would break (and fail the strict build).
    """
    rewrites = []
    for link in page.doc.links:
        target, _, anchor = link.url.partition("#")
        if not anchor or "://" in target or not target.endswith(".md"):
            continue
        stem = target.removesuffix(".md")
        source, translated = page.sibling(stem, page.locale), page.sibling(stem, locale)
        if source is None or translated is None:
            continue
        source_anchors, translated_anchors = source.heading_anchors(), translated.heading_anchors()
        anchor = unquote(anchor)
        if anchor in source_anchors and len(translated_anchors) == len(source_anchors):
            # markdown-it percent-encodes the URL it reports; the source has it as the author typed it.
            new = f"]({target}#{translated_anchors[source_anchors.index(anchor)]})"
            rewrites += [(f"]({link.url})", new), (f"]({unquote(link.url)})", new)]
    return rewrites
