"""A raw-socket server on 127.0.0.1 that answers every request with one hostile reply, chosen by name.

Each case writes bytes no well-behaved server would: drips, cut-short bodies, resets, bombs, loops,
floods, garbage. Every loop is bounded (bytes, the server's lifetime, its stop event) so a client
that misbehaves cannot keep a test running; the server closes itself after LIFETIME seconds.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import ssl
import struct
import subprocess
import threading
import time
import zlib
from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path

from learn_server import PAGE

LIFETIME = 30.0
ARTICLE = PAGE.format(anchor="present", nodes="5,000").encode("utf-8")
CUT = ARTICLE[: ARTICLE.index(b"</main>") - 20]  # an article that stops before its <main> ends
HTML = "text/html; charset=utf-8"


class Wire:
    """One accepted connection, as a case sees it."""

    def __init__(self, conn: socket.socket, server: HostileServer) -> None:
        self.conn, self.server = conn, server

    def send(self, data: bytes) -> None:
        self.conn.sendall(data)

    def reply(self, status: str, headers: list[tuple[str, str]], body: bytes = b"", version: str = "HTTP/1.1") -> None:
        head = f"{version} {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
        self.send(head.encode("latin-1") + body)

    def drip(self, data: bytes, interval: float = 0.1) -> None:
        """One byte per interval, until the bytes, the server's life or the client's patience run out."""
        for byte in data:
            if self.server.stopping():
                return
            self.send(bytes([byte]))
            time.sleep(interval)

    def hold(self) -> None:
        """Keep the connection open without a word until the server stops."""
        while not self.server.stopping():
            time.sleep(0.05)

    def reset(self) -> None:
        # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
        self.conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.conn.close()


def tls_context(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a fresh self-signed certificate for 127.0.0.1, and the certificate's file."""
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"),
            *("-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert


def _ok(wire: Wire, body: bytes, *extra: tuple[str, str], content_type: str = HTML) -> None:
    _reply_with(wire, "200 OK", body, content_type, *extra)


def _reply_with(wire: Wire, status: str, body: bytes, content_type: str, *extra: tuple[str, str]) -> None:
    wire.reply(status, [("Content-Type", content_type), ("Content-Length", str(len(body))), *extra], body)


def _gzip_bomb() -> bytes:
    # 64 MB of zeros in ~64 KB: compressed once, at import.
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join(compressor.compress(block) for _ in range(64)) + compressor.flush()


BOMB = _gzip_bomb()
# 100,000 × `<a` that never end: ~50 s in html.parser's close() on Python 3.11.
QUADRATIC = b'<html><body><main id="main"><h1>Title</h1>' + b"<a" * 100_000
# A complete article whose 0.9 MB of stray `<` keep html.parser busy for seconds, past the tests'
# one-second page limit: the reading must be stopped, not waited for.
STRAY = b'<html><body><main id="main"><h1>Title</h1>' + b"<" * 900_000 + b"</main></body></html>"
FAR_DATE = "Fri, 31 Dec 9999 23:59:59 GMT"


def _chunked(wire: Wire, chunks: list[bytes], *, end: bool = True, coding: str = "chunked") -> None:
    wire.reply("200 OK", [("Content-Type", HTML), ("Transfer-Encoding", coding)])
    for chunk in chunks:
        wire.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    if end:
        wire.send(b"0\r\n\r\n")


def _raw_chunks(wire: Wire, body: bytes) -> None:
    wire.reply("200 OK", [("Content-Type", HTML), ("Transfer-Encoding", "chunked")], body)


def _endless_chunks(wire: Wire) -> None:
    wire.reply("200 OK", [("Content-Type", HTML), ("Transfer-Encoding", "chunked")])
    block = b"x" * 65_536
    for _ in range(200):  # 13 MB at most: more than any limit a test sets
        if wire.server.stopping():
            return
        wire.send(b"%x\r\n%s\r\n" % (len(block), block))


def _status(status: str, *headers: tuple[str, str]) -> Callable[[Wire], None]:
    body = b"<html><body><h1>Not now</h1></body></html>"
    return lambda wire: wire.reply(status, [("Content-Type", HTML), ("Content-Length", str(len(body))), *headers], body)


def _redirect(status: str, location: Callable[[Wire], str] | str | None) -> Callable[[Wire], None]:
    def play(wire: Wire) -> None:
        target = location(wire) if callable(location) else location
        headers = [("Content-Length", "0")] + ([("Location", target)] if target is not None else [])
        wire.reply(status, headers)

    return play


def _redirect_to(path: str) -> Callable[[Wire], None]:
    """302 to `path` on the same server, which answers there with the article."""

    def play(wire: Wire) -> None:
        if wire.server.last_request.startswith(f"GET {path} "):
            return _ok(wire, ARTICLE)
        wire.reply("302 Found", [("Location", path), ("Content-Length", "0")])

    return play


def _chain(wire: Wire) -> None:
    hop = wire.server.requests
    wire.reply("302 Found", [("Location", f"/en-us/azure/aks/hostile?hop={hop}"), ("Content-Length", "0")])


def _continue_flood(wire: Wire) -> None:
    for _ in range(10_000):
        if wire.server.stopping():
            return
        wire.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        time.sleep(0.01)


# Replies a client must read as the article (Learn, or a well-behaved path to it).
GOOD: dict[str, Callable[[Wire], None]] = {
    "gzip": lambda wire: _ok(wire, gzip.compress(ARTICLE), ("Content-Encoding", "gzip")),
    "deflate": lambda wire: _ok(wire, zlib.compress(ARTICLE), ("Content-Encoding", "deflate")),
    "raw-deflate": lambda wire: _ok(
        wire, zlib.compress(ARTICLE, wbits=-zlib.MAX_WBITS), ("Content-Encoding", "deflate")
    ),
    # Two gzip members (RFC 1952), split inside the article: both are the body.
    "gzip-two-members": lambda wire: _ok(
        wire, gzip.compress(ARTICLE[:200]) + gzip.compress(ARTICLE[200:]), ("Content-Encoding", "gzip")
    ),
    "chunked": lambda wire: _chunked(wire, [ARTICLE[:100], ARTICLE[100:]]),
    "http-1.0-until-close": lambda wire: wire.reply("200 OK", [("Content-Type", HTML)], ARTICLE, version="HTTP/1.0"),
    # No charset in the header: the page's own <meta> declaration is what a browser reads it by.
    "meta-charset-only": lambda wire: _ok(
        wire,
        ARTICLE.replace(b'<meta charset="utf-8">', b'<meta charset="windows-1252">').replace(b"5,000", b"5,000 \xa0"),
        content_type="text/html",
    ),
    "quoted-charset": lambda wire: _ok(wire, ARTICLE, content_type='text/html; charset="UTF-8"'),
    "redirect-on-learn": lambda wire: _ok(wire, ARTICLE) if "hop=" in wire.server.last_request else _chain(wire),
}

# Replies that say nothing about the page: each must end as UNREACHABLE with this reason.
HOSTILE: dict[str, tuple[Callable[[Wire], None], str]] = {
    "drip-in-headers": (
        lambda wire: wire.drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X" * 500),
        "deadline",
    ),
    "drip-in-body": (
        lambda wire: (
            wire.reply("200 OK", [("Content-Type", HTML), ("Content-Length", str(len(ARTICLE)))]),
            wire.drip(ARTICLE),
        ),
        "deadline",
    ),
    "continue-flood": (_continue_flood, "deadline"),
    "silent": (lambda wire: wire.hold(), "timed out|deadline"),
    "cut-short-with-length": (
        lambda wire: wire.reply("200 OK", [("Content-Type", HTML), ("Content-Length", str(len(ARTICLE)))], CUT),
        "body cut short",
    ),
    "cut-short-without-length": (
        lambda wire: wire.reply("200 OK", [("Content-Type", HTML), ("Connection", "close")], CUT),
        "never ends",
    ),
    "http-1.0-cut-short": (lambda wire: wire.reply("200 OK", [("Content-Type", HTML)], CUT, "HTTP/1.0"), "never ends"),
    "http-1.0-never-closes": (
        lambda wire: (wire.reply("200 OK", [("Content-Type", HTML)], CUT, "HTTP/1.0"), wire.hold()),
        "timed out|deadline",
    ),
    "chunked-cut-short": (lambda wire: _chunked(wire, [ARTICLE[:200]], end=False), "chunked body is broken"),
    # http.client decodes only a bare `chunked`: any other coding would leave the chunk sizes in the body.
    "transfer-gzip-chunked": (
        lambda wire: _chunked(wire, [ARTICLE[:100], ARTICLE[100:]], coding="gzip, chunked"),
        "Transfer-Encoding 'gzip, chunked'",
    ),
    "transfer-chunked-twice": (
        lambda wire: _chunked(wire, [ARTICLE[:100], ARTICLE[100:]], coding="chunked, chunked"),
        "Transfer-Encoding 'chunked, chunked'",
    ),
    "transfer-identity-chunked": (
        lambda wire: _chunked(wire, [ARTICLE[:100], ARTICLE[100:]], coding="identity, chunked"),
        "is not one this client decodes",
    ),
    "chunk-size-garbage": (lambda wire: _raw_chunks(wire, b"zz\r\nhello\r\n0\r\n\r\n"), "chunked body is broken"),
    "chunk-size-negative": (lambda wire: _raw_chunks(wire, b"-5\r\nhello\r\n0\r\n\r\n"), "chunked body is broken"),
    "reset-before-reply": (lambda wire: wire.reset(), "ConnectionResetError"),
    "reset-in-body": (
        lambda wire: (
            wire.reply("200 OK", [("Content-Type", HTML), ("Content-Length", str(len(ARTICLE)))], ARTICLE[:300]),
            time.sleep(0.05),
            wire.reset(),
        ),
        "reset|cut short",  # over TLS the reset reads as the end of the stream
    ),
    "closed-before-reply": (lambda wire: None, "RemoteDisconnected"),
    "gzip-bomb": (lambda wire: _ok(wire, BOMB, ("Content-Encoding", "gzip")), "decompression bomb"),
    "gzip-cut-short": (
        lambda wire: _ok(wire, gzip.compress(ARTICLE)[:-30], ("Content-Encoding", "gzip")),
        "gzip body is cut short",
    ),
    "gzip-trailing-garbage": (
        lambda wire: _ok(wire, gzip.compress(ARTICLE) + b"GARBAGE\x00\x01", ("Content-Encoding", "gzip")),
        "garbage after its end",
    ),
    "gzip-garbage": (lambda wire: _ok(wire, ARTICLE, ("Content-Encoding", "gzip")), "cannot be decoded"),
    "unasked-encoding": (lambda wire: _ok(wire, ARTICLE, ("Content-Encoding", "br")), "not one this client asked for"),
    "huge-announced": (
        lambda wire: wire.reply("200 OK", [("Content-Type", HTML), ("Content-Length", "50000000000")]),
        "more than the",
    ),
    "huge-unannounced": (_endless_chunks, "larger than the"),
    "content-length-garbage": (
        lambda wire: wire.reply("200 OK", [("Content-Type", HTML), ("Content-Length", "lots")], ARTICLE),
        "Content-Length 'lots'",
    ),
    "content-length-disagrees": (
        lambda wire: wire.reply(
            "200 OK", [("Content-Type", HTML), ("Content-Length", str(len(ARTICLE))), ("Content-Length", "5")], ARTICLE
        ),
        "not one byte count",
    ),
    "redirect-to-itself": (_redirect("302 Found", "/en-us/azure/aks/hostile"), "redirect loop"),
    "permanent-redirect-to-itself": (_redirect("301 Moved Permanently", "/en-us/azure/aks/hostile"), "redirect loop"),
    "redirect-chain": (_chain, "more than 5 redirects"),
    # A temporary redirect on Learn to another page answers for that page, never for the cited one.
    "redirect-to-another-locale": (
        _redirect_to("/ja-jp/azure/aks/hostile"),
        "to another page .*/ja-jp/azure/aks/hostile",
    ),
    "redirect-to-sign-in": (_redirect_to("/en-us/signin"), "not the cited page"),
    "redirect-off-site": (_redirect("302 Found", lambda wire: f"{wire.server.url}/login"), "another host"),
    "permanent-redirect-off-site": (
        _redirect("301 Moved Permanently", lambda wire: f"{wire.server.url}/login"),
        "another host",
    ),
    "permanent-redirect-to-plain-http": (
        _redirect("308 Permanent Redirect", "http://learn.microsoft.com/en-us/azure/aks/hostile"),
        "another host",
    ),
    "redirect-without-location": (_redirect("301 Moved Permanently", None), "without a Location"),
    "redirect-garbage-location": (_redirect("301 Moved Permanently", "http://[::1/x"), "unusable Location"),
    "redirect-bad-port": (_redirect("308 Permanent Redirect", "https://learn.microsoft.com:http/x"), "unusable"),
    "403-from-a-proxy": (_status("403 Forbidden"), "HTTP 403"),
    # A 404 or 410 is Learn's word that the page is gone only when Learn's own not-found page says it.
    "404-from-a-proxy": (_status("404 Not Found"), "HTTP 404 that is not Learn's not-found page"),
    "410-from-a-proxy": (_status("410 Gone"), "HTTP 410 that is not Learn's not-found page"),
    "404-empty": (
        lambda wire: _reply_with(wire, "404 Not Found", b"", HTML),
        "HTTP 404 that is not Learn's not-found page, .*empty body",
    ),
    "404-cut-short": (
        lambda wire: wire.reply("404 Not Found", [("Content-Type", HTML), ("Connection", "close")], CUT),
        "HTTP 404 that is not Learn's not-found page, .*never ends",
    ),
    "404-json": (
        lambda wire: _reply_with(wire, "404 Not Found", b'{"error": "not found"}', "application/json"),
        "HTTP 404 that is not Learn's not-found page, .*not text/html",
    ),
    "407-proxy-login": (_status("407 Proxy Authentication Required"), "HTTP 407"),
    "status-999": (_status("999 Whatever"), "HTTP 999"),
    "429-retry-after-soon": (_status("429 Too Many Requests", ("Retry-After", "soon")), "HTTP 429"),
    "429-retry-after-1.5": (_status("429 Too Many Requests", ("Retry-After", "1.5")), "HTTP 429"),
    "429-retry-after-negative": (_status("429 Too Many Requests", ("Retry-After", "-1")), "HTTP 429"),
    "429-retry-after-999999": (_status("429 Too Many Requests", ("Retry-After", "999999")), "'999999'"),
    "429-retry-after-far-date": (_status("429 Too Many Requests", ("Retry-After", FAR_DATE)), "past this page's"),
    "503-retry-after-date": (
        lambda wire: _status("503 Service Unavailable", ("Retry-After", formatdate(time.time() + 0.2, usegmt=True)))(
            wire
        ),
        "HTTP 503",
    ),
    "503-retry-after-huge-number": (_status("503 Service Unavailable", ("Retry-After", "9" * 400)), "past this page's"),
    "garbage-status-line": (lambda wire: wire.send(b"HTCPCP/1.0 418 I'm a teapot\r\n\r\n"), "BadStatusLine"),
    "status-not-a-number": (lambda wire: wire.send(b"HTTP/1.1 abc OK\r\n\r\n"), "BadStatusLine"),
    "binary-noise": (lambda wire: wire.send(bytes(range(256)) * 4), "BadStatusLine"),
    "header-flood": (
        lambda wire: wire.reply("200 OK", [(f"X-Flood-{i}", "y") for i in range(5_000)], ARTICLE),
        "more than 100 headers",
    ),
    "huge-header-line": (lambda wire: wire.reply("200 OK", [("X-Huge", "y" * 200_000)], ARTICLE), "LineTooLong"),
    "proxy-block-page": (
        lambda wire: _ok(wire, b"<html><body><h1>Access denied</h1><p>Blocked by policy.</p></body></html>"),
        'no <main id="main">',
    ),
    "captive-portal": (
        lambda wire: _ok(wire, b'<html><head><meta http-equiv="refresh" content="0;url=/portal"></head></html>'),
        'no <main id="main">',
    ),
    "login-page": (
        lambda wire: _ok(wire, b'<html><body><main id="main"><form><input name="user"></form></main></body></html>'),
        "has no <h1>",
    ),
    # Learn-shaped 200s that are not the cited article.
    "soft-404": (
        lambda wire: _ok(
            wire, b'<html><body><main id="main"><h1>404 - Page not found</h1><p>Sorry.</p></main></body></html>'
        ),
        "Learn's not-found page",
    ),
    "loading-stub-first": (
        lambda wire: _ok(
            wire, ARTICLE.replace(b'<main id="main">', b'<main id="main"><h1>Loading</h1></main><main id="main">', 1)
        ),
        'more than one <main id="main">',
    ),
    "main-without-id": (lambda wire: _ok(wire, ARTICLE.replace(b' id="main"', b"")), 'no <main id="main">'),
    "empty-body": (lambda wire: _ok(wire, b""), "empty body"),
    "wrong-content-type": (lambda wire: _ok(wire, ARTICLE, content_type="application/json"), "is not text/html"),
    "no-content-type": (
        lambda wire: wire.reply("200 OK", [("Content-Length", str(len(ARTICLE)))], ARTICLE),
        "is not text/html",
    ),
    "charset-garbage": (lambda wire: _ok(wire, ARTICLE, content_type="text/html; charset=x-nonsense"), "charset"),
    "charset-not-text": (lambda wire: _ok(wire, ARTICLE, content_type="text/html; charset=rot13"), "charset"),
    "invalid-utf-8": (lambda wire: _ok(wire, ARTICLE.replace(b"Limits", b"\xff\xfe")), "not valid utf-8"),
    "quadratic-html": (lambda wire: _ok(wire, QUADRATIC), "never ends"),
    "slow-html": (lambda wire: _ok(wire, STRAY), "deadline"),
    "unreadable-declarations": (
        lambda wire: _ok(wire, b'<html><main id="main"><h1>x</h1>' + b"<![" * 2_000 + b"</main></html>"),
        "html.parser cannot read",
    ),
}

# Learn's own not-found page, gzip-encoded as Learn sends it: the one 404 that says the page is gone.
LEARN_NOT_FOUND = (
    b'<html lang="en-us"><body><header><h2 id="menu">Menu</h2></header><main id="main" role="main">'
    b"<h1>404 - Page not found</h1><p>We couldn't find this page.</p></main><footer></footer></body></html>"
)
GONE = {
    "learn-404": lambda wire: _reply_with(
        wire, "404 Not Found", gzip.compress(LEARN_NOT_FOUND), HTML, ("Content-Encoding", "gzip")
    ),
    "learn-410": lambda wire: _reply_with(wire, "410 Gone", LEARN_NOT_FOUND, HTML),
}

# An article, but another one (a hub page): only a snapshot that knows the cited page's headings tells.
HUB = b'<main id="main"><h1 id="overview">AKS documentation</h1><h2 id="get-started">Get started</h2></main>'
ANOTHER = {"hub-page": lambda wire: _ok(wire, HUB)}

CASES = {**GOOD, **GONE, **ANOTHER, **{name: play for name, (play, _) in HOSTILE.items()}}


class HostileServer:
    """Plays one case on every connection; a context manager, and it stops by itself."""

    def __init__(self, case: str, lifetime: float = LIFETIME, tls: ssl.SSLContext | None = None) -> None:
        self.play = CASES[case]
        self.tls = tls
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.listener.getsockname()[1]}"
        self.ends = time.monotonic() + lifetime
        self.requests = 0
        self.last_request = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def stopping(self) -> bool:
        return self._stop.is_set() or time.monotonic() > self.ends

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.listener.close()

    def _serve(self) -> None:
        while not self.stopping():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(2)
        if self.tls:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError:
                conn.close()
                return
        with conn:
            request = b""
            with contextlib.suppress(OSError):
                while b"\r\n\r\n" not in request and len(request) < 65_536:
                    data = conn.recv(4096)
                    if not data:
                        return
                    request += data
            self.requests += 1
            self.last_request = request.decode("latin-1")
            # The client hanging up mid-reply is what it is meant to do with most of these cases.
            with contextlib.suppress(OSError):
                self.play(Wire(conn, self))
