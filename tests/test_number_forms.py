"""The number forms readers see in Japanese and English, and the values they stand for."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from checks.findings import ConfigurationError
from checks.number_words import NUMBER_WORDS, load_number_words
from checks.numbers import find_numbers


@pytest.mark.parametrize(
    ("text", "kind", "value", "approximate"),
    [
        ("最大 5,000 ノード", "number", Decimal(5000), False),
        ("5000 nodes", "number", Decimal(5000), False),
        ("約 100 万 IP", "number", Decimal(1_000_000), True),
        ("about 1 million IPs", "number", Decimal(1_000_000), True),
        ("6.4 万", "number", Decimal(64_000), False),
        ("64K", "number", Decimal(64_000), False),
        ("/24 を切り出し", "prefix", Decimal(24), False),
        ("既定値は 10.244.0.0/16。", "cidr", "10.244.0.0/16", False),
        ("ノード 10.0.1.4 から", "ip", "10.0.1.4", False),
        ("Kubernetes 1.28 以上", "number", Decimal("1.28"), False),
        ("250 Pod/ノード", "number", Decimal(250), False),
        ("250 pods per node", "number", Decimal(250), False),
        ("Pod の IP（10.244.x.x）", "cidr", "10.244.0.0/16", False),
        ("（2026-07-30 の更新）", "date", "2026-07-30", False),
    ],
)
def test_number_form(text: str, kind: str, value: object, approximate: bool):
    (token,) = find_numbers(text)
    assert (token.kind, token.value, token.approximate) == (kind, value, approximate)


@pytest.mark.parametrize("text", ["Node1 --> P3", "IPv4 と IPv6", "Out2[x]", "CIDR1", "①"])
def test_identifiers_are_not_numbers(text: str):
    assert find_numbers(text) == []


@pytest.mark.parametrize("text", ["999.1.1.1", "10.0.1.256", "10.0.0.0/33"])
def test_impossible_addresses_are_read_as_invalid_addresses(text: str):
    assert [t.kind for t in find_numbers(text)] == ["invalid-address"]


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("six thousand nodes", 6000, False),
        ("up to Five Thousand nodes", 5000, False),
        ("two hundred fifty pods", 250, False),
        ("two hundred and fifty pods", 250, False),
        ("twenty-five hundred pods", 2500, False),
        ("a thousand nodes", 1000, False),
        ("one million IPs", 1_000_000, False),
        ("one million two hundred thousand IPs", 1_200_000, False),
        ("about five thousand nodes", 5000, True),
        ("5 thousand nodes", 5000, False),
        ("最大六千ノード", 6000, False),
        ("五千ノード", 5000, False),
        ("二百五十 Pod", 250, False),
        ("二千五百万 IP", 25_000_000, False),
        ("十万", 100_000, False),
        ("約五千ノード", 5000, True),
        ("5千ノード", 5000, False),
        ("1 億", 100_000_000, False),
    ],
)
def test_numbers_in_words_are_numbers(text: str, value: int, approximate: bool):
    (token,) = find_numbers(text)
    assert (token.kind, token.value, token.approximate) == ("number", Decimal(value), approximate)


@pytest.mark.parametrize(
    "text",
    [
        "one of two models",  # counting words below ten, as the style guide spells them
        "each pod has one IP address",
        "hundreds of pods",  # no number: how many hundreds?
        "thousands of nodes",
        "a node",
        "十分な IP",  # one numeral inside a word: "enough"
        "一般的な Web アプリ",
        "一方で",
        "両方のサブネット",
        "数千のノード",  # "several thousand"
        "何百もの Pod",
        "第二十条",
        "万一の場合",
        "一一",  # no number by the grammar
    ],
)
def test_words_that_are_not_numbers_are_not_read(text: str):
    assert find_numbers(text) == []


def test_numbers_joined_by_and_are_read_apart():
    assert [t.value for t in find_numbers("between ten and twenty nodes")] == [Decimal(10), Decimal(20)]


# Chinese and Sino-Korean numerals follow the same grammar: a language is its words, not code.
ADDED = {
    "zh": {
        "why": "Chinese pages may write limits in numerals.",
        "source": "https://learn.microsoft.com/zh-cn/",
        "spaced": False,
        "units": {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9},
        "multipliers": {"十": 10, "百": 100, "千": 1000},
        "groups": {"亿": 100_000_000, "万": 10_000},
        "ones": [],
        "implicit_one": True,
        "joiners": [],
        "smallest": 10,
        "min_words": 2,
        "skip_after": ["几", "数"],
        "not_numbers": [],
    },
    "ko": {
        "why": "Korean pages may write limits in Sino-Korean numerals.",
        "source": "https://learn.microsoft.com/ko-kr/",
        "spaced": False,
        "units": {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9},
        "multipliers": {"십": 10, "백": 100, "천": 1000},
        "groups": {"억": 100_000_000, "만": 10_000},
        "ones": [],
        "implicit_one": True,
        "joiners": [],
        "smallest": 10,
        "min_words": 2,
        "skip_after": [],
        "not_numbers": [],
    },
}


@pytest.mark.parametrize(
    ("text", "value"),
    [("五千个节点", 5000), ("两千", 2000), ("一万二千", 12000), ("几千个", None), ("오천 개", 5000), ("이백오십", 250)],
)
def test_a_language_is_added_by_its_words_alone(tmp_path: Path, text: str, value: int | None):
    table = yaml.safe_load(NUMBER_WORDS.read_text(encoding="utf-8"))
    table["languages"].update(ADDED)
    path = tmp_path / "number_words.yml"
    path.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    found = [w.value for w in load_number_words(path).find(text)]
    assert found == ([Decimal(value)] if value else [])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("      hundred: 100\n", "      hundred: 100\n      thousand: 1000\n"), "'thousand' is in both"),
        (("    smallest: 10\n    min_words: 1\n", "    min_words: 1\n"), "needs exactly the fields"),
        (("      ten: 10\n", "      ten: ten\n"), "positive whole numbers"),
        (("      ten: 10\n", "      ten: 10\n      ten: 11\n"), "given twice"),
    ],
)
def test_a_broken_number_word_table_names_its_line(tmp_path: Path, edit: tuple[str, str], message: str):
    text = NUMBER_WORDS.read_text(encoding="utf-8")
    assert edit[0] in text
    path = tmp_path / "number_words.yml"
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=rf"number_words\.yml:\d+: .*{message}"):
        load_number_words(path)
