"""Split the combined search index that static-i18n writes into one index per language."""

from __future__ import annotations

import json
from pathlib import Path


def split_search_index(site_dir: Path, default_locale: str, other_locales: list[str]) -> dict[str, int]:
    """Write one `search/search_index.json` per language; return the document count of each.

    static-i18n merges every language into `site/search/search_index.json`, so a Japanese term found
    English pages and the reverse. Each language gets its own index below its own root; the
    locations lose the language prefix because the pages of that language load the index
    relative to that root.
    """
    index_path = site_dir / "search" / "search_index.json"
    combined = json.loads(index_path.read_text(encoding="utf-8"))
    docs_by_locale: dict[str, list[dict]] = {locale: [] for locale in [default_locale, *other_locales]}
    for doc in combined["docs"]:
        locale = next((loc for loc in other_locales if doc["location"].startswith(f"{loc}/")), None)
        if locale is None:
            docs_by_locale[default_locale].append(doc)
        else:
            docs_by_locale[locale].append({**doc, "location": doc["location"][len(locale) + 1 :]})

    counts = {}
    for locale, docs in docs_by_locale.items():
        root = site_dir if locale == default_locale else site_dir / locale
        target = root / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        config = {**combined["config"], "lang": _search_languages(combined["config"]["lang"], locale)}
        target.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False), encoding="utf-8")
        counts[locale] = len(docs)
    return counts


def _search_languages(configured: list[str], locale: str) -> list[str]:
    # Japanese pages keep English stemming (they are full of English product names); the other
    # languages need only their own, which spares their readers the Japanese segmenter.
    return configured if locale == configured[0] else [locale]
