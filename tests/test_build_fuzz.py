"""The whole build under hostile input: hypothesis writes pages and registry values, the real
`mkdocs build --strict` builds them. It may pass or fail with findings or configuration errors that
name a file and a line; it may never crash (a traceback, a Python exception) and never hang.

CI runs a fixed, derandomized handful of examples; FUZZ_EXAMPLES=200 runs more by hand.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import mkdocs_build, project_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
# A build of two pages takes a few seconds; one that takes this long is hanging.
HANG_SECONDS = 90

# Pieces of everything a page may hold: Markdown, raw HTML, admonitions, tables, fences, numbers,
# addresses, links, deep nesting and odd bytes.
PIECES = st.sampled_from(
    [
        "# 見出し\n",
        '## Heading {: #x onclick="alert(1)" }\n',
        "| a | b |\n| --- | --- |\n| 最大 6,000 ノード | 10.0.1.4 |\n",
        "| 1 | 2 | 3 |\n",
        "```mermaid\ngraph TB\n  A -->|10.0.1.4| B\n```\n",
        "```\nnever closed\n",
        "```python\n<script>not run</script>\n```\n",
        '!!! note "最大 5,000 ノード"\n    body 250 Pod\n',
        '??? tip "t"\n    <div markdown="1">x</div>\n',
        '<div markdown="1">\n最大 6,000 ノード [l](http://learn.microsoft.com/en-us/azure/aks/?WT.mc_id=x)\n</div>\n',
        "<table><tr><td>999.1.1.1</td><td>300.244.x.x</td></tr></table>\n",
        "<script>alert(1)</script>\n",
        '<img src="https://cdn.example/x.png" onerror="alert(1)">\n',
        '<a href="java&#x09;script:alert(1)">x</a>\n',
        '<p style="background:url(//cdn.example/x)">x</p>\n',
        "<style>@import 'https://fonts.example/a.css';</style>\n",
        '<meta http-equiv="refresh" content="0">\n',
        "![x](https://cdn.example/x.png)\n",
        "[l](https://learn.microsoft.com/ja-jp/azure/aks/concepts-network#nope)\n",
        "[l](missing.md#x)\n",
        "*[IPAM]: IP アドレス管理 64K\n",
        "約 100 万 IP, /24, 10.0.0.0/33, 2026-13-45, 1.28\n",
        "- item\n  - nested\n",
        "".join("    " * i + "- x\n" for i in range(60)),
        ">" * 80 + " deep\n",
        '<div markdown="1">\n' * 60,
        "<div>" + "<a" * 200 + "\n",
        "---\ntitle: 最大 6,000 ノード\n---\n",
        "---\n- not a mapping\n---\n",
        "---\ntitle: a\ntitle: b\n---\n",
        "\t",
        "\r\n",
        "\n\n",
        "\ufeff",
        "<!-- comment",
        "\\|",
        "`",
        "**",
        "<br/>",
        # Nested lists in quotes and admonitions (with classes), right and wrong.
        "> - a\n>     - b\n",
        "> - a\n>   - b\n",
        '!!! tip inline end "最大 六千 ノード"\n\n    - a\n        - b\n',
        # Numbers in words and in the forms Learn writes them.
        "六千ノード、二百五十 Pod、数千、十分\n",
        "up to six thousand nodes, one of two, twenty-five hundred\n",
        "5\u00a0000 ノード 5.000 10–250 1.28.x Sept 30, 2025\n",
        # Code a reader copies: addresses and settings a fact limits.
        "```bash\naz aks create --max-pods 300 --pod-cidr 10.245.0.0/16\n```\n",
        "    az aks nodepool add --max-pods=999 --dns-service-ip 10.0.0.300\n",
        '```json\n{"maxPods": 1e9, "podCidr": "10.244.x.x"}\n```\n',
    ]
)
# What mkdocs.yml shows on every page: the site's name reaches each <title> and header.
SITE_NAMES = st.sampled_from(["AKS", "最大 6,000 ノード", "Limits 4242", "10.999.0.0/16", "six thousand nodes"])
PAGE = st.lists(st.one_of(PIECES, st.text(max_size=12)), min_size=1, max_size=12).map("".join)
# Odd bytes a page may end up with: invalid UTF-8, a NUL, a lone surrogate's bytes.
ODD_BYTES = st.sampled_from([b"", b"", b"", b"\xff", b"\x00", b"\xed\xa0\x80", b"\xc3"])
REGISTRY_VALUES = st.one_of(
    st.sampled_from(
        ["5000", "-1", "5000.5", "[1]", "{a: 1}", "''", ".nan", "10.0.0.1/8", "true", "5000\n    value: 1"]
    ),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)

_CRASH = re.compile(r"Traceback|\b\w+(?:Error|Exception)\b(?!\()|Aborted with a BuildError")
_LOCATED = re.compile(r"[\w./-]+\.(?:md|yml|txt|json):\d+:")
# MkDocs' own warnings (a missing anchor, a page that cannot be built) name the page in quotes.
_MKDOCS_NAMES_PAGE = re.compile(r"'[\w./-]+\.md'")
_PROBLEM = re.compile(r"^(?:WARNING|ERROR)\s+-\s+(.*)$", re.M)


def _fuzz_project(tmp_path: Path, pages: tuple[bytes, bytes], registry_value: str, site_name: str = "AKS") -> Path:
    project = project_copy(tmp_path)
    docs = project / "docs"
    for page in docs.glob("*.md"):
        page.unlink()
    (docs / "index.md").write_bytes(pages[0])
    (docs / "index.en.md").write_bytes(pages[1])
    config = project / "mkdocs.yml"
    # Without the nav, the two pages are the whole site (the nav names the real pages).
    text = re.sub(r"\nnav:\n(?:  .*\n)+", "\n", config.read_text(encoding="utf-8"))
    text = re.sub(r"\n          nav_translations:\n(?:            .*\n)+", "\n", text)
    text = re.sub(
        r"^site_name: .*$", f"site_name: {json.dumps(site_name, ensure_ascii=False)}", text, count=1, flags=re.M
    )
    config.write_text(text, encoding="utf-8")
    registry = project / "checks" / "facts.yml"
    facts = registry.read_text(encoding="utf-8")
    registry.write_text(facts.replace("    value: 5000\n", f"    value: {registry_value}\n", 1), encoding="utf-8")
    return project


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(source=PAGE, translation=PAGE, odd=ODD_BYTES, registry_value=REGISTRY_VALUES, site_name=SITE_NAMES)
def test_the_build_passes_or_names_file_and_line(tmp_path: Path, source, translation, odd, registry_value, site_name):
    work = tmp_path / "fuzz"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    pages = (source.encode("utf-8", "surrogatepass") + odd, translation.encode("utf-8", "surrogatepass"))
    project = _fuzz_project(work, pages, registry_value, site_name)
    try:
        result = mkdocs_build(work / "site", config=project / "mkdocs.yml", timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build hung for {HANG_SECONDS} s on: {pages!r}, registry value {registry_value!r}")
    crash = _CRASH.search(result.stderr)
    assert crash is None, f"the build crashed ({crash[0]}) on {pages!r}:\n{result.stderr[-4000:]}"
    problems = _PROBLEM.findall(result.stderr)
    if result.returncode != 0:
        assert problems, f"the build failed without saying why:\n{result.stderr[-4000:]}"
    unlocated = [p for p in problems if not (_LOCATED.search(p) or _MKDOCS_NAMES_PAGE.search(p))]
    # Only the checks' summary ("checks: 2 file(s) in docs/ stop the build") follows the findings it sums up.
    assert all(p.startswith("checks: ") for p in unlocated), unlocated
