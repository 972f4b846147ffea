"""What mkdocs.yml shows the reader: the site's name and description, the copyright line, the nav's
page titles and the languages' names, with their lines and the language they are shown in.

These strings reach every page's `<title>`, `<meta name="description">`, header, navigation and
footer, so their numbers are bound like the pages' own (checks/claims.py). The file is read as a
YAML node graph: MkDocs' own tags (`!ENV`, `!!python/name:`) need no constructor there, and every
string keeps its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from checks.findings import ConfigurationError, Finding, display_path
from checks.languages import LANGUAGES_FILE, Language, languages
from checks.pages import SOURCE_LOCALE
from checks.yaml_files import check_expanded_size, error_line, error_text, read_text_file

_SHOWN = ("site_name", "site_description", "copyright")


@dataclass(frozen=True)
class SiteText:
    text: str
    line: int
    locale: str
    key: str  # what it is: site_name, nav, nav_translations, name ...


def site_texts(path: Path) -> list[SiteText]:
    """The reader-visible strings of the MkDocs configuration at `path`; ConfigurationError at file:line."""
    config = _config(path)
    if config is None:
        return []
    default = _default_locale(config)
    texts = [_text(config[key], default, key) for key in _SHOWN if key in config]
    if "nav" in config:
        texts += [SiteText(t, line, default, "nav") for t, line in _nav_titles(config["nav"])]
    for language in _i18n_languages(config):
        fields = _mapping(language)
        locale = _scalar(fields.get("locale")) or default
        texts += [_text(fields[key], locale, key) for key in (*_SHOWN, "name") if key in fields]
        if isinstance(translations := fields.get("nav_translations"), yaml.MappingNode):
            texts += [_text(value, locale, "nav_translations") for _, value in translations.value]
    return [t for t in texts if t.text]


def language_findings(path: Path, expected: tuple[Language, ...] | None = None) -> list[Finding]:
    """mkdocs.yml's static-i18n languages against checks/languages.yml: the same codes, in the same
    order, the same names, the source as the default; a difference is a finding at mkdocs.yml:LINE."""
    config = _config(path)
    if config is None:
        return []
    expected = languages() if expected is None else expected
    where, listed = display_path(path), display_path(LANGUAGES_FILE)
    entries = _i18n_languages(config)
    hint = f"list the same languages, in the same order, in {listed} and in mkdocs.yml's i18n `languages:`"
    findings = []
    for index, entry in enumerate(entries):
        fields = _mapping(entry)
        code, line = _scalar(fields.get("locale")), entry.start_mark.line + 1
        language = expected[index] if index < len(expected) else None
        if language is None or code != language.code:
            wanted = f"{language.code} ({listed}:{language.line})" if language else f"no language in {listed}"
            findings.append(
                Finding(where, line, "site/languages", f"language {index + 1} is {code}, expected {wanted}", hint)
            )
            continue
        if _scalar(fields.get("name")) != language.name:
            findings.append(
                Finding(
                    where,
                    fields["name"].start_mark.line + 1 if "name" in fields else line,
                    "site/languages",
                    f"{code} is named {_scalar(fields.get('name'))!r} here,"
                    f" {language.name!r} in {listed}:{language.line}",
                    "give the language the same name in both files",
                )
            )
        if (_scalar(fields.get("default")) == "true") != (language.role == "source"):
            findings.append(
                Finding(
                    where, line, "site/languages", f"{code}: `default: true` belongs to the source language alone", hint
                )
            )
    findings += _search_language_findings(config, expected, where, listed)
    line = entries[-1].end_mark.line + 1 if entries else 1
    for language in expected[len(entries) :]:
        findings.append(
            Finding(
                where,
                line,
                "site/languages",
                f"{language.code} ({listed}:{language.line}) is not a language of the site",
                f"add `- locale: {language.code}` with its name, site_name, site_description and nav_translations",
            )
        )
    return findings


def _search_language_findings(
    config: dict[str, yaml.Node], expected: tuple[Language, ...], where: str, listed: str
) -> list[Finding]:
    """The search plugin's `lang:` names every lunr language an index of checks/languages.yml uses."""
    plugins = config.get("plugins")
    for plugin in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        settings = _mapping(plugin).get("search")
        node = _mapping(settings).get("lang") if settings is not None else None
        if not isinstance(node, yaml.SequenceNode):
            continue
        configured = {_scalar(item) for item in node.value}
        missing = [code for language in expected for code in language.search if code not in configured]
        if missing:
            return [
                Finding(
                    where,
                    node.start_mark.line + 1,
                    "site/languages",
                    f"the search plugin's lang does not name {sorted(set(missing))}, which {listed} gives an index",
                    "add them to `plugins: - search: lang:`",
                )
            ]
    return []


def _config(path: Path) -> dict[str, yaml.Node] | None:
    where = display_path(path)
    text = read_text_file(path, "site configuration")
    try:
        check_expanded_size(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        line = error_line(error, text) or 1
        problem = f"the site configuration is not valid YAML: {error_text(error)}"
        raise ConfigurationError(f"{where}:{line}: {problem}") from None
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1 if root is not None else 1
        raise ConfigurationError(
            f"{where}:{line}: [registry/yaml] the site configuration must be a mapping (site_name:, nav: ...)"
        )
    return _mapping(root)


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _text(node: yaml.Node, locale: str, key: str) -> SiteText:
    return SiteText(_scalar(node) or "", node.start_mark.line + 1, locale, key)


def _default_locale(config: dict[str, yaml.Node]) -> str:
    for language in _i18n_languages(config):
        fields = _mapping(language)
        if _scalar(fields.get("default")) == "true":
            return _scalar(fields.get("locale")) or SOURCE_LOCALE
    theme = _mapping(config["theme"]) if "theme" in config else {}
    return _scalar(theme.get("language")) or SOURCE_LOCALE


def _i18n_languages(config: dict[str, yaml.Node]) -> list[yaml.Node]:
    plugins = config.get("plugins")
    if not isinstance(plugins, yaml.SequenceNode):
        return []
    for plugin in plugins.value:
        settings = _mapping(plugin).get("i18n")
        languages = _mapping(settings).get("languages") if settings is not None else None
        if isinstance(languages, yaml.SequenceNode):
            return list(languages.value)
    return []


def _nav_titles(node: yaml.Node, depth: int = 0) -> list[tuple[str, int]]:
    """The titles of nav entries (`- 概要: index.md`, sections included); a bare path has none."""
    if not isinstance(node, yaml.SequenceNode) or depth > 20:
        return []
    titles = []
    for item in node.value:
        for key, value in item.value if isinstance(item, yaml.MappingNode) else []:
            if isinstance(key, yaml.ScalarNode):
                titles.append((str(key.value), key.start_mark.line + 1))
            titles += _nav_titles(value, depth + 1)
    return titles
