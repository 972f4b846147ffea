"""A careful HTTP client for Microsoft Learn: allow-listed host, and every reply bounded in time and bytes.

Each page gets a wall-clock deadline for all its attempts (a watchdog shuts a socket that drips, so
socket timeouts alone cannot keep it open), a byte limit on the wire and again after gzip/deflate
decoding, retries that honour a capped Retry-After, and redirects reported rather than blindly
followed. Whatever a server sends, `fetch` returns a Response; anything that is not a definite
answer from Learn carries an `error`, which the nightly reports as UNREACHABLE.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import math
import os
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC
from urllib.parse import urljoin, urlsplit

from checks.learn_snapshot import learn_locale, learn_page_key

LEARN = "https://learn.microsoft.com"
LEARN_HOST = "learn.microsoft.com"
# Tests point the client at a server on 127.0.0.1 that plays Learn; nothing else sets this.
BASE_URL_VARIABLE = "CHECKS_LEARN_BASE_URL"
USER_AGENT = "aks-network-models-docs-checker/1.0 (nightly fact and link check; +https://github.com/)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
PERMANENT_REDIRECTS = {301, 308}
TEMPORARY_REDIRECTS = {302, 303, 307}
# The only statuses that say something about the page itself; any other is trouble on the way.
ANSWERS = {200, 404, 410} | PERMANENT_REDIRECTS
MAX_REDIRECTS = 5
# Defaults for one night on GitHub Actions (the job has 60 minutes for install, two strict builds
# and linkchecker). Learn answers a page in about a second and ~40 pages are cited, fetched 4 at a
# time: 15 minutes for the whole run is ample and leaves the rest of the job its time.
RUN_SECONDS = 900.0
# One page, every attempt, retry wait and redirect included: 3 retries with 2-4-8 s backoff and a
# Retry-After of a few seconds fit; a server that drips or stalls is cut off here.
PAGE_SECONDS = 90.0
# Learn's longest AKS articles are about 0.5 MB of HTML; 8 MB leaves room and bounds memory, on the
# wire and after decompression (a gzip bomb stops here).
PAGE_BYTES = 8_000_000
DEADLINE = "deadline"
_READ_CHUNK = 65_536
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


@dataclass
class Response:
    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names, first value of each
    body: bytes = b""  # after Content-Encoding is undone
    location: str | None = None  # absolute
    error: str | None = None
    attempts: int = 0
    history: list[str] = field(default_factory=list)
    deadline: float = math.inf  # time.monotonic() by which this page must be done, its parse included

    @property
    def network_trouble(self) -> bool:
        return self.error is not None or self.status not in ANSWERS


class _Refused(Exception):
    """A reply that arrived but cannot be used; the message says why."""


@dataclass
class LearnClient:
    base_url: str = field(default_factory=lambda: os.environ.get(BASE_URL_VARIABLE, LEARN).rstrip("/"))
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    page_seconds: float = PAGE_SECONDS
    retries: int = 3
    backoff: float = 2.0
    max_retry_after: float = 120.0
    max_bytes: int = PAGE_BYTES
    user_agent: str = USER_AGENT

    def fetch(self, url: str, until: float = math.inf) -> Response:
        """GET a learn.microsoft.com URL by `until` (time.monotonic()) at the latest; follow temporary
        redirects on Learn, report the rest."""
        now = time.monotonic()
        response = Response(url, deadline=min(now + self.page_seconds, until))
        if not on_learn(url):
            response.error = f"not fetched: only {LEARN} is allowed"
            return response
        if now >= until:
            response.error = f"{DEADLINE}: the run's time was used up before this page was fetched"
            return response
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._get_with_retries(current, response)
            status = response.status
            if response.error or status not in PERMANENT_REDIRECTS | TEMPORARY_REDIRECTS:
                return response
            try:
                response.location = redirect_target(current, response.headers.get("location"))
            except _Refused as reason:
                response.error = f"HTTP {status} {reason}"
                return response
            if response.location in (*response.history, current):
                response.error = f"HTTP {status} redirect loop: {_short(response.location)} again"
                return response
            # A permanent redirect is Learn's word that the page moved (to another Microsoft site at
            # times); one that leaves Microsoft, or any temporary one off Learn, is a proxy or a portal.
            if status in PERMANENT_REDIRECTS and (on_learn(response.location) or on_microsoft(response.location)):
                return response
            if not on_learn(response.location):
                response.error = (
                    f"HTTP {status} to another host ({_short(response.location)}): a proxy or login page, not Learn"
                )
                return response
            if not same_page(url, response.location):
                # Learn's temporary redirects add a locale or a query; one to another page (a sign-in,
                # a hub, the ja-jp page) answers for that page, not for the one cited.
                response.error = (
                    f"HTTP {status} to another page ({_short(response.location)}): not the cited page, not read as it"
                )
                return response
            response.history.append(current)
            current = response.location
        response.error = f"more than {MAX_REDIRECTS} redirects"
        return response

    def _get_with_retries(self, url: str, response: Response) -> None:
        for attempt in range(self.retries + 1):
            response.attempts += 1
            response.status, response.headers, response.body, response.error = self._get_once(url, response.deadline)
            failed = response.status is None or response.status in RETRY_STATUSES
            if not failed or attempt == self.retries or (response.error or "").startswith(DEADLINE):
                return
            retry_after = response.headers.get("retry-after")
            delay = self._delay(attempt, retry_after)
            if time.monotonic() + delay >= response.deadline:
                asked = f" (Retry-After {_short(retry_after)!r})" if retry_after is not None else ""
                response.error = (
                    f"{response.error or f'HTTP {response.status}'}; the next try{asked} would come after "
                    f"{delay:g} s, past this page's {self.page_seconds:g} s"
                )
                return
            time.sleep(delay)

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        asked = parse_retry_after(retry_after)
        return min(asked if asked is not None else self.backoff * (2**attempt), self.max_retry_after)

    def _get_once(self, url: str, deadline: float) -> tuple[int | None, dict[str, str], bytes, str | None]:
        left = deadline - time.monotonic()
        if left <= 0:
            return None, {}, b"", f"{DEADLINE}: this page's {self.page_seconds:g} s were used up"
        base, parts = urlsplit(self.base_url), urlsplit(url)
        path = base.path.rstrip("/") + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        https = base.scheme == "https"
        connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
        kwargs = {"context": ssl.create_default_context()} if https else {}
        connection = connection_class(base.hostname, base.port, timeout=min(self.connect_timeout, left), **kwargs)
        aborted = threading.Event()

        def abort() -> None:
            aborted.set()
            if connection.sock is not None:
                # The plain socket's shutdown, even under TLS: the reading thread keeps its SSL object.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(connection.sock, socket.SHUT_RDWR)

        # Socket timeouts bound each read, not the reply: one byte a second would keep it open for hours.
        watchdog = threading.Timer(left, abort)
        watchdog.daemon = True
        watchdog.start()
        status: int | None = None
        headers: dict[str, str] = {}
        try:
            connection.connect()
            connection.sock.settimeout(max(0.01, min(self.read_timeout, deadline - time.monotonic())))
            connection.request(
                "GET",
                path,
                headers={"User-Agent": self.user_agent, "Accept": "text/html", "Accept-Encoding": "gzip, deflate"},
            )
            reply = connection.getresponse()
            status = reply.status
            for name, value in reply.getheaders():
                headers.setdefault(name.lower(), value)
            _refuse_undecoded_transfer(reply.headers.get_all("transfer-encoding") or [])
            body = decode_content(self._read_body(reply), headers.get("content-encoding"), self.max_bytes)
            if aborted.is_set():
                raise TimeoutError
            return status, headers, body, None
        except (_Refused, OSError, http.client.HTTPException, ValueError) as error:
            if aborted.is_set():
                return None, {}, b"", f"{DEADLINE}: no complete reply within this page's {self.page_seconds:g} s"
            if isinstance(error, _Refused):
                return status, headers, b"", str(error)
            if isinstance(error, TimeoutError):
                return None, {}, b"", f"timed out (connect {self.connect_timeout:g} s, read {self.read_timeout:g} s)"
            return None, {}, b"", f"{type(error).__name__}: {_short(str(error))}"
        finally:
            watchdog.cancel()
            connection.close()

    def _read_body(self, reply: http.client.HTTPResponse) -> bytes:
        declared = None if reply.chunked else declared_length(reply.headers.get_all("content-length") or [])
        if declared is not None and declared > self.max_bytes:
            raise _Refused(f"the reply announces {declared:,} bytes, more than the {self.max_bytes:,}-byte limit")
        chunks, size = [], 0
        try:
            while chunk := reply.read(_READ_CHUNK):
                size += len(chunk)
                if size > self.max_bytes:
                    raise _Refused(f"the reply is larger than the {self.max_bytes:,}-byte limit")
                chunks.append(chunk)
        except (http.client.IncompleteRead, ValueError) as error:
            # http.client's words for a chunk size that is garbage, negative or missing.
            raise _Refused(f"the chunked body is broken or cut short ({_short(str(error) or repr(error))})") from None
        if declared is not None and size < declared:
            raise _Refused(f"body cut short: {size:,} of the {declared:,} bytes announced")
        return b"".join(chunks)


def on_learn(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme == "https" and parts.hostname == LEARN_HOST and parts.port in (None, 443)
    except ValueError:
        return False


def same_page(cited: str, target: str) -> bool:
    """Whether `target` is the page `cited` names: the same locale (en-us when none is named) and the
    same path; the query and the fragment may differ."""
    cited_path, target_path = urlsplit(cited).path, urlsplit(target).path
    return learn_locale(cited_path) == learn_locale(target_path) and (
        learn_page_key(cited_path).lower() == learn_page_key(target_path).lower()
    )


def on_microsoft(url: str) -> bool:
    parts = urlsplit(url)  # already checked by redirect_target: it parses
    host = parts.hostname or ""
    return parts.scheme == "https" and (host == "microsoft.com" or host.endswith(".microsoft.com"))


def redirect_target(base: str, location: str | None) -> str:
    """The absolute URL a Location header points at, or _Refused when there is none to use."""
    if not location or not location.strip():
        raise _Refused("without a Location header")
    try:
        target = urljoin(base, location.strip())
        parts = urlsplit(target)
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        raise _Refused(f"with an unusable Location {_short(location)!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or _CONTROL.search(target):
        raise _Refused(f"with an unusable Location {_short(location)!r}")
    return target


def declared_length(values: list[str]) -> int | None:
    """The one Content-Length of a reply; garbage or disagreeing values are refused, never guessed."""
    if not values:
        return None
    distinct = {value.strip() for value in values}
    if len(distinct) != 1 or not re.fullmatch(r"[0-9]{1,15}", next(iter(distinct))):
        raise _Refused(f"Content-Length {_short(', '.join(values))!r} is not one byte count")
    return int(distinct.pop())


def _refuse_undecoded_transfer(values: list[str]) -> None:
    """http.client undoes exactly `chunked` and reads anything else (`gzip, chunked`, `chunked,
    chunked`) as a plain body, chunk sizes and all: such a body would read as Learn's words."""
    if values and [v.strip().lower() for v in values] != ["chunked"]:
        raise _Refused(f"Transfer-Encoding {_short(', '.join(values))!r} is not one this client decodes")


