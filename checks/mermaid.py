"""A small parser for the Mermaid diagrams this site uses: flowcharts and sequence diagrams.

It reads structure (node ids, edges and their arrow types, subgraph membership, participants,
messages) apart from labels, so that two translations of a diagram can be compared, and returns
every label with its line for the number checks. Anything it cannot read is a problem, not a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checks.languages import language

_FLOW_HEADER = re.compile(r"^(graph|flowchart)(\s+(TB|TD|BT|RL|LR))?\s*;?\s*$")
_SUBGRAPH = re.compile(
    r'^subgraph\s+(?:"(?P<quoted>[^"]*)"|(?P<id>[\w-]+)\s*(?:\[(?P<title>.*)\])?|(?P<words>[^\[\]"]+?))\s*$'
)
_IGNORED = re.compile(r"^(classDef|class|style|linkStyle|click)\b")
# `click NODE …` (flowcharts) and `link(s) ACTOR: …` (sequence diagrams); a node that is merely named
# click or link (`link[Node] --> B`, `click --> B`) is not one.
_INTERACTIVE = re.compile(r"^(click\s+(?![-=.~&<])\S|links?\s+[^\s:&<-][^:]*:)")
# Accessible title and description (flowcharts and sequence diagrams): one line each, or a block.
_ACC_LINE = re.compile(r"^(?P<kind>accTitle|accDescr)\s*:\s*(?P<text>.*)$")
_ACC_BLOCK = re.compile(r"^accDescr\s*\{\s*(?P<text>[^}]*?)\s*(?P<closed>\})?\s*$")
_NODE_ID = re.compile(r"\w+(?:[-.]\w+)*")
_CLASS_SUFFIX = re.compile(r":::[\w-]+")
_AMPERSAND = re.compile(r"\s*&\s*")
# Every flowchart link: `-->`, `---`, `-.->`, `-.-`, `==>`, `===`, `~~~`, `--o`, `--x`, `<-->`,
# `o--o`, `x--x` and their longer forms.
_ARROW = re.compile(r"\s*(?P<arrow>[<ox]?(?:-{2,}|={2,}|-\.+-|~{3,})[>ox]?|[<ox]?-\.+->)\s*")
# A link with its text inside it: `-- text -->`, `-. text .->`, `== text ==>`.
_TEXT_ARROW = re.compile(
    r"\s*(?P<start>[<ox])?(?:--\s+(?P<dash>.+?)\s+(?P<dash_end>-{2,}[>ox]?)"
    r"|-\.\s+(?P<dot>.+?)\s+(?P<dot_end>\.-+[>ox]?)"
    r"|==\s+(?P<thick>.+?)\s+(?P<thick_end>={2,}[>ox]?))\s*(?=[\w\"])"
)
_EDGE_LABEL = re.compile(r'\|\s*(?:"(?P<quoted>[^"]*)"|(?P<plain>[^|]*))\s*\|\s*')
_SHAPES = [
    ("(((", ")))"),
    ("((", "))"),
    ("{{", "}}"),
    ("[(", ")]"),
    ("([", "])"),
    ("[[", "]]"),
    ("[/", "/]"),
    ("[\\", "\\]"),
    ("[/", "\\]"),
    ("[\\", "/]"),
    ("[", "]"),
    ("(", ")"),
    ("{", "}"),
    (">", "]"),
]
# Words Mermaid's flowchart grammar reserves: a node with one of these ids is a syntax error there.
_RESERVED_NODE_IDS = {"end"}
_SEQ_PARTICIPANT = re.compile(r"^(?:create\s+)?(participant|actor)\s+(?P<id>[^\s]+)(?:\s+as\s+(?P<label>.+))?$")
_SEQ_MESSAGE = re.compile(
    r"^(?P<src>[^\s\-+<>]+?)\s*(?P<arrow><<-->>|<<->>|-->>|->>|-->|->|--x|-x|--\)|-\))\s*[+-]?"
    r"(?P<dst>[^:\s<>+-][^:\s]*)\s*:(?P<text>.*)$"
)
_SEQ_NOTE = re.compile(r"^[Nn]ote\s+(?P<where>over|left of|right of)\s+(?P<who>[^:]+):(?P<text>.*)$")
_SEQ_BLOCK = re.compile(
    r"^(loop|alt|else|opt|par|par_over|and|critical|option|break|rect|end|activate|deactivate|autonumber"
    r"|box|destroy|title)\b"
)
# Whether a label is written in CJK script (kana, kanji, hanzi, hangul): a language whose entry in
# checks/languages.yml says `cjk: true` has some, the others none. A language not listed is not checked.
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")


@dataclass(frozen=True)
class Label:
    text: str
    line: int


@dataclass
class Diagram:
    kind: str
    line: int = 1
    nodes: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, str, bool]] = field(default_factory=list)
    membership: dict[str, tuple[int, ...]] = field(default_factory=dict)
    subgraph_ids: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    messages: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    acc_title: Label | None = None
    acc_descr: Label | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)
    # Lines asking for behaviour a static picture cannot have (click, link, %%{init}): Mermaid accepts
    # them, the build drops them in silence, so a reader would miss what the author meant.
    interactive: list[tuple[int, str]] = field(default_factory=list)

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
    diagram = _parse(source, first_line)
    diagram.interactive = interactive_lines(source, first_line)
    return diagram


def interactive_lines(source: str, first_line: int) -> list[tuple[int, str]]:
    """Lines of `source` that make a diagram interactive or reconfigure Mermaid, with what is wrong."""
    found = []
    for offset, text in enumerate(source.split("\n")):
        text = text.strip()
        if text.startswith("%%{"):
            found.append((first_line + offset, "a `%%{init}%%` directive: the site sets Mermaid's configuration"))
        elif _INTERACTIVE.match(text):
            word = text.split()[0]
            found.append((first_line + offset, f"`{word}`: diagrams are static pictures, a click on them does nothing"))
    return found


def _parse(source: str, first_line: int) -> Diagram:
    lines = source.split("\n")
    header_index = next((i for i, text in enumerate(lines) if text.strip() and not text.strip().startswith("%%")), None)
    if header_index is None:
        diagram = Diagram("unknown", first_line)
        diagram.problems.append((first_line, "the diagram is empty"))
        return diagram
    header = lines[header_index].strip()
    if _FLOW_HEADER.match(header):
        return _parse_flowchart(lines, header_index, first_line)
    if header == "sequenceDiagram":
        return _parse_sequence(lines, header_index, first_line)
    diagram = Diagram("unknown", first_line)
    diagram.problems.append(
        (
            first_line + header_index,
            f"unknown diagram type {header.split()[0]!r} (expected graph, flowchart or sequenceDiagram)",
        )
    )
    return diagram


def accessibility_problems(diagram: Diagram, locale: str) -> list[tuple[int, str]]:
    """A diagram needs an accessible title and description, both in the page's language."""
    problems = []
    written_in = language(locale)
    for kind, label in (("accTitle", diagram.acc_title), ("accDescr", diagram.acc_descr)):
        if label is None or not label.text.strip():
            problems.append((diagram.line, f"the diagram has no `{kind}:` (screen readers announce it as its name)"))
        elif written_in is not None and written_in.cjk != bool(_CJK.search(label.text)):
            problems.append((label.line, f"`{kind}` is not written in {written_in.name}, the language of this page"))
    return problems


