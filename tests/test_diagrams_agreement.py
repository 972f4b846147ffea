"""Mermaid is the judge of syntax; the checks' own reading of diagrams agrees with it on a corpus.

Each diagram goes to the pinned mermaid in Chromium (the build's own renderer, site_build/diagrams.py)
and to checks/mermaid.py: a diagram Mermaid accepts gets no syntax problem from the checks, and a
diagram Mermaid rejects fails the build at its file:line, with Mermaid's message, and is rejected
by the checks too.
"""

from __future__ import annotations

import pytest
from conftest import DOCS
from mkdocs.exceptions import PluginError

from checks.markdown_doc import parse_document
from checks.mermaid import parse_mermaid
from checks.pages import page_files
from site_build.diagrams import Diagrams

FIRST_LINE = 10  # where the corpus' diagrams start in their pretend page

VALID = {
    "text inside the link": "flowchart LR\n    A -- label --> B\n    A -. dotted text .-> B\n    B == thick ==> C\n",
    "every link form": (
        "graph TD\n    A --- B\n    B -.- C\n    C === D\n    D ~~~ E\n    E --o F\n    F --x G\n"
        "    G <--> H\n    H o--o I\n    I x--x J\n    J --->|long| K\n    K ==> L\n    L -.-> M\n"
    ),
    "labelled links": 'graph LR\n    A -->|plain| B\n    B -->|"quoted"| C\n    C -.->|"dotted"| D\n',
    "node groups": "graph LR\n    A & B --> C & D\n",
    "shapes": (
        "graph TB\n    A((circle)) --> B{{hex}} --> C[(db)] --> D([stadium]) --> E[[sub]]\n"
        "    E --> F[/para/] --> G[\\alt\\] --> H[/trap\\] --> I>flag] --> J{rhombus}\n"
    ),
    "multi-line label and a node called End": 'graph TB\n    A["two<br/>lines"] --> End\n',
    "accessible title and description": "graph TB\n    accTitle: Title\n    accDescr: What it shows\n    A --> B\n",
    "description block": "graph TB\n    accTitle: T\n    accDescr {\n        multi\n        line\n    }\n    A --> B\n",
    "subgraphs": (
        'graph TB\n    subgraph one [Title]\n        A --> B\n    end\n    subgraph "Quoted"\n        C\n    end\n'
        "    subgraph two\n        direction LR\n        D\n    end\n"
    ),
    "styles and classes": (
        "graph TB\n    classDef hot fill:#f00\n    A:::hot --> B\n    style B stroke:#333\n"
        "    linkStyle 0 stroke:#999\n    class A hot\n"
    ),
    "semicolons": "graph TB\n    A --> B;\n    B --> C;\n",
    "sequence": (
        "sequenceDiagram\n    accTitle: T\n    accDescr: D\n    participant A as Alice\n    actor B\n"
        "    A->>B: hi\n    B-->>A: back\n    A-)B: async\n    A-xB: lost\n    Note over A,B: both\n"
        "    Note right of B: r\n    loop every minute\n        A->B: x\n    end\n    alt ok\n"
        "        A->>+B: act\n        B-->>-A: done\n    else no\n        A-->B: dotted\n    end\n"
    ),
}

# (diagram, its line Mermaid rejects, counted from 1 at the diagram's first line)
INVALID = {
    "a node called end": ("graph TB\n    A --> end\n", 2),
    "a misspelt diagram type": ("grahp TB\n    A --> B\n", 1),
    "an arrow pointing nowhere": ("graph TB\n    A --> B -->\n", 2),
    "an unclosed label": ("graph TB\n    A[unclosed --> B\n", 2),
    "an unclosed subgraph": ("graph TB\n    subgraph S\n        A --> B\n", 3),
    "a single-dash flowchart arrow": ("graph TB\n    A -> B\n", 2),
    "a message to nobody": ("sequenceDiagram\n    participant A\n    A->>: missing\n", 3),
    "a sequence arrow with three heads": ("sequenceDiagram\n    A->>>B: hi\n", 2),
}

SITE_DIAGRAMS = {
    f"{page.path.name}:{fence.line}": fence.content
    for page in page_files(DOCS)
    for fence in parse_document(page.path, page.path.read_text(encoding="utf-8")).mermaid
}


@pytest.fixture(scope="module")
def diagrams(browser, tmp_path_factory: pytest.TempPathFactory):
    drawn = Diagrams(tmp_path_factory.mktemp("diagram-cache"), browser)
    yield drawn
    drawn.close()


@pytest.mark.browser
@pytest.mark.parametrize("source", [*VALID.values(), *SITE_DIAGRAMS.values()], ids=[*VALID, *SITE_DIAGRAMS])
def test_a_diagram_mermaid_accepts_has_no_syntax_problem_in_the_checks(diagrams, source):
    assert "<svg" in diagrams.svg(source, "en", "page.md", FIRST_LINE)
    assert parse_mermaid(source, FIRST_LINE).problems == []


@pytest.mark.browser
@pytest.mark.parametrize(("source", "line"), INVALID.values(), ids=list(INVALID))
def test_a_diagram_mermaid_rejects_fails_the_build_at_its_line(diagrams, source, line):
    with pytest.raises(PluginError) as failure:
        diagrams.svg(source, "en", "docs/page.md", FIRST_LINE)
    message = str(failure.value)
    assert message.startswith(f"docs/page.md:{FIRST_LINE + line - 1}: error [mermaid/syntax] Mermaid"), message
    assert "how to fix:" in message
    assert parse_mermaid(source, FIRST_LINE).problems, "the checks accepted a diagram Mermaid rejects"


@pytest.mark.browser
def test_a_rejected_diagram_is_never_cached(diagrams):
    source, _ = INVALID["a node called end"]
    before = diagrams.rendered
    for _ in range(2):
        with pytest.raises(PluginError):
            diagrams.svg(source, "ja", "docs/page.md", FIRST_LINE)
    assert diagrams.rendered == before + 2
    assert diagrams.cache.get(diagrams.cache.key(source, "ja")) is None


@pytest.mark.browser
def test_a_diagram_mermaid_does_not_finish_in_time_fails_the_build_at_its_line(browser, tmp_path):
    slow = Diagrams(tmp_path, browser)
    slow.browser.timeout_ms = 1  # no diagram is drawn in a millisecond
    chain = "".join(f"    N{i} --> N{i + 1}\n" for i in range(40))
    try:
        with pytest.raises(PluginError, match=f"^docs/page.md:{FIRST_LINE}: Mermaid did not finish drawing"):
            slow.svg(f"graph TB\n{chain}", "en", "docs/page.md", FIRST_LINE)
    finally:
        slow.close()
    assert not list(tmp_path.glob("*.svg"))
