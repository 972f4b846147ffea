"""Copy the pinned, self-hosted mermaid ESM build into the built site."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
MERMAID_DIST = ROOT / "node_modules" / "mermaid" / "dist"
SITE_VENDOR_DIR = Path("javascripts") / "vendor" / "mermaid"
ENTRY = "mermaid.esm.min.mjs"


def copy_mermaid(site_dir: Path) -> int:
    """Copy the ESM entry and its chunks (no source maps); return the number of bytes copied."""
    entry = MERMAID_DIST / ENTRY
    chunks = MERMAID_DIST / "chunks" / "mermaid.esm.min"
    if not entry.is_file() or not chunks.is_dir():
        raise PluginError(
            f"mermaid is not installed: {entry} is missing. Run `make install` (npm ci) first; "
            "the site never loads mermaid from a CDN."
        )
    target = site_dir / SITE_VENDOR_DIR
    if target.exists():
        shutil.rmtree(target)
    (target / "chunks" / "mermaid.esm.min").mkdir(parents=True)
    copied = 0
    for source in [entry, *sorted(chunks.glob("*.mjs"))]:
        destination = target / source.relative_to(MERMAID_DIST)
        shutil.copyfile(source, destination)
        copied += destination.stat().st_size
    return copied
