"""`make nightly` builds the site it crawls as strictly as `make build`: a warning fails the target."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, project_copy

MAKEFILE = ROOT / "Makefile"


def _make_variable(name: str) -> str:
    """A Makefile variable as the recipe expands it, with this interpreter as $(PY)."""
    command = ["make", "-s", "--no-print-directory", "-f", str(MAKEFILE), "--eval", "print-%: ; @echo $($*)"]
    result = subprocess.run(
        [*command, f"print-{name}", f"PY={sys.executable}"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_nightly_recipe_builds_with_that_command():
    recipe = re.search(r"^nightly:.*\n((?:\t.*\n)+)", MAKEFILE.read_text(encoding="utf-8"), re.M)
    assert recipe and "$(NIGHTLY_BUILD) || exit 2;" in recipe.group(1)
    assert "mkdocs build" not in recipe.group(1)  # one build command, the one tested below


@pytest.mark.slow
def test_a_warning_fails_the_nightly_build(tmp_path: Path):
    project = project_copy(tmp_path)
    page = project / "docs" / "index.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[a heading](#no-such-heading)\n", encoding="utf-8")
    build = _make_variable("NIGHTLY_BUILD")
    assert "--strict" in build

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(["bash", "-c", build], cwd=project, env=env, capture_output=True, text=True, timeout=300)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "no-such-heading" in output and "Aborted with" in output, output
