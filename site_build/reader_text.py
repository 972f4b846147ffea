"""What the site says to readers in each language: notices, footer, sources table, diagram regions."""

from __future__ import annotations

TEXT: dict[str, dict] = {
    "ja": {
        "columns": ["値", "意味", "使用ページ", "出典（Microsoft Learn）", "確認日"],
        "unused": "（サイト内の記載なし）",
        "verified_footer": "このページの数値と事実は {date} に Microsoft Learn と照合しました"
        '（<a href="{sources}">出典一覧</a>）。',
        "outdated": "この翻訳は原文（日本語）の更新に追いついていない可能性があります。"
        '最新の内容は<a href="{source}">原文</a>を確認してください。',
        "fallback": "このページはまだ翻訳されていないため、原文を表示しています。",
        "diagram": "図: {title}",
    },
    "en": {
        "columns": ["Value", "Meaning", "Used on", "Source (Microsoft Learn)", "Verified"],
        "unused": "(not stated on the site)",
        "verified_footer": "The numbers and facts on this page were checked against Microsoft Learn on {date} "
        '(<a href="{sources}">all sources</a>).',
        "outdated": "The Japanese original of this page has changed since it was translated. "
        'See <a href="{source}">the Japanese page</a> for the latest content.',
        "fallback": "This page has not been translated yet; it is shown in Japanese, the original language.",
        "diagram": "Diagram: {title}",
    },
}


def text_for(locale: str) -> dict:
    """The strings of `locale`; a language without its own strings reads English."""
    return TEXT.get(locale, TEXT["en"])