def decode_content(data: bytes, encoding: str | None, limit: int) -> bytes:
    """Undo gzip or deflate without ever holding more than `limit` decoded bytes."""
    coding = (encoding or "identity").strip().lower()
    if coding == "identity":
        return data
    if coding in ("gzip", "x-gzip"):
        wbits = 16 + zlib.MAX_WBITS
    elif coding == "deflate":
        # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
        wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
        wbits = zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
    else:
        raise _Refused(f"Content-Encoding {_short(encoding or '')!r} is not one this client asked for")
    # A gzip body may hold several members (RFC 1952), each decoded in turn; deflate is one stream.
    # Bytes after the last member or stream are garbage, refused rather than dropped.
    parts: list[bytes] = []
    size = 0
    while True:
        decoder = zlib.decompressobj(wbits)
        try:
            part = decoder.decompress(data, limit + 1 - size)
        except zlib.error as error:
            raise _Refused(f"the {coding} body cannot be decoded ({error})") from None
        size += len(part)
        if size > limit:
            raise _Refused(f"the {coding} body decodes to more than {limit:,} bytes (a decompression bomb?)")
        if not decoder.eof:
            raise _Refused(f"the {coding} body is cut short")
        parts.append(part)
        data = decoder.unused_data
        if not data:
            return b"".join(parts)
        if coding == "deflate" or data[:2] != b"\x1f\x8b":
            raise _Refused(f"the {coding} body has {len(data):,} bytes of garbage after its end")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP-date); None if it says nothing usable."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"[0-9]+", text):
        return float(min(int(text[:12]), 10**9))
    try:
        when = email.utils.parsedate_to_datetime(text)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, when.timestamp() - (time.time() if now is None else now))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _short(text: str | None, limit: int = 120) -> str:
    text = text or ""
    return text if len(text) <= limit else text[:limit] + "…"
