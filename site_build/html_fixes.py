"""Rewrites of the rendered HTML that Material and static-i18n do not do on their own."""

from __future__ import annotations

import html
import json
import re

# superfences' mermaid fence (mermaid2.fence_mermaid_custom) writes the diagram source unescaped:
# a `<br/>` inside a label becomes a real element, and Material, which reads `textContent`,
# loses the line break. Escaping the source keeps it as text.
_MERMAID_BLOCK = re.compile(r'(<pre[^>]*class="mermaid"[^>]*><code>)(.*?)(</code></pre>)', re.S)

# static-i18n gives each page `<link rel="alternate" hreflang>` tags to the same page in the other
# languages. Material fetches `<href>/sitemap.xml` for every such tag, which only exists at a
# language root, so every page logged 404s. The same hreflang pairs stay in sitemap.xml (with
# absolute URLs, as search engines want) and on the language switcher's links.
_HREFLANG_LINK = re.compile(r'<link\b(?=[^>]*\brel="alternate")(?=[^>]*\bhreflang=)[^>]*>\s*')

# mermaid2 writes `import mermaid from "<path relative to the page>"`; on the home page that path has
# no leading "./", which a browser rejects as a bare module specifier (and Material then falls back
# to its CDN copy).
_BARE_MERMAID_IMPORT = re.compile(r'(import mermaid from ")(?![./]|https?:)')

_CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def escape_mermaid_sources(page_html: str) -> str:
    def escape(match: re.Match[str]) -> str:
        source = html.escape(html.unescape(match.group(2)), quote=False)
        return match.group(1) + source + match.group(3)

    return _MERMAID_BLOCK.sub(escape, page_html)


def drop_hreflang_links(page_html: str) -> str:
    return _HREFLANG_LINK.sub("", page_html)


def anchor_mermaid_import(page_html: str) -> str:
    return _BARE_MERMAID_IMPORT.sub(r"\1./", page_html)


def point_search_at_language(page_html: str, language_prefix: str) -> str:
    """Make Material load `<prefix>/search/search_index.json` instead of the site root's index."""
    if not language_prefix:
        return page_html

    def rebase(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        config["base"] = f"{config['base']}/{language_prefix}/"
        return match.group(1) + json.dumps(config, ensure_ascii=False) + match.group(3)

    return _CONFIG_SCRIPT.sub(rebase, page_html, count=1)
