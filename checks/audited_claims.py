"""Audited claims against the pages: a checked statement stays as checked, and boxes tell the right story.

- claims/phrase-missing: the words the audit bound to a page are no longer what the reader reads
  there. Editing a checked statement means checking it again: the audit entry's phrase is updated
  in the same change, after the claim was re-read against Learn.
- claims/box-kind: a Correction box says the original document was wrong while Learn said
  otherwise already; an Updated box says Learn changed, on a date with a commit. The box's words
  must be bound to an audited claim whose `change` says which, and the box type must agree.
- claims/changelog: changes of links (parameters, anchors, moved articles) are not facts; they are
  told in the changelog page, bound to the audit's link claims, and never in a reader-facing box.
- claims/unplaced: every fact claim says where the site states it, in every language the page is
  translated into (`site` phrases), or why it is on no page (`not_on_site`): an audited fact the
  pages state unbound is unwatched, and a claim bound in Japanese only is unwatched in the others.
- claims/date-after-evidence: no fact is "verified" later than the Learn source it was read from,
  and no date the site states about Learn is later than that source: a date shown to readers is
  the date of its evidence, not the day someone typed it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from checks.audit import Audit, Claim, Mention
from checks.box_kinds import BOXES, BoxKind
from checks.findings import Finding, display_path
from checks.markdown_doc import Admonition
from checks.registry import Registry
from checks.site import Page, Site

CHANGELOG = "changelog"
# Link verdicts that mean the site's link had to change: each one is told in the changelog.
LINK_CHANGES = {"changed", "link-moved", "anchor-missing"}
LINK_VERDICTS = {"link-ok", "link-moved", "anchor-missing"}
_SPACE = re.compile(r"\s+")
_BREAK = re.compile(r"<br\s*/?>", re.I)


def squeeze(text: str) -> str:
    """Text without whitespace: Japanese lines break anywhere and render joined, so spacing can't decide a match."""
    return _SPACE.sub("", _BREAK.sub(" ", text))


@dataclass(frozen=True)
class ReaderText:
    """A page's reader-visible text, squeezed, with the source line of every run's first character."""

    text: str
    starts: tuple[tuple[int, int], ...]  # (offset in text, source line)
    runs: tuple[tuple[int, str], ...]  # (source line, run text) for nearest-match hints

    def line_at(self, offset: int) -> int:
        line = 1
        for start, run_line in self.starts:
            if start > offset:
                break
            line = run_line
        return line

    def find(self, phrase: str, first: int = 1, last: int = 10**9) -> int | None:
        """The source line where `phrase` starts, within lines first..last; None when it isn't there."""
        needle = squeeze(phrase)
        offset = self.text.find(needle)
        while offset != -1:
            line = self.line_at(offset)
            if first <= line <= last:
                return line
            offset = self.text.find(needle, offset + 1)
        return None

    def nearest(self, phrase: str) -> tuple[int, str]:
        """The run that keeps most of `phrase`, in order, in stretches of 4 characters or more, and
        holds little else: where the edited statement probably is now (an edit rewords a part, the
        rest stays; a long paragraph shares some words with anything, a diagram label a few)."""
        needle = squeeze(phrase)

        def shared(run: tuple[int, str]) -> float:
            text = squeeze(run[1])
            blocks = difflib.SequenceMatcher(None, needle, text, autojunk=False).get_matching_blocks()
            return sum(block.size for block in blocks if block.size >= 4) - len(text) / 20

        return max(self.runs, key=shared, default=(1, ""))


def reader_text(page: Page) -> ReaderText:
    runs: list[tuple[int, str]] = [(run.line, run.text) for run in page.doc.texts]
    for diagram in page.diagrams:
        runs += [(label.line, label.text) for label in diagram.labels]
        runs += [(label.line, label.text) for label in (diagram.acc_title, diagram.acc_descr) if label]
    runs.sort(key=lambda run: run[0])
    parts, starts, offset = [], [], 0
    for line, text in runs:
        piece = squeeze(text)
        starts.append((offset, line))
        parts.append(piece)
        offset += len(piece)
    return ReaderText("".join(parts), tuple(starts), tuple(runs))


