"""Lighthouse on every page of every language: the mobile preset, median of several runs per page.

Run with `make lighthouse` (LIGHTHOUSE_RUNS=N for another number of runs). The site is built into a
temporary directory (or `--site DIR` is used as it is) and served on 127.0.0.1 with gzip, as GitHub
Pages serves it: an uncompressed server would make the byte weights mislead. Scores move by several
points between runs on a busy machine, so this prints figures instead of asserting them; take them
on a quiet machine. Per page it prints the median of each figure over the runs, and the audits of
accessibility, best practices and SEO that failed in any run.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from checks.pages import page_files

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# GitHub Pages compresses text responses and lets browsers keep them for ten minutes.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
CACHE_CONTROL = "max-age=600"
RUN_TIMEOUT = 180


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it, with GitHub Pages' cache lifetime."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            super().do_GET()  # redirects a directory without its slash, answers 404 otherwise
            return
        body = path.read_bytes()
        content_type = self.guess_type(str(path))
        compress = "gzip" in self.headers.get("Accept-Encoding", "") and content_type.startswith(COMPRESSED_TYPES)
        if compress:
            body = gzip.compress(body, compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", CACHE_CONTROL)
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def fail(message: str, code: int = 1) -> NoReturn:
    """Stop with `message`: 2 when the tools are missing, 1 when a build or a run failed."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run (mobile preset, its default) of `url`; returns the JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    if result.returncode != 0 or not report.is_file():
        fail(f"lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def figures(report: dict) -> dict[str, float]:
    """Scores (0-100), Total Blocking Time (ms) and transferred bytes of one Lighthouse report."""
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    audits = report["audits"]
    resources = {item["resourceType"]: item for item in audits["resource-summary"]["details"]["items"]}
    return {
        **scores,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "js_bytes": resources.get("script", {}).get("transferSize", 0),
    }


def failed_audits(report: dict) -> set[str]:
    """The audits of every category but performance that did not pass."""
    failed = set()
    for name in CATEGORIES[1:]:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failed.add(f"{name}: {ref['id']}")
    return failed


def measure(base_url: str, pages: list[str], runs: int, work: Path) -> list[dict]:
    rows = []
    for page in pages:
        reports = [lighthouse(base_url + page, work / f"run-{run}.json") for run in range(runs)]
        per_run = [figures(report) for report in reports]
        median = {key: statistics.median(run[key] for run in per_run) for key in per_run[0]}
        failed = sorted(set().union(*(failed_audits(report) for report in reports)))
        rows.append({"page": page or "/", **median, "failed": failed})
    return rows


def print_table(rows: list[dict], runs: int) -> None:
    print(f"Lighthouse mobile preset, median of {runs} run(s) per page, served with gzip on 127.0.0.1")
    header = f"{'page':<24} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'TBT ms':>7} {'total KB':>9} {'JS KB':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<24} {row['performance']:>4.0f} {row['accessibility']:>4.0f} "
            f"{row['best-practices']:>4.0f} {row['seo']:>4.0f} {row['tbt_ms']:>7.0f} "
            f"{row['bytes'] / 1024:>9.1f} {row['js_bytes'] / 1024:>8.1f}"
        )
    for row in rows:
        for audit in row["failed"]:
            print(f"  {row['page']}: failed {audit}")


def build_site(site: Path) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("LIGHTHOUSE_RUNS", "3")))
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--page", action="append", dest="pages", help="a page path such as en/flat/ (default: all)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        fail(f"{LIGHTHOUSE} is missing: run `make install` (npm ci installs the pinned lighthouse)", 2)
    if not Path(CHROMIUM).is_file():
        fail(f"Chromium is missing at {CHROMIUM}: run `make system-deps` or set CHROMIUM=/path/to/chrome", 2)
    pages = args.pages or [page.url for page in page_files(ROOT / "docs")]
    with tempfile.TemporaryDirectory() as work:
        site = args.site or Path(work) / "site"
        if args.site is None:
            build_site(site)
        with served(site) as base_url:
            rows = measure(base_url, pages, args.runs, Path(work))
    print_table(rows, args.runs)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
