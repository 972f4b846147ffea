"""Find the numbers a reader sees in a run of text, in Japanese and English forms, with their values.

5,000 · 5000 · 約 100 万 · about 1 million · 6.4 万 · 64K · /24 · 10.244.0.0/16 · 10.0.1.4 · 1.28
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal["cidr", "ip", "prefix", "date", "number", "invalid-address"]

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_TOKEN = re.compile(
    rf"""
    (?P<date>(?<![\w.])\d{{4}}-\d{{2}}-\d{{2}}(?!\w|\.\d))
  | (?P<wildcard>(?<![\w.])\d{{1,3}}\.\d{{1,3}}\.x\.x(?!\w|\.\d))
  | (?P<cidr>(?<![\w.])\d{{1,3}}(?:\.\d{{1,3}}){{3}}/\d{{1,2}}(?!\w|\.\d))
  | (?P<ip>(?<![\w.])\d{{1,3}}(?:\.\d{{1,3}}){{3}}(?![\w/]|\.\d))
  | (?P<prefix>(?<![\w.])/\d{{1,2}}(?!\w|\.\d))
  | (?P<approx>約\s*|about\s+|approximately\s+|~\s*)?
    (?P<number>(?<![\w.,/])(?:{_NUMBER}))
    (?P<scale>\s*万|\s+million\b|K\b|k\b)?
    (?![\w.]\d|\d|[A-Za-z_])
    """,
    re.VERBOSE,
)
_SCALES = {"万": 10_000, "million": 1_000_000, "K": 1_000, "k": 1_000}


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
    tokens = []
    for match in _TOKEN.finditer(text):
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
                value *= _SCALES[scale]
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
