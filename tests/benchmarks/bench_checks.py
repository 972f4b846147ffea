"""What the checks cost: their share of `mkdocs build`, and how they grow with the number of pages.

Run with `make bench`. Seconds depend on the machine, so this prints figures instead of asserting them.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from checks.engine import run_checks

ROOT = Path(__file__).resolve().parents[2]
RUNS = 3


def timed(function, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def build() -> None:
    with tempfile.TemporaryDirectory() as site:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", site]
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def synthetic_docs(directory: Path, pages_per_language: int) -> Path:
    """`pages_per_language` pages in Japanese and as many in English, cycling through the real pages."""
    docs = directory / "docs"
    docs.mkdir()
    stems = sorted(p.stem for p in (ROOT / "docs").glob("*.md") if "." not in p.stem)
    for index in range(pages_per_language):
        stem = stems[index % len(stems)]
        shutil.copyfile(ROOT / "docs" / f"{stem}.md", docs / f"page-{index:03d}.md")
        shutil.copyfile(ROOT / "docs" / f"{stem}.en.md", docs / f"page-{index:03d}.en.md")
    return docs


def main() -> None:
    build_seconds = timed(build)
    checks_seconds = timed(lambda: run_checks(ROOT / "docs"), runs=5)
    pages = len(list((ROOT / "docs").glob("*.md")))
    print(f"site: {pages} pages (both languages)")
    print(f"mkdocs build --strict (with checks): {build_seconds:.2f} s (median of {RUNS})")
    print(f"checks alone:                        {checks_seconds:.3f} s (median of 5)")
    print(f"checks' share of the build:          {checks_seconds / build_seconds:.1%}")
    print(f"build without checks (estimated):    {build_seconds - checks_seconds:.2f} s")
    print(f"overhead vs a build without checks:  {checks_seconds / (build_seconds - checks_seconds):.1%}")
    print("\nscaling (checks alone, generated pages × 2 languages):")
    print("  pages   seconds   ms/page")
    for per_language in (10, 50, 100, 200):
        with tempfile.TemporaryDirectory() as directory:
            docs = synthetic_docs(Path(directory), per_language)
            count = len(list(docs.glob("*.md")))
            seconds = timed(lambda docs=docs: run_checks(docs))
            print(f"  {count:5d}   {seconds:7.3f}   {1000 * seconds / count:7.2f}")


if __name__ == "__main__":
    main()