class _Lines:
    """The statements of a diagram after its header, with their file lines; reads `accTitle`/`accDescr`."""

    def __init__(self, lines: list[str], header_index: int, first_line: int, diagram: Diagram) -> None:
        self._items = [(first_line + i, raw.strip()) for i, raw in enumerate(lines) if i > header_index]
        self._diagram = diagram

    def __iter__(self):
        items = iter(self._items)
        for line_number, text in items:
            if not text or text.startswith("%%"):
                continue
            if block := _ACC_BLOCK.match(text):
                parts, closed = [block["text"]], bool(block["closed"])
                for _, more in items if not closed else ():
                    closed = more.endswith("}")
                    parts.append(more.removesuffix("}").strip())
                    if closed:
                        break
                if not closed:
                    self._diagram.problems.append((line_number, "this `accDescr {` block is never closed with `}`"))
                self._accessible("accDescr", " ".join(p for p in parts if p), line_number)
                continue
            if acc := _ACC_LINE.match(text):
                self._accessible(acc["kind"], acc["text"].strip(), line_number)
                continue
            yield line_number, text.removesuffix(";").rstrip()

    def _accessible(self, kind: str, text: str, line_number: int) -> None:
        label = Label(text, line_number)
        self._diagram.labels.append(label)
        if kind == "accTitle":
            self._diagram.acc_title = label
        else:
            self._diagram.acc_descr = label


