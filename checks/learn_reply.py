"""When a reply counts as a Learn article: the one rule between the transport and the content side.

A reply is an article only if it is HTTP 200 with `Content-Type: text/html`, its body (already
within the client's byte limit, gzip undone) decodes completely in its charset, and its HTML has a
complete `<main id="main">` element containing an `<h1>`. A proxy's block page, a captive portal, a
login form, an empty or cut-short body say nothing about Learn: the caller reports them UNREACHABLE
with the reason and leaves the anchor snapshot alone.
"""

from __future__ import annotations

import codecs
import time
from dataclasses import dataclass
from html.parser import HTMLParser

from checks.learn_client import DEADLINE, Response

# html.parser is quadratic on some malformed input, in close() and in a tag that never ends:
# it is fed in slices with the clock read between them, and never closed.
_FEED_CHARS = 16_384
_MAIN = '<main id="main">'


class NotAnArticle(Exception):
    """A reply that says nothing about the Learn page; the message is the reason."""


@dataclass(frozen=True)
class Article:
    html: str  # the complete <main id="main"> element: the only part of the page worth parsing


def learn_article(response: Response) -> Article:
    """The article in a reply, read within the response's deadline, or NotAnArticle saying why not."""
    if response.status != 200:
        raise NotAnArticle(f"HTTP {response.status} is not an article")
    content_type = response.headers.get("content-type", "")
    media, charset = media_type(content_type)
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
    return Article(main_element(text, response.deadline))


def media_type(content_type: str) -> tuple[str, str]:
    """`text/html; charset="UTF-8"` -> ("text/html", "UTF-8"); the charset defaults to UTF-8."""
    media, *parameters = content_type.split(";")
    charset = "utf-8"
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


class _MainFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
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


def main_element(html: str, deadline: float) -> str:
    """The complete `<main id="main">` element of a page, found by `deadline` (time.monotonic())."""
    finder = _MainFinder()
    try:
        for offset in range(0, len(html), _FEED_CHARS):
            if time.monotonic() > deadline:
                raise NotAnArticle(f"{DEADLINE}: the page's HTML could not be read within its time limit")
            finder.feed(html[offset : offset + _FEED_CHARS])
            if finder.end is not None:
                break
    except AssertionError as error:  # _markupbase's answer to some malformed declarations
        raise NotAnArticle(f"HTML that html.parser cannot read ({str(error)[:80]})") from None
    if finder.start is None:
        raise NotAnArticle(f"no {_MAIN} element: not a Learn article (a proxy, login or error page?)")
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
