"""Rewrites of the rendered HTML that Material and static-i18n do not do on their own."""

from __future__ import annotations

import json
import re

# static-i18n gives each page `<link rel="alternate" hreflang>` tags to the same page in the other
# languages. Material fetches `<href>/sitemap.xml` for every such tag, which only exists at a
# language root, so every page logged 404s. The same hreflang pairs stay in sitemap.xml (with
# absolute URLs, as search engines want) and on the language switcher's links.
_HREFLANG_LINK = re.compile(r'<link\b(?=[^>]*\brel="alternate")(?=[^>]*\bhreflang=)[^>]*>\s*')

_CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def drop_hreflang_links(page_html: str) -> str:
    return _HREFLANG_LINK.sub("", page_html)


def point_search_at_language(page_html: str, language_prefix: str) -> str:
    """Make Material load `<prefix>/search/search_index.json` instead of the site root's index."""
    if not language_prefix:
        return page_html

    def rebase(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        config["base"] = f"{config['base']}/{language_prefix}/"
        return match.group(1) + json.dumps(config, ensure_ascii=False) + match.group(3)

    return _CONFIG_SCRIPT.sub(rebase, page_html, count=1)
