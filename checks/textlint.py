"""python -m checks.textlint: the Japanese pages linted by textlint, its findings as the checks' records.

textlint (pinned in package.json) runs the preset ja-technical-writing, tuned in .textlintrc.yml, and
prh fed from the glossary: every `variants.ja` word of checks/glossary.yml is reported with its `ja`
term. Only pages in the source language are read (flat.md, never flat.en.md or flat.zh.md).

Exit codes: 0 no findings, 1 findings, 2 setup or configuration error (textlint not installed, a
broken glossary).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from checks.findings import ConfigurationError, Finding, display_path
from checks.markdown_doc import lifted_lines
from checks.pages import SOURCE_LOCALE, page_files
from checks.report import FORMATS, render
from checks.yaml_files import load_yaml_file

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "checks" / "glossary.yml"
CONFIG = ROOT / ".textlintrc.yml"
BUILD_DIR = ROOT / "build" / "textlint"
# The .textlintrc.yml's prh rule reads this path (relative to the repository).
PRH_RULES = BUILD_DIR / "prh.yml"
# Where textlint is installed; tests point it elsewhere to see the message a missing install gives.
BIN_DIR_VARIABLE = "TEXTLINT_BIN_DIR"
INSTALL_HINT = "install it with `make install` (npm ci installs the textlint pinned in package.json)"
_JS_SPECIAL = re.compile(r"[\\^$.*+?()[\]{}|/-]")
_SPACES = re.compile(r"\s+")


def _js_escape(text: str) -> str:
    return _JS_SPECIAL.sub(lambda m: "\\" + m[0], text)


def variant_pattern(variant: str, allowed: list[str]) -> str:
    """A prh regex for `variant` that does not fire where it is part of an allowed word or phrase.

    For each place the variant takes in an allowed word (before + variant + after), the match is refused
    when it is preceded by `before` and followed by `after`: コンテナ(?!ー) for コンテナー.
    """
    guards = []
    for word in allowed:
        start = word.find(variant)
        while start != -1:
            before, after = word[:start], word[start + len(variant) :]
            if before and after:
                guards.append(f"(?!(?<={_js_escape(before + variant)}){_js_escape(after)})")
            elif after:
                guards.append(f"(?!{_js_escape(after)})")
            elif before:
                guards.append(f"(?<!{_js_escape(before + variant)})")
            start = word.find(variant, start + 1)
    return f"/{_js_escape(variant)}{''.join(guards)}/"


def prh_rules(glossary: Path) -> dict:
    """prh's rule file from the glossary: expected = the `ja` term, patterns = its `variants.ja`."""
    where = display_path(glossary)
    _, data = load_yaml_file(glossary, "glossary")
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, list):
        raise ConfigurationError(f"{where}: the glossary must be a mapping with a list of `terms`")
    rules = []
    for number, term in enumerate(terms, 1):
        if not isinstance(term, dict) or not isinstance(term.get("ja"), str):
            raise ConfigurationError(f"{where}: term {number} has no `ja` term (a string)")
        variants = (term.get("variants") or {}).get("ja") or []
        allowed = (term.get("allowed_in") or {}).get("ja") or []
        if not all(isinstance(word, str) and word for word in [*variants, *allowed]):
            raise ConfigurationError(f"{where}: term {term.get('id', number)}: variants and allowed_in must be words")
        if variants:
            patterns = [variant_pattern(variant, [term["ja"], *allowed]) for variant in variants]
            rules.append({"expected": term["ja"], "patterns": patterns})
    return {"version": 1, "rules": rules}


def japanese_pages(docs_dir: Path, chosen: list[Path] | None = None) -> list[Path]:
    """The source-language pages of `docs_dir` (all, or those of `chosen`): a new language is left out by its suffix."""
    pages = [page.path for page in page_files(docs_dir) if page.locale == SOURCE_LOCALE]
    if chosen is None:
        return pages
    wanted = {path.resolve() for path in chosen}
    return [path for path in pages if path.resolve() in wanted]


def reader_view(page: Path) -> str:
    """The page as textlint must read it, line for line: Python-Markdown's admonitions, which CommonMark
    takes for code blocks, become their title as a heading and their body as paragraphs."""
    lines, doc = lifted_lines(page, page.read_text(encoding="utf-8"))
    for box in doc.admonitions:
        if box.title:
            lines[box.line - 1] = f"#### {box.title}"
    return "\n".join(lines)


def textlint_bin() -> Path:
    bin_dir = Path(os.environ.get(BIN_DIR_VARIABLE) or ROOT / "node_modules" / ".bin")
    textlint = bin_dir / "textlint"
    if not os.access(textlint, os.X_OK):
        raise ConfigurationError(f"textlint is not installed ({display_path(textlint)} not found): {INSTALL_HINT}")
    return textlint


def _write_prh_rules(rules: dict) -> None:
    # Replaced in one step: a textlint run beside this one (pre-commit, a test) never reads half a file.
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=BUILD_DIR, suffix=".yml", delete=False) as file:
        yaml.safe_dump(rules, file, allow_unicode=True, sort_keys=False)
    os.replace(file.name, PRH_RULES)


def lint(pages: list[Path], glossary: Path = GLOSSARY) -> list[Finding]:
    """textlint's findings on `pages`, each at the page's own file and line."""
    textlint = textlint_bin()
    _write_prh_rules(prh_rules(glossary))
    if not pages:
        return []
    with tempfile.TemporaryDirectory(prefix="pages-", dir=BUILD_DIR) as views:
        originals = {}
        for number, page in enumerate(pages):
            # One folder per page: two docs folders may hold pages of the same name.
            view = Path(views) / str(number) / page.name
            view.parent.mkdir()
            view.write_text(reader_view(page), encoding="utf-8")
            originals[str(view.resolve())] = page
        command = [str(textlint), "--config", str(CONFIG), "--format", "json", *originals]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ConfigurationError(f"textlint failed (exit {result.returncode}): {detail[0]}") from None
    findings = []
    for file in report:
        page = display_path(originals[str(Path(file["filePath"]).resolve())])
        for message in file["messages"]:
            rule = message.get("ruleId") or "textlint"
            text = _SPACES.sub(" ", message.get("message", "")).strip()
            hint = (
                "write the glossary's term (checks/glossary.yml)"
                if rule == "prh"
                else "reword the sentence; the rule's tuning and its reasons are in .textlintrc.yml"
            )
            findings.append(Finding(page, message.get("line", 1), f"textlint/{rule}", text, hint))
    return sorted(findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checks.textlint", description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path, help="pages to lint (default: every Japanese page)")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="docs directory (default: docs)")
    parser.add_argument("--glossary", type=Path, default=GLOSSARY, help="glossary (default: checks/glossary.yml)")
    parser.add_argument("--format", choices=FORMATS, default="terminal", help="output format (default: terminal)")
    args = parser.parse_args(argv)
    try:
        pages = japanese_pages(args.docs, args.pages or None)
        findings = lint(pages, args.glossary)
    except ConfigurationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    output = render(findings, args.format)
    if output:
        print(output)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
