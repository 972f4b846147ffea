"""The one engine behind the MkDocs hook, the CLI and the nightly job: docs in, findings out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checks.claims import Binder, Binding
from checks.code_values import check_code
from checks.content_safety import POLICY, check_content, load_policy
from checks.docs_files import file_findings
from checks.findings import ConfigurationError, Finding, WithFindings
from checks.learn_snapshot import SNAPSHOT, load_snapshot
from checks.links import check_links
from checks.mermaid import accessibility_problems
from checks.network_plan import check_network_plan
from checks.parity import check_parity
from checks.registry import REGISTRY, Registry, load_registry
from checks.site import Site, load_site
from checks.tables import check_against_facts, check_column_counts, check_consistency, table_statements


@dataclass
class Report(WithFindings):
    findings: list[Finding]
    bindings: list[Binding]
    registry: Registry
    site: Site


def run_checks(
    docs_dir: Path, registry_path: Path = REGISTRY, snapshot_path: Path = SNAPSHOT, policy_path: Path = POLICY
) -> Report:
    """Check every page under `docs_dir`; raise ConfigurationError when the checks themselves cannot run."""
    if not docs_dir.is_dir():
        raise ConfigurationError(f"{docs_dir}: no such docs directory")
    registry = load_registry(registry_path)
    anchors = load_snapshot(snapshot_path)
    policy = load_policy(policy_path)
    findings = file_findings(docs_dir)
    site, page_findings = load_site(docs_dir)
    findings += page_findings
    for page in site.pages:
        findings += [Finding(page.display, line, rule, message) for line, rule, message in page.doc.problems]
        for diagram in page.diagrams:
            findings += [
                Finding(
                    page.display, line, "mermaid/syntax", message, "see https://mermaid.js.org/syntax/flowchart.html"
                )
                for line, message in diagram.problems
            ]
            findings += [
                Finding(
                    page.display,
                    line,
                    "mermaid/accessibility",
                    message,
                    "start the diagram with `accTitle: <name>` and `accDescr: <what it shows>` in the page's language",
                )
                for line, message in accessibility_problems(diagram, page.locale)
            ]
            findings += [
                Finding(
                    page.display,
                    line,
                    "mermaid/interactive",
                    message,
                    "remove the line; put a link in the text next to the diagram, or ask for a configuration change",
                )
                for line, message in diagram.interactive
            ]
    binder = Binder(registry)
    bindings: list[Binding] = []
    for page in site.pages:
        page_bindings, page_findings = binder.bind(page)
        bindings += page_bindings
        findings += page_findings
    findings += check_code(site, binder)
    statements = table_statements(site, registry)
    findings += check_network_plan(registry)
    findings += check_column_counts(site)
    findings += check_consistency(statements)
    findings += check_against_facts(statements, registry)
    bindings += _statement_bindings(statements, registry)
    findings += check_parity(site, binder, bindings, statements)
    findings += check_links(site, registry, anchors)
    findings += check_content(site, policy)
    return Report(sorted(set(findings)), bindings, registry, site)


def _statement_bindings(statements, registry: Registry) -> list[Binding]:
    """Table cells that state a yes/no fact count as uses of it (for parity and the sources page)."""
    facts = registry.attribute_facts()
    return [
        Binding(s.page, s.line, None, facts[(s.attribute, s.model)], "fact")
        for s in statements
        if (s.attribute, s.model) in facts
    ]
