"""Findings: the one record every rule returns and every output format renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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


class ConfigurationError(Exception):
    """The check suite cannot run: a broken registry, a missing file. Exit code 2, never a traceback."""
