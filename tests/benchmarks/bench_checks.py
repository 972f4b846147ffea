"""What the checks cost: their share of `mkdocs build`, and how they grow with the number of pages.

Run with `make bench` (BENCH_RUNS=N for more builds per figure). Seconds depend on the machine and
on what else it does, so this prints figures instead of asserting them. `make bench-instructions`
counts the instructions of the same builds under valgrind instead: slow, but the same on every run.

Three builds of the same site are compared, interleaved so that a busy moment hits all alike:
- without the checks: mkdocs.yml with the site's own hooks only (site_build/mkdocs_hook.py);
- with the checks, as `mkdocs build` runs them: beside the build, in a forked process;
- with the checks in the build's own process (CHECKS_PARALLEL=0, as on a platform without fork).
Wall time is what a contributor waits; CPU time (user + system, every process) is what the checks
really compute, wherever they run.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from checks.beside_build import PARALLEL_ENV
from checks.engine import run_checks
from checks.languages import languages
from checks.parity import source_hash_of

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
SITE_HOOKS_ONLY = "hooks:\n  - site_build/mkdocs_hook.py\n"
MODES = ("without the checks", "checks beside the build", "checks in the build's process")


def build_env(serial: bool) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", PARALLEL_ENV: "0" if serial else "1", "PYTHONHASHSEED": "0"}
    # Python caches compiled modules unless told not to (as some sandboxes do); measure the usual case.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def build(config: Path, *extra: str, serial: bool = False) -> tuple[float, ...]:
    """One `mkdocs build` in a fresh process; returns (wall seconds, CPU seconds of it and its children)."""
    env = build_env(serial)
    with tempfile.TemporaryDirectory() as site:
        command = [sys.executable, "-m", "mkdocs", "build", "-q", *extra, "-f", str(config), "-d", site]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=config.parent, env=env, check=True, capture_output=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions(config: Path, *extra: str, serial: bool = False) -> tuple[float, ...]:
    """One build under callgrind: instructions (in 1e9) of the build's own process."""
    env = build_env(serial)
    with tempfile.TemporaryDirectory() as scratch:
        # A forked process starts with its parent's counts, so only the build's own process is read:
        # with the checks beside the build, that is the cost on the build's path; in it, all of it.
        valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch}/callgrind.%p"]
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", *extra, "-f", str(config), "-d", f"{scratch}/site"]
        build = subprocess.Popen([*valgrind, *mkdocs], cwd=config.parent, env=env, stderr=subprocess.PIPE, text=True)
        _, stderr = build.communicate()
        if build.returncode:
            raise SystemExit(f"the build failed under valgrind:\n{stderr[-2000:]}")
    counts = {int(pid): int(n.replace(",", "")) for pid, n in re.findall(r"==(\d+)== Collected : ([\d,]+)", stderr)}
    return (counts[build.pid] / 1e9,)


def compare(builds: list[Callable[[], tuple[float, ...]]], runs: int) -> list[tuple[float, ...]]:
    """Median of each figure of each build, the builds run in turn `runs` times."""
    samples: list[list[tuple[float, ...]]] = [[] for _ in builds]
    for _ in range(runs):
        for function, bucket in zip(builds, samples, strict=True):
            bucket.append(function())
    return [tuple(statistics.median(column) for column in zip(*bucket, strict=True)) for bucket in samples]


def print_comparison(results: list[tuple[float, ...]], *columns: str, indent: str = "  ") -> None:
    print(indent + " " * 32 + "".join(f" {column:>10} {'ratio':>6}  " for column in columns))
    for mode, figures in zip(MODES, results, strict=True):
        cells = "".join(f" {x:10.2f} {x / base:6.3f}  " for x, base in zip(figures, results[0], strict=True))
        print(f"{indent}{mode:32}{cells}")


