"""A quote from a Learn article, as the nightly compares it: its text as the reader reads it, its
words, how much of it a passage of the live page recalls, and whether that passage contradicts it.

The quote is Learn's Markdown (checks/audit.yml `learn_quote`). Read with markdown-it-py as Learn
renders it: `_x_`, `**x**`, links (reference links too, whose definitions the quote leaves out) and
code spans become their words, `<br>` a space; a quoted table row (`| label | a | b |`) becomes its
cells. Then typographic quotes are plain ones, no-break and zero-width spaces are spaces, case
does not count and the final period is optional.

Words: function words (articles, prepositions, pronouns, auxiliaries) are dropped; the rest is
lowercased and lightly stemmed (supported/support, nodes/node, routing/route); "VNet" is "virtual
network", "VM" "virtual machine", "VPN" "virtual private network" (Learn's editors write both
forms). Numbers, prefixes, addresses and the number words two to twelve are values; "not", "no",
"never", "can't", "unsupported" ... are negations; "only" is kept apart. Values, negations and
"only" are not content words: they are what a contradiction is made of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark").enable("table")
# What Learn renders and the Markdown source does not: typographic quotes, no-break and zero-width spaces.
_PLAIN = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u200b": "", "\u00ad": ""}
)
_REFERENCE = re.compile(r"\]\[([^\]]+)\]")
# A value first ("10.244.0.0/16", "/24", "5,000", "1.28"), else a word ("can't", "node's", "ipv4").
_TOKEN = re.compile(r"/?\d+(?:[.,/\u2009\u202f]\d+)*|[a-z][a-z0-9]*(?:'[a-z]+)*")
# Digit groups as Learn writes them: "5,000", "5 000" (a thin or narrow no-break space), "5000".
_DIGIT_GROUP = re.compile(r"(?<=\d)[,\u2009\u202f\u00a0 ](?=\d{3}(?!\d))")
_SYNONYMS = {
    "vnet": ["virtual", "network"],
    "vnets": ["virtual", "networks"],
    "vm": ["virtual", "machine"],
    "vms": ["virtual", "machines"],
    "vpn": ["virtual", "private", "network"],
}
_NEGATIONS = frozenset({"not", "no", "never", "none", "cannot", "without", "nor", "neither"})
# Words whose prefix negates: "unsupported" contradicts "supported" as "not supported" does.
_NEGATED = {
    "unsupported": "supported",
    "unavailable": "available",
    "unable": "able",
    "disallowed": "allowed",
    "disabled": "enabled",
    "impossible": "possible",
    "incompatible": "compatible",
}
_CONTRACTED = {"can't": "can", "won't": "will", "shan't": "shall"}
# "The first three addresses" and "the first 3 addresses" state one value; "four" is another.
# "One" is left out: "one of the following", "the one that" are rarely counts.
_NUMBER_WORDS = {
    word: str(number)
    for number, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    )
    if word != "one"
}
_FUNCTION_WORDS = frozenset(
    {"a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "as", "into", "onto", "over"}
    | {"under", "than", "then", "this", "that", "these", "those", "which", "who", "whom", "whose", "what"}
    | {"it", "its", "they", "them", "their", "there", "here", "and", "or", "but", "if", "so", "such", "both"}
    | {"be", "is", "are", "was", "were", "been", "being", "am", "do", "does", "did", "has", "have", "had"}
    | {"having", "you", "your", "yours", "we", "our", "us", "i", "he", "she", "his", "her", "also", "very"}
    | {"just", "more", "most", "much", "many", "can", "could", "may", "might", "should", "would", "will"}
    | {"shall", "must"}
)


# The quote as the reader reads it.


def _inline_text(tokens: list[Token]) -> str:
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak") or (token.type == "html_inline" and "<br" in token.content):
            parts.append(" ")
        elif token.children:
            parts.append(_inline_text(token.children))
    return "".join(parts)


def _parsed(markdown: str) -> list[Token]:
    # Learn's sources define reference links at the end of the article; a quote keeps only `[text][ref]`.
    definitions = "".join(f"\n[{label}]: #" for label in dict.fromkeys(_REFERENCE.findall(markdown)))
    return _PARSER.parse(markdown + "\n" + definitions)


def quote_cells(markdown: str) -> list[str] | None:
    """The cells of a quoted table row (`| a | b |`) as the reader reads them; None for prose."""
    row = markdown.strip()
    if not (row.startswith("|") and row.endswith("|") and row.count("|") >= 3):
        return None
    tokens = _PARSER.parse(f"{row}\n{'|---' * (row.count('|') - 1)}|\n")
    cells = [collapse(_inline_text(t.children or [])) for t in tokens if t.type == "inline"]
    return cells if any(t.type == "table_open" for t in tokens) else None


def quote_text(markdown: str) -> str:
    """The quote as plain text: emphasis, links and code spans as their words, a row as its cells."""
    cells = quote_cells(markdown)
    if cells is not None:
        return " ".join(cells)
    return collapse(" ".join(_inline_text(t.children or []) for t in _parsed(markdown) if t.type == "inline"))


def code_values(markdown: str) -> list[str]:
    """The quote's code spans: typed values (a flag, a range) that a rewording keeps as they are."""
    return [c.content for t in _parsed(markdown) for c in t.children or [] if c.type == "code_inline"]