def check_audited_claims(site: Site, audit: Audit, registry: Registry, kinds: dict[str, BoxKind]) -> list[Finding]:
    pages = {page.path.name: page for page in site.pages}
    texts = {name: reader_text(page) for name, page in pages.items()}
    findings = list(_phrases(audit, pages, texts))
    findings += _placement(audit, pages)
    findings += _boxes(site, audit, texts, kinds)
    findings += _tellers(audit, kinds)
    findings += _changelog(site, audit, texts)
    findings += _dates(audit, registry)
    return findings


def _phrases(audit: Audit, pages: dict[str, Page], texts: dict[str, ReaderText]) -> Iterator[Finding]:
    stems = {page.stem for page in pages.values()}
    for claim in audit.claims:
        for mention in claim.mentions:
            page = pages.get(mention.page)
            if page is None and mention.page.split(".", 1)[0] in stems:
                # An untranslated page is shown in its source language, with a notice: its claims stand there.
                continue
            if page is None:
                yield Finding(
                    audit.display,
                    claim.line,
                    "claims/phrase-missing",
                    f"claim {claim.id!r} is bound to page {mention.page!r}, which the site does not have",
                    "fix the page name in the claim's `site` entry (a file under docs/, e.g. flat.en.md)",
                )
                continue
            if page.locale != mention.locale:
                yield Finding(
                    audit.display,
                    claim.line,
                    "claims/phrase-missing",
                    f"claim {claim.id!r} lists {mention.page} under {mention.locale!r}, "
                    f"but that page is {page.locale!r}",
                    f"move the entry under `{page.locale}:`",
                )
                continue
            text = texts[mention.page]
            if text.find(mention.phrase) is None:
                line, now = text.nearest(mention.phrase)
                yield Finding(
                    page.display,
                    line,
                    "claims/phrase-missing",
                    f"the audited statement {mention.phrase!r} (claim {claim.id!r}, {audit.where(claim)}) is no longer "
                    f"on this page; the closest text now reads {now.strip()!r}",
                    "an audited statement was edited: re-check it against the Learn quote of the claim and update "
                    "the claim's `site` phrase (and its quote/verdict if Learn says otherwise) in the same change",
                )


def _placement(audit: Audit, pages: dict[str, Page]) -> Iterator[Finding]:
    translations: dict[str, list[Page]] = {}
    for page in pages.values():
        translations.setdefault(page.stem, []).append(page)
    for claim in audit.claims:
        if claim.about != "fact" or claim.verdict in LINK_VERDICTS:
            continue
        if not claim.mentions and not claim.not_on_site:
            yield Finding(
                audit.display,
                claim.line,
                "claims/unplaced",
                f"claim {claim.id!r} says neither where the site states it nor why it states it nowhere",
                "add `site:` with the page and the exact words per language, or `not_on_site:` with the reason",
            )
            continue
        bound = {(mention.page, mention.locale) for mention in claim.mentions}
        stems = {name.split(".", 1)[0] for name, _ in bound}
        for stem in sorted(stems):
            for page in translations.get(stem, []):
                if (page.path.name, page.locale) not in bound:
                    yield Finding(
                        audit.display,
                        claim.line,
                        "claims/unplaced",
                        f"claim {claim.id!r} is bound on {stem} in another language but not in {page.path.name}",
                        f"add the words of {page.path.name} that state it under `site: {page.locale}:`",
                    )


def _inside(text: ReaderText, mention: Mention, box: Admonition) -> bool:
    return text.find(mention.phrase, box.line, box.end) is not None


