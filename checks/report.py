"""Views over findings: terminal text for people; JSON, JUnit XML and GitHub annotations for CI."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from checks.findings import Finding

FORMATS = ("terminal", "json", "junit", "github")


def render(findings: list[Finding], output_format: str) -> str:
    return {"terminal": terminal, "json": as_json, "junit": junit, "github": github}[output_format](findings)


def terminal(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        lines.append(f"{f.path}:{f.line}: {f.severity} [{f.rule}] {f.message}")
        if f.hint:
            lines.append(f"    how to fix: {f.hint}")
    errors = sum(f.severity == "error" for f in findings)
    lines.append(f"{errors} error(s), {len(findings) - errors} warning(s)")
    return "\n".join(lines)


def as_json(findings: list[Finding]) -> str:
    return json.dumps({"findings": [f.as_dict() for f in findings]}, ensure_ascii=False, indent=2)


def junit(findings: list[Finding]) -> str:
    errors = [f for f in findings if f.severity == "error"]
    root = ElementTree.Element("testsuites")
    suite = ElementTree.SubElement(
        root, "testsuite", name="checks", tests=str(max(len(findings), 1)), failures=str(len(errors))
    )
    for f in findings:
        case = ElementTree.SubElement(suite, "testcase", classname=f.rule, name=f"{f.path}:{f.line}", file=f.path)
        if f.severity == "error":
            element = ElementTree.SubElement(case, "failure", message=f.message)
        else:
            element = ElementTree.SubElement(case, "system-out")
        element.text = f"{f.message}\nhow to fix: {f.hint}"
    if not findings:
        ElementTree.SubElement(suite, "testcase", classname="checks", name="all checks")
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def _escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def github(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        path, rule = _escape(f.path, property_value=True), _escape(f.rule, property_value=True)
        properties = f"file={path},line={max(f.line, 1)},title={rule}"
        message = f"{f.message}" + (f" — how to fix: {f.hint}" if f.hint else "")
        lines.append(f"::{level} {properties}::{_escape(message)}")
    return "\n".join(lines)