def collapse(text: str) -> str:
    return " ".join(text.translate(_PLAIN).split())


def normal(text: str) -> str:
    return collapse(text).casefold()


def cell_value(cell: str) -> str:
    """A table cell as a value: "5,000 nodes" and "5000 nodes." are one."""
    return _DIGIT_GROUP.sub("", normal(cell)).rstrip(".")


def stands_in(quote: str, text: str) -> bool:
    """The quote in `text`, whole words only ("Default 250" is not in "Default 2500"), final period optional."""
    needle = normal(quote).removesuffix(".")
    if not needle:
        return False
    before = r"(?<!\w)" if needle[0].isalnum() else ""
    after = r"(?!\w)" if needle[-1].isalnum() else ""
    return re.search(before + re.escape(needle) + after, normal(text)) is not None


# Words, recall and contradiction.


@dataclass(frozen=True)
class Word:
    kind: str  # content, value, negation or only
    text: str


def words(text: str) -> list[Word]:
    """The words of `text` that carry meaning, in order."""
    found = []
    tokens = _TOKEN.findall(normal(text))
    for index, token in enumerate(tokens):
        if token in _SCALES and found and found[-1].kind == "value" and index and tokens[index - 1][0].isdigit():
            found[-1] = Word("value", _scaled(found[-1].text, _SCALES[token]))  # "1 million" is 1000000
            continue
        if token[0].isdigit() or token[0] == "/":
            found.append(Word("value", _DIGIT_GROUP.sub("", token)))
        elif token in _NUMBER_WORDS:
            found.append(Word("value", _NUMBER_WORDS[token]))
        else:
            for word in _expand(token):
                if word in _NEGATIONS:
                    found.append(Word("negation", word))
                elif word == "only":
                    found.append(Word("only", word))
                elif word not in _FUNCTION_WORDS:
                    found.append(Word("content", stem(word)))
    return found


_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


def _scaled(number: str, scale: int) -> str:
    try:
        return str(int(Decimal(number) * scale))
    except (InvalidOperation, ValueError):
        return number


def _expand(token: str) -> list[str]:
    if token.endswith("n't"):
        return [_CONTRACTED.get(token, token[:-3]), "not"]
    if token in _NEGATED:
        return [_NEGATED[token], "not"]
    return _SYNONYMS.get(token, [token.removesuffix("'s").removesuffix("'d")])


def stem(word: str) -> str:
    """A light stem, so that inflections meet: supported/support, nodes/node, routing/routes/route."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith(("ss", "us", "is")):
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # planning -> plan
            break
    return word.removesuffix("e") if len(word) > 3 else word


@dataclass(frozen=True)
class Recall:
    """How much of a quote a passage holds, and the passage's words from the first to the last it shares."""

    score: float
    span: list[Word]


def _in_order(wanted: list[str], have: list[str]) -> int:
    """How many of `wanted` `have` holds in the same order (the longest common subsequence)."""
    previous = [0] * (len(have) + 1)
    for word in wanted:
        current = [0]
        for index, other in enumerate(have):
            current.append(previous[index] + 1 if word == other else max(previous[index + 1], current[index]))
        previous = current
    return previous[-1]


def recall(quote: list[Word], passage: list[Word], enough: float) -> Recall:
    """The quote's recall in `passage`, 0 to 1: the mean of the share of its content words that the
    passage holds (ROUGE-1 recall) and of the share it holds in the quote's order (ROUGE-L recall).
    Words alone forgive swapped clauses, but let a passage that shares only an article's common
    words ("pod", "IP address", "virtual network") look close; order alone reads a swapped clause
    as a change. A quote is often part of a longer sentence, so what counts is how much of the
    quote the passage holds, not how much it adds. Below `enough` on words alone, the order is
    not worked out (it can only lower the mean)."""
    wanted = [w.text for w in quote if w.kind == "content"]
    have = [w.text for w in passage if w.kind == "content"]
    shared = set(wanted) & set(have)
    if not shared:
        return Recall(0.0, [])
    single = len(shared) / len(set(wanted))
    score = (single + _in_order(wanted, have) / len(wanted)) / 2 if single >= enough else single / 2
    places = [i for i, w in enumerate(passage) if w.kind == "content" and w.text in shared]
    first, last = places[0], places[-1]
    # The values and negations next to the shared words belong to what the passage says of them.
    while first > 0 and passage[first - 1].kind != "content":
        first -= 1
    while last + 1 < len(passage) and passage[last + 1].kind != "content":
        last += 1
    return Recall(score, passage[first : last + 1])