def _boxes(site: Site, audit: Audit, texts: dict[str, ReaderText], kinds: dict[str, BoxKind]) -> Iterator[Finding]:
    changed = [claim for claim in audit.claims if claim.change and claim.about == "fact"]
    for page in site.pages:
        text = texts[page.path.name]
        mine = [(claim, m) for claim in changed for m in claim.mentions if m.page == page.path.name]
        for box in page.doc.admonitions:
            kind = kinds.get(box.type)
            yield from _box_title(page, box, kind, kinds)
            if kind is None:
                # A box of another type (a note, a warning) that tells a correction or an update hides
                # from the reader which of the two it is.
                hiding = {claim.id: (claim, m) for claim, m in reversed(mine) if _inside(text, m, box)}
                for claim, mention in hiding.values():
                    yield _wrong_box(page, box, claim, mention, audit, kinds)
                continue
            # A link change is spotted by its words wherever they stand, not only where the audit bound them.
            for claim in audit.claims:
                if claim.about == "link" and any(
                    m.locale == page.locale and _inside(text, m, box) for m in claim.mentions
                ):
                    yield Finding(
                        page.display,
                        box.line,
                        "claims/changelog",
                        f"this `!!! {box.type}` box reports a link change (claim {claim.id!r}, {audit.where(claim)}); "
                        "boxes in an article are for facts",
                        f"move the text to docs/{CHANGELOG}.md (and each translation) and bind it there",
                    )
            held = [(claim, mention) for claim, mention in mine if _inside(text, mention, box)]
            if not held:
                yield Finding(
                    page.display,
                    box.line,
                    "claims/box-kind",
                    f"this `!!! {box.type}` box is bound to no audited claim with a `change`, so nothing says "
                    "whether the original was wrong (correction) or Learn changed (learn-update)",
                    "add the box's key sentence as a `site` phrase of the audit claim it reports, and give that "
                    "claim `change: {kind: correction}` or `change: {kind: learn-update, commit: ..., date: ...}`",
                )
            wrong = {
                claim.id: (claim, m) for claim, m in reversed(held) if claim.change and claim.change.kind != kind.change
            }
            for claim, mention in wrong.values():
                yield _wrong_box(page, box, claim, mention, audit, kinds)
        yield from _untold(page, text, mine, audit, kinds)


def _box_type(kinds: dict[str, BoxKind], change: str) -> str:
    """The box type that tells a change of this kind (checks/boxes.yml gives every kind one)."""
    return next(kind.type for kind in kinds.values() if kind.change == change)


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _box_title(page: Page, box: Admonition, kind: BoxKind | None, kinds: dict[str, BoxKind]) -> Iterator[Finding]:
    """A Correction box titled as an Updated one (or untitled, or a note titled as either) tells the wrong story."""
    posing = next((other for other in kinds.values() if other.titles.get(page.locale) == box.title), None)
    if kind is None and posing is None:
        return
    expected = kind.titles.get(page.locale, "") if kind else ""
    if kind and box.title == expected:
        return
    if kind is None and posing is not None:
        message = f"this `!!! {box.type}` box has the {posing.type} box's title, {box.title!r}"
        hint = f'make it `!!! {posing.type} "{box.title}"` and bind its sentence to the claim it reports'
    else:
        assert kind is not None
        shown = repr(box.title) if box.title else f"no title (Material would show {box.type.capitalize()!r})"
        told = f", the {posing.type} box's title" if posing and posing is not kind else ""
        message = (
            f"this `!!! {box.type}` box has {shown}{told}; {_a(box.type)} box in {page.locale} is titled {expected!r}"
        )
        hint = f'write `!!! {box.type} "{expected}"` (the titles are in {display_path(BOXES)})'
    yield Finding(page.display, box.line, "claims/box-title", message, hint)


def _untold(
    page: Page, text: ReaderText, mine: list[tuple[Claim, Mention]], audit: Audit, kinds: dict[str, BoxKind]
) -> Iterator[Finding]:
    """A claim recorded as a correction or an update, stated on this page, is told there in a box of its kind."""
    by_id = audit.by_id
    boxes = {kind.change: [b for b in page.doc.admonitions if b.type == kind.type] for kind in kinds.values()}
    for claim in dict.fromkeys(claim for claim, _ in mine):
        assert claim.change is not None
        teller = by_id.get(claim.told_by or "", claim)
        told = any(
            _inside(text, mention, box)
            for mention in teller.mentions
            if mention.page == page.path.name
            for box in boxes.get(claim.change.kind, [])
        )
        if told:
            continue
        box_type = _box_type(kinds, claim.change.kind)
        first = min(text.find(m.phrase) or 1 for m in claim.mentions if m.page == page.path.name)
        via = f" (its `told_by` claim {teller.id!r} is in none either)" if teller is not claim else ""
        yield Finding(
            page.display,
            first,
            "claims/box-missing",
            f"claim {claim.id!r} ({audit.where(claim)}) is recorded as {claim.change.kind}, but no `!!! {box_type}` "
            f"box on this page tells the reader{via}",
            f"tell it in a `!!! {box_type}` box bound to the claim, or name the claim whose box tells it with "
            "`told_by:`; if the site does not depart from the original here, remove the claim's `change`",
        )


