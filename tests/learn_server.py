"""A real HTTP server on 127.0.0.1 that plays Microsoft Learn, one page per network behaviour.

Like Learn it sends gzip when asked, and its pages are articles as checks/learn_reply.py defines them:
a `<main id="main">` with an `<h1>`, and page furniture outside it that is not read.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import threading
import time
from collections import Counter
from typing import ClassVar

PAGE = (
    '<!DOCTYPE html><html lang="en-us"><head><meta charset="utf-8"><title>Title</title></head><body>'
    '<header><h2 id="site-menu">Menu</h2><p>Up to 7 nodes per cluster.</p></header>'
    '<main id="main"><h1 id="title">Title</h1><h2 id="{anchor}">Limits</h2><p>Up to {nodes} nodes per cluster.</p>'
    "<script>var hidden = 'Up to 9 nodes per cluster.';</script></main>"
    '<footer><h2 id="feedback">Feedback</h2></footer></body></html>'
)
# Learn's own answer for a page that does not exist: HTTP 404 with its page structure.
NOT_FOUND = (
    '<!DOCTYPE html><html lang="en-us"><head><meta charset="utf-8"><title>404 - Page not found</title></head>'
    '<body><header><h2 id="site-menu">Menu</h2></header><main id="main" class="content" role="main">'
    '<h1 id="page-not-found">404 - Page not found</h1><p>We couldn\'t find this page.</p></main>'
    "<footer></footer></body></html>"
)


class LearnPlayer(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[Counter[str]] = Counter()
    user_agents: ClassVar[list[str]] = []
    slow_seconds = 2.0

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        name = path.rsplit("/", 1)[-1]
        type(self).requests[name] += 1
        type(self).user_agents.append(self.headers.get("User-Agent", ""))
        seen = type(self).requests[name]
        if name == "moved":
            return self._redirect(301, path.replace("moved", "new-home"))
        if name == "offsite":
            return self._redirect(301, "https://azure.microsoft.com/elsewhere")
        if name == "gone":
            return self._send(404, NOT_FOUND)
        if name == "proxy-gone":  # a proxy or a CDN edge that does not know the path: not Learn's word on it
            return self._send(404, "<html><body><h1>Not Found</h1><p>nginx</p></body></html>")
        if name == "busy" and seen == 1:
            return self._send(429, "slow down", {"Retry-After": "1"})
        if name == "flaky" and seen == 1:
            return self._send(500, "oops")
        if name == "portal":  # a captive portal or proxy answering in Learn's place
            return self._send(
                200, '<html><body><h1>Sign in to continue</h1><form action="/login"></form></body></html>'
            )
        if name == "slow":
            time.sleep(type(self).slow_seconds)
        nodes = "6,000" if name == "changed" else "5,000"
        anchor = "renamed" if name == "no-anchor" else "present"
        return self._send(200, PAGE.format(anchor=anchor, nodes=nodes))

    def _redirect(self, status: int, location: str) -> None:
        self._send(status, "", {"Location": location})

    def _send(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            data = gzip.compress(data)
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        # The client may have given up waiting (the timeout scenario).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)


def start() -> tuple[http.server.ThreadingHTTPServer, str]:
    LearnPlayer.requests = Counter()
    LearnPlayer.user_agents = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), LearnPlayer)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
