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
from checks.findings import Finding
from checks.registry import Registry
from checks.site import Page, Site

BOX_KINDS = {"correction": "correction", "updated": "learn-update"}
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
        """The run holding the longest stretch of `phrase`: where the edited statement probably is now."""
        needle = squeeze(phrase)

        def shared(run: tuple[int, str]) -> int:
            text = squeeze(run[1])
            return difflib.SequenceMatcher(None, needle, text, autojunk=False).find_longest_match().size

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


def check_audited_claims(site: Site, audit: Audit, registry: Registry) -> list[Finding]:
    pages = {page.path.name: page for page in site.pages}
    texts = {name: reader_text(page) for name, page in pages.items()}
    findings = list(_phrases(audit, pages, texts))
    findings += _placement(audit, pages)
    findings += _boxes(site, audit, texts)
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


def _boxes(site: Site, audit: Audit, texts: dict[str, ReaderText]) -> Iterator[Finding]:
    for page in site.pages:
        text = texts[page.path.name]
        for box in page.doc.admonitions:
            kind = BOX_KINDS.get(box.type)
            if kind is None:
                continue
            bound = [
                (claim, mention)
                for claim in audit.claims
                for mention in claim.mentions
                if mention.page == page.path.name and text.find(mention.phrase, box.line, box.end) is not None
            ]
            # A link change is spotted by its words wherever they stand, not only where the audit bound them.
            for claim in audit.claims:
                if claim.about == "link" and any(
                    mention.locale == page.locale and text.find(mention.phrase, box.line, box.end) is not None
                    for mention in claim.mentions
                ):
                    yield Finding(
                        page.display,
                        box.line,
                        "claims/changelog",
                        f"this `!!! {box.type}` box reports a link change (claim {claim.id!r}, {audit.where(claim)}); "
                        "boxes in an article are for facts",
                        f"move the text to docs/{CHANGELOG}.md (and each translation) and bind it there",
                    )
            changed = [(claim, mention) for claim, mention in bound if claim.change and claim.about == "fact"]
            if not changed:
                yield Finding(
                    page.display,
                    box.line,
                    "claims/box-kind",
                    f"this `!!! {box.type}` box is bound to no audited claim with a `change`, so nothing says "
                    "whether the original was wrong (correction) or Learn changed (learn-update)",
                    "add the box's key sentence as a `site` phrase of the audit claim it reports, and give that "
                    "claim `change: {kind: correction}` or `change: {kind: learn-update, commit: ..., date: ...}`",
                )
                continue
            for claim, mention in changed:
                if claim.change and claim.change.kind != kind:
                    yield _wrong_box(page, box.line, box.type, claim, mention, audit)


def _wrong_box(page: Page, line: int, box_type: str, claim: Claim, mention: Mention, audit: Audit) -> Finding:
    told = "a change in Learn" if box_type == "updated" else "an error of the original document"
    recorded = (
        "a correction (Learn already said so)"
        if claim.change and claim.change.kind == "correction"
        else (f"a Learn update ({claim.change.date if claim.change else ''})")
    )
    right = "correction" if claim.change and claim.change.kind == "correction" else "updated"
    return Finding(
        page.display,
        line,
        "claims/box-kind",
        f"this `!!! {box_type}` box tells {told}, but claim {claim.id!r} ({audit.where(claim)}), whose phrase "
        f"{mention.phrase!r} it holds, is recorded as {recorded}",
        f"use `!!! {right}` here, or correct the claim's `change` if the evidence says otherwise",
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
                fact.line,
                "claims/date-after-evidence",
                f"fact {fact.id!r} says verified {fact.verified}, later than the Learn source it was checked "
                f"against ({audit.mirror_commit[:8]}, {evidence}, {audit.display})",
                f"set `verified: {evidence}`, or re-audit against a newer Learn revision and record it in audit.yml",
            )
        if fact.type == "date" and str(fact.value) > evidence:
            yield Finding(
                registry.display_path(),
                fact.line,
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
