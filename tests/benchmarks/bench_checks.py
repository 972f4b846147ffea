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
RUNS = 5
# The same site with every hook but the checks (INHERIT keeps everything else of mkdocs.yml).
WITHOUT_CHECKS = """INHERIT: mkdocs.yml
hooks:
  - tests/benchmarks/hooks_without_checks.py
"""


def interleaved(first, second, runs: int = RUNS) -> tuple[float, float]:
    """Medians of two commands run in turn, so that a busy moment of the machine hits both alike."""
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for function, bucket in ((first, samples[0]), (second, samples[1])):
            start = time.perf_counter()
            function()
            bucket.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def timed(function, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def build(config: Path, *extra: str) -> None:
    with tempfile.TemporaryDirectory() as site:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "mkdocs", "build", "-q", *extra, "-f", str(config), "-d", site]
        subprocess.run(command, cwd=config.parent, env=env, check=True, capture_output=True)


def synthetic_docs(directory: Path, pages_per_language: int) -> Path:
    """`pages_per_language` pages in Japanese and as many in English, cycling through the real pages."""
    docs = directory / "docs"
    docs.mkdir()
    # Content pages only: a site has one sources page, and each copy of it would list every page.
    stems = sorted(p.stem for p in (ROOT / "docs").glob("*.md") if "." not in p.stem and p.stem != "sources")
    for index in range(pages_per_language):
        stem = stems[index % len(stems)]
        shutil.copyfile(ROOT / "docs" / f"{stem}.md", docs / f"page-{index:03d}.md")
        shutil.copyfile(ROOT / "docs" / f"{stem}.en.md", docs / f"page-{index:03d}.en.md")
    return docs


def synthetic_project(directory: Path, pages_per_language: int) -> tuple[Path, Path]:
    """A project of generated pages, built with and without the checks; returns the two configs."""
    docs = synthetic_docs(directory, pages_per_language)
    for assets in ("javascripts", "stylesheets"):
        shutil.copytree(ROOT / "docs" / assets, docs / assets)
    for name in ("checks", "overrides", "node_modules", "tests"):
        (directory / name).symlink_to(ROOT / name)
    nav = "".join(f"  - {page.name}\n" for page in sorted(docs.glob("*.md")) if page.name.count(".") == 1)
    # Generated pages keep the real pages' links to anchors of pages that are not there: no --strict.
    common = f"INHERIT: {ROOT / 'mkdocs.yml'}\nstrict: false\nnav:\n{nav}"
    with_checks, without_checks = directory / "mkdocs.yml", directory / "without-checks.yml"
    with_checks.write_text(common, encoding="utf-8")
    without_checks.write_text(common + "hooks:\n  - tests/benchmarks/hooks_without_checks.py\n", encoding="utf-8")
    return with_checks, without_checks


def main() -> None:
    baseline_config = ROOT / ".mkdocs-without-checks.yml"
    baseline_config.write_text(WITHOUT_CHECKS, encoding="utf-8")
    try:
        with_checks, without_checks = interleaved(
            lambda: build(ROOT / "mkdocs.yml", "--strict"), lambda: build(baseline_config, "--strict")
        )
    finally:
        baseline_config.unlink()
    checks_seconds = timed(lambda: run_checks(ROOT / "docs"), runs=5)
    pages = len(list((ROOT / "docs").glob("*.md")))
    print(f"site: {pages} pages (both languages); medians of {RUNS} builds")
    print(f"mkdocs build --strict with the checks:    {with_checks:.2f} s")
    print(f"mkdocs build --strict without the checks: {without_checks:.2f} s")
    print(f"ratio with / without:                     {with_checks / without_checks:.3f}")
    print(f"checks alone, in process:                 {checks_seconds:.3f} s (median of 5)")
    print("\nscaling (checks alone, generated pages × 2 languages):")
    print("  pages   seconds   ms/page")
    for per_language in (10, 50, 100, 200):
        with tempfile.TemporaryDirectory() as directory:
            docs = synthetic_docs(Path(directory), per_language)
            count = len(list(docs.glob("*.md")))
            seconds = timed(lambda docs=docs: run_checks(docs))
            print(f"  {count:5d}   {seconds:7.3f}   {1000 * seconds / count:7.2f}")
    print("\nfull build of a generated site, 100 pages × 2 languages (median of 3):")
    with tempfile.TemporaryDirectory() as directory:
        with_config, without_config = synthetic_project(Path(directory), 100)
        with_checks, without_checks = interleaved(lambda: build(with_config), lambda: build(without_config), runs=3)
    ratio = with_checks / without_checks
    print(f"  with the checks {with_checks:.2f} s, without {without_checks:.2f} s, ratio {ratio:.3f}")


if __name__ == "__main__":
    main()