def _wrong_box(
    page: Page, box: Admonition, claim: Claim, mention: Mention, audit: Audit, kinds: dict[str, BoxKind]
) -> Finding:
    assert claim.change is not None
    right = _box_type(kinds, claim.change.kind)
    recorded = (
        "a correction (Learn already said so)"
        if claim.change.kind == "correction"
        else f"a Learn update ({claim.change.date})"
    )
    told = {"updated": "tells a change in Learn", "correction": "tells an error of the original document"}.get(
        box.type, "says neither that the original was wrong nor that Learn changed"
    )
    return Finding(
        page.display,
        box.line,
        "claims/box-kind",
        f"this `!!! {box.type}` box {told}, but claim {claim.id!r} ({audit.where(claim)}), whose phrase "
        f"{mention.phrase!r} it holds, is recorded as {recorded}",
        f'use `!!! {right} "{kinds[right].titles.get(page.locale, "")}"` here, or correct the claim\'s `change` '
        "if the evidence says otherwise",
    )


def _tellers(audit: Audit, kinds: dict[str, BoxKind]) -> Iterator[Finding]:
    """`told_by` names a claim of the same change kind: a correction is never told by an update's box."""
    for claim in audit.claims:
        if not claim.told_by:
            continue
        teller = audit.by_id.get(claim.told_by)
        if teller is None or not claim.change or not teller.change or teller.change.kind != claim.change.kind:
            kind = claim.change.kind if claim.change else "no change"
            found = (
                "is no claim"
                if teller is None
                else f"is recorded as {teller.change.kind if teller.change else 'no change'}"
            )
            yield Finding(
                audit.display,
                claim.line,
                "claims/box-missing",
                f"claim {claim.id!r} ({kind}) is told_by {claim.told_by!r}, which {found}",
                "name a claim of the same change kind whose box tells this one, or tell it in a box of its own",
            )


def _changelog(site: Site, audit: Audit, texts: dict[str, ReaderText]) -> Iterator[Finding]:
    changelogs = [page for page in site.pages if page.stem == CHANGELOG]
    link_claims = [claim for claim in audit.claims if claim.about == "link"]
    for page in changelogs:
        told = [mention for claim in link_claims for mention in claim.mentions if mention.page == page.path.name]
        first_section = next((heading.line for heading in page.doc.headings if heading.level == 2), None)
        for run in page.doc.texts:
            if first_section is None or run.line <= first_section or run.kind == "heading":
                continue
            if not any(texts[page.path.name].find(mention.phrase, run.line, run.line) for mention in told):
                yield Finding(
                    page.display,
                    run.line,
                    "claims/changelog",
                    f"this changelog entry is bound to no link claim of the audit: {run.text.strip()[:80]!r}",
                    "add the entry's words as a `site` phrase of the audit claim (about: link) whose verdict "
                    "records the link change",
                )
        for claim in link_claims:
            if claim.verdict in LINK_CHANGES and not any(m.page == page.path.name for m in claim.mentions):
                yield Finding(
                    audit.display,
                    claim.line,
                    "claims/changelog",
                    f"link claim {claim.id!r} records a change ({claim.verdict}) that {page.display} does not tell",
                    f"add an entry to {page.display} and bind it in the claim's `site` under `{page.locale}:`",
                )


def _dates(audit: Audit, registry: Registry) -> Iterator[Finding]:
    evidence = audit.evidence_date
    for fact in registry.facts.values():
        if fact.verified > evidence:
            yield Finding(
                registry.display_path(),
                fact.field_lines.get("verified", fact.line),
                "claims/date-after-evidence",
                f"fact {fact.id!r} says verified {fact.verified}, later than the Learn source it was checked "
                f"against ({audit.mirror_commit[:8]}, {evidence}, {audit.display})",
                f"set `verified: {evidence}`, or re-audit against a newer Learn revision and record it in audit.yml",
            )
        if fact.type == "date" and str(fact.value) > evidence:
            yield Finding(
                registry.display_path(),
                fact.field_lines.get("value", fact.line),
                "claims/date-after-evidence",
                f"date fact {fact.id!r} is {fact.value}, later than the Learn source the site was audited against "
                f"({evidence}): a date readers see must be the date of its evidence",
                f"use the date of the evidence ({evidence} for the audited Learn source, or a Learn commit's date)",
            )
    for claim in audit.claims:
        if claim.change and claim.change.date and claim.change.date > evidence:
            yield Finding(
                audit.display,
                claim.line,
                "claims/date-after-evidence",
                f"claim {claim.id!r} records a Learn change on {claim.change.date}, "
                f"after the audited source ({evidence})",
                "a change the audit has not seen can't be reported: re-audit against the newer Learn revision",
            )
