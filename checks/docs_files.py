"""The files under docs/, judged before MkDocs or the checks read them.

MkDocs copies every file of docs/ into the site, following symlinks, and crashes on a page it
cannot decode or nest: these problems must stop the build before MkDocs collects the files
(checks/mkdocs_hook.py runs them in on_pre_build), and the checks report them too.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from checks.findings import Finding, display_path
from checks.yaml_files import AliasBombError, check_expanded_size, error_line, error_text

# A page larger than this is not a page someone wrote (a log, a dump): the checks do not read it.
MAX_PAGE_BYTES = 2_000_000
# Python-Markdown recurses once per level of nesting and overflows the stack a few hundred levels down.
MAX_NESTING = 40
_QUOTES = re.compile(r"[ \t>]*")
_NESTING_TAG = re.compile(r"<(/?)(div|section|article|aside|details|blockquote|ul|ol|li|table|td)\b[^>]*?(/?)>", re.I)
_TEXT_HINT = "Markdown pages must be UTF-8 text; move binary files out of docs/ or give them their real extension"


@dataclass(frozen=True)
class FileProblem:
    rule: str
    message: str
    hint: str


def file_problem(path: Path, docs_dir: Path) -> FileProblem | None:
    """What is wrong with `path` as a file of docs/: a hardlink, a FIFO, socket or device, or a symlink that
    loops, dangles or leaves docs/."""
    if not path.is_symlink():
        return special_file_problem(path) or _hardlink_problem(path)
    target = os.readlink(path)
    try:
        resolved = path.resolve(strict=True)
    except RuntimeError:
        return FileProblem(
            "files/symlink-loop",
            f"the symlink (to {target}) leads back to itself",
            "delete the symlink, or point it at a real file in docs/",
        )
    except OSError:
        return FileProblem(
            "files/symlink-broken",
            f"the symlink points at {target}, which does not exist",
            "delete the symlink, or point it at a file in docs/",
        )
    docs = docs_dir.resolve()
    if not resolved.is_relative_to(docs):
        return FileProblem(
            "files/symlink-outside-docs",
            f"the symlink points outside docs/ (to {resolved}); the build would publish that file",
            "copy the file into docs/ if it belongs to the site, else delete the symlink",
        )
    if resolved.is_dir() and path.parent.resolve().is_relative_to(resolved):
        return FileProblem(
            "files/symlink-loop",
            f"the symlink points at {target}, a folder that contains it: MkDocs would walk it forever",
            "delete the symlink",
        )
    return None


def _hardlink_problem(path: Path) -> FileProblem | None:
    # A second name of a file may be anywhere on the disk (ln /etc/passwd docs/x): nothing tells where
    # the other names are, so any regular file with more than one is refused. git never makes hardlinks.
    try:
        status = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode) or status.st_nlink < 2:
        return None
    return FileProblem(
        "files/hardlink",
        f"the file has {status.st_nlink} hard links: its content may be a file from outside docs/,"
        " and the build would publish it",
        "replace it by a copy (cp --remove-destination SOURCE FILE, or delete it and check it out again from git)",
    )


def special_file_problem(path: Path) -> FileProblem | None:
    """What is wrong with `path` when it is neither a regular file nor a folder (a FIFO, a socket, a device).

    Opening a FIFO blocks until someone writes to it: MkDocs and the checks would hang without a word.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # a broken symlink: file_problem reports it
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device or special file"
    return FileProblem(
        "files/not-regular",
        f"this is {kind}, not a file: reading it would hang or fail the build",
        "delete it from docs/; only regular files and folders belong there",
    )


def file_findings(docs_dir: Path) -> list[Finding]:
    """Hardlinks, symlinks that loop, dangle or leave docs/, and FIFOs, sockets or devices (none followed or opened)."""
    findings = []
    for folder, dirs, files in os.walk(docs_dir, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            problem = file_problem(path, docs_dir)
            if problem:
                # The symlink's own path: resolving it (as display_path does) would fail or name its target.
                shown = str(Path(display_path(path.parent)) / name)
                findings.append(Finding(shown, 1, problem.rule, problem.message, problem.hint))
    return findings


def read_page(path: Path) -> tuple[str | None, list[Finding]]:
    """The page's text as MkDocs reads it (UTF-8, a BOM dropped, any newline), or None with findings."""
    display = display_path(path)
    special = special_file_problem(path)
    if special:
        return None, [Finding(display, 1, special.rule, special.message, special.hint)]
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [
            Finding(display, 1, "markdown/not-text", f"the page cannot be read: {error.strerror}", _TEXT_HINT)
        ]
    if len(data) > MAX_PAGE_BYTES:
        message = f"the page has {len(data):,} bytes, more than the {MAX_PAGE_BYTES:,} a page may have"
        return None, [Finding(display, 1, "markdown/too-large", message, "split it into several pages")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}: {error.reason})"
        return None, [Finding(display, line, "markdown/not-text", message, _TEXT_HINT)]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [
            Finding(display, line, "markdown/not-text", "the file contains NUL bytes: it is binary", _TEXT_HINT)
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    deep = _too_deep(text)
    if deep:
        message = f"lists, quotes or HTML elements nest deeper than {MAX_NESTING} levels here"
        hint = "flatten the structure: Python-Markdown cannot render it (it would overflow the stack)"
        return None, [Finding(display, deep, "markdown/too-deep", message, hint)]
    return text, []


def _too_deep(text: str) -> int | None:
    """The first line nested deeper than MAX_NESTING (by indentation, quote markers or HTML), if any."""
    depth = 0
    for number, line in enumerate(text.split("\n"), 1):
        prefix = _QUOTES.match(line)[0]
        if prefix.count(">") + len(prefix.replace(">", "").expandtabs(4)) // 4 > MAX_NESTING:
            return number
        for match in _NESTING_TAG.finditer(line):
            if not match[3]:
                depth += -1 if match[1] else 1
            if depth > MAX_NESTING:
                return number
    return None


def front_matter_end(lines: list[str]) -> int | None:
    """Index of the line that closes the front matter opened on the first line, if it is closed."""
    return next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)


def _front_matter_bomb(display: str, text: str) -> list[Finding]:
    """An alias bomb in the front matter, which MkDocs loads (and walks forever) before any check sees it."""
    lines = text.split("\n")
    end = front_matter_end(lines) if lines[0].strip() == "---" else None
    if end is None:
        return []
    block = "\n".join(lines[1:end])
    try:
        check_expanded_size(block)
    except AliasBombError as error:
        line = 1 + (error_line(error, block) or 1)
        message = f"front matter is not valid YAML: {error_text(error)}"
        return [Finding(display, line, "markdown/front-matter", message, "write the values out, without aliases")]
    except yaml.YAMLError:
        pass  # bad syntax MkDocs survives; the checks report it at its line
    return []


def guard_docs(docs_dir: Path) -> list[Finding]:
    """Every problem that must stop a build before MkDocs reads docs/."""
    findings = file_findings(docs_dir)
    for path in sorted(docs_dir.rglob("*.md")):
        if file_problem(path, docs_dir) is None:
            text, problems = read_page(path)
            findings += problems or _front_matter_bomb(display_path(path), text or "")
    return findings
