"""Regenerate tests/fixtures/learn_history/rewordings.yml: real Learn edits of quoted sentences.

Run by hand (the tests never need the mirror):

    PYTHONPATH=. .venv/bin/python tests/fake_learn_rewordings.py --mirror PATH/TO/azure-aks-docs
    PYTHONPATH=. .venv/bin/python tests/fake_learn_rewordings.py --mirror PATH --survey

Each entry of PAIRS is a sentence as it stood just before a real commit of MicrosoftDocs/azure-aks-docs
and what that commit did to it: said it in other words (REWORDED) or changed or dropped what it
says (CLAIM-CHANGED), judged by reading the diff. The fixture keeps the sentence, the section that
held it and that section as the commit left it, so tests/test_learn_claims.py can check the nightly
as if an audit had quoted the sentence the night before the commit.

--survey prints what the threshold of checks/learn_claims.py rests on: every sentence the cited
articles lost in their history, against the sentence of the same section, added by the same
commit, that recalls it best, as a histogram of recall.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fake_learn import render  # noqa: E402
from fake_learn_fixtures import _git, _subsections, parse  # noqa: E402

from checks.learn_claims import SIMILAR, Claim, check_claim, sentences  # noqa: E402
from checks.learn_html import read_page  # noqa: E402
from checks.learn_quotes import quote_text, recall, stands_in, words  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "learn_history" / "rewordings.yml"
SURVEYED = [
    "concepts-network-cni-overview",
    "concepts-network-azure-cni-overlay",
    "plan-pod-networking",
    "concepts-network-ip-address-planning",
    "concepts-network-legacy-cni",
    "concepts-network-azure-cni-pod-subnet",
]
R, C = "REWORDED", "CLAIM-CHANGED"
# (commit, article, the sentence before the commit, what the commit did, why that is the verdict)
PAIRS = [
    ("94a061299", "concepts-network-legacy-cni",
     "Unpredictable behavior can result if overlapping IP ranges are used.", R, "clauses swapped"),
    ("b3d5ff1ae", "concepts-network-azure-cni-overlay",
     "Virtual Machine Availability Sets (VMAS) aren't supported for Overlay.", R, "shortened, VM for Virtual Machine"),
    ("35cfb82d6", "concepts-network-azure-cni-overlay",
     "The private CIDR ranges available for the pod CIDR are defined in RFC 1918 and RFC 6598.", R,
     "restated: the same two RFCs"),
    ("94a061299", "concepts-network-legacy-cni",
     "To provide on-premises connectivity, both kubenet and Azure-CNI_ network approaches can use Azure virtual "
     "network peering or ExpressRoute connections.", R, "reordered; 'both' dropped with the same meaning"),
    ("8036a30f0", "concepts-network-cni-overview",
     "Both networking models have multiple supported options for CNI plugins.", R, "CNI plugin -> IPAM option"),
    ("8036a30f0", "concepts-network-cni-overview",
     "CNI plug-ins are responsible for assigning IP addresses to pods, network routing between pods, Kubernetes "
     "service routing, and more.", R, "'are responsible for' -> 'handle'"),
    ("6ef5688ee", "concepts-network-cni-overview",
     "There are several requirements and considerations to keep in mind when planning your network configuration "
     "for AKS:", R, "clauses swapped"),
    ("6ef5688ee", "concepts-network-cni-overview",
     "AKS clusters can't use 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16, or 192.0.2.0/24 for the Kubernetes "
     "service address range, pod address range, or cluster virtual network address range.", R, "same ranges"),
    ("6ef5688ee", "concepts-network-cni-overview",
     "This approach reduces the number of VNet IP addresses required for your clusters.", R, "VNet spelled out"),
    ("6ef5688ee", "concepts-network-cni-overview",
     "Traffic leaving the cluster is Source Network Address Translated (SNAT'd) to the node's IP address, and "
     "inbound Pod IP traffic is routed through some service, such as a load balancer.", R, "split in two"),
    ("94a061299", "concepts-network-legacy-cni",
     "The kubenet network model isn't available for Windows Server containers.", R, "shortened"),
    ("94a061299", "concepts-network-legacy-cni",
     "Although it's technically possible to specify a service address range within the same virtual network as "
     "your cluster, doing so isn't recommended.", R, "'isn't recommended' -> 'we don't recommend it'"),
    ("35cfb82d6", "concepts-network-azure-cni-overlay",
     "You can configure the maximum number of pods per node at the time of cluster creation or when you add a new "
     "node pool.", R, "'at the time of cluster creation' -> 'when you create the cluster'"),
    ("e28970e21", "concepts-network-azure-cni-overlay",
     "This comes from the fact that these names will be used as labels in AKS worker nodes, and are therefore "
     "subjected to Kubernetes label syntax rules.", R, "shortened"),
    ("51c57a3d0", "concepts-network-azure-cni-overlay",
     "The same pod CIDR space can be used on multiple independent AKS clusters in the same VNet.", R, "active voice"),
    ("8036a30f0", "concepts-network-cni-overview",
     "Unlike an overlay network, a flat network model in AKS assigns IP addresses to pods from a subnet from the "
     "same Azure virtual network as the AKS nodes.", R, "'from the same' -> 'in the same'"),
    ("8036a30f0", "concepts-network-cni-overview",
     "For overlay networking, AKS provides the [Azure CNI Overlay][azure-cni-overlay] plugin. We recommend this "
     "CNI plugin for most scenarios.", R, "'We recommend this CNI plugin' -> 'Use this IPAM option'"),
    ("8036a30f0", "concepts-network-cni-overview",
     "the recommended CNI plugin for flat networking scenarios", R, "CNI plugin -> IPAM option"),
    ("703bfc2bb", "concepts-network-azure-cni-overlay",
     "Azure CNI translates the source IP (overlay IP of the pod) of the traffic to the primary IP address of the "
     "VM, which enables the Azure networking stack to route the traffic to the destination.", R, "split in two"),
    ("e28970e21", "concepts-network-azure-cni-overlay",
     "You can't use Application Gateway as an Ingress Controller (AGIC) for an Overlay cluster.", R,
     "'for an Overlay cluster' dropped under the overlay limitations heading"),
    ("6ef5688ee", "concepts-network-cni-overview",
     "Azure Kubernetes Service provides two CNI plugins for flat networking.", R, "AKS for Azure Kubernetes Service"),
    ("8036a30f0", "concepts-network-cni-overview",
     "Traffic that leaves your clusters is not SNAT'd, and the pod IP address is directly exposed to the "
     "destination.", C, "the flat-network SNAT sentence: the source IP now depends on the IPAM option"),
    ("81ba7e805", "concepts-network-azure-cni-overlay",
     "You cannot configure ingress connectivity using Azure App Gateway.", C, "now you can"),
    ("35cfb82d6", "concepts-network-azure-cni-overlay",
     "The maximum value that you can specify in Azure CNI Overlay is 250, and the minimum value is 10.", C,
     "the limits moved into a table; the sentence is gone"),
    ("35cfb82d6", "concepts-network-azure-cni-overlay",
     "A `/24` subnet can fit up to 251 nodes because the first three IP addresses are reserved for management "
     "tasks.", C, "Azure reserves the first four and the last address"),
    ("35cfb82d6", "concepts-network-azure-cni-overlay",
     "The default for Azure CNI Overlay is 250.", C, "the sentence is gone"),
]  # fmt: skip


def _page(markdown: str):
    title, outline, blocks = parse(markdown)
    return {"title": title, "outline": outline, "blocks": _clean(blocks)}


def _clean(blocks: list[dict]) -> list[dict]:
    return [{k: v for k, v in block.items() if v is not None} for block in blocks]


def _section_of(state: dict, quote: str) -> str | None:
    """The anchor of the section whose blocks hold the quote."""
    plain = quote_text(quote)
    return next((b["section"] for b in state["blocks"] if stands_in(plain, quote_text(b["md"]))), None)


def _best_section(state: dict, quote: str) -> str:
    """The section that recalls the quote best (its heading was renamed by the commit)."""
    said: dict[str, str] = {}
    for block in state["blocks"]:
        said[block["section"]] = said.get(block["section"], "") + " " + quote_text(block["md"])
    return max(said, key=lambda anchor: recall(words(quote_text(quote)), words(said[anchor]), 0).score)


def _only(state: dict, anchor: str) -> dict:
    """The article cut to the section of `anchor` (with its subsections) under the title."""
    inside = _subsections(state["outline"], {anchor})
    outline = [h for h in state["outline"] if h["level"] == 1 or h["id"] in inside]
    return {**state, "outline": outline, "blocks": [b for b in state["blocks"] if b["section"] in inside]}


def pair(mirror: Path, commit: str, article: str, quote: str, expected: str, why: str) -> dict:
    path = f"articles/aks/{article}.md"
    before, after = (
        _page(_git(mirror, "show", f"{commit}^:{path}") or ""),
        _page(_git(mirror, "show", f"{commit}:{path}") or ""),
    )
    anchor = _section_of(before, quote)
    if anchor is None:
        raise SystemExit(f"{commit}^:{path} does not hold {quote!r}")
    if anchor not in {h["id"] for h in after["outline"]}:
        anchor = _best_section(after, quote)
    date = (_git(mirror, "show", "-s", "--format=%ad", "--date=short", commit) or "").strip()
    state = _only(after, anchor)
    claim = Claim("pair", "rewordings.yml", quote, f"https://learn.microsoft.com/en-us/azure/aks/{article}", anchor)
    got = check_claim(claim, read_page(render(state, "en-us"))).status
    print(f"{'ok ' if got == expected else 'XX '} {commit} {expected:13} {got:13} {quote[:70]}")
    return {"commit": commit, "date": date, "article": path, "anchor": anchor, "quote": quote, "expected": expected,
            "why": why, "after": state}  # fmt: skip


def survey(mirror: Path) -> None:
    """Recall of every sentence each commit removed, against its section's passages in the next revision."""
    scores: Counter[float] = Counter()
    for article in SURVEYED:
        path = f"articles/aks/{article}.md"
        for commit in (_git(mirror, "log", "--format=%H", "--", path) or "").split():
            before, after = _git(mirror, "show", f"{commit}^:{path}"), _git(mirror, "show", f"{commit}:{path}")
            if not before or not after:
                continue
            old, new = _sentences(before), _sentences(after)
            kept = {s.lower() for _, s in new}
            for section, sentence in old:
                added = [s for anchor, s in new if anchor == section and s.lower() not in {o.lower() for _, o in old}]
                if sentence.lower() in kept or len(sentence.split()) < 4 or not added:
                    continue
                best = max(recall(words(sentence), words(s), SIMILAR).score for s in added)
                scores[int(best * 10) / 10] += 1
    for low in sorted(scores):
        print(f"{low:.1f}-{low + 0.1:.1f} {scores[low]:4} {'#' * scores[low]}")
    print(f"{sum(scores.values())} sentences")


def _sentences(markdown: str) -> list[tuple[str, str]]:
    _, _, blocks = parse(markdown)
    found = []
    for block in blocks:
        if block["kind"] != "table":
            text = quote_text("\n".join(line.lstrip("> ") for line in block["md"].split("\n")))
            found += [(block["section"], sentence) for sentence in sentences(text)]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, required=True, help="azure-aks-docs clone, with history")
    parser.add_argument("--survey", action="store_true", help="print the recall histogram instead")
    args = parser.parse_args()
    if args.survey:
        survey(args.mirror)
        return 0
    data = {
        "about": "Real Learn edits of sentences, with the section as the commit left it; regenerate with "
        "tests/fake_learn_rewordings.py.",
        "pairs": [pair(args.mirror, *entry) for entry in PAIRS],
    }
    OUT.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
