"""How Learn writes a value, read by the fact's type and the page's locale, with boundaries.

A value is read whole and as what it is, or not at all: a partial reading reports a change that did
not happen ("5" for "5 000") or hides one that did ("250" for "10–250").

- Numbers follow the page's locale (`LearnPage.locale`, from `<main lang>` or `<html lang>`): on an
  en-us page "5,000", "5 000" with a no-break, thin or narrow no-break space, and "5000" are 5000,
  while "5.000" is the decimal 5 (a changed value, not the same one); on a de-de page "5.000" is
  5000 and "1,5" one and a half. A plain space between digit groups is not read either way: cells
  and words stand apart by it, so "5 000" is neither 5 nor 5000.
- An integer fact reads decimals too: "5.5" where 5 stood is a change, never nothing.
- A sign, a range or a "+" makes another value: "-5,000", "1-5,000", "10–250", "10 – 250", "10～250"
  and "5,000+" are not 5000 or 250 (but "/12 ~ 1 million" is 12: spaced, only an en dash is a range).
- Versions: "1.28", "v1.28" and "1.28.x" (any patch) are 1.28; "1.28.5" is not.
- Dates: 2025-09-30, "September 30, 2025", "Sept 30, 2025", "Sep. 30 2025", "30 September 2025",
  "2025年9月30日", and the numeric form of the locale ("9/30/2025" en-us, "30.09.2025" de-de).
- CIDRs and IPs are read whole; a CIDR with host bits compares as an interface, never as its network.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

_SPACES = "\u00a0\u2009\u202f"  # no-break, thin and narrow no-break space: digit groups in every locale
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212~\uff5e\u301c"


@dataclass(frozen=True)
class NumberFormat:
    group: str  # characters that separate digit groups
    decimal: str  # the decimal mark
    numeric_date: str  # the order of day, month and year in "1/2/2025" or "01.02.2025"


# The locales Learn serves that this site cites, and the ones whose numbers read differently.
FORMATS = {
    "en-us": NumberFormat(f",{_SPACES}", ".", "mdy"),
    "en-gb": NumberFormat(f",{_SPACES}", ".", "dmy"),
    "ja-jp": NumberFormat(f",{_SPACES}", ".", "ymd"),
    "zh-cn": NumberFormat(f",{_SPACES}", ".", "ymd"),
    "ko-kr": NumberFormat(f",{_SPACES}", ".", "ymd"),
    "de-de": NumberFormat(f".{_SPACES}", ",", "dmy"),
    "fr-fr": NumberFormat(_SPACES, ",", "dmy"),
    "es-es": NumberFormat(f".{_SPACES}", ",", "dmy"),
}
DEFAULT_LOCALE = "en-us"

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_FORMS = (
    r"\d{4}-\d{2}-\d{2}",
    rf"{_MONTH} \d{{1,2}},? \d{{4}}",
    rf"\d{{1,2}} {_MONTH},? \d{{4}}",
    r"\d{4} ?年 ?\d{1,2} ?月 ?\d{1,2} ?日",
    r"\d{1,4}[/.]\d{1,2}[/.]\d{1,4}",
)


def number_format(locale: str) -> NumberFormat:
    return FORMATS.get(locale.lower(), FORMATS[DEFAULT_LOCALE])


@cache
def _number(locale: str) -> str:
    form = number_format(locale)
    group, mark = re.escape(form.group), re.escape(form.decimal)
    return rf"\d{{1,3}}(?:[{group}]\d{{3}})+(?:{mark}\d+)?|\d+(?:{mark}\d+)?"


def value_pattern(fact_type: str, locale: str = DEFAULT_LOCALE) -> str | None:
    """The pattern of a value of `fact_type` as Learn writes it in `locale`; None for words (enum, boolean)."""
    if fact_type in ("integer", "decimal"):
        return _number(locale)
    return {
        "version": r"v?\d+(?:\.\d+)*(?:\.[xX*])?",
        "cidr": r"\d{1,3}(?:\.\d{1,3}){3}/\d{1,3}",
        "ip": r"\d{1,3}(?:\.\d{1,3}){3}",
        "prefix": r"\d{1,3}",
        "date": "|".join(_DATE_FORMS),
    }.get(fact_type)


@cache
def boundaries(locale: str = DEFAULT_LOCALE) -> tuple[str, str]:
    """What may not stand before and after a value: more of a number, a sign, a range, a "+"."""
    form = number_format(locale)
    joins = re.escape(form.group + form.decimal + ".,")
    # Spaced, only an en dash joins a range ("10 – 250"); " ~ 1 million" and " - " are not ranges.
    left = rf"(?<![\w+{joins}{_DASHES}])(?<!\d \u2013 )(?<!\d )"
    right = rf"(?![\w+]|[{joins}/{_DASHES}]\d| \u2013 ?\d| \d{{3}}(?!\d))"
    return left, right


def read_value(fact_type: str, text: str, locale: str = DEFAULT_LOCALE) -> object | None:
    """A value of `fact_type` as something that compares by value; None when `text` is not one."""
    text = text.strip()
    try:
        if fact_type in ("integer", "decimal", "prefix"):
            return _read_number(text, locale)
        if fact_type == "version":
            return _read_version(text)
        if fact_type == "cidr":
            # An interface compares address and prefix: 10.244.1.0/16 (host bits set) is not 10.244.0.0/16.
            return ipaddress.ip_interface(text) if "/" in text else None
        if fact_type == "ip":
            return ipaddress.ip_address(text)
        if fact_type == "date":
            return _read_date(text, locale)
    except ValueError:
        return None
    return " ".join(text.lower().split())


def values_in(fact_type: str, text: str, locale: str = DEFAULT_LOCALE) -> Iterator[tuple[re.Match[str], object]]:
    """Every value of `fact_type` in `text`, each with where it stands; lazily, as far as it is read."""
    pattern = _values_pattern(fact_type, locale)
    if pattern is None:
        return
    for match in pattern.finditer(text):
        value = read_value(fact_type, match.group(0), locale)
        if value is not None:
            yield match, value


@cache
def _values_pattern(fact_type: str, locale: str) -> re.Pattern[str] | None:
    pattern = value_pattern(fact_type, locale)
    if pattern is None:
        return None
    left, right = boundaries(locale)
    return re.compile(f"{left}(?:{pattern}){right}", re.I)


def _read_number(text: str, locale: str) -> Decimal | None:
    form = number_format(locale)
    if not re.fullmatch(_number(locale), text):
        return None
    digits = text.translate(_ungrouped(form.group)).replace(form.decimal, ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


@cache
def _ungrouped(group: str) -> dict[int, None]:
    return str.maketrans("", "", group)


def _read_version(text: str) -> tuple[int, ...] | None:
    match = re.fullmatch(r"v?(\d+(?:\.\d+)*)(?:\.[xX*])?", text)
    if not match:
        return None
    parts = [int(p) for p in match[1].split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _read_date(text: str, locale: str) -> date | None:
    text = " ".join(text.lower().split())
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(rf"({_MONTH}) (\d{{1,2}}),? (\d{{4}})", text):
        month, day, year = _MONTHS[match[1].rstrip(".")], int(match[2]), int(match[3])
    elif match := re.fullmatch(rf"(\d{{1,2}}) ({_MONTH}),? (\d{{4}})", text):
        day, month, year = int(match[1]), _MONTHS[match[2].rstrip(".")], int(match[3])
    elif match := re.fullmatch(r"(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,4})([/.])(\d{1,2})\2(\d{1,4})", text):
        parts = dict(zip(number_format(locale).numeric_date, (match[1], match[3], match[4]), strict=True))
        if len(parts["y"]) != 4:
            return None
        year, month, day = int(parts["y"]), int(parts["m"]), int(parts["d"])
    else:
        return None
    return date(year, month, day)
