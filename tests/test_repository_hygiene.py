"""The repository carries no path of one particular machine: what it names must exist on every clone."""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT

# A home directory or a workspace root is somebody's machine, not the project.
_MACHINE_PATH = re.compile(r"(?<![\w.~])/(?:work|home|Users|root)/[\w.+-]+")


def test_no_tracked_file_names_a_machine_path():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    found = []
    for name in filter(None, tracked.stdout.split("\0")):
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".gz"} or name == "package-lock.json":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if _MACHINE_PATH.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    hint = "paths of one machine (use a path relative to the repository, or an argument):\n"
    assert not found, hint + "\n".join(found)
