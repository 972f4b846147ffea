"""What drawing diagrams at build time costs: `mkdocs build` with a cold and with a warm diagram cache.

Run with `make bench` (BENCH_RUNS=N for more builds per figure). A cold build starts Chromium and
draws every diagram; a warm one reads every SVG from the cache and starts no browser. Seconds depend
on the machine and on what else it does, so this prints medians instead of asserting them.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench_checks import build

from site_build.diagram_cache import CACHE_ENV

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def main() -> None:
    config = ROOT / "mkdocs.yml"
    cold, warm = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as cache:
            os.environ[CACHE_ENV] = cache
            cold.append(build(config))
            warm.append(build(config))
    print(f"mkdocs build, median of {RUNS} (wall s, and CPU s of the build and its child processes):")
    for name, samples in (("cold diagram cache", cold), ("warm diagram cache", warm)):
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        print(f"  {name:<20} {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
