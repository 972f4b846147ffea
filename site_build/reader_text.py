"""What the site says to readers in each language: notices, footer, sources table, diagram regions."""

from __future__ import annotations

TEXT: dict[str, dict] = {
    "ja": {
        "columns": ["値", "意味", "使用ページ", "出典（Microsoft Learn）", "確認日"],
        "claim_columns": ["Microsoft Learn の記載（英語の原文）", "このサイトの記述", "出典", "根拠"],
        "claim_evidence": "{date} 時点のソース（{commit}）",
        "claim_update": "Learn の更新: {date}（{commit}）",
        "claim_correction": "元の資料の訂正",
        "unused": "（サイト内の記載なし）",
        "verified_footer": "このページの数値と事実は、{date} 時点の Microsoft Learn のソースと照合しています"
        '（<a href="{sources}">出典一覧</a>）。',
        "outdated": "この翻訳は原文（日本語）の更新に追いついていない可能性があります。"
        '最新の内容は<a href="{source}">原文</a>を確認してください。',
        "fallback": "このページはまだ翻訳されていないため、原文を表示しています。",
        "diagram": "図: {title}",
    },
    "en": {
        "columns": ["Value", "Meaning", "Used on", "Source (Microsoft Learn)", "Verified"],
        "claim_columns": ["What Microsoft Learn says", "What this site says", "Source", "Evidence"],
        "claim_evidence": "source as of {date} ({commit})",
        "claim_update": "Learn update: {date} ({commit})",
        "claim_correction": "correction of the original document",
        "unused": "(not stated on the site)",
        "verified_footer": "The numbers and facts on this page were checked against the Microsoft Learn sources "
        "as of {date} "
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
