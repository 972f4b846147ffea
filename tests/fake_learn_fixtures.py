"""Regenerate tests/fixtures/learn_history/ from the git mirror of MicrosoftDocs/azure-aks-docs.

Run by hand (the tests never need the mirror):

    PYTHONPATH=. .venv/bin/python tests/fake_learn_fixtures.py \
        --mirror PATH/TO/azure-aks-docs   # a clone with full history

For every Learn article the site cites, at every commit of STATES, it writes a small extract: the
title, the heading outline with the ids Learn derives, and only the blocks (paragraphs, list
items, alerts, table header and rows) that the registry's evidence (checks/facts.yml) and the
audit's quotes (checks/audit.yml) rely on, plus the first paragraph of each cited section so that
"reworded" and "changed" are read in real surroundings. Every claim's page is extracted, and in a
claim's section every paragraph close to its quote is kept whole, so that the nightly reads the
quote reworded or contradicted among the sentences Learn had then. No whole article is committed.
tests/fake_learn.py renders the extracts as Learn's HTML at test time.

The commits, and why:

- fb060abe (2026-08-21): the state the site was audited against; every reference must be OK.
- 4ac445f81 = 8036a30f0^ (2026-07-30, the repository just before 8036a30f0): before Learn changed the flat-network
  SNAT sentence (2026-07-30), split the overlay scale row into independent node and pod limits and
  added the Windows recommendation (2026-07-31), renamed headings ("Overview of overlay
  networking" -> "How Azure CNI Overlay networking works") and reshaped azure-cni-overlay. It is
  also the ja-jp state of the audited scenario: translations lag English by weeks.
- 8c3d998eb = 17c6caec7^ (2025-03-13): before the support matrix gained the row "App Gateway for
  Containers" (17c6caec7, 2025-03-14) that the site's Node Subnet claim rests on; older row labels,
  plan-pod-networking not yet published.

The troubleshooting article lives in MicrosoftDocs/SupportArticles-docs, which is not mirrored:
its extract is built from the quotes checks/audit.yml took from it (one state).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checks.languages import languages  # noqa: E402
from checks.learn_claims import SIMILAR  # noqa: E402
from checks.learn_quotes import quote_text, recall, words  # noqa: E402
from checks.learn_snapshot import learn_anchor, learn_page_key  # noqa: E402
from checks.registry import load_registry  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "learn_history"
STATES = {
    "fb060abe": "the audited state (2026-08-21)",
    "4ac445f81": "before the SNAT sentence change and the overlay limit split (2026-07-30)",
    "8c3d998eb": "before the Application Gateway for Containers row (2025-03-13)",
}
# English, and the state every translated locale of the site's languages (checks/languages.yml) is
# served at: Learn's translations lag English by weeks, all alike.
_SCENARIO_STATES = {
    "audited": ("fb060abe", "4ac445f81"),
    "2026-07-30": ("4ac445f81", "4ac445f81"),
    "2025-03-13": ("8c3d998eb", "8c3d998eb"),
}
SCENARIOS = {
    name: {"en-us": english, **{lang.learn_locale: translated for lang in languages() if lang.learn_locale != "en-us"}}
    for name, (english, translated) in _SCENARIO_STATES.items()
}
SUPPORT_ARTICLE = "troubleshoot/azure/azure-kubernetes/connectivity/insufficientsubnetsize-error-advanced-networking"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EXPLICIT = re.compile(r'<a\s+(?:name|id)\s*=\s*"([^"]+)"\s*>\s*</a>', re.I)
_WORD = re.compile(r"[a-z0-9]{2,}")
_KEEP = 0.6
# Half of what makes a passage close to a claim's quote: kept, so that the extract holds every
# sentence the nightly could take for the quote reworded.
_NEAR = SIMILAR / 2
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[`*_(])")


def _git(mirror: Path, *args: str) -> str | None:
    done = subprocess.run(["git", "-C", str(mirror), *args], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def _words(text: str) -> set[str]:
    """The words a reader reads: link targets and Markdown are not words of the text."""
    return set(_WORD.findall(quote_text(text).lower()))


def _score(phrase: str, block: str) -> float:
    wanted = _words(phrase)
    return len(wanted & _words(block)) / len(wanted) if wanted else 0.0


def _inline_references(markdown: str) -> str:
    """`[text][ref]` as `[text](url)`: the extract keeps no link definitions."""
    definitions = dict(re.findall(r"^\s*\[([^\]]+)\]:\s*(\S+)", markdown, re.M))
    return re.sub(
        r"\[([^\]]+)\]\[([^\]]*)\]",
        lambda m: f"[{m[1]}]({definitions.get(m[2] or m[1], '#')})",
        markdown,
    )


def parse(markdown: str) -> tuple[str, list[dict], list[dict]]:
    """Title, outline and blocks of a Learn Markdown article."""
    markdown = _inline_references(markdown)
    lines = markdown.split("\n")
    if lines and lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        front, lines = lines[1:end], lines[end + 1 :]
    else:
        front = []
    title = next((line.split(":", 1)[1].strip() for line in front if line.startswith("title:")), "")
    outline: list[dict] = []
    blocks: list[dict] = []
    seen: dict[str, int] = {}
    section, pivot, tab = "", None, None
    current: list[str] = []
    in_fence = False

    def flush() -> None:
        # A list item's continuation (a table, a paragraph) is indented under it; kept as a block of
        # its own, the indent would make it a code block when tests/fake_learn.py renders it.
        text = textwrap.dedent("\n".join(current)).strip("\n")
        current.clear()
        if not text.strip() or text.lstrip().startswith((":::image", "[!INCLUDE", "<!--")):
            return
        if re.match(r"^\s*\[[^\]]+\]:\s*\S+", text):
            return
        stripped = text.lstrip()
        kind = "table" if stripped.startswith("|") else "alert" if stripped.startswith(">") else "p"
        if kind == "p" and re.match(r"^\s*([-*]|\d+\.)\s", text):
            for item in re.split(r"\n(?=\s{0,3}(?:[-*]|\d+\.)\s)", text):
                blocks.append({"section": section, "pivot": pivot, "tab": tab, "kind": "li", "md": item.strip()})
            return
        blocks.append({"section": section, "pivot": pivot, "tab": tab, "kind": kind, "md": text})

    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        zone = re.match(r'^:::zone\s+pivot="([^"]+)"', line.strip())
        if zone or line.strip() == ":::zone-end":
            flush()
            pivot = zone[1] if zone else None
            continue
        match = _HEADING.match(line)
        if match and "(#tab/" in match.group(2):
            flush()
            tab = re.search(r"\[([^\]]+)\]\(#tab/([^)]+)\)", match.group(2)).groups()
            tab = f"{tab[1]}|{tab[0]}"
            continue
        if line.strip() == "---" and tab:
            flush()
            tab = None
            continue
        if match:
            flush()
            if len(match.group(1)) == 1:
                title_text = match.group(2)
                outline.append({"level": 1, "text": _plain(title_text), "id": "", "extra": []})
                continue
            anchor = learn_anchor(match.group(2))
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            anchor = anchor if count == 0 else f"{anchor}-{count}"
            extra = _EXPLICIT.findall(match.group(2))
            heading = {"level": len(match.group(1)), "text": _plain(match.group(2)), "id": anchor, "extra": extra}
            outline.append(heading | ({"pivot": pivot} if pivot else {}))
            section, tab = anchor, None
            continue
        if not line.strip():
            flush()
            continue
        current.append(line)
    flush()
    return title, outline, blocks


def _plain(heading: str) -> str:
    text = _EXPLICIT.sub("", heading)
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).strip()


def _subsections(outline: list[dict], anchors: set[str]) -> set[str]:
    """The cited sections with every heading below them (a section runs to the next heading of its level)."""
    inside: set[str] = set()
    level = 0
    for heading in outline:
        if level and heading["level"] > level:
            inside.add(heading["id"])
            continue
        level = heading["level"] if heading["id"] in anchors else 0
        if level:
            inside.add(heading["id"])
    return inside


def _near(quotes: list[str], text: str) -> bool:
    """`text` is close enough to a claim's quote to be what the nightly would compare it with."""
    return any(recall(words(q), words(quote_text(text)), SIMILAR).score >= _NEAR for q in quotes)


