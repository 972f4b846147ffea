"""Numbers written in words, read with one grammar from the per-language table checks/number_words.yml.

Units add up, a multiplier multiplies the units before it, a group word closes a group: "two hundred
fifty thousand" is (2 × 100 + 50) × 1,000 and 二千五百万 is (2 × 1,000 + 5 × 100) × 10,000. English,
Japanese, Chinese and Sino-Korean numerals all read so, which is why a language adds words to the
table and no code. What the table marks as no number (a counting word below `smallest`, a single
numeral inside a word, 数千 "several thousand") is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from checks.findings import ConfigurationError, display_path
from checks.yaml_files import load_yaml_file

NUMBER_WORDS = Path(__file__).with_name("number_words.yml")
_WORD_KINDS = ("units", "multipliers", "groups")
_FIELDS = {
    "why": str,
    "source": str,
    "spaced": bool,
    "units": dict,
    "multipliers": dict,
    "groups": dict,
    "ones": list,
    "implicit_one": bool,
    "joiners": list,
    "smallest": int,
    "min_words": int,
    "skip_after": list,
    "not_numbers": list,
}


@dataclass(frozen=True)
class Language:
    name: str
    spaced: bool
    units: dict[str, int]
    multipliers: dict[str, int]
    groups: dict[str, int]
    ones: frozenset[str]
    implicit_one: bool
    joiners: frozenset[str]
    smallest: int
    min_words: int
    skip_after: tuple[str, ...]
    not_numbers: frozenset[str]

    def word_pattern(self) -> str:
        words = sorted({*self.units, *self.multipliers, *self.groups, *self.ones}, key=len, reverse=True)
        alternation = "|".join(re.escape(w) for w in words)
        if not self.spaced:
            return f"(?:{alternation})+"
        joiners = "".join(rf"|\s+{re.escape(j)}\s+" for j in sorted(self.joiners))
        return rf"\b(?:{alternation})(?:(?:[\s-]+{joiners})(?:{alternation}))*\b"

    def scale_pattern(self) -> str:
        """The multipliers and groups as they scale digits: "5 thousand", "5千"."""
        words = sorted({*self.multipliers, *self.groups}, key=len, reverse=True)
        alternation = "|".join(re.escape(w) for w in words)
        return rf"\s+(?:{alternation})\b" if self.spaced else rf"\s*(?:{alternation})"

    def scale(self, word: str) -> int | None:
        word = word.strip().lower()
        return self.multipliers.get(word) or self.groups.get(word)

    def words_of(self, text: str) -> list[str]:
        if self.spaced:
            return [w for w in re.split(r"[\s-]+", text.lower()) if w]
        words = sorted({*self.units, *self.multipliers, *self.groups}, key=len, reverse=True)
        return re.findall("|".join(re.escape(w) for w in words), text)

    def value(self, text: str) -> Decimal | None:
        """The number `text` writes, or None when the words make no number by the grammar."""
        words = self.words_of(text)
        if text in self.not_numbers or len([w for w in words if w not in self.joiners]) < self.min_words:
            return None
        total, group, pending = 0, 0, None  # pending: the units since the last multiplier
        last_group, last_multiplier, one_pending = None, None, False
        for index, word in enumerate(words):
            if word in self.joiners:
                if index == 0 or index == len(words) - 1:
                    return None
                continue
            if word in self.ones and pending is None and index + 1 < len(words):
                pending, one_pending = 1, True
                continue
            if word in self.units:
                unit = self.units[word]
                if pending is not None:
                    # "twenty five": a ten and a unit; anything else is two numbers (or none).
                    if one_pending or not (pending >= 20 and pending % 10 == 0 and unit < 10):
                        return None
                    pending += unit
                else:
                    pending = unit
                continue
            one_pending = False
            if word in self.multipliers:
                multiplier = self.multipliers[word]
                base = pending if pending is not None else (1 if self.implicit_one else None)
                if base is None or (last_multiplier is not None and multiplier >= last_multiplier):
                    return None
                group, pending, last_multiplier = group + base * multiplier, None, multiplier
            elif word in self.groups:
                size = self.groups[word]
                group += pending or 0
                if group == 0 and self.implicit_one:
                    group = 1
                if group == 0 or (last_group is not None and size >= last_group):
                    return None
                total, group, pending = total + group * size, 0, None
                last_group, last_multiplier = size, None
            else:
                return None
        if one_pending:
            return None
        number = Decimal(total + group + (pending or 0))
        return number if number >= self.smallest else None


@dataclass(frozen=True)
class WordNumber:
    text: str
    start: int
    end: int
    value: Decimal


class NumberWords:
    """The languages' number words, and one pattern that finds them all."""

    def __init__(self, languages: tuple[Language, ...]) -> None:
        self.languages = languages
        alternatives = "|".join(f"(?P<l{i}>{lang.word_pattern()})" for i, lang in enumerate(languages))
        self._pattern = re.compile(alternatives, re.I) if languages else None

    def find(self, text: str) -> Iterator[WordNumber]:
        """Every number written in words in `text`."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text):
            language = self.languages[int(next(k for k, v in match.groupdict().items() if v)[1:])]
            if any(text.startswith(word, match.start() - len(word)) for word in language.skip_after if word):
                continue
            yield from _parts(language, match.group(), match.start())

    def scale_pattern(self) -> str:
        """Every language's multipliers and groups as they scale digits ("5 thousand", "5千")."""
        return "|".join(language.scale_pattern() for language in self.languages)

    def scale(self, word: str) -> int | None:
        return next((n for language in self.languages if (n := language.scale(word))), None)

    def mention_pattern(self) -> str:
        """Number words as a mention template's {n} matches them."""
        return "|".join(language.word_pattern() for language in self.languages)


