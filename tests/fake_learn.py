"""A fake Microsoft Learn on 127.0.0.1, built from real Learn history (tests/fixtures/learn_history/).

Each scenario serves every cited article as it stood at one real commit of
MicrosoftDocs/azure-aks-docs (en-us) and at another for ja-jp, with Learn's page structure:
`<html lang>`, navigation and footer outside `<main id="main">`, the article's `<h1>`, heading ids
as Learn derives them, tables, alerts (`div.NOTE`), zone pivots and tabs. HTTP/1.1, gzip when the
client accepts it. The extracts come from tests/fake_learn_fixtures.py; no mirror is needed here.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import http.server
import re
import textwrap
import threading
from collections import Counter
from functools import cache
from pathlib import Path
from typing import ClassVar

import markdown
import yaml

HISTORY = Path(__file__).parent / "fixtures" / "learn_history" / "articles.yml"
_BULLET = re.compile(r"^([-*]|\d+\.)\s+")
_ALERT_TITLES = {"NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "CAUTION": "Caution", "WARNING": "Warning"}


@cache
def history() -> dict:
    return yaml.safe_load(HISTORY.read_text(encoding="utf-8"))


def extract(key: str, commit: str) -> dict | None:
    """The extract of article `key` at `commit`; None when the article did not exist then."""
    states = history()["articles"].get(key, {}).get("states", {})
    state = states.get(commit)
    while state is not None and "same_as" in state:
        state = states[state["same_as"]]
    return state


def _inline(text: str) -> str:
    rendered = markdown.markdown(text, extensions=["tables"])
    return re.sub(r"^<p>(.*)</p>$", r"\1", rendered, flags=re.S)


def _block(block: dict) -> str:
    if block["kind"] == "heading":
        return block["html"]
    text = textwrap.dedent(block["md"])
    if block["kind"] == "alert":
        lines = [re.sub(r"^\s*> ?", "", line) for line in text.split("\n")]
        kind = re.match(r"\[!(\w+)\]", lines[0].strip()) if lines else None
        name = kind[1].upper() if kind else "NOTE"
        body = markdown.markdown("\n".join(lines[1:] if kind else lines), extensions=["tables"])
        return f'<div class="{name}"><p>{_ALERT_TITLES.get(name, name.title())}</p>{body}</div>'
    if block["kind"] == "li":
        return "<li>" + _inline(_BULLET.sub("", text)) + "</li>"
    return markdown.markdown(text, extensions=["tables"])


def _wrap(kind: str, value: str, inner: str) -> str:
    if kind == "pivot":
        return f'<div class="zone has-pivot" data-pivot="{html.escape(value)}">{inner}</div>'
    tab_id, _, label = value.partition("|")
    return (
        f'<div class="tabGroup"><ul role="tablist"><li role="presentation"><a href="#tab/{tab_id}" role="tab">'
        f'{html.escape(label)}</a></li></ul><section role="tabpanel" data-tab="{tab_id}">{inner}</section></div>'
    )


def _blocks(blocks: list[dict]) -> str:
    """Blocks in order: list items gathered in one list, pivots and tabs in Learn's containers."""
    out: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        group = [block]
        while index + len(group) < len(blocks):
            following = blocks[index + len(group)]
            if (following.get("pivot"), following.get("tab")) != (block.get("pivot"), block.get("tab")):
                break
            group.append(following)
        index += len(group)
        inner = ""
        for position, item in enumerate(group):
            starts = item["kind"] == "li" and (position == 0 or group[position - 1]["kind"] != "li")
            ends = item["kind"] == "li" and (position == len(group) - 1 or group[position + 1]["kind"] != "li")
            inner += ("<ul>" if starts else "") + _block(item) + ("</ul>" if ends else "")
        if block.get("tab"):
            inner = _wrap("tab", block["tab"], inner)
        if block.get("pivot"):
            inner = _wrap("pivot", block["pivot"], inner)
        out.append(inner)
    return "\n".join(out)


def render(state: dict, locale: str) -> str:
    """A Learn page: chrome outside the article, the article inside `<main id="main">`."""
    by_section: dict[str, list[dict]] = {}
    for block in state["blocks"]:
        by_section.setdefault(block["section"], []).append(block)
    title = html.escape(state["title"])
    items: list[dict] = []
    for heading in state["outline"]:
        level, text = heading["level"], _inline(heading["text"])
        if level == 1:
            items += [{"kind": "heading", "html": f"<h1>{text}</h1>"}, *by_section.get("", [])]
            continue
        extra = "".join(f'<a id="{html.escape(a)}"></a>' for a in heading.get("extra", []))
        markup = f'<h{level} id="{heading["id"]}">{extra}{text}</h{level}>'
        # A heading inside a zone pivot stands in that pivot's container, as on Learn.
        items += [
            {"kind": "heading", "html": markup, "pivot": heading.get("pivot")},
            *by_section.get(heading["id"], []),
        ]
    article = [_blocks(items)]
    return (
        f'<!DOCTYPE html>\n<html lang="{locale}" dir="ltr">\n<head><meta charset="utf-8">'
        f"<title>{title} | Microsoft Learn</title>"
        "<script>window.msDocs = {data: {userLocale: 'en-us', hidden: 'Up to 9 nodes per cluster.'}};</script>"
        "</head>\n<body>\n"
        '<header><nav aria-label="Learn"><a href="/">Learn</a><h2 id="nav-title">Azure</h2>'
        "<p>Maximum nodes per cluster 1 nodes. Supported Not Supported Both ways.</p></nav></header>\n"
        '<div class="mainContainer"><main id="main" class="content" role="main" data-bi-name="content"'
        f' lang="{locale}" dir="ltr">\n' + "\n".join(article) + "\n</main></div>\n"
        '<footer><h2 id="feedback">Feedback</h2><p>Was this page helpful? Default 1</p></footer>\n</body></html>\n'
    )


class FakeLearn(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    scenario: ClassVar[dict[str, str]] = {}
    # "locale/key" -> an extract served instead of the scenario's (a test's edit of one page).
    edited: ClassVar[dict[str, dict]] = {}
    requests: ClassVar[Counter[str]] = Counter()
    encodings: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0].split("#")[0]
        parts = [p for p in path.split("/") if p]
        locale, key = (parts[0], "/".join(parts[1:])) if parts else ("", "")
        type(self).requests[f"{locale}/{key}"] += 1
        type(self).encodings.append(self.headers.get("Accept-Encoding", ""))
        commit = type(self).scenario.get(locale)
        state = type(self).edited.get(f"{locale}/{key}") or (extract(key, commit) if commit else None)
        if state is None:
            return self._send(404, "<html><body><main id='main'><h1>Page not found</h1></main></body></html>")
        return self._send(200, render(state, locale))

    def _send(self, status: int, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(data)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)


def start(scenario: str, edited: dict[str, dict] | None = None) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `scenario` (a key of `scenarios` in the fixture), with the `edited` pages ("locale/key"
    -> extract) in place of theirs; returns the server and its base URL."""
    FakeLearn.scenario = history()["scenarios"][scenario]
    FakeLearn.edited = edited or {}
    FakeLearn.requests = Counter()
    FakeLearn.encodings = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeLearn)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
