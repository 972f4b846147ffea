"""When a reply counts as a Learn article: the one rule between the transport and the content side.

A reply is an article only if it is HTTP 200 with `Content-Type: text/html`, its body (already
within the client's byte limit, gzip undone) decodes completely in its charset, and its HTML has a
complete `<main id="main">` element containing an `<h1>`. A proxy's block page, a captive portal, a
login form, an empty or cut-short body say nothing about Learn: the caller reports them UNREACHABLE
with the reason and leaves the anchor snapshot alone. A 404 or 410 is read by the same rule: only
Learn's own not-found page (its page structure) says that the page is gone; a proxy's or a CDN's
404 says nothing about it.

The HTML is read in a forked process that is killed at the page's deadline: html.parser is
quadratic on some malformed input (100,000 × `<a`, a run of stray `<`), inside C code that no
thread can interrupt, so a clock read between calls cannot bound it.
"""

from __future__ import annotations

import codecs
import math
import multiprocessing
import re
import sys
import time
import traceback
from collections.abc import Callable
from html.parser import HTMLParser
from multiprocessing.connection import Connection
from typing import TypeVar, cast

from checks.learn_client import DEADLINE, Response

# Fed in slices so that the reading stops at </main>; never closed, since close() is where
# html.parser goes quadratic on a tag that never ends.
_FEED_CHARS = 16_384
_MAIN = '<main id="main">'
# Bounded attributes: a run of `<main` without `>` stays linear.
_MAIN_TAG = re.compile(r"""<main\b[^>]{0,500}?\bid\s*=\s*(?:"main"|'main'|main\b)""", re.I)
T = TypeVar("T")
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.I)


class NotAnArticle(Exception):
    """A reply that says nothing about the Learn page; the message is the reason."""


def read_article(response: Response, read: Callable[[str], T], status: int = 200) -> T:
    """`read` applied to the reply's `<main id="main">` element, by the response's deadline;
    NotAnArticle saying why when the reply is not a Learn page or cannot be read in time.
    `status` is the one the reply must have: 200 for an article, 404 or 410 for Learn's not-found page."""
    if response.status != status:
        raise NotAnArticle(f"HTTP {response.status} is not an article")
    content_type = response.headers.get("content-type", "")
    media, declared = media_type(content_type)
    charset = declared or meta_charset(response.body) or "utf-8"
    if media != "text/html":
        raise NotAnArticle(f"Content-Type {content_type[:80]!r} is not text/html: not a Learn article")
    if not response.body.strip():
        raise NotAnArticle("empty body: not a Learn article")
    try:
        text = response.body.decode(codecs.lookup(charset).name)
    except (LookupError, ValueError) as error:
        if isinstance(error, UnicodeDecodeError):
            where = f"byte {error.start:,}"
            raise NotAnArticle(f"the body is not valid {charset[:40]} ({where}): cut short or garbled") from None
        raise NotAnArticle(f"charset {charset[:40]!r} is not one Python can decode") from None
    if "fork" not in multiprocessing.get_all_start_methods():  # not on Linux or macOS: unbounded, but read
        return read(main_element(text))
    return _in_a_process(read, text, response.deadline)


def media_type(content_type: str) -> tuple[str, str | None]:
    """`text/html; charset="UTF-8"` -> ("text/html", "UTF-8"); None when the header names no charset."""
    media, *parameters = content_type.split(";")
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def meta_charset(body: bytes) -> str | None:
    """The charset a `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">`
    declares in the first 1024 bytes, where HTML says a browser looks for it; None when none does."""
    found = _META_CHARSET.search(body[:1024])
    return found.group(1).decode("ascii") if found else None


class _MainFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # as learn_html reads it: the same tokens
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None
        self.depth = 0
        self.has_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.end is not None:
            return
        if self.start is None:
            if tag == "main" and ("id", "main") in attrs:
                self.start, self.depth = self.getpos(), 1
        elif tag == "main":
            self.depth += 1
        elif tag == "h1":
            self.has_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "main" and self.start is not None and self.end is None:
            self.depth -= 1
            if self.depth == 0:
                self.end = self.getpos()


def main_element(html: str) -> str:
    """The complete `<main id="main">` element of a page, or NotAnArticle saying what is missing."""
    finder = _MainFinder()
    try:
        for offset in range(0, len(html), _FEED_CHARS):
            finder.feed(html[offset : offset + _FEED_CHARS])
            if finder.end is not None:
                break
    except AssertionError as error:  # _markupbase's answer to some malformed declarations
        raise NotAnArticle(f"HTML that html.parser cannot read ({str(error)[:80]})") from None
    if finder.start is None:
        raise NotAnArticle(f"no {_MAIN} element: not a Learn article (a proxy, login or error page?)")
    if len(_MAIN_TAG.findall(html)) > 1:
        raise NotAnArticle(f"more than one {_MAIN} element (a loading stub before the article?): not one Learn article")
    if finder.end is None:
        raise NotAnArticle(f"the {_MAIN} element never ends: the page is cut short or malformed")
    if not finder.has_h1:
        raise NotAnArticle(f"the {_MAIN} element has no <h1>: not a Learn article")
    start, end = _offset(html, *finder.start), _offset(html, *finder.end)
    return html[start : html.find(">", end) + 1]


def _offset(text: str, line: int, column: int) -> int:
    """The index in `text` of html.parser's (line, column) position."""
    index = 0
    for _ in range(line - 1):
        index = text.index("\n", index) + 1
    return index + column


def _read_and_send(connection: Connection, read: Callable[[str], object], html: str) -> None:
    try:
        outcome: tuple[str, object] = ("read", read(main_element(html)))
    except NotAnArticle as reason:
        outcome = ("not an article", str(reason))
    except AssertionError as error:  # html.parser's answer to some hostile HTML: a reason, not a crash
        outcome = ("not an article", f"HTML that html.parser cannot read ({str(error)[:80]})")
    except Exception:
        outcome = ("crash", traceback.format_exc())
    connection.send(outcome)
    connection.close()


def _in_a_process(read: Callable[[str], T], html: str, deadline: float) -> T:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # Buffered output would be written twice: by this process and by the forked copy at its exit.
    sys.stdout.flush()
    sys.stderr.flush()
    process = context.Process(target=_read_and_send, args=(sender, read, html), daemon=True)
    process.start()
    sender.close()
    try:
        left = deadline - time.monotonic()
        if not receiver.poll(None if math.isinf(left) else max(0.0, left)):
            raise NotAnArticle(f"{DEADLINE}: the page's HTML could not be read within its time limit")
        kind, value = receiver.recv()
    except EOFError:
        raise NotAnArticle(f"the HTML reader ended without a result (exit code {process.exitcode})") from None
    finally:
        receiver.close()
        process.kill()
        process.join()
    if kind == "not an article":
        raise NotAnArticle(str(value))
    if kind == "crash":
        raise RuntimeError(f"reading a Learn page crashed (a bug in checks/, please report it):\n{value}")
    return cast(T, value)
