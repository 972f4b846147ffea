"""Whatever a contributor types, the engine answers with findings: never a traceback, never silence."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import DOCS, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.content_safety import POLICY
from checks.engine import run_checks
from checks.findings import ConfigurationError, Finding
from checks.registry import REGISTRY
from checks.yaml_files import error_line, load_yaml

# Pieces that exercise every parser: tables, fences, mermaid, admonitions, front matter, links, numbers.
FRAGMENTS = st.sampled_from(
    [
        "| a | b |\n",
        "| --- | --- |\n",
        "| 1 | 2 | 3 |\n",
        "|",
        "```mermaid\n",
        "```\n",
        "graph TB\n",
        "grahp\n",
        "sequenceDiagram\n",
        "A -->|x| B[label]\n",
        'subgraph S["t"]\n',
        "end\n",
        "P->>Q: hi\n",
        '!!! note "t"\n',
        "    body\n",
        "---\n",
        "source_hash: [\n",
        "# H\n",
        "## 見出し\n",
        "- item\n",
        "  - nested\n",
        "[l](https://learn.microsoft.com/ja-jp/azure/aks/concepts-network#nope)\n",
        "[l](overlay.md#x)\n",
        "最大 5,000 ノード × 250 Pod\n",
        "約 100 万 IP\n",
        "10.0.1.4\n",
        "10.0.9.0/24\n",
        "/24\n",
        "2026-13-45\n",
        "999.1.1.1\n",
        "64K\n",
        "\t",
        "\n",
        "\x00",
        "\\|",
        "`",
        "**",
        "<br/>",
    ]
)
MARKDOWN = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=MARKDOWN, translation=MARKDOWN)
def test_arbitrary_markdown_only_ever_yields_findings(source: str, translation: str):
    with tempfile.TemporaryDirectory() as directory:
        docs = Path(directory)
        (docs / "page.md").write_text(source, encoding="utf-8", errors="surrogatepass")
        (docs / "page.en.md").write_text(translation, encoding="utf-8", errors="surrogatepass")
        report = run_checks(docs)
    assert all(isinstance(f, Finding) and f.rule and f.line >= 0 for f in report.findings)


def test_invalid_utf8_is_a_finding(tmp_path: Path):
    (tmp_path / "page.md").write_bytes(b"# \xff\xfe broken\n")
    report = run_checks(tmp_path)
    assert [f.rule for f in report.findings if f.path.endswith("page.md")][:1] == ["markdown/not-text"]


REGISTRY_TEXT = REGISTRY.read_text(encoding="utf-8")


def _replace(old: str, new: str, entry: str | None = None) -> tuple[str, int]:
    """The registry with its first `old` replaced, and the line the error must name: that of the
    entry `old` belongs to (the line of `- id: <entry>`) for a problem of the entry as a whole, or
    else the first line the edit changed (the field that is wrong)."""
    assert old in REGISTRY_TEXT, f"the registry no longer contains {old!r}"
    at = REGISTRY_TEXT.index(old)
    if entry:
        return REGISTRY_TEXT.replace(old, new, 1), REGISTRY_TEXT[: REGISTRY_TEXT.index(f"- id: {entry}\n")].count(
            "\n"
        ) + 1
    pairs = list(zip(old.split("\n"), new.split("\n"), strict=False))
    changed = next((i for i, (a, b) in enumerate(pairs) if a != b), len(pairs))
    return REGISTRY_TEXT.replace(old, new, 1), REGISTRY_TEXT[:at].count("\n") + 1 + changed


# "Billion laughs": nine aliases of nine items, nested; the fourth level (l4, ~66,000 values)
# crosses the budget of checks/yaml_files.py, so the error names its line.
LAUGHS = "".join(
    f"l{level}: &l{level} [{', '.join([f'*l{level - 1}' if level else 'lol'] * 9)}]\n" for level in range(9)
)
_BOMB = REGISTRY_TEXT.replace("\nfacts:\n", "\n" + LAUGHS + "facts:\n", 1)
_BOMB_LINE = _BOMB[: _BOMB.index("l4:")].count("\n") + 1

# A broken registry: (text, line the configuration error must name, words it must say)
BROKEN_REGISTRIES = {
    "an alias bomb": (_BOMB, _BOMB_LINE, "[registry/yaml-aliases] aliases expand this YAML past"),
    # The second `value:` is the one named.
    "duplicate key": (
        *_replace("    unit: nodes per cluster\n", "    value: 6000\n    unit: nodes per cluster\n"),
        "registry/duplicate-key",
    ),
    "duplicate key in a flow mapping": (
        *_replace("{cidr: 10.0.0.0/16, means: example-vnet}", "{cidr: 10.0.0.0/16, means: a, means: example-vnet}"),
        "registry/duplicate-key",
    ),
    "negative prefix": (
        *_replace("type: prefix\n    value: 24", "type: prefix\n    value: -1"),
        "0 to 32",
    ),
    "prefix longer than 32": (
        *_replace("type: prefix\n    value: 24", "type: prefix\n    value: 33"),
        "0 to 32",
    ),
    "cidr with host bits": (
        *_replace("value: 10.244.0.0/16", "value: 10.244.0.1/16"),
        "host bits",
    ),
    "range with host bits": (*_replace("cidr: 10.0.1.0/24", "cidr: 10.0.1.1/24", "node-subnet"), "host bits"),
    "range with a negative prefix": (
        *_replace("cidr: 10.0.1.0/24", "cidr: 10.0.1.0/-24", "node-subnet"),
        "not a network",
    ),
    "shorthand that is no network": (
        *_replace("{cidr: 10.0.0.0/16, means: example-vnet}", "{cidr: 10.0.0.0/99, means: example-vnet}"),
        "shorthand",
    ),
    "integer that is a fraction": (
        *_replace("    value: 5000\n", "    value: 5000.5\n"),
        "whole number",
    ),
    "integer written with a decimal point": (
        *_replace("    value: 5000\n", "    value: 5000.0\n"),
        "value '5000.0' is not a whole number (type: integer)",
    ),
    "integer past any float (a string to YAML)": (
        *_replace("    value: 5000\n", "    value: 1e309\n"),
        "value '1e309' is not a number (type: integer",
    ),
    "a date fact on no day": (
        *_replace("value: 2026-08-21", "value: 2026-02-30"),
        "value '2026-02-30' is not a date",
    ),
    "integer that is a word": (
        *_replace("    value: 5000\n", "    value: lots\n"),
        "not a number",
    ),
    "integer that is a list": (
        *_replace("    value: 5000\n", "    value: [5000]\n"),
        "single integer",
    ),
    "integer that is a boolean": (
        *_replace("    value: 5000\n", "    value: true\n"),
        "not a number",
    ),
    "integer that is not finite": (*_replace("    value: 5000\n", "    value: .inf\n"), "finite"),
    "unknown field": (
        *_replace("    value: 5000\n", "    value: 5000\n    colour: red\n"),
        "colour",
    ),
    "NUL byte": (*_replace("    value: 5000\n    unit:", "    value: 5000\x00\n    unit:"), "registry/yaml"),
    "tab indentation": (*_replace("    value: 5000\n", "\tvalue: 5000\n"), "registry/yaml"),
    "a date that is no day": (
        *_replace("verified: 2026-08-21", "verified: 2026-13-45"),
        "is not a 'date'",
    ),
    "reserved addresses that fill a subnet": (*_replace("{first: 4, last: 1}", "{first: 4000, last: 1}"), "no address"),
    "a date fact multiplied": (
        *_replace("type: integer\n    value: 5000", "type: date\n    value: 2026-01-01", "overlay-max-nodes"),
        "type date",
    ),
    "subnets larger than the range they are carved from": (
        *_replace(
            "subnets_in_prefix: {range: overlay-default-pod-cidr, subnet: overlay-node-pod-prefix}",
            "subnets_in_prefix: {range: overlay-node-pod-prefix, subnet: static-block-max-prefix}",
            "overlay-default-pod-cidr-node-capacity",
        ),
        "a /12 (static-block-max-prefix) is larger than the /24 (overlay-node-pod-prefix)",
    ),
    "subnets counted in a number that is no range": (
        *_replace(
            "subnets_in_prefix: {range: overlay-default-pod-cidr,",
            "subnets_in_prefix: {range: overlay-max-nodes,",
            "overlay-default-pod-cidr-node-capacity",
        ),
        "'overlay-max-nodes' is of type integer, but only cidr or prefix facts can be computed with here",
    ),
    "settings on a fact that is no number": (
        *_replace(
            "type: cidr\n    value: 10.244.0.0/16\n",
            "type: cidr\n    value: 10.244.0.0/16\n    settings: [{name: --pod-cidr, limit: equal}]\n",
            "overlay-default-pod-cidr",
        ),
        "settings limit numbers or versions, not a cidr fact",
    ),
    "a setting with an unknown limit": (
        *_replace("- {name: --max-pods, limit: maximum}", "- {name: --max-pods, limit: most}"),
        "limit",
    ),
    "empty": ("", 1, "empty"),
    "only a comment": ("# nothing yet\n", 1, "empty"),
}


@pytest.mark.parametrize("name", BROKEN_REGISTRIES)
def test_broken_registry_is_a_configuration_error_at_its_line(tmp_path: Path, name: str):
    text, line, words = BROKEN_REGISTRIES[name]
    registry = tmp_path / "facts.yml"
    registry.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as raised:
        run_checks(DOCS, registry)
    message = str(raised.value)
    assert f"facts.yml:{line}:" in message, message
    assert words in message, message


def test_registry_with_a_bom_and_crlf_reads_as_the_registry(tmp_path: Path):
    registry = tmp_path / "facts.yml"
    registry.write_bytes(b"\xef\xbb\xbf" + REGISTRY_TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert run_checks(DOCS, registry).errors == []


def test_duplicate_key_in_the_content_policy_is_a_configuration_error(tmp_path: Path):
    text = POLICY.read_text(encoding="utf-8")
    old = "  - name: script\n"
    policy = tmp_path / "content_policy.yml"
    policy.write_text(text.replace(old, old + "    name: iframe\n", 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 2
    with pytest.raises(ConfigurationError, match=rf"content_policy.yml:{line}: \[registry/duplicate-key\]"):
        run_checks(DOCS, policy_path=policy)


POLICY_TEXT = POLICY.read_text(encoding="utf-8")


def _policy_line(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


_NO_WHY = POLICY_TEXT.replace("    why: Scripts run", "    reason: Scripts run", 1)
_UNKNOWN = POLICY_TEXT + "colours: []\n"
# A broken content policy: (text, line the configuration error must name, words it must say)
BROKEN_POLICIES = {
    "an entry without its why": (
        _NO_WHY,
        _policy_line(_NO_WHY, "unsafe_elements:"),
        "needs exactly `name` and a `why`",
    ),
    "a list, not a mapping": ("- script\n", 1, "must be a mapping"),
    "an unknown section": (_UNKNOWN, _policy_line(_UNKNOWN, "colours:"), "unknown section 'colours'"),
    "a missing section": (POLICY_TEXT.replace("resource_hosts: []", ""), 1, "section 'resource_hosts' is missing"),
    "an empty file": ("", 1, "must be a mapping"),
}


@pytest.mark.parametrize("name", BROKEN_POLICIES)
def test_broken_content_policy_is_a_configuration_error(tmp_path: Path, name: str):
    text, line, words = BROKEN_POLICIES[name]
    path = tmp_path / "content_policy.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=rf"content_policy\.yml:{line}: ") as raised:
        run_checks(DOCS, policy_path=path)
    assert words in str(raised.value)


# A page a contributor might write by accident: (bytes, rule, line it must be reported at)
ODD_PAGES = {
    "a typo in an address shorthand": ("# P\n\n例: 300.244.x.x\n".encode(), "network/invalid-address", 3),
    "invalid UTF-8 on line 4": (b"# P\n\nok\n\xff\n", "markdown/not-text", 4),
    "a NUL byte on line 3": (b"# P\n\n\x00\n", "markdown/not-text", 3),
    "an alias bomb in the front matter": (
        ("---\n" + LAUGHS + "---\n# P\n").encode(),
        "markdown/front-matter",
        LAUGHS.split("\n").index(next(line for line in LAUGHS.split("\n") if line.startswith("l4:"))) + 2,
    ),
    "a duplicate front matter key": (b"---\ntitle: a\ntitle: b\n---\n# P\n", "markdown/front-matter", 3),
    "front matter that is a list": (b"---\n- a\n---\n# P\n", "markdown/front-matter", 1),
    "a BOM before the front matter": (
        "\ufeff---\ntitle: 最大 6,000 ノード\n---\n# P\n".encode(),
        "numbers/contradicts-fact",
        2,
    ),
    "CRLF line ends": (b"# P\r\n\r\n999.1.1.1\r\n", "network/invalid-address", 3),
    "old Mac line ends": (b"# P\r\r999.1.1.1\r", "network/invalid-address", 3),
    "a fence that never closes": (b"# P\n\n```\ncode\n", "markdown/unclosed-fence", 3),
    "a huge file": (b"# P\n\n" + b"x " * 1_100_000, "markdown/too-large", 1),
    "lists nested 400 deep": (
        ("# P\n\n" + "".join("    " * i + "- x\n" for i in range(400))).encode(),
        "markdown/too-deep",
        44,
    ),
    "quotes nested 2,000 deep": (b"# P\n\n" + b">" * 2000 + b" x\n", "markdown/too-deep", 3),
    "HTML elements nested 500 deep": (b"# P\n\n" + b'<div markdown="1">\n' * 500, "markdown/too-deep", 43),
    "a list nested on one line": (b"# P\n\n" + b"- " * 300 + b"x\n", "markdown/too-deep", 3),
    "an unclosed HTML tag repeated": (b"# P\n\n<div>" + b"<a" * 30_000 + b"\n", "html/too-large", 3),
}


@pytest.mark.parametrize("name", ODD_PAGES)
def test_odd_page_is_a_finding_at_its_line(tmp_path: Path, name: str):
    data, rule, line = ODD_PAGES[name]
    (tmp_path / "page.md").write_bytes(data)
    found = [f for f in run_checks(tmp_path).findings if f.path.endswith("page.md")]
    findings = [(f.line, f.rule) for f in found]
    assert (line, rule) in findings, findings
    # Every finding says how to fix it.
    assert all(f.hint for f in found if f.rule == rule), [f for f in found if not f.hint]


@pytest.mark.parametrize("path", sorted(REGISTRY.parent.glob("*.yml")), ids=lambda p: p.name)
def test_every_yaml_file_of_the_checks_has_each_key_once(path: Path):
    # audit.yml is read by people and by tools to come: they must load it with checks.yaml_files too.
    load_yaml(path.read_text(encoding="utf-8"))


def test_a_key_given_twice_is_an_error_naming_the_second_line():
    with pytest.raises(yaml.YAMLError) as raised:
        load_yaml("claims:\n  - id: a\n    verdict: confirmed\n    verdict: changed\n")
    assert error_line(raised.value, "") == 4
    assert "'verdict' is given twice (first on line 3)" in str(raised.value)


def test_a_fifo_in_docs_is_a_finding_and_never_opened(tmp_path: Path):
    (tmp_path / "page.md").write_text("# P\n", encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.md")
    os.mkfifo(tmp_path / "pipe.txt")
    # In a subprocess with a timeout: opening the FIFO would hang the checks (and this test) for good.
    result = subprocess.run(
        [sys.executable, "-m", "checks", "check", "--docs", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    for name in ("fifo.md", "pipe.txt"):
        assert f"{name}:1: error [files/not-regular] this is a FIFO" in result.stdout, result.stdout
    assert result.stdout.count("[files/not-regular]") == 2, result.stdout