def _parts(language: Language, text: str, offset: int) -> Iterator[WordNumber]:
    """The number `text` writes; when it writes none ("ten and twenty"), the numbers between its joiners."""
    value = language.value(text)
    if value is not None:
        yield WordNumber(text, offset, offset + len(text), value)
        return
    if not language.joiners:
        return
    joiners = "|".join(re.escape(j) for j in language.joiners)
    position = 0
    for piece in re.split(rf"(\s+(?:{joiners})\s+)", text, flags=re.I):
        if piece and not re.fullmatch(rf"\s+(?:{joiners})\s+", piece, re.I):
            value = language.value(piece)
            if value is not None:
                yield WordNumber(piece, offset + position, offset + position + len(piece), value)
        position += len(piece)


def load_number_words(path: Path = NUMBER_WORDS) -> NumberWords:
    """The table of number words; a ConfigurationError naming the file and line when it is broken."""
    where = display_path(path)
    text, data = load_yaml_file(path, "number-word list")
    lines = text.split("\n")

    def fail(key: str, problem: str) -> ConfigurationError:
        line = next((i for i, content in enumerate(lines, 1) if content.strip().startswith(f"{key}:")), 1)
        return ConfigurationError(f"{where}:{line}: {problem}")

    if not isinstance(data, dict) or set(data) != {"languages"} or not isinstance(data["languages"], dict):
        raise ConfigurationError(f"{where}:1: the number words must be a mapping `languages:` of language codes")
    languages = []
    for name, entry in data["languages"].items():
        if not isinstance(entry, dict) or set(entry) != set(_FIELDS):
            fields = sorted(set(_FIELDS) ^ set(entry if isinstance(entry, dict) else {}))
            raise fail(str(name), f"language {name!r} needs exactly the fields {sorted(_FIELDS)} (check: {fields})")
        for field, kind in _FIELDS.items():
            if not isinstance(entry[field], kind) or (kind is int and isinstance(entry[field], bool)):
                raise fail(str(name), f"language {name!r}: {field} must be a {kind.__name__}")
        if not str(entry["why"]).strip() or not str(entry["source"]).startswith("https://"):
            raise fail(str(name), f"language {name!r} needs a why and an https source")
        seen: dict[str, str] = {}
        for kind in _WORD_KINDS:
            for word, number in entry[kind].items():
                if not isinstance(word, str) or not word or not isinstance(number, int) or number <= 0:
                    raise fail(str(name), f"language {name!r}: {kind} maps words to positive whole numbers ({word!r})")
                if word.lower() in seen:
                    raise fail(str(name), f"language {name!r}: {word!r} is in both {seen[word.lower()]} and {kind}")
                seen[word.lower()] = kind
        languages.append(
            Language(
                str(name),
                entry["spaced"],
                {w.lower(): n for w, n in entry["units"].items()},
                {w.lower(): n for w, n in entry["multipliers"].items()},
                {w.lower(): n for w, n in entry["groups"].items()},
                frozenset(str(w).lower() for w in entry["ones"]),
                entry["implicit_one"],
                frozenset(str(w).lower() for w in entry["joiners"]),
                entry["smallest"],
                entry["min_words"],
                tuple(str(w) for w in entry["skip_after"]),
                frozenset(str(w) for w in entry["not_numbers"]),
            )
        )
    return NumberWords(tuple(languages))


@cache
def number_words() -> NumberWords:
    return load_number_words()
