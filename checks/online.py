"""The nightly mode: every Learn page the site or the registry cites, fetched once and classified.

OK · MOVED (permanent redirect) · BROKEN (404/410 with Learn's not-found page) · ANCHOR-MISSING
(with the nearest heading that exists) · FACT-CHANGED (Learn states another value, or no longer
states the fact) · REWORDED (a notice: the phrase changed, the value is still in the section, in the
same role; for an audited claim, the quote is said in other words) · CLAIM-MOVED (a notice: the
quote stands in another section) · CLAIM-CHANGED (the audited quote is gone or contradicted;
checks/learn_claims.py) · UNREACHABLE (network trouble after retries, the deadline, a reply that is
not a Learn article, or a 404 that is not Learn's: never read as a content change, never written
into the snapshot). Replies are read by checks/learn_reply.py, evidence by checks/learn_evidence.py.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from checks.findings import ConfigurationError
from checks.learn_claims import Claim, check_claim
from checks.learn_client import DEADLINE, LEARN, PERMANENT_REDIRECTS, RUN_SECONDS, LearnClient, Response
from checks.learn_evidence import check_fact, nearest
from checks.learn_html import LearnPage, read_page
from checks.learn_reply import NotAnArticle, read_article
from checks.learn_snapshot import Anchors, learn_locale, learn_page_key, load_snapshot, write_snapshot
from checks.links import load_link_policy
from checks.registry import Fact, Registry
from checks.site import Site

CONTENT_PROBLEMS = ("MOVED", "BROKEN", "ANCHOR-MISSING", "FACT-CHANGED", "CLAIM-CHANGED")
NOTICES = ("REWORDED", "CLAIM-MOVED")
EXIT_OK, EXIT_CONTENT, EXIT_NETWORK = 0, 1, 3
CONCURRENCY = 4
GONE = (404, 410)
# The <h1> of Learn's not-found page ("404 - Page not found"), which it may serve with HTTP 200.
NOT_FOUND_TITLE = re.compile(r"(?:404\b.*|page not found)", re.I)


@dataclass
class Reference:
    page_url: str
    anchor: str
    where: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Result:
    status: str
    url: str
    where: list[str]
    detail: str = ""
    fact: str | None = None
    claim: str | None = None
    expected: str | None = None
    found: str | None = None
    new_url: str | None = None
    old_text: str | None = None
    new_text: str | None = None
    suggestion: str | None = None


@dataclass
class OnlineReport:
    results: list[Result]
    base_url: str
    generated: str

    @property
    def exit_code(self) -> int:
        statuses = {r.status for r in self.results}
        if statuses & set(CONTENT_PROBLEMS):
            return EXIT_CONTENT
        return EXIT_NETWORK if "UNREACHABLE" in statuses else EXIT_OK

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for result in self.results:
            counts[result.status] += 1
        return dict(counts)


def _page_url(url: str) -> tuple[str, str]:
    """The URL to fetch (no fragment, no tracking parameters) and the anchor."""
    parts = urlsplit(url)
    policy = load_link_policy()
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not policy.is_tracking(k)])
    return urlunsplit(("https", parts.netloc, parts.path, query, "")), parts.fragment


def collect_references(site: Site, registry: Registry, claims: Sequence[Claim] = ()) -> list[Reference]:
    references: dict[tuple[str, str], Reference] = {}
    for page in site.pages:
        for link in page.doc.links:
            if urlsplit(link.url).hostname == "learn.microsoft.com":
                page_url, anchor = _page_url(link.url)
                references.setdefault((page_url, anchor), Reference(page_url, anchor)).where.append(
                    f"{page.display}:{link.line}"
                )
    for fact in registry.facts.values():
        page_url, _ = _page_url(fact.source.url)
        reference = references.setdefault((page_url, fact.source.anchor), Reference(page_url, fact.source.anchor))
        reference.where.append(f"{registry.display_path()}:{fact.line} ({fact.id})")
        reference.facts.append(fact)
    for claim in claims:
        page_url, _ = _page_url(claim.url)
        reference = references.setdefault((page_url, claim.anchor or ""), Reference(page_url, claim.anchor or ""))
        reference.where.append(claim.where)
        reference.claims.append(claim)
    return list(references.values())


def run_online(
    site: Site,
    registry: Registry,
    snapshot_path: Path,
    client: LearnClient,
    deadline: float = RUN_SECONDS,
    report_dir: Path | None = None,
    claims: Sequence[Claim] = (),
) -> OnlineReport:
    """Every reference classified within `deadline` seconds; pages not done by then are UNREACHABLE.
    `claims` (the CLI passes checks/audit.yml's) are checked on the pages fetched for the rest.
    The reports go to `report_dir` before the snapshot is refreshed: a night that cannot report
    leaves the snapshot as it was."""
    anchors = load_snapshot(snapshot_path)
    references = collect_references(site, registry, claims)
    pages = sorted({r.page_url for r in references})
    until = time.monotonic() + deadline
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        read = dict(zip(pages, pool.map(lambda url: _read_article(client, url, until, anchors), pages), strict=True))
    fetched = {url: response for url, (response, _) in read.items()}
    parsed = {url: page for url, (_, page) in read.items() if page is not None}
    results = [result for ref in references for result in _classify(ref, fetched[ref.page_url], parsed, until)]
    report = OnlineReport(results, client.base_url, datetime.now(UTC).isoformat(timespec="seconds"))
    if report_dir is not None:
        write_reports(report, report_dir)
    articles = {url: page for url, page in parsed.items() if fetched[url].status == 200}
    _refresh_snapshot(snapshot_path, anchors, articles)
    return report


def _read_article(client: LearnClient, url: str, until: float, anchors: Anchors) -> tuple[Response, LearnPage | None]:
    """One page fetched, and parsed only if it is the cited Learn article (or, for a 404 or 410,
    Learn's not-found page); anything else becomes its error."""
    response = client.fetch(url, until)
    if response.network_trouble or response.status not in (200, *GONE):
        return response, None
    try:
        page = read_article(response, read_page, response.status)
        if page is not None and response.status == 200:
            _refuse_another_page(url, page, anchors)
        elif page is None:
            # learn_reply found <main id="main"> with an <h1>, yet the reader did not: still not a Learn page.
            raise NotAnArticle('not a Learn article (no <main id="main"> with an <h1>)')
        return response, page
    except NotAnArticle as reason:
        # A 404 or 410 is Learn's word that the page is gone only when Learn's not-found page says it.
        gone = f"HTTP {response.status} that is not Learn's not-found page, so not Learn's word on the page ({reason})"
        response.error = gone if response.status in GONE else str(reason)
        return response, None


def _refuse_another_page(url: str, page: LearnPage, anchors: Anchors) -> None:
    """NotAnArticle when a Learn-shaped 200 is not the cited article: Learn's not-found page, or a
    page that keeps none of the headings the snapshot knows for it (a hub, a stub, an error page).
    Learn renaming every heading at once is rare; then the snapshot is refreshed by hand."""
    if NOT_FOUND_TITLE.fullmatch(page.title.strip()):
        raise NotAnArticle(f"Learn's not-found page (<h1> {page.title[:80]!r}) served with HTTP 200")
    path = urlsplit(url).path
    known = set(anchors.get(learn_locale(path), {}).get(learn_page_key(path), []))
    if len(known) >= 2 and not known & set(page.anchors):
        raise NotAnArticle(
            f"none of the {len(known)} headings the snapshot knows for this page remain (<h1> {page.title[:80]!r}): "
            "another page, not read as the cited one; if Learn renamed them all, refresh checks/learn_anchors.json"
        )


def _classify(ref: Reference, response: Response, parsed: dict[str, LearnPage], until: float) -> list[Result]:
    url = ref.page_url + (f"#{ref.anchor}" if ref.anchor else "")
    if response.network_trouble:
        detail = response.error or f"HTTP {response.status}"
        attempts = f" after {response.attempts} attempt(s)" if response.attempts else ""
        return [Result("UNREACHABLE", url, ref.where, detail + attempts)]
    if response.status in PERMANENT_REDIRECTS:
        target = urljoin(ref.page_url, response.location or "")
        offsite = not target.startswith(LEARN + "/")
        detail = f"HTTP {response.status} to {target}" + (" (another host: not followed)" if offsite else "")
        return [Result("MOVED", url, ref.where, detail, new_url=target)]
    # Every other answer without trouble was read: the article, or Learn's not-found page.
    page = parsed[ref.page_url]
    if response.status in GONE:
        detail = f"HTTP {response.status}: Learn's not-found page (<h1> {page.title[:80]!r})"
        return [Result("BROKEN", url, ref.where, detail)]
    if time.monotonic() >= until:
        detail = f"{DEADLINE}: the run's time was used up before this page was checked"
        return [Result("UNREACHABLE", url, ref.where, detail)]
    results = []
    pivot = dict(parse_qsl(urlsplit(ref.page_url).query)).get("pivots")
    shown = page.anchors_in_pivot(pivot) if pivot else page.anchors
    if ref.anchor and ref.anchor not in shown:
        detail = f"#{ref.anchor} is not a heading of the page"
        if ref.anchor in page.anchors:
            detail = f"#{ref.anchor} is a heading of another zone pivot, not of ?pivots={pivot} that the link opens"
        results.append(Result("ANCHOR-MISSING", url, ref.where, detail, suggestion=nearest(ref.anchor, shown)))
    for fact in ref.facts:
        late = time.monotonic() >= until
        results.append(_late(url, ref.where, fact=fact.id) if late else _evidence_result(fact, url, ref.where, page))
    for claim in ref.claims:
        late = time.monotonic() >= until
        results.append(_late(url, ref.where, claim=claim.id) if late else _claim_result(claim, url, ref.where, page))
    return results or [Result("OK", url, ref.where)]


def _late(url: str, where: list[str], **subject: str) -> Result:
    what = "fact" if "fact" in subject else "claim"
    detail = f"{DEADLINE}: the run's time was used up before this {what} was checked"
    return Result("UNREACHABLE", url, where, detail, **subject)


def _evidence_result(fact: Fact, url: str, where: list[str], page: LearnPage) -> Result:
    evidence = check_fact(fact, page)
    # The pages that cite the URL, and this fact's own entry: not the other facts citing the same heading.
    mine = [w for w in where if not w.endswith(")") or w.endswith(f"({fact.id})")]
    return Result(
        evidence.status,
        url,
        mine,
        evidence.detail,
        fact=fact.id,
        expected=evidence.expected,
        found=evidence.found,
        old_text=evidence.old_text,
        new_text=evidence.new_text,
    )


def _claim_result(claim: Claim, url: str, where: list[str], page: LearnPage) -> Result:
    verdict = check_claim(claim, page)
    # This claim's entry first, the pages the audit binds it to, then the pages that cite the section.
    stated = [f"{page} (states it)" for page in claim.stated_on]
    mine = [claim.where, *stated, *(w for w in where if not w.endswith(")"))]
    return Result(
        verdict.status,
        url,
        mine,
        verdict.detail,
        claim=claim.id,
        old_text=verdict.old_text,
        new_text=verdict.new_text,
        suggestion=verdict.moved_to,
    )


def _refresh_snapshot(path: Path, anchors: Anchors, parsed: dict[str, LearnPage]) -> None:
    """Replace the anchors of every page fetched today, in its own locale; keep the others as they were."""
    if not parsed:
        return
    for url, page in parsed.items():
        url_path = urlsplit(url).path
        anchors.setdefault(learn_locale(url_path), {})[learn_page_key(url_path)] = sorted(set(page.anchors))
    write_snapshot(anchors, f"live {LEARN} pages, {datetime.now(UTC).date().isoformat()}", path)


def write_reports(report: OnlineReport, directory: Path) -> None:
    """report.json and report.md in `directory`; ConfigurationError naming the path when it cannot be written."""
    data = {
        "generated": report.generated,
        "base_url": report.base_url,
        "summary": report.counts(),
        "exit_code": report.exit_code,
        "results": [asdict(r) for r in report.results],
    }
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
        (directory / "report.md").write_text(markdown_report(report), encoding="utf-8")
    except OSError as error:
        raise ConfigurationError(f"{directory}: cannot write the nightly report ({error.strerror or error})") from None


def markdown_report(report: OnlineReport) -> str:
    counts = report.counts()
    problems = [r for r in report.results if r.status in CONTENT_PROBLEMS]
    network = [r for r in report.results if r.status == "UNREACHABLE"]
    notices = [r for r in report.results if r.status in NOTICES]
    lines = [
        f"# Nightly Microsoft Learn check: {len(problems)} content problem(s), {len(notices)} notice(s), "
        f"{len(network)} unreachable",
        "",
        f"Checked {report.generated} against {report.base_url}.",
        "",
        "| Status | References |",
        "| --- | --- |",
        *[f"| {status} | {counts[status]} |" for status in sorted(counts)],
        "",
    ]
    sections = (
        (
            "Content problems",
            "Learn changed something the site relies on. Fix the page, the fact or the audited claim:",
            problems,
        ),
        (
            "Notices (reworded, value unchanged)",
            "Learn reworded the sentence; the value still stands. Update `evidence` in checks/facts.yml:",
            [r for r in notices if not r.claim],
        ),
        (
            "Notices (audited quote reworded or moved)",
            "Learn says the claim in other words or in another section; nothing contradicts it. Check the claim "
            "again and update `learn_quote` or `source.anchor` in checks/audit.yml:",
            [r for r in notices if r.claim],
        ),
        ("Network trouble (not content changes)", "These could not be fetched; nothing is known about them:", network),
    )
    for title, lead, results in sections:
        if results:
            lines += [f"## {title}", "", lead, "", *map(_bullet, results), ""]
    if not problems and not network and not notices:
        lines += ["Every reference is OK.", ""]
    return "\n".join(lines)


def _bullet(result: Result) -> str:
    subject = f" fact `{result.fact}`" if result.fact else f" claim `{result.claim}`" if result.claim else ""
    used = ", ".join(f"`{w}`" for w in result.where[:5]) + (" …" if len(result.where) > 5 else "")
    lines = [f"- **{result.status}**{subject} {result.url}: {result.detail}. Used at {used}."]
    if result.status == "FACT-CHANGED" and result.expected is not None:
        lines.append(f"  - value: registry `{result.expected}`, Learn now `{result.found or '(not stated)'}`")
    if result.old_text is not None and result.status != "OK":
        lines.append(f"  - {'audited quote' if result.claim else 'registry evidence'}: {result.old_text!r}")
        lines.append(f"  - Learn now: {result.new_text!r}" if result.new_text else "  - Learn now: (nothing similar)")
    if result.suggestion:
        found = "the quote now stands under" if result.status == "CLAIM-MOVED" else "nearest existing anchor:"
        lines.append(f"  - {found} `#{result.suggestion}`")
    return "\n".join(lines)
