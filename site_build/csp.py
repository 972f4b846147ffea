"""The Content-Security-Policy of each page: directives from csp.yml, inline hashes from the final HTML."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from checks.findings import ConfigurationError, display_path

POLICY_FILE = Path(__file__).with_name("csp.yml")

# Directives a browser honours in a <meta> policy. `frame-ancestors`, `report-uri`, `report-to` and
# `sandbox` are ignored there (CSP3 §3.3), so asking for them would be a promise the site cannot keep.
META_DIRECTIVES = frozenset(
    {
        "default-src", "script-src", "script-src-elem", "script-src-attr", "style-src", "style-src-elem",
        "style-src-attr", "img-src", "font-src", "connect-src", "media-src", "object-src", "frame-src",
        "child-src", "worker-src", "manifest-src", "base-uri", "form-action", "upgrade-insecure-requests",
    }
)  # fmt: skip
HEADER_ONLY = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})
KEYWORDS = frozenset(
    {"self", "none", "unsafe-inline", "unsafe-eval", "unsafe-hashes", "strict-dynamic", "wasm-unsafe-eval"}
)
HASH_KINDS = ("script", "style")

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_SVG = re.compile(r"<svg\b.*?</svg\s*>", re.S | re.I)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_SRC_ATTR = re.compile(r"\ssrc\s*=", re.I)
_TYPE_ATTR = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
# Types a browser runs (everything else, such as Material's application/json config, is data).
_RUNNABLE_TYPES = frozenset({"", "module", "importmap", "text/javascript", "application/javascript"})
_CHARSET_META = re.compile(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", re.I)
_CSP_META = re.compile(r"<meta\b[^>]*http-equiv=[\"']?content-security-policy", re.I)


@dataclass(frozen=True)
class Directive:
    name: str
    sources: tuple[str, ...]
    hashes: str | None = None


def load_policy(path: Path = POLICY_FILE) -> list[Directive]:
    """The directives of `path`; a mistake is a ConfigurationError naming the file and line."""
    where = display_path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except OSError as error:
        raise ConfigurationError(f"{where}: cannot read the policy: {error.strerror}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigurationError(f"{where}{line}: not valid YAML: {getattr(error, 'problem', error)}") from None
    directives_node = _mapping(root, where).get("directives")
    if directives_node is None:
        raise ConfigurationError(f"{where}:1: the policy needs a `directives:` mapping")
    directives = [_directive(key, node, where) for key, node in _keyed(directives_node, where)]
    if not directives:
        raise ConfigurationError(f"{where}:{_line(directives_node)}: `directives:` is empty")
    return directives


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _keyed(node: yaml.Node | None, where: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        line = _line(node) if node is not None else 1
        raise ConfigurationError(f"{where}:{line}: expected a mapping (name: value lines)")
    return node.value


def _mapping(node: yaml.Node | None, where: str) -> dict[str, yaml.Node]:
    return {key.value: value for key, value in _keyed(node, where)}


def _text(node: yaml.Node, where: str, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise ConfigurationError(f"{where}:{_line(node)}: {what} must be a non-empty text")
    return str(node.value)


def _sources(node: yaml.Node | None, where: str, name: str, parent: yaml.Node) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        line = _line(node) if node is not None else _line(parent)
        raise ConfigurationError(f"{where}:{line}: {name}: `sources` must be a list such as [\"'self'\"]")
    sources = tuple(_text(item, where, f"{name}: a source") for item in node.value)
    for item, source in zip(node.value, sources, strict=True):
        if source in KEYWORDS:
            raise ConfigurationError(
                f"{where}:{_line(item)}: {name}: write the keyword {source} with its single quotes, "
                f"inside double quotes: \"'{source}'\" (without them it names a host called {source})"
            )
    return sources


def _directive(key: yaml.ScalarNode, node: yaml.Node, where: str) -> Directive:
    name = key.value
    line = _line(key)
    if name in HEADER_ONLY:
        raise ConfigurationError(
            f"{where}:{line}: {name} is ignored in a <meta> policy, and GitHub Pages sends no headers: "
            "remove it (the comment at the top of the file says what it would need)"
        )
    if name not in META_DIRECTIVES:
        known = ", ".join(sorted(META_DIRECTIVES))
        raise ConfigurationError(f"{where}:{line}: unknown directive {name!r}; known: {known}")
    fields = _mapping(node, where)
    for required in ("why", "source"):
        if required not in fields:
            raise ConfigurationError(f"{where}:{line}: {name} needs `{required}:`")
        _text(fields[required], where, f"{name}: `{required}`")
    hashes = None
    if "hashes" in fields:
        hashes = _text(fields["hashes"], where, f"{name}: `hashes`")
        if hashes not in HASH_KINDS:
            raise ConfigurationError(f"{where}:{_line(fields['hashes'])}: {name}: `hashes` is script or style")
    return Directive(name, _sources(fields.get("sources"), where, name, key), hashes)


def _sha256(text: str) -> str:
    # Browsers hash the UTF-8 of the text as parsed, and the HTML parser turns CR LF into LF.
    digest = hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _runnable_scripts(page_html: str) -> list[re.Match[str]]:
    def runnable(match: re.Match[str]) -> bool:
        script_type = _TYPE_ATTR.search(match.group(1))
        return (script_type.group(1).lower() if script_type else "") in _RUNNABLE_TYPES

    return [m for m in _SCRIPT.finditer(page_html) if runnable(m)]


def inline_hashes(page_html: str, kind: str) -> tuple[list[str], bool]:
    """The sorted sha256 sources of the page's inline scripts or styles; True when style attributes are among them."""
    if kind == "script":
        bodies = [m.group(2) for m in _runnable_scripts(page_html) if not _SRC_ATTR.search(m.group(1))]
        return sorted({_sha256(body) for body in bodies}), False
    svgs = [m.span() for m in _SVG.finditer(page_html)]

    def style_text(match: re.Match[str]) -> str:
        # In HTML a <style> holds raw text; inside <svg> (diagrams drawn at build time) the parser
        # decodes character references and unwraps CDATA, and the browser hashes what it decoded.
        if not any(start <= match.start() < end for start, end in svgs):
            return match.group(1)
        parts = _CDATA.split(match.group(1))
        return "".join(part if index % 2 else html.unescape(part) for index, part in enumerate(parts))

    elements = {_sha256(style_text(m)) for m in _STYLE.finditer(page_html)}
    attributes = {
        _sha256(html.unescape(m.group(1) if m.group(1) is not None else m.group(2)))
        for tag in _TAG.finditer(page_html)
        for m in _STYLE_ATTR.finditer(tag.group(0))
    }
    return sorted(elements | attributes), bool(attributes)


