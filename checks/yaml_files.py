"""YAML as the checks read it: a key written twice is a mistake with a line, not "the last one wins"."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jsonschema
import yaml

from checks.findings import ConfigurationError, display_path

# libyaml's parser when PyYAML has it: the registry is read at every build.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Nodes the document may hold once every alias is expanded. Aliases share the object they name, so
# loading a "billion laughs" is cheap; whatever walks it afterwards (jsonschema, MkDocs' page meta,
# the checks) visits every copy and never ends. The registry, the largest file read, has ~3,000.
MAX_EXPANDED_NODES = 50_000


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping names the same key twice; `problem_mark` points at the second one."""


class AliasBombError(yaml.MarkedYAMLError):
    """Aliases expand the document beyond MAX_EXPANDED_NODES; `problem_mark` points at the alias that does."""


class StrictLoader(_BaseLoader):
    """Safe YAML, without implicit timestamps (dates stay the strings a contributor typed) or duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: construct_mapping below reports it
            if first is not None:
                raise DuplicateKeyError(
                    problem=f"key {key!r} is given twice (first on line {first}); the second would silently win",
                    problem_mark=key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, StrictLoader.construct_mapping)


def check_expanded_size(text: str) -> None:
    """Raise AliasBombError when aliases make `text` expand past MAX_EXPANDED_NODES (nothing is built)."""
    sizes: dict[str, int] = {}
    open_nodes: list[list] = [[None, 0]]  # [anchor, nodes so far] of each collection being read
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append([event.anchor, 1])
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_nodes.pop()
        else:
            continue
        if isinstance(event, yaml.ScalarEvent) and event.anchor:
            sizes[event.anchor] = size
        elif isinstance(event, yaml.CollectionEndEvent) and anchor:
            sizes[anchor] = size
        open_nodes[-1][1] += size
        if open_nodes[0][1] + sum(count for _, count in open_nodes[1:]) > MAX_EXPANDED_NODES:
            raise AliasBombError(
                problem=f"aliases expand this YAML past {MAX_EXPANDED_NODES:,} values (a 'billion laughs')",
                problem_mark=event.start_mark,
            )


def parse_yaml(text: str) -> tuple[object, yaml.Node | None]:
    """The YAML's values and its node tree (where each value was written), from one parse; raise
    yaml.YAMLError (with `problem_mark`) for bad syntax, a duplicate key or an alias bomb."""
    check_expanded_size(text)
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    finally:
        loader.dispose()


def load_yaml(text: str) -> object:
    """Parse YAML; raise yaml.YAMLError (with `problem_mark`) for bad syntax, a duplicate key or an alias bomb."""
    return parse_yaml(text)[0]


def error_line(error: yaml.YAMLError, text: str) -> int | None:
    """1-based line of `text` a YAML error points at, when it points anywhere."""
    mark = getattr(error, "problem_mark", None)
    if mark is not None:
        return mark.line + 1
    # The reader (a NUL byte, a control character) gives a character position instead of a mark.
    position = getattr(error, "position", None)
    if not isinstance(position, int):
        return None
    # libyaml counts bytes of UTF-8, the pure-Python reader characters.
    before = (
        text.encode("utf-8")[:position].decode("utf-8", "ignore")
        if _BaseLoader is not yaml.SafeLoader
        else text[:position]
    )
    return before.count("\n") + 1


def error_text(error: yaml.YAMLError) -> str:
    return str(getattr(error, "problem", None) or error)


def configuration_error(where: str, text: str, error: yaml.YAMLError) -> ConfigurationError:
    """A YAML file the checks read is broken: the error names the file, the line and the rule."""
    line = error_line(error, text) or 1
    if isinstance(error, DuplicateKeyError):
        return ConfigurationError(f"{where}:{line}: [registry/duplicate-key] {error_text(error)}")
    if isinstance(error, AliasBombError):
        hint = "write the values out instead of repeating them with aliases (*name)"
        return ConfigurationError(f"{where}:{line}: [registry/yaml-aliases] {error_text(error)}; {hint}")
    return ConfigurationError(f"{where}:{line}: [registry/yaml] not valid YAML: {error_text(error)}")


def read_text_file(path: Path, what: str) -> str:
    """The UTF-8 text of a file the checks read; a ConfigurationError naming the file, and the line of
    the first byte that is not UTF-8 (an editor that saved Shift_JIS or Latin-1), otherwise."""
    where = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigurationError(f"{where}: cannot read the {what}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigurationError(
            f"{where}:{line}: [registry/not-text] the {what} is not UTF-8 text "
            f"(byte 0x{data[error.start]:02x}: {error.reason}); save the file as UTF-8"
        ) from None


def load_yaml_file(path: Path, what: str) -> tuple[str, object]:
    """The text of `path` and its strict YAML; a ConfigurationError naming the file (and line) otherwise."""
    text = read_text_file(path, what)
    return text, _parsed(path, text)[0]


def load_yaml_tree(path: Path, what: str) -> tuple[object, yaml.Node | None]:
    """The strict YAML of `path` and its node tree, for errors at the line of a field."""
    return _parsed(path, read_text_file(path, what))


def _parsed(path: Path, text: str) -> tuple[object, yaml.Node | None]:
    try:
        return parse_yaml(text)
    except yaml.YAMLError as error:
        raise configuration_error(display_path(path), text, error) from None


def node_line(root: yaml.Node | None, path: Sequence[object]) -> int:
    """The line of the node at `path` (keys and indices), or of the deepest node on the way that exists."""
    node, line = root, 1
    for part in path:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
            if node is None:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
    return node.start_mark.line + 1 if node is not None else line


def key_line(root: yaml.Node | None, path: Sequence[object], key: str) -> int:
    """The line of `key` itself in the mapping at `path` (an unknown field is shown where it is typed)."""
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for name, value in node.value if name.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
    if isinstance(node, yaml.MappingNode):
        match = next((name for name, _ in node.value if name.value == key), None)
        if match is not None:
            return match.start_mark.line + 1
    return node_line(root, path)


def schema_error_text(error: jsonschema.ValidationError) -> str:
    """The schema's message, except for a file with nothing in it, which is said plainly."""
    if not error.absolute_path and error.instance is None:
        return "the file is empty (or holds only comments)"
    return error.message


def schema_error_line(error: jsonschema.ValidationError, root: yaml.Node | None) -> int:
    """The line a schema error is about: the field's own line, an unknown field's key, a missing
    field's entry."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(str(key) for key in error.instance if key not in allowed)
        if unknown:
            return key_line(root, path, unknown[0])
    return node_line(root, path)