def timed(function: Callable[[], object], runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def synthetic_docs(directory: Path, pages_per_language: int) -> Path:
    """The real docs, grown to `pages_per_language` pages in each language with copies of its content pages."""
    docs = directory / "docs"
    shutil.copytree(ROOT / "docs", docs)
    real = [p.stem for p in sorted(docs.glob("*.md")) if "." not in p.stem]
    # One sources page per site: copies of content pages only, whose links still resolve to the real pages.
    content = [stem for stem in real if stem != "sources"]
    for index in range(pages_per_language - len(real)):
        stem = content[index % len(content)]
        for suffix in (".md", ".en.md"):
            shutil.copyfile(docs / f"{stem}{suffix}", docs / f"copy-{index:03d}-{stem}{suffix}")
    return docs


def synthetic_project(directory: Path, pages_per_language: int) -> tuple[Path, Path]:
    """A project of the grown docs; returns its configs with and without the checks."""
    docs = synthetic_docs(directory, pages_per_language)
    for name in ("checks", "site_build", "overrides", "node_modules"):
        (directory / name).symlink_to(ROOT / name)
    pages = sorted(docs.glob("*.md"), key=lambda page: (page.name.startswith("copy-"), page.name))
    nav = "".join(f"  - {page.name}\n" for page in pages if page.name.count(".") == 1)
    common = f"INHERIT: {ROOT / 'mkdocs.yml'}\nnav:\n{nav}"
    with_checks, without_checks = directory / "mkdocs.yml", directory / "without-checks.yml"
    with_checks.write_text(common, encoding="utf-8")
    without_checks.write_text(common + SITE_HOOKS_ONLY, encoding="utf-8")
    return with_checks, without_checks


def three_builds(measure: Callable[..., tuple[float, ...]], runs: int) -> list[tuple[float, ...]]:
    """`measure` of this site's build without the checks, with them beside it, with them in it."""
    baseline = ROOT / ".mkdocs-without-checks.yml"
    # INHERIT keeps everything of mkdocs.yml; a list such as `hooks` is replaced, not merged.
    baseline.write_text(f"INHERIT: mkdocs.yml\n{SITE_HOOKS_ONLY}", encoding="utf-8")
    config = ROOT / "mkdocs.yml"
    try:
        return compare(
            [
                lambda: measure(baseline, "--strict"),
                lambda: measure(config, "--strict"),
                lambda: measure(config, "--strict", serial=True),
            ],
            runs,
        )
    finally:
        baseline.unlink()


def with_languages_built(count: int) -> Path:
    """mkdocs.yml with only its first `count` languages built (static-i18n `build: false` for the
    rest), written beside it so that its relative paths hold; the caller removes it."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    kept = {language.code for language in languages()[:count]}

    def build_flag(match: re.Match[str]) -> str:
        return match[0] if match["code"] in kept else match[0].replace("build: true", "build: false")

    config = ROOT / f".mkdocs-{count}-languages.yml"
    pattern = r"- locale: (?P<code>[a-z]+)\n(?:\s+(?!- locale)[^\n]*\n)*?\s+build: true"
    config.write_text(re.sub(pattern, build_flag, text), encoding="utf-8")
    return config


def translated_docs(directory: Path, count: int) -> Path:
    """The real docs with every page in the first `count` languages: a language without its own
    pages gets copies of the Japanese ones (stamped, Learn links in its locale), as much to check."""
    docs = directory / "docs"
    shutil.copytree(ROOT / "docs", docs)
    for language in languages()[1:count]:
        for source in sorted(docs.glob("*.md")):
            translation = docs / f"{source.stem}.{language.code}.md"
            if "." in source.stem or translation.exists():
                continue
            text = source.read_text(encoding="utf-8").replace("/ja-jp/", f"/{language.learn_locale}/")
            translation.write_text(f"---\nsource_hash: {source_hash_of(source)}\n---\n\n{text}", encoding="utf-8")
    return docs


def language_scaling(runs: int) -> None:
    """Build and checks time at 2 and 4 languages: each must grow no faster than the languages."""
    counts = (2, len(languages()))
    print(f"\nlanguages (medians of {runs}; 'per language' is the time divided by the languages):")
    print("  languages   build s   per language   checks s   per language")
    figures = {}
    for count in counts:
        config = with_languages_built(count)
        try:
            build_seconds = statistics.median(build(config, "--strict")[0] for _ in range(runs))
        finally:
            config.unlink()
        with tempfile.TemporaryDirectory() as directory:
            docs = translated_docs(Path(directory), count)
            checks_seconds = timed(lambda docs=docs: run_checks(docs), runs)
        figures[count] = (build_seconds, checks_seconds)
        print(
            f"  {count:9d}   {build_seconds:7.2f}   {build_seconds / count:12.3f}"
            f"   {checks_seconds:8.3f}   {checks_seconds / count:12.3f}"
        )
    (build_2, checks_2), (build_4, checks_4) = figures[counts[0]], figures[counts[1]]
    languages_ratio = counts[1] / counts[0]
    print(
        f"  growth from {counts[0]} to {counts[1]} languages (x{languages_ratio:.1f} languages):"
        f" build x{build_4 / build_2:.2f}, checks x{checks_4 / checks_2:.2f}"
        f" ({'no faster' if max(build_4 / build_2, checks_4 / checks_2) <= languages_ratio else 'FASTER'}"
        " than linear)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instructions", action="store_true", help="count instructions under valgrind instead")
    parser.add_argument("--languages-only", action="store_true", help="only the 2- and 4-language figures")
    pages = len(list((ROOT / "docs").glob("*.md")))
    args = parser.parse_args()
    if args.languages_only:
        build(ROOT / "mkdocs.yml")
        language_scaling(max(3, RUNS // 2))
        return
    if args.instructions:
        build(ROOT / "mkdocs.yml")  # compiles and caches the modules' bytecode, as a first build does
        print(f"mkdocs build --strict of this site ({pages} pages): instructions of the build's process")
        print_comparison(three_builds(instructions, 1), "1e9 instr")
        return
    print(f"{os.cpu_count()} CPUs; medians of {RUNS} builds after a first one")
    build(ROOT / "mkdocs.yml")
    print(f"\nmkdocs build --strict of this site ({pages} pages, every language):")
    print_comparison(three_builds(build, RUNS), "wall s", "CPU s")
    print(f"\nchecks alone, in process: {timed(lambda: run_checks(ROOT / 'docs')):.3f} s (median of 5)")
    print("\nscaling (checks alone, generated pages × 2 languages):")
    print("  pages   seconds   ms/page")
    for per_language in (10, 50, 100, 200):
        with tempfile.TemporaryDirectory() as directory:
            docs = synthetic_docs(Path(directory), per_language)
            count = len(list(docs.glob("*.md")))
            seconds = timed(lambda docs=docs: run_checks(docs))
            print(f"  {count:5d}   {seconds:7.3f}   {1000 * seconds / count:7.2f}")
    runs = max(3, RUNS // 2)
    print(f"\nmkdocs build of a generated site, 100 pages × 2 languages (medians of {runs}):")
    with tempfile.TemporaryDirectory() as directory:
        with_config, without_config = synthetic_project(Path(directory), 100)
        results = compare(
            [
                lambda: build(without_config, "--strict"),
                lambda: build(with_config, "--strict"),
                lambda: build(with_config, "--strict", serial=True),
            ],
            runs,
        )
    print_comparison(results, "wall s", "CPU s")
    language_scaling(runs)


if __name__ == "__main__":
    main()
