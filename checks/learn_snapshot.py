"""The committed snapshot of Microsoft Learn heading anchors that the offline link check reads.

The build never touches the network: it checks `#anchor`s against checks/learn_anchors.json.
The anchors are kept per locale (`locales: {en-us: {page: [anchors]}, ja-jp: {...}}`): a
translated page lags the English one by weeks, so its headings are not the English page's.
This module refreshes that file, from the Markdown sources of Learn (a git mirror of
MicrosoftDocs/azure-aks-docs: English only, so every locale gets the English anchors) or, in the
nightly job, from the live pages of each locale. Learn's localized pages (ja-jp, zh-cn, ko-kr ...)
keep the heading ids of the en-us source they are translated from, so the English anchors hold for
every locale of checks/languages.yml until a translation lags behind; the nightly sees that.
Usage: python -m checks.learn_snapshot --mirror DIR [--extra PAGE=MARKDOWN_FILE ...]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
from pathlib import Path

from checks.findings import ConfigurationError, display_path
from checks.languages import LEARN_LOCALES
from checks.yaml_files import read_text_file

SNAPSHOT = Path(__file__).with_name("learn_anchors.json")
# The locales the site links to (checks/languages.yml learn_locale); en-us is what the registry cites.
LOCALES = LEARN_LOCALES
DEFAULT_LOCALE = "en-us"
# Learn reads a locale in any case (/ZH-CN/ opens /zh-cn/): so do the checks, which then ask for it in lower case.
_LOCALE = re.compile(r"[a-z]{2}-[a-z]{2}", re.I)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EXPLICIT = re.compile(r'<a\s+(?:name|id)\s*=\s*"([^"]+)"\s*>(?:\s*</a>)?', re.I)


def learn_anchor(heading: str) -> str:
    """The id Learn gives a heading: lowercase, markup and punctuation dropped, spaces to hyphens."""
    text = _EXPLICIT.sub("", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.strip().replace(" ", "-")


def anchors_from_markdown(markdown: str) -> list[str]:
    lines = markdown.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        lines = lines[end + 1 :]
    anchors: list[str] = []
    seen: dict[str, int] = {}
    in_fence = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        match = _HEADING.match(line) if not in_fence else None
        # `#### [Azure CLI](#tab/azure-cli)` opens a tab: Learn renders a tab, not a heading.
        if not match or "(#tab/" in match.group(2):
            continue
        anchors.extend(_EXPLICIT.findall(match.group(2)))
        anchor = learn_anchor(match.group(2))
        count = seen.get(anchor, 0)
        seen[anchor] = count + 1
        anchors.append(anchor if count == 0 else f"{anchor}-{count}")
    return anchors


def learn_page_key(url_path: str) -> str:
    """`/ja-jp/azure/aks/x` and `/en-us/azure/aks/x` are the same page: `azure/aks/x`."""
    parts = [p for p in url_path.split("/") if p]
    if parts and _LOCALE.fullmatch(parts[0]):
        parts = parts[1:]
    return "/".join(parts)


def learn_locale(url_path: str, default: str = DEFAULT_LOCALE) -> str:
    """The locale a Learn URL path names (`/ja-jp/...` -> ja-jp), else `default`."""
    first = next((p for p in url_path.split("/") if p), "")
    return first.lower() if _LOCALE.fullmatch(first) else default


Anchors = dict[str, dict[str, list[str]]]


def load_snapshot(path: Path = SNAPSHOT) -> Anchors:
    """locale -> page key -> anchors. A file of the first format (`pages`, one list per page, read
    from the English Markdown) is read as those anchors for every locale it was used for."""
    where = display_path(path)
    text = read_text_file(path, "Learn anchor snapshot")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigurationError(f"{where}:{error.lineno}: [registry/json] not valid JSON: {error.msg}") from None
    try:
        if not isinstance(data, dict):
            raise TypeError("the file must be a JSON object")
        if "locales" not in data:
            return {locale: _pages(data["pages"], "pages") for locale in LOCALES}
        if not isinstance(data["locales"], dict):
            raise TypeError("locales must map each locale to its pages")
        return {locale: _pages(pages, f"locales.{locale}") for locale, pages in data["locales"].items()}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigurationError(f"{where}:1: [registry/json] not a Learn anchor snapshot: {error}") from None


def _pages(pages: object, where: str) -> dict[str, list[str]]:
    """Page key -> anchors, checked the same way in both formats; TypeError naming the key otherwise."""
    if not isinstance(pages, dict):
        raise TypeError(f"{where} must map page keys to lists of anchors")
    for key, anchors in pages.items():
        if not isinstance(anchors, list) or not all(isinstance(a, str) for a in anchors):
            raise TypeError(f"{where}.{key} must be a list of anchors (strings), not {json.dumps(anchors)[:60]}")
    return dict(pages)


def write_snapshot(anchors: Anchors, source: str, path: Path = SNAPSHOT) -> None:
    locales = {locale: {key: pages[key] for key in sorted(pages)} for locale, pages in sorted(anchors.items())}
    data = {"source": source, "locales": locales}
    # Written aside and renamed: a disk that fails mid-write leaves the old snapshot whole.
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        partial.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise ConfigurationError(
            f"{path}: cannot write the Learn anchor snapshot ({error.strerror or error})"
        ) from None


def _from_mirror(mirror: Path, keys: list[str]) -> dict[str, list[str]]:
    pages = {}
    for key in keys:
        if not key.startswith("azure/aks/"):
            continue
        file = f"articles/aks/{key.removeprefix('azure/aks/')}.md"
        shown = subprocess.run(["git", "-C", str(mirror), "show", f"HEAD:{file}"], capture_output=True, text=True)
        if shown.returncode == 0:
            pages[key] = anchors_from_markdown(shown.stdout)
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, required=True, help="git mirror of MicrosoftDocs/azure-aks-docs")
    parser.add_argument("--extra", action="append", default=[], help="PAGE=FILE: a page from another repository")
    parser.add_argument("pages", nargs="+", help="page keys such as azure/aks/concepts-network")
    args = parser.parse_args()
    commit = subprocess.run(["git", "-C", str(args.mirror), "rev-parse", "HEAD"], capture_output=True, text=True)
    pages = _from_mirror(args.mirror, args.pages)
    for extra in args.extra:
        key, _, file = extra.partition("=")
        pages[key] = anchors_from_markdown(Path(file).read_text(encoding="utf-8"))
    source = (
        f"MicrosoftDocs/azure-aks-docs@{commit.stdout.strip()} (Markdown sources; English anchors for every locale)"
    )
    write_snapshot({locale: pages for locale in LOCALES}, source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
