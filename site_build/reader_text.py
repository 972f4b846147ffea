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
    "zh": {
        "columns": ["值", "含义", "使用页面", "来源（Microsoft Learn）", "核实日期"],
        "claim_columns": ["Microsoft Learn 的原文（英语）", "本站的表述", "来源", "依据"],
        "claim_evidence": "截至 {date} 的源文件（{commit}）",
        "claim_update": "Learn 更新：{date}（{commit}）",
        "claim_correction": "对原始资料的更正",
        "unused": "（本站未提及）",
        "verified_footer": "本页的数值和事实已与截至 {date} 的 Microsoft Learn 源文件核对"
        '（<a href="{sources}">全部来源</a>）。',
        "outdated": '本页的日语原文在翻译后已有更改。最新内容请参阅<a href="{source}">日语原文</a>。',
        "fallback": "本页尚未翻译，以原文（日语）显示。",
        "diagram": "图：{title}",
    },
    "ko": {
        "columns": ["값", "의미", "사용 페이지", "출처(Microsoft Learn)", "확인 날짜"],
        "claim_columns": ["Microsoft Learn의 원문(영어)", "이 사이트의 설명", "출처", "근거"],
        "claim_evidence": "{date} 기준 소스({commit})",
        "claim_update": "Learn 업데이트: {date}({commit})",
        "claim_correction": "원래 자료의 정정",
        "unused": "(사이트에 기재 없음)",
        "verified_footer": "이 페이지의 수치와 사실은 {date} 기준 Microsoft Learn 소스와 대조했습니다"
        '(<a href="{sources}">전체 출처</a>).',
        "outdated": "이 페이지의 일본어 원문이 번역 이후 변경되었습니다. "
        '최신 내용은 <a href="{source}">일본어 원문</a>을 확인하세요.',
        "fallback": "이 페이지는 아직 번역되지 않아 원문(일본어)으로 표시됩니다.",
        "diagram": "다이어그램: {title}",
    },
}


def text_for(locale: str) -> dict:
    """The strings of `locale`; a language without its own strings reads English."""
    return TEXT.get(locale, TEXT["en"])
