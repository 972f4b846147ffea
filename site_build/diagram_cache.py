"""Rendered diagrams kept on disk by content, so an unchanged diagram is never drawn twice."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "DIAGRAM_CACHE_DIR"


def cache_dir() -> Path:
    """`.cache/diagrams/` beside mkdocs.yml's project, or the directory `DIAGRAM_CACHE_DIR` names."""
    return Path(os.environ.get(CACHE_ENV) or ROOT / ".cache" / "diagrams")


class DiagramCache:
    def __init__(self, directory: Path, renderer_identity: dict[str, object]) -> None:
        self.directory = directory
        # What changes a drawing besides its source: mermaid's version, the rendering configuration
        # and the render page that tidies the SVG.
        self._identity = json.dumps(renderer_identity, sort_keys=True, ensure_ascii=False)

    def key(self, source: str, language: str) -> str:
        material = json.dumps([self._identity, language, source], ensure_ascii=False)
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def get(self, key: str) -> str | None:
        try:
            return (self.directory / f"{key}.svg").read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def put(self, key: str, svg: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a concurrent build never reads half a file.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.directory, delete=False, suffix=".tmp") as f:
            f.write(svg)
        os.replace(f.name, self.directory / f"{key}.svg")
