"""Find the numbers a reader sees in a run of text, in Japanese and English forms, with their values.

5,000 · 5000 · 約 100 万 · about 1 million · 6.4 万 · 64K · 5 thousand · 5千 · /24 · 10.244.0.0/16 ·
10.0.1.4 · 1.28 · and numbers in words (six thousand · 五千 · 二百五十), read by checks/number_words.py
from the table checks/number_words.yml.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from checks.number_words import number_words

Kind = Literal["cidr", "ip", "prefix", "date", "number", "invalid-address"]

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_APPROX = r"約\s*|about\s+|approximately\s+|~\s*"
# Scales written as symbols in every language; the words (thousand, 万 ...) come from the table.
_SYMBOLS = {"K": 1_000, "k": 1_000}
_APPROX_BEFORE = re.compile(f"(?:{_APPROX})$", re.I)


@cache
def _token_pattern() -> re.Pattern[str]:
    scales = number_words().scale_pattern()
    return re.compile(
        rf"""
        (?P<date>(?<![\w.])\d{{4}}-\d{{2}}-\d{{2}}(?!\w|\.\d))
      | (?P<wildcard>(?<![\w.])\d{{1,3}}\.\d{{1,3}}\.x\.x(?!\w|\.\d))
      | (?P<cidr>(?<![\w.])\d{{1,3}}(?:\.\d{{1,3}}){{3}}/\d{{1,2}}(?!\w|\.\d))
      | (?P<ip>(?<![\w.])\d{{1,3}}(?:\.\d{{1,3}}){{3}}(?![\w/]|\.\d))
      | (?P<prefix>(?<![\w.])/\d{{1,2}}(?!\w|\.\d))
      | (?P<approx>{_APPROX})?
        (?P<number>(?<![\w.,/])(?:{_NUMBER}))
        (?P<scale>{scales + "|" if scales else ""}K\b|k\b)?
        (?![\w.]\d|\d|[A-Za-z_])
        """,
        re.VERBOSE | re.IGNORECASE,
    )


@cache
def mention_number_pattern() -> str:
    """What a mention template's {n} matches: every form find_numbers reads as a number or an address."""
    scales = number_words().scale_pattern()
    digits = rf"\d[\d,]*(?:\.\d+)?(?:{scales + '|' if scales else ''}K)?"
    words = number_words().mention_pattern()
    address = r"\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?|/\d{1,2}"
    return rf"(?:約\s*|about\s+)?(?:{address}|{digits}{'|' + words if words else ''})"


@dataclass(frozen=True)
class NumberToken:
    text: str
    start: int
    end: int
    kind: Kind
    value: Decimal | str
    approximate: bool = False

    def display(self) -> str:
        return self.text.strip()


def find_numbers(text: str) -> list[NumberToken]:
    tokens = _digit_tokens(text)
    # Numbers in words: where digits already stand ("5 thousand"), the digits' reading holds.
    for word in number_words().find(text):
        if any(t.start < word.end and word.start < t.end for t in tokens):
            continue
        approx = _APPROX_BEFORE.search(text, max(0, word.start - 20), word.start)
        start = approx.start() if approx else word.start
        tokens.append(NumberToken(text[start : word.end], start, word.end, "number", word.value, bool(approx)))
    return sorted(tokens, key=lambda token: token.start)


def _digit_tokens(text: str) -> list[NumberToken]:
    tokens = []
    for match in _token_pattern().finditer(text):
        if match["date"]:
            tokens.append(NumberToken(match.group(), match.start(), match.end(), "date", match.group()))
        elif match["wildcard"]:
            # "10.244.x.x" is the reader's shorthand for the /16 it belongs to.
            network = match.group().replace("x.x", "0.0/16")
            try:
                ipaddress.ip_network(network)
            except ValueError:
                # 300.244.x.x: a typo in the shorthand is as wrong as one in a full address.
                tokens.append(NumberToken(match.group(), match.start(), match.end(), "invalid-address", match.group()))
                continue
            tokens.append(NumberToken(match.group(), match.start(), match.end(), "cidr", network))
        elif match["cidr"]:
            tokens.append(_address(match, "cidr"))
        elif match["ip"]:
            tokens.append(_address(match, "ip"))
        elif match["prefix"]:
            tokens.append(NumberToken(match.group(), match.start(), match.end(), "prefix", Decimal(match.group()[1:])))
        else:
            value = Decimal(match["number"].replace(",", ""))
            scale = (match["scale"] or "").strip()
            if scale:
                value *= _SYMBOLS.get(scale) or number_words().scale(scale) or 1
            tokens.append(
                NumberToken(match.group(), match.start(), match.end(), "number", value, bool(match["approx"]))
            )
    return tokens


def _address(match: re.Match[str], kind: Kind) -> NumberToken:
    text = match.group()
    try:
        value = str(ipaddress.ip_network(text, strict=False) if kind == "cidr" else ipaddress.ip_address(text))
    except ValueError:
        # 10.0.1.256 looks like an address and is read as one: a typo, not a number to skip.
        return NumberToken(text, match.start(), match.end(), "invalid-address", text)
    return NumberToken(text, match.start(), match.end(), kind, value if kind == "ip" else text)


def format_value(value: Decimal | str) -> str:
    if isinstance(value, str):
        return value
    return f"{value:,}" if value == value.to_integral_value() else str(value)
