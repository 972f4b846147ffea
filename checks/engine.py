"""The one engine behind the MkDocs hook, the CLI and the nightly job: docs in, findings out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from checks.audit import AUDIT, Audit, load_audit
from checks.audited_claims import check_audited_claims
from checks.box_kinds import BOXES, load_box_kinds
from checks.claims import Binder, Binding
from checks.code_values import check_code
from checks.content_safety import POLICY, check_content, load_policy
from checks.docs_files import file_findings
from checks.findings import ConfigurationError, Finding, WithFindings, display_path
from checks.glossary import GLOSSARY, load_glossary
from checks.learn_snapshot import SNAPSHOT, load_snapshot
from checks.links import check_links
from checks.markdown_doc import PROBLEM_HINTS, Document, TextRun
from checks.mermaid import accessibility_problems
from checks.network_plan import check_network_plan
from checks.parity import check_parity
from checks.registry import REGISTRY, Registry, load_registry
from checks.site import Page, Site, load_site
from checks.site_config import language_findings, site_texts
from checks.tables import check_against_facts, check_column_counts, check_consistency, table_statements
from checks.terms import check_terms
from checks.unbound_statements import check_unbound_statements


@dataclass
class Report(WithFindings):
    findings: list[Finding]
    bindings: list[Binding]
    registry: Registry
    site: Site
    audit: Audit
    # What mkdocs.yml shows on every page (site name, nav titles ...), one page of runs per language.
    config_pages: list[Page] = field(default_factory=list)


def run_checks(
    docs_dir: Path,
    registry_path: Path = REGISTRY,
    snapshot_path: Path = SNAPSHOT,
    policy_path: Path = POLICY,
    audit_path: Path = AUDIT,
    config_path: Path | None = None,
    glossary_path: Path = GLOSSARY,
    boxes_path: Path = BOXES,
) -> Report:
    """Check every page under `docs_dir` and what the site's configuration shows on them (`config_path`,
    else the mkdocs.yml beside `docs_dir` if there is one); raise ConfigurationError when the checks
    themselves cannot run."""
    if not docs_dir.is_dir():
        raise ConfigurationError(f"{docs_dir}: no such docs directory")
    if config_path is None and (docs_dir.parent / "mkdocs.yml").is_file():
        config_path = docs_dir.parent / "mkdocs.yml"
    registry = load_registry(registry_path)
    audit = load_audit(audit_path)
    anchors = load_snapshot(snapshot_path)
    policy = load_policy(policy_path)
    glossary = load_glossary(glossary_path)
    findings = file_findings(docs_dir)
    site, page_findings = load_site(docs_dir)
    findings += page_findings
    for page in site.pages:
        findings += [
            Finding(page.display, line, rule, message, PROBLEM_HINTS.get(rule, ""))
            for line, rule, message in page.doc.problems
        ]
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
    config_pages = _config_pages(config_path) if config_path else []
    for page in config_pages:
        findings += binder.bind(page)[1]
    if config_path:
        findings += language_findings(config_path)
    findings += check_code(site, binder)
    statements = table_statements(site, registry)
    findings += check_network_plan(registry)
    findings += check_column_counts(site)
    findings += check_consistency(statements)
    findings += check_against_facts(statements, registry)
    bindings += _statement_bindings(statements, registry)
    findings += check_parity(site, binder, bindings, statements)
    findings += check_links(site, registry, anchors, audit)
    findings += check_content(site, policy)
    findings += check_audited_claims(site, audit, registry, load_box_kinds(boxes_path))
    findings += check_unbound_statements(site, audit, binder, statements)
    findings += check_terms(site, glossary, config_pages)
    return Report(sorted(set(findings)), bindings, registry, site, audit, config_pages)


def _config_pages(path: Path) -> list[Page]:
    """The strings mkdocs.yml shows the reader, as a page per language that the binder reads like any other."""
    by_locale: dict[str, Document] = {}
    for text in site_texts(path):
        by_locale.setdefault(text.locale, Document(path)).texts.append(TextRun(text.text, text.line, text.key))
    return [Page(path, display_path(path), "", locale, doc) for locale, doc in sorted(by_locale.items())]


def _statement_bindings(statements, registry: Registry) -> list[Binding]:
    """Table cells that state a yes/no fact count as uses of it (for parity and the sources page)."""
    facts = registry.attribute_facts()
    return [
        Binding(s.page, s.line, None, facts[(s.attribute, s.model)], "fact")
        for s in statements
        if (s.attribute, s.model) in facts
    ]
