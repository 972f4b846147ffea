"""A small parser for the Mermaid diagrams this site uses: flowcharts and sequence diagrams.

It reads structure (node ids, edges and their arrow types, subgraph membership, participants,
messages) apart from labels, so that two translations of a diagram can be compared, and returns
every label with its line for the number checks. Anything it cannot read is a problem, not a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FLOW_HEADER = re.compile(r"^(graph|flowchart)(\s+(TB|TD|BT|RL|LR))?\s*$")
_SUBGRAPH = re.compile(r'^subgraph\s+(?:"(?P<quoted>[^"]*)"|(?P<id>[\w-]+)\s*(?:\[(?P<title>.*)\])?)\s*$')
_IGNORED = re.compile(r"^(classDef|class|style|linkStyle|click)\b")
_NODE_ID = re.compile(r"[A-Za-z_][\w-]*")
_ARROW = re.compile(r"\s*(<?(?:-\.+-?>?|-{2,}[>ox]?|={2,}>?|~{3,})|<-{2,}>)\s*")
_EDGE_LABEL = re.compile(r'\|\s*(?:"(?P<quoted>[^"]*)"|(?P<plain>[^|]*))\s*\|\s*')
_SHAPES = [
    ("((", "))"),
    ("{{", "}}"),
    ("[(", ")]"),
    ("([", "])"),
    ("[[", "]]"),
    ("[/", "/]"),
    ("[\\", "\\]"),
    ("[", "]"),
    ("(", ")"),
    ("{", "}"),
    (">", "]"),
]
_SEQ_PARTICIPANT = re.compile(r"^(participant|actor)\s+(?P<id>[^\s]+)(?:\s+as\s+(?P<label>.+))?$")
_SEQ_MESSAGE = re.compile(
    r"^(?P<src>[^\s\-+]+?)\s*(?P<arrow>-->>|->>|-->|->|--x|-x|--\)|-\))\s*[+-]?(?P<dst>[^:\s]+)\s*:(?P<text>.*)$"
)
_SEQ_NOTE = re.compile(r"^[Nn]ote\s+(?P<where>over|left of|right of)\s+(?P<who>[^:]+):(?P<text>.*)$")
_SEQ_BLOCK = re.compile(r"^(loop|alt|else|opt|par|and|critical|break|rect|end|activate|deactivate|autonumber|box)\b")


@dataclass(frozen=True)
class Label:
    text: str
    line: int


@dataclass
class Diagram:
    kind: str
    nodes: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, str, bool]] = field(default_factory=list)
    membership: dict[str, tuple[int, ...]] = field(default_factory=dict)
    subgraph_ids: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    messages: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def structure(self) -> dict[str, object]:
        """What must be identical between translations: everything but the label text."""
        if self.kind == "sequence":
            return {"participants": self.participants, "messages": self.messages, "notes": self.notes}
        return {
            "nodes": sorted(self.nodes),
            "edges": self.edges,
            "membership": dict(sorted(self.membership.items())),
            "subgraphs": self.subgraph_ids,
        }


def parse_mermaid(source: str, first_line: int) -> Diagram:
    lines = source.split("\n")
    header_index = next((i for i, text in enumerate(lines) if text.strip() and not text.strip().startswith("%%")), None)
    if header_index is None:
        diagram = Diagram("unknown")
        diagram.problems.append((first_line, "the diagram is empty"))
        return diagram
    header = lines[header_index].strip()
    if _FLOW_HEADER.match(header):
        return _parse_flowchart(lines, header_index, first_line)
    if header == "sequenceDiagram":
        return _parse_sequence(lines, header_index, first_line)
    diagram = Diagram("unknown")
    diagram.problems.append(
        (
            first_line + header_index,
            f"unknown diagram type {header.split()[0]!r} (expected graph, flowchart or sequenceDiagram)",
        )
    )
    return diagram


def _read_shape(text: str, position: int) -> tuple[str | None, int]:
    """Read a node shape `[label]`, `{label}`, `("label")`... at `position`; return (label, end)."""
    for opening, closing in _SHAPES:
        if text.startswith(opening, position):
            start = position + len(opening)
            if text.startswith('"', start):
                end_quote = text.find('"', start + 1)
                if end_quote == -1 or not text.startswith(closing, end_quote + 1):
                    return None, -1
                return text[start + 1 : end_quote], end_quote + 1 + len(closing)
            end = text.find(closing, start)
            if end == -1:
                return None, -1
            return text[start:end], end + len(closing)
    return None, position


def _parse_flowchart(lines: list[str], header_index: int, first_line: int) -> Diagram:
    diagram = Diagram("flowchart")
    stack: list[int] = []
    opened: list[int] = []
    for offset, raw in enumerate(lines[header_index + 1 :], start=header_index + 1):
        line_number = first_line + offset
        text = raw.strip()
        if not text or text.startswith("%%") or _IGNORED.match(text) or text.startswith("direction "):
            continue
        if text == "end":
            if not stack:
                diagram.problems.append((line_number, "`end` without an open subgraph"))
            else:
                stack.pop()
                opened.pop()
            continue
        subgraph = _SUBGRAPH.match(text)
        if subgraph:
            title = subgraph["quoted"] if subgraph["quoted"] is not None else (subgraph["title"] or subgraph["id"])
            index = len(diagram.subgraph_ids)
            # A quoted title is also the id: it differs between translations, so position identifies it.
            diagram.subgraph_ids.append(subgraph["id"] or f"#{index + 1}")
            diagram.labels.append(Label(title.strip('"'), line_number))
            stack.append(index)
            opened.append(line_number)
            continue
        _parse_chain(text, line_number, tuple(stack), diagram)
    for line_number in opened:
        diagram.problems.append((line_number, "this subgraph is never closed with `end`"))
    return diagram


def _parse_chain(text: str, line_number: int, scope: tuple[int, ...], diagram: Diagram) -> None:
    position, previous, pending = 0, None, None
    while position < len(text):
        match = _NODE_ID.match(text, position)
        if not match:
            diagram.problems.append((line_number, f"cannot read a node at {text[position:]!r}"))
            return
        node, position = match.group(), match.end()
        label, position = _read_shape(text, position)
        if position == -1:
            diagram.problems.append((line_number, f"unterminated label for node {node!r}"))
            return
        if label is not None:
            if node in diagram.nodes and diagram.nodes[node] and diagram.nodes[node] != label:
                diagram.problems.append((line_number, f"node {node!r} is given two different labels"))
            diagram.nodes[node] = label
            diagram.labels.append(Label(label, line_number))
        else:
            diagram.nodes.setdefault(node, "")
        # A node belongs to the innermost subgraph it is first written in.
        if scope and node not in diagram.membership:
            diagram.membership[node] = scope
        if pending is not None:
            arrow, labelled = pending
            diagram.edges.append((previous, arrow, node, labelled))
        previous, pending = node, None
        if position >= len(text):
            break
        arrow_match = _ARROW.match(text, position)
        if not arrow_match:
            diagram.problems.append((line_number, f"expected an arrow after {node!r}, found {text[position:]!r}"))
            return
        position = arrow_match.end()
        label_match = _EDGE_LABEL.match(text, position)
        if label_match:
            edge_label = label_match["quoted"] if label_match["quoted"] is not None else label_match["plain"]
            diagram.labels.append(Label(edge_label, line_number))
            position = label_match.end()
        pending = (arrow_match.group(1), bool(label_match))
    if pending is not None:
        diagram.problems.append((line_number, "an arrow points nowhere"))


def _parse_sequence(lines: list[str], header_index: int, first_line: int) -> Diagram:
    diagram = Diagram("sequence")
    for offset, raw in enumerate(lines[header_index + 1 :], start=header_index + 1):
        line_number = first_line + offset
        text = raw.strip()
        if not text or text.startswith("%%") or _SEQ_BLOCK.match(text):
            continue
        if participant := _SEQ_PARTICIPANT.match(text):
            diagram.participants.append(participant["id"])
            diagram.labels.append(Label(participant["label"] or participant["id"], line_number))
        elif note := _SEQ_NOTE.match(text):
            who = ",".join(part.strip() for part in note["who"].split(","))
            diagram.notes.append((note["where"], who))
            diagram.labels.append(Label(note["text"].strip(), line_number))
        elif message := _SEQ_MESSAGE.match(text):
            diagram.messages.append((message["src"], message["arrow"], message["dst"]))
            diagram.labels.append(Label(message["text"].strip(), line_number))
        else:
            diagram.problems.append((line_number, f"cannot read {text!r}"))
    return diagram
