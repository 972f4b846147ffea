"""python -m checks: run the site's checks, or stamp a translation with the source version it translates.

Exit codes: 0 no errors, 1 findings with errors, 2 usage or configuration error; with --online,
3 means network trouble only (no content change is known).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

from checks.engine import run_checks
from checks.findings import ConfigurationError
from checks.learn_claims import AUDIT, load_claims
from checks.learn_client import PAGE_BYTES, PAGE_SECONDS, RUN_SECONDS, LearnClient
from checks.learn_snapshot import SNAPSHOT
from checks.online import EXIT_NETWORK, markdown_report, run_online
from checks.registry import REGISTRY, load_registry
from checks.report import FORMATS, render
from checks.site import load_site
from checks.translations import stamp_translation

# A day: longer than any night's job, and far below the timeouts the OS and threading accept.
MAX_SECONDS = 86_400.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checks", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    check = commands.add_parser("check", help="check every page (the default command)")
    check.add_argument("--docs", type=Path, default=Path("docs"), help="docs directory (default: docs)")
    check.add_argument("--registry", type=Path, default=REGISTRY, help="fact registry (default: checks/facts.yml)")
    check.add_argument("--snapshot", type=Path, default=SNAPSHOT, help="Learn anchor snapshot")
    check.add_argument("--audit", type=Path, default=AUDIT, help="the claim audit (default: checks/audit.yml)")
    check.add_argument("--format", choices=FORMATS, default="terminal", help="output format (default: terminal)")
    check.add_argument("--output", type=Path, help="write the report to this file instead of stdout")
    check.add_argument(
        "--online",
        action="store_true",
        help="nightly mode: fetch every cited Learn page and classify each reference; exit 0 OK, "
        "1 content problems, 3 network trouble only; refreshes the anchor snapshot",
    )
    check.add_argument(
        "--report-dir",
        type=Path,
        default=Path("build/nightly"),
        help="with --online: where report.md and report.json go (default: build/nightly)",
    )
    check.add_argument(
        "--retries", type=_positive(int, zero=True), default=3, help="with --online: retries after a failed request"
    )
    check.add_argument(
        "--backoff",
        type=_positive(float, zero=True),
        default=2.0,
        help="with --online: first retry delay in seconds, doubled each time (Retry-After wins)",
    )
    check.add_argument(
        "--deadline",
        type=_positive(float, most=MAX_SECONDS),
        default=RUN_SECONDS,
        metavar="SECONDS",
        help="with --online: the whole run's time; pages not done by then are UNREACHABLE "
        f"(default: {RUN_SECONDS:g}, at most {MAX_SECONDS:g})",
    )
    check.add_argument(
        "--page-seconds",
        type=_positive(float, most=MAX_SECONDS),
        default=PAGE_SECONDS,
        metavar="SECONDS",
        help="with --online: one page's time, every attempt and its reading included "
        f"(default: {PAGE_SECONDS:g}, at most {MAX_SECONDS:g})",
    )
    check.add_argument(
        "--page-bytes",
        type=_positive(int),
        default=PAGE_BYTES,
        metavar="BYTES",
        help=f"with --online: one page's size, on the wire and decompressed (default: {PAGE_BYTES})",
    )
    stamp = commands.add_parser("stamp", help="record in a translation which version of its source it translates")
    stamp.add_argument("translations", nargs="+", type=Path, help="translated pages, e.g. docs/flat.en.md")
    args = parser.parse_args(["check", *(argv if argv is not None else sys.argv[1:])] if _default(argv) else argv)
    try:
        if args.command == "stamp":
            for path in args.translations:
                print(stamp_translation(path))
            return 0
        if args.command == "check" and args.online:
            return _online(args)
        report = run_checks(args.docs, args.registry, args.snapshot, audit_path=args.audit)
    except ConfigurationError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    text = render(report.findings, args.format)
    if args.output:
        try:
            args.output.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            print(
                f"configuration error: {args.output}: cannot write the report: {error.strerror or error}",
                file=sys.stderr,
            )
            return 2
    else:
        print(text)
    return 1 if report.errors else 0


def _online(args: argparse.Namespace) -> int:
    site, _ = load_site(args.docs)
    client = LearnClient(
        retries=args.retries, backoff=args.backoff, page_seconds=args.page_seconds, max_bytes=args.page_bytes
    )
    registry = load_registry(args.registry)
    claims = load_claims(args.audit)
    report = run_online(
        site, registry, args.snapshot, client, deadline=args.deadline, report_dir=args.report_dir, claims=claims
    )
    print(markdown_report(report))
    if report.exit_code == EXIT_NETWORK:
        print(
            "network trouble only: some Learn pages could not be fetched; no content change is known", file=sys.stderr
        )
    return report.exit_code


def _positive(
    kind: type[float] | type[int], *, zero: bool = False, most: float = math.inf
) -> Callable[[str], float | int]:
    """An argparse type: a finite number above 0 (or from 0 with `zero`), at most `most`; anything else is exit 2."""

    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {kind.__name__}") from None
        if not (value >= 0 if zero else value > 0) or not value < math.inf:
            raise argparse.ArgumentTypeError(f"{text!r} must be {'0 or more' if zero else 'greater than 0'}")
        if value > most:
            raise argparse.ArgumentTypeError(f"{text!r} is more than the {most:g} allowed")
        return value

    return parse


def _default(argv: list[str] | None) -> bool:
    """No command, or only options: the command is `check`."""
    words = argv if argv is not None else sys.argv[1:]
    return not words or words[0] not in ("check", "stamp", "-h", "--help")


if __name__ == "__main__":
    sys.exit(main())