def _trim(paragraph: str, phrases: list[str], context: bool, quotes: list[str]) -> str:
    """Only the sentences a phrase relies on (and, for a section's first paragraph, its first two);
    the whole paragraph when a claim's quote is close to one of them, as the quote may now be
    said over two sentences."""
    sentences = _SENTENCE.split(paragraph)
    if any(_near(quotes, sentence) for sentence in sentences):
        return paragraph
    relied_on = [p for p in phrases if _score(p, paragraph) >= _KEEP]
    keep = {0, 1} if context else set()
    for index, sentence in enumerate(sentences):
        said = _words(sentence)
        covered = max((len(said & _words(p)) / len(said) for p in relied_on), default=0) if said else 0
        if max((_score(p, sentence) for p in phrases), default=0) >= _KEEP or covered >= 0.8:
            keep.add(index)
    return " ".join(sentences[i] for i in sorted(keep) if i < len(sentences))


def extract(
    markdown: str,
    anchors: set[str],
    context: set[str],
    phrases: list[str],
    rows: list[str],
    quotes: dict[str, list[str]] | None = None,
) -> dict:
    """The outline, and the blocks cut down to what `phrases` and `rows` rely on. A block counts in
    the sections of `anchors` (with their subsections), a long phrase anywhere; the first
    paragraph of each `context` section is kept as surroundings. In the section of a claim's
    anchor (`quotes`: anchor -> quotes), so are the sentences and rows close to one of its quotes,
    so that a reworded or changed quote is read among the sentences Learn had then."""
    title, outline, blocks = parse(markdown)
    cited, around = _subsections(outline, anchors), _subsections(outline, context)
    near: dict[str, list[str]] = {}
    for anchor, said in (quotes or {}).items():
        for section in _subsections(outline, {anchor}):
            near.setdefault(section, []).extend(said)
    long_phrases = [p for p in phrases if len(_words(p)) >= 3]
    kept: list[dict] = []
    first_seen: set[str] = set()
    for block in blocks:
        candidates = phrases if block["section"] in cited else long_phrases
        close = near.get(block["section"], [])
        if block["kind"] == "table":
            table = block["md"].split("\n")
            body = [
                r
                for r in table[2:]
                if max((_score(p, r) for p in candidates + rows), default=0) >= _KEEP or _near(close, r)
            ]
            if body:
                kept.append({**block, "md": "\n".join(table[:2] + body)})
            continue
        first = block["section"] in around and block["kind"] == "p" and block["section"] not in first_seen
        if block["kind"] == "p":
            first_seen.add(block["section"])
        relied_on = max((_score(p, block["md"]) for p in candidates), default=0) >= _KEEP
        if not relied_on and not first and not any(_near(close, s) for s in _SENTENCE.split(block["md"])):
            continue
        if block["kind"] == "p":
            block = {**block, "md": _trim(block["md"], candidates, first, close)}
        kept.append(block)
    for block in kept:
        for key in ("pivot", "tab"):
            if block[key] is None:
                del block[key]
    return {"title": title, "outline": outline, "blocks": kept}