def policy_for(page_html: str, directives: list[Directive]) -> str:
    """The policy text for this page, hashes taken from `page_html` as it will be served."""
    parts = []
    for directive in directives:
        sources = list(directive.sources)
        if directive.hashes:
            hashes, needs_unsafe_hashes = inline_hashes(page_html, directive.hashes)
            # Hashes cover style attributes only with 'unsafe-hashes' (CSP3 §2.3.2).
            sources += (["'unsafe-hashes'"] if needs_unsafe_hashes else []) + hashes
        parts.append(" ".join((directive.name, *sources)))
    return "; ".join(parts)


def add_policy(page_html: str, directives: list[Directive], page: str) -> str:
    """`page_html` with its policy as the first element after <meta charset>, before any script."""
    if _CSP_META.search(page_html):
        raise ValueError(f"{page}: already has a Content-Security-Policy <meta>; site_build/csp.py writes the only one")
    charset = _CHARSET_META.search(page_html)
    if charset is None:
        raise ValueError(f'{page}: no <meta charset="utf-8"> to put the Content-Security-Policy after')
    if "<script" in page_html[: charset.end()].lower():
        raise ValueError(f"{page}: a <script> comes before <meta charset>; the policy would not govern it")
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy_for(page_html, directives)}"/>'
    return page_html[: charset.end()] + meta + page_html[charset.end() :]
