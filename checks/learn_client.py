"""A careful HTTP client for Microsoft Learn: allow-listed host, timeouts, retries that honour
Retry-After, a size limit, redirects reported rather than blindly followed."""

from __future__ import annotations

import email.utils
import http.client
import os
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

LEARN = "https://learn.microsoft.com"
# Tests point the client at a server on 127.0.0.1 that plays Learn; nothing else sets this.
BASE_URL_VARIABLE = "CHECKS_LEARN_BASE_URL"
USER_AGENT = "aks-network-models-docs-checker/1.0 (nightly fact and link check; +https://github.com/)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
PERMANENT_REDIRECTS = {301, 308}
TEMPORARY_REDIRECTS = {302, 303, 307}


@dataclass
class Response:
    url: str
    status: int | None = None
    body: str = ""
    location: str | None = None
    error: str | None = None
    attempts: int = 0
    history: list[str] = field(default_factory=list)

    @property
    def network_trouble(self) -> bool:
        return self.status is None or self.status in RETRY_STATUSES


@dataclass
class LearnClient:
    base_url: str = field(default_factory=lambda: os.environ.get(BASE_URL_VARIABLE, LEARN).rstrip("/"))
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    max_retry_after: float = 120.0
    max_bytes: int = 8_000_000
    user_agent: str = USER_AGENT

    def fetch(self, url: str) -> Response:
        """GET a learn.microsoft.com URL; follow temporary redirects on the same host, report the rest."""
        if not url.startswith(LEARN + "/"):
            return Response(url, error=f"not fetched: only {LEARN} is allowed")
        response = Response(url)
        current = url
        for _ in range(5):
            self._get_with_retries(current, response)
            if response.status in TEMPORARY_REDIRECTS and response.location:
                target = urljoin(current, response.location)
                if not target.startswith(LEARN + "/"):
                    return response
                response.history.append(current)
                current = target
                continue
            return response
        response.error = "too many redirects"
        return response

    def _get_with_retries(self, url: str, response: Response) -> None:
        for attempt in range(self.retries + 1):
            response.attempts += 1
            status, headers, body, error = self._get_once(url)
            response.status, response.error = status, error
            response.location = headers.get("location")
            response.body = body
            if status is not None and status not in RETRY_STATUSES:
                return
            if attempt == self.retries:
                return
            time.sleep(self._delay(attempt, headers.get("retry-after")))

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            if retry_after.strip().isdigit():
                return min(float(retry_after), self.max_retry_after)
            when = email.utils.parsedate_to_datetime(retry_after) if retry_after else None
            if when is not None:
                return max(0.0, min(when.timestamp() - time.time(), self.max_retry_after))
        return self.backoff * (2**attempt)

    def _get_once(self, url: str) -> tuple[int | None, dict[str, str], str, str | None]:
        target = urlsplit(self.base_url + url[len(LEARN) :])
        path = target.path + (f"?{target.query}" if target.query else "")
        connection_class = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        kwargs = {"context": ssl.create_default_context()} if target.scheme == "https" else {}
        connection = connection_class(target.hostname, target.port, timeout=self.connect_timeout, **kwargs)
        try:
            connection.connect()
            connection.sock.settimeout(self.read_timeout)
            connection.request(
                "GET",
                path or "/",
                headers={"User-Agent": self.user_agent, "Accept": "text/html", "Accept-Encoding": "identity"},
            )
            reply = connection.getresponse()
            headers = {k.lower(): v for k, v in reply.getheaders()}
            data = reply.read(self.max_bytes + 1)
            if len(data) > self.max_bytes:
                return reply.status, headers, "", f"response larger than {self.max_bytes:,} bytes"
            return reply.status, headers, data.decode("utf-8", errors="replace"), None
        except TimeoutError:
            return None, {}, "", f"timed out (connect {self.connect_timeout:g} s, read {self.read_timeout:g} s)"
        except (OSError, http.client.HTTPException) as error:
            return None, {}, "", f"{type(error).__name__}: {error}"
        finally:
            connection.close()
