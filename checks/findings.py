"""Findings: the one record every rule returns and every output format renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class WithFindings:
    """A result that holds findings: its errors fail a build, its warnings only inform."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def display_path(path: Path) -> str:
    """A path as findings show it: relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class ConfigurationError(Exception):
    """The check suite cannot run: a broken registry, a missing file. Exit code 2, never a traceback."""