def _cited(registry, audit: dict, docs: Path) -> dict[str, dict]:
    """Page key -> the anchors, phrases and table rows the site, the registry and the audit rely on."""
    cited: dict[str, dict] = {}

    def entry(url: str) -> dict:
        key = learn_page_key(urlsplit(url).path)
        return cited.setdefault(key, {"anchors": set(), "context": set(), "phrases": [], "rows": [], "quotes": {}})

    for page in sorted(docs.glob("**/*.md")):
        for url in re.findall(r"https://learn\.microsoft\.com/[^\s)\"'>]+", page.read_text(encoding="utf-8")):
            entry(url)["context"].add(urlsplit(url).fragment)
    for fact in registry.facts.values():
        item = entry(fact.source.url)
        item["context"].add(fact.source.anchor)
        item["phrases"] += [p for p in fact.source.evidence.split("{value}") if p.strip()]
        if fact.source.table:
            item["rows"].append(fact.source.table["row"])
    # Every claim's and omission's page: the nightly checks each quote.
    for claim in [*(audit.get("claims") or []), *(audit.get("omissions") or [])]:
        source = claim.get("source") or {}
        if source.get("url"):
            item = entry(source["url"])
            item["anchors"].add(source.get("anchor") or "")
            if claim.get("learn_quote"):
                item["phrases"].append(quote_text(str(claim["learn_quote"])))
                item["quotes"].setdefault(source.get("anchor") or "", []).append(quote_text(str(claim["learn_quote"])))
    for item in cited.values():
        item["context"].discard("")
        item["anchors"] = (item["anchors"] | item["context"]) - {""}
    return cited


def _support_article(audit: dict) -> dict:
    quotes = [
        c
        for c in [*(audit.get("claims") or []), *(audit.get("omissions") or [])]
        if SUPPORT_ARTICLE in str((c.get("source") or {}).get("url")) and c.get("learn_quote")
    ]
    blocks = [{"section": c["source"].get("anchor") or "", "kind": "p", "md": c["learn_quote"]} for c in quotes]
    outline = [
        {"level": 1, "text": "InsufficientSubnetSize error code", "id": "", "extra": []},
        {"level": 2, "text": "Solution", "id": "solution", "extra": []},
    ]
    return {"title": "InsufficientSubnetSize error code", "outline": outline, "blocks": blocks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, required=True, help="azure-aks-docs clone, with history")
    args = parser.parse_args()
    registry = load_registry()
    audit = yaml.safe_load((ROOT / "checks" / "audit.yml").read_text(encoding="utf-8"))
    cited = _cited(registry, audit, ROOT / "docs")
    OUT.mkdir(parents=True, exist_ok=True)
    articles: dict[str, dict] = {}
    for key, item in sorted(cited.items()):
        if key == SUPPORT_ARTICLE:
            articles[key] = {"source": "checks/audit.yml quotes of MicrosoftDocs/SupportArticles-docs", "states": {}}
            first, *later = STATES
            articles[key]["states"] = {first: _support_article(audit)} | {c: {"same_as": first} for c in later}
            continue
        path = f"articles/aks/{key.removeprefix('azure/aks/')}.md"
        states: dict[str, dict] = {}
        for commit in STATES:
            markdown = _git(args.mirror, "show", f"{commit}:{path}")
            if markdown is None:
                continue
            state = extract(markdown, item["anchors"], item["context"], item["phrases"], item["rows"], item["quotes"])
            earlier = next((c for c, s in states.items() if s == state), None)
            states[commit] = {"same_as": earlier} if earlier else state
        articles[key] = {"source": f"MicrosoftDocs/azure-aks-docs {path}", "states": states}
    data = {
        "about": "Extracts of Learn articles at real commits; regenerate with tests/fake_learn_fixtures.py.",
        "states": STATES,
        "scenarios": SCENARIOS,
        "articles": articles,
    }
    out = OUT / "articles.yml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    print(f"{out}: {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
