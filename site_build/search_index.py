"""Split the combined search index that static-i18n writes into one index per language."""

from __future__ import annotations

import json
from pathlib import Path

from checks.languages import Language

# Material joins the words of a segmented text with zero-width spaces; its zh separator splits there.
_WORD_BREAK = "\u200b"
# Material's own zh separator (partials/languages/zh.html): the combined index has the source language's.
_ZH_SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+"


class SegmenterMissing(Exception):
    """A language's segmenter (checks/languages.yml) is not installed."""


def split_search_index(site_dir: Path, languages: tuple[Language, ...]) -> dict[str, int]:
    """Write one `search/search_index.json` per language; return the document count of each.

    static-i18n merges every language into `site/search/search_index.json`, so a Japanese term found
    English pages and the reverse. Each language gets its own index below its own root, with its own
    lunr languages and segmentation (checks/languages.yml); the locations lose the language prefix
    because the pages of that language load the index relative to that root.
    """
    index_path = site_dir / "search" / "search_index.json"
    combined = json.loads(index_path.read_text(encoding="utf-8"))
    source, others = languages[0], languages[1:]
    docs_by_locale: dict[str, list[dict]] = {language.code: [] for language in languages}
    for doc in combined["docs"]:
        language = next((lang for lang in others if doc["location"].startswith(f"{lang.code}/")), None)
        if language is None:
            docs_by_locale[source.code].append(doc)
        else:
            docs_by_locale[language.code].append({**doc, "location": doc["location"][len(language.code) + 1 :]})

    counts = {}
    for language in languages:
        root = site_dir if language is source else site_dir / language.code
        docs = docs_by_locale[language.code]
        if language.segmenter == "jieba":
            docs = [{**doc, "title": segment(doc["title"]), "text": segment(doc["text"])} for doc in docs]
        target = root / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        config = {**combined["config"], "lang": list(language.search)}
        if language.segmenter == "jieba":
            config["separator"] = _ZH_SEPARATOR
        target.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False), encoding="utf-8")
        counts[language.code] = len(docs)
    return counts


def segment(text: str) -> str:
    """Chinese text with its words split by jieba and joined by zero-width spaces, as Material does it.

    Material's search plugin segments every index entry when jieba is importable, Japanese included
    (切り出し becomes 切|り|出|し and Japanese searches miss); site_build/mkdocs_hook.py turns that
    off and this segments the Chinese index alone.
    """
    try:
        import jieba  # imported here: only a site with a Chinese page needs it
    except ImportError:
        raise SegmenterMissing(
            "the Chinese search index needs jieba (requirements.txt pins it): run `make install`"
        ) from None

    jieba.setLogLevel("WARNING")
    return _WORD_BREAK.join(jieba.cut(text))