def contradiction(quote_markdown: str, span: list[Word], passage: str) -> str | None:
    """Why the words of the passage that line up with the quote contradict it: a value or a code
    value of the quote not among them, a negation or an "only" added or dropped; None when none."""
    quote = words(quote_text(quote_markdown))
    stated = [w.text for w in span if w.kind == "value"]
    lost = [w.text for w in quote if w.kind == "value" and w.text not in stated]
    if lost:
        now = f"it states {', '.join(stated)} there" if stated else "it states no value there"
        return f"the quote's {', '.join(lost)} is not in what the passage says of it ({now})"
    gone = [c for c in code_values(quote_markdown) if not stands_in(c, passage)]
    if gone:
        return f"the quote's code value {gone[0]!r} is not in it"
    negated = [sum(w.kind == "negation" for w in ws) % 2 for ws in (quote, span)]
    if negated[0] != negated[1]:
        return "it negates what the quote affirms" if negated[1] else "it affirms what the quote negates"
    only = [any(w.kind == "only" for w in ws) for ws in (quote, span)]
    if only[0] != only[1]:
        return "it adds 'only'" if only[1] else "it drops 'only'"
    return _turned(quote, words(passage)) or _modal_changed(quote_text(quote_markdown), passage)


# Words whose swap for the other turns a statement around, though the rest of it stands: in the
# network of these articles, "public" is not a rewording of "private", nor "Windows" of "Linux".
_OPPOSITES = tuple(
    (a, b)
    for a, b in [
        ("private", "public"), ("inbound", "outbound"), ("inside", "outside"), ("internal", "external"),
        ("ingress", "egress"), ("linux", "windows"), ("maximum", "minimum"), ("always", "sometimes"),
        ("new", "existing"), ("recommended", "deprecated"), ("supported", "deprecated"), ("static", "dynamic"),
        ("independent", "dependent"), ("source", "destination"), ("ipv4", "ipv6"), ("first", "last"),
        ("before", "after"), ("larger", "smaller"), ("increase", "decrease"), ("connected", "disconnected"),
        ("required", "optional"), ("allowed", "blocked"), ("preserved", "replaced"), ("preserves", "replaces"),
    ]
)  # fmt: skip


def _turned(quote: list[Word], passage: list[Word]) -> str | None:
    had = {w.text for w in quote if w.kind == "content"}
    has = {w.text for w in passage if w.kind == "content"}
    for one, other in (*_OPPOSITES, *((b, a) for a, b in _OPPOSITES)):
        if stem(one) in had and stem(other) not in had and stem(other) in has and stem(one) not in has:
            return f"it says {other!r} where the quote says {one!r}"
    return None


def _modal_changed(quote: str, passage: str) -> str | None:
    """ "Must" said as "should", "can" as "might": the passage's modal verbs, when it has any, are not the quote's."""
    had = {w for w in _statement_words(quote) if w.startswith("modal:")}
    has = {w for w in _statement_words(passage) if w.startswith("modal:")}
    if had and has and not had & has:
        return f"it says {sorted(has)[0][6:]!r} where the quote says {sorted(had)[0][6:]!r}"
    return None


# Modal verbs are function words for recall, but "can" -> "might" or "must" -> "should" changes
# what a statement says; a negation's spelling does not ("can't", "cannot", "can not").
_MODALS = frozenset({"can", "could", "may", "might", "should", "would", "will", "shall", "must"})


def _statement_words(text: str) -> list[str]:
    """The words a statement is made of, in order: its content words (stemmed), values, a negation
    and "only" as such, and its modal verbs."""
    found = []
    for token in _TOKEN.findall(normal(text)):
        if token in _SCALES and found and found[-1].startswith("value:"):
            found[-1] = f"value:{_scaled(found[-1][6:], _SCALES[token])}"
            continue
        expanded = ["can", "not"] if token == "cannot" else _expand(token)
        if token[0].isdigit() or token[0] == "/" or token in _NUMBER_WORDS:
            found += [f"{w.kind}:{w.text}" for w in words(token)]
            continue
        for word in expanded:
            if word in _MODALS:
                found.append(f"modal:{word}")
            elif word in _NEGATIONS:
                found.append("negation")
            else:
                found += [f"{w.kind}:{w.text}" for w in words(word) if w.kind != "negation"]
    return found


def same_statement(quote: str, passage: str) -> bool:
    """The passage states the quote in the same words, in the same order, where only articles,
    prepositions, inflections and the spelling of a negation or contraction differ ("that leaves"
    / "leaving", "can't" / "cannot"): any word replaced, moved, added inside it or dropped is not
    the same statement."""
    wanted, have = _statement_words(quote), _statement_words(passage)
    if not wanted:
        return False
    return any(have[i : i + len(wanted)] == wanted for i in range(len(have) - len(wanted) + 1))