def _read_shape(text: str, position: int) -> tuple[str | None, int]:
    """Read a node shape `[label]`, `{label}`, `("label")`... at `position`; return (label, end)."""
    opened = False
    for opening, closing in _SHAPES:
        if not text.startswith(opening, position):
            continue
        opened = True
        start = position + len(opening)
        if text.startswith('"', start):
            end_quote = text.find('"', start + 1)
            if end_quote != -1 and text.startswith(closing, end_quote + 1):
                return text[start + 1 : end_quote], end_quote + 1 + len(closing)
            continue
        end = text.find(closing, start)
        if end != -1:
            return text[start:end], end + len(closing)
    return (None, -1) if opened else (None, position)


def _parse_flowchart(lines: list[str], header_index: int, first_line: int) -> Diagram:
    diagram = Diagram("flowchart", first_line)
    stack: list[int] = []
    opened: list[int] = []
    for line_number, text in _Lines(lines, header_index, first_line, diagram):
        if _IGNORED.match(text) or text.startswith("direction "):
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
            title = subgraph["quoted"] or subgraph["words"]
            if title is None:
                title = subgraph["title"] or subgraph["id"]
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


def _read_node(text: str, position: int, line_number: int, scope: tuple[int, ...], diagram: Diagram):
    """Read one node (`id`, `id[label]`, `id:::class`) at `position`; return its id and the end, or None."""
    match = _NODE_ID.match(text, position)
    if not match:
        diagram.problems.append((line_number, f"cannot read a node at {text[position:]!r}"))
        return None
    node, position = match.group(), match.end()
    if node in _RESERVED_NODE_IDS:
        diagram.problems.append(
            (line_number, f"a node cannot be called {node!r}: Mermaid reads it as a keyword (write {node.title()!r})")
        )
        return None
    label, position = _read_shape(text, position)
    if position == -1:
        diagram.problems.append((line_number, f"unterminated label for node {node!r}"))
        return None
    if suffix := _CLASS_SUFFIX.match(text, position):
        position = suffix.end()
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
    return node, position


def _read_link(text: str, position: int, line_number: int, diagram: Diagram) -> tuple[str, bool, int] | None:
    """Read a link after a node: the arrow (text-free form), whether it has a label, and the end."""
    if inline := _TEXT_ARROW.match(text, position):
        start = inline["start"] or ""
        if inline["dash"] is not None:
            label, arrow = inline["dash"], start + inline["dash_end"]
        elif inline["dot"] is not None:
            label, arrow = inline["dot"], start + "-" + inline["dot_end"]
        else:
            label, arrow = inline["thick"], start + inline["thick_end"]
        diagram.labels.append(Label(label.strip('"'), line_number))
        return arrow, True, inline.end()
    arrow_match = _ARROW.match(text, position)
    if not arrow_match:
        return None
    position = arrow_match.end()
    label_match = _EDGE_LABEL.match(text, position)
    if label_match:
        edge_label = label_match["quoted"] if label_match["quoted"] is not None else label_match["plain"]
        diagram.labels.append(Label(edge_label, line_number))
        position = label_match.end()
    return arrow_match["arrow"], bool(label_match), position


def _parse_chain(text: str, line_number: int, scope: tuple[int, ...], diagram: Diagram) -> None:
    """A statement: groups of nodes joined by `&`, linked to the next group (`A & B --> C`)."""
    position, previous, pending = 0, [], None
    while position < len(text):
        group = []
        while True:
            read = _read_node(text, position, line_number, scope, diagram)
            if read is None:
                return
            group.append(read[0])
            position = read[1]
            ampersand = _AMPERSAND.match(text, position)
            if not ampersand or ampersand.end() >= len(text):
                break
            position = ampersand.end()
        if pending is not None:
            arrow, labelled = pending
            diagram.edges += [(source, arrow, target, labelled) for source in previous for target in group]
        previous, pending = group, None
        if position >= len(text):
            break
        link = _read_link(text, position, line_number, diagram)
        if link is None:
            diagram.problems.append((line_number, f"expected an arrow after {group[-1]!r}, found {text[position:]!r}"))
            return
        arrow, labelled, position = link
        pending = (arrow, labelled)
    if pending is not None:
        diagram.problems.append((line_number, "an arrow points nowhere"))


def _parse_sequence(lines: list[str], header_index: int, first_line: int) -> Diagram:
    diagram = Diagram("sequence", first_line)
    for line_number, text in _Lines(lines, header_index, first_line, diagram):
        if _SEQ_BLOCK.match(text):
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
