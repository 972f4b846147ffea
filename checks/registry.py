"""Load and validate the fact registry (checks/facts.yml) against its schema."""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import marshal
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import fastjsonschema
import yaml

from checks.findings import ConfigurationError, display_path
from checks.yaml_files import configuration_error, node_line, parse_yaml, read_text_file, schema_error_line

REGISTRY = Path(__file__).with_name("facts.yml")
SCHEMA = Path(__file__).with_name("facts.schema.json")


@dataclass(frozen=True)
class Source:
    url: str
    anchor: str
    evidence: str
    # The support-matrix cell a yes/no or either/or fact is read from: {row: ..., column: ...}.
    table: dict[str, str] | None = None


@dataclass(frozen=True)
class Fact:
    id: str
    type: str
    value: Decimal | str
    unit: str
    source: Source
    verified: str
    why: str
    line: int
    approximate: bool = False
    mentions: dict[str, list[str]] = field(default_factory=dict)
    derive: dict[str, str | list[str] | dict[str, str]] = field(default_factory=dict)
    never_multiply_with: str | None = None
    shown_as: str | None = None
    unit_i18n: dict[str, str] = field(default_factory=dict)
    # Flags and settings in code blocks that this fact limits: (name, "maximum" | "minimum" | "equal").
    settings: tuple[tuple[str, str], ...] = ()
    # The line of each of the entry's fields (value, verified ...), for findings about one of them.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)

    def unit_in(self, locale: str) -> str:
        return self.unit_i18n.get(locale, self.unit)

    def display(self) -> str:
        if self.shown_as:
            return self.shown_as
        if isinstance(self.value, Decimal):
            text = f"{self.value:,}"
            return ("/" + text) if self.type == "prefix" else text
        return self.value


@dataclass(frozen=True)
class Range:
    id: str
    network: ipaddress.IPv4Network
    why: str
    line: int
    within: str | None = None
    azure_subnet: bool = False
    fact: str | None = None
    must_not_overlap: tuple[str, ...] = ()
    prefix_fact: str | None = None
    holds_fact: str | None = None


@dataclass(frozen=True)
class Address:
    ip: ipaddress.IPv4Address
    range_id: str
    why: str
    line: int
    role: str | None = None
    fact: str | None = None


@dataclass
class Registry:
    path: Path
    facts: dict[str, Fact]
    ranges: dict[str, Range]
    addresses: dict[str, Address]
    shorthand: dict[str, str]
    reserved_first: int
    reserved_last: int
    counters: list[dict[str, str]]
    models: dict[str, dict]
    attributes: list[dict]

    def display_path(self) -> str:
        return display_path(self.path)

    def attribute_facts(self) -> dict[tuple[str, str], str]:
        """(attribute, model) -> the fact every table cell stating that property must agree with."""
        return {(a["id"], model): fact for a in self.attributes for model, fact in a.get("facts", {}).items()}


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ENTRY = re.compile(r"\s*-?\s*\{?\s*(?:id|ip|cidr):\s*([^,}\s]+)")


def _entry_lines(text: str) -> dict[str, int]:
    """The line of each entry, by its id (or ip / cidr), for messages that point into the file."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), 1):
        match = _ENTRY.match(line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _typed_value(fact_type: str, raw: object, where: str) -> Decimal | str:
    text = str(raw)
    if isinstance(raw, (dict, list)) or raw is None:
        raise ConfigurationError(f"{where}: value must be a single {fact_type}, not {type(raw).__name__} {text!r}")
    if fact_type in ("integer", "decimal", "prefix"):
        number = _number(raw, fact_type, where)
        # 5000.0 is a float to YAML: a whole number written so is a slip the pages would not show.
        if fact_type != "decimal" and (isinstance(raw, float) or number != number.to_integral_value()):
            raise ConfigurationError(f"{where}: value {text!r} is not a whole number (type: {fact_type})")
        if fact_type == "prefix" and not 0 <= number <= 32:
            raise ConfigurationError(f"{where}: value {text!r} is not an IPv4 prefix length (0 to 32)")
        return number
    try:
        if fact_type == "cidr":
            return str(ipaddress.ip_network(text, strict=True))
        if fact_type == "ip":
            return str(ipaddress.ip_address(text))
    except ValueError as error:
        raise ConfigurationError(f"{where}: value {text!r} is not a valid {fact_type}: {error}") from None
    if fact_type == "date" and not _is_day(text):
        raise ConfigurationError(f"{where}: value {text!r} is not a date (type: date; expected a real day, YYYY-MM-DD)")
    if fact_type == "boolean":
        if not isinstance(raw, bool):
            raise ConfigurationError(f"{where}: value {text!r} is not a boolean (write true or false)")
        return "yes" if raw else "no"
    return text


def _is_day(text: str) -> bool:
    try:
        return bool(_DAY.fullmatch(text)) and date.fromisoformat(text) is not None
    except ValueError:
        return False


def _number(raw: object, fact_type: str, where: str) -> Decimal:
    # Only what YAML reads as a number: "1e309" is a string to YAML (no dot), 1E+309 to Decimal.
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ConfigurationError(f"{where}: value {raw!r} is not a number (type: {fact_type}; write digits, as 5000)")
    number = Decimal(str(raw))
    if not number.is_finite():
        raise ConfigurationError(f"{where}: value {raw!r} is not a finite number")
    return number


def load_registry(path: Path = REGISTRY) -> Registry:
    text = read_text_file(path, "fact registry")
    try:
        data, root = parse_yaml(text)
    except yaml.YAMLError as error:
        raise configuration_error(display_path(path), text, error) from None
    if not data:
        raise ConfigurationError(f"{display_path(path)}:1: the fact registry is empty; see checks/facts.yml")
    schema_text = SCHEMA.read_text(encoding="utf-8")
    schema = json.loads(schema_text)
    try:
        _validator(schema_text)(data)
    except fastjsonschema.JsonSchemaException:
        # The fast validator stops at the first error; jsonschema lists them all for the contributor.
        import jsonschema

        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        raise ConfigurationError("\n".join(_schema_message(path, root, data, e) for e in errors)) from None
    return _build(path, text, data, root)


def compiled_schema_path(schema_text: str) -> Path:
    digest = hashlib.sha256(f"{sys.version}{schema_text}".encode()).hexdigest()[:16]
    return Path(sys.prefix) / "cache" / "aks-network-models" / f"facts_schema_{digest}.marshal"


@cache
def _validator(schema_text: str):
    """The schema compiled to Python once per install: compiling it costs more than the checks' parsing.

    The compiled code is kept beside the virtual environment's packages, named by the schema's hash
    and the Python version, so a changed schema compiles afresh; where that directory cannot be
    written the schema is compiled in memory.
    """
    cached = compiled_schema_path(schema_text)
    try:
        code = marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        code = compile(fastjsonschema.compile_to_code(json.loads(schema_text)), str(SCHEMA), "exec")
        with contextlib.suppress(OSError):
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(marshal.dumps(code))
    namespace: dict[str, object] = {}
    exec(code, namespace)
    return namespace["validate"]


def _schema_message(path: Path, root: yaml.Node | None, data: object, error) -> str:
    location = list(error.absolute_path)
    entry, line = "", schema_error_line(error, root)
    if len(location) >= 2 and isinstance(location[1], int) and isinstance(data, dict):
        item = data[location[0]][location[1]]
        entry_id = item.get("id") or item.get("ip") if isinstance(item, dict) else None
        if entry_id:
            entry = f" entry {entry_id!r}"
    field_path = ".".join(str(p) for p in location[2:] if entry) or ".".join(str(p) for p in location)
    missing = re.fullmatch(r"'(.+)' is a required property", error.message)
    if missing:
        field_path, detail = ".".join(filter(None, [field_path if location[2:] else "", missing[1]])), "is missing"
    else:
        detail = error.message
    where = f"{display_path(path)}:{line or 1}"
    return f"{where}:{entry} field {field_path or '(top level)'}: {detail}"


def _build(path: Path, text: str, data: dict, root: yaml.Node | None) -> Registry:
    lines = _entry_lines(text)
    lines["azure_reserved"] = next(
        (number for number, line in enumerate(text.split("\n"), 1) if line.lstrip().startswith("azure_reserved:")), 0
    )
    facts: dict[str, Fact] = {}
    for index, raw in enumerate(data["facts"]):
        where = f"{display_path(path)}:{lines.get(raw['id'], 0)}: fact {raw['id']!r}"
        if raw["id"] in facts:
            raise ConfigurationError(f"{where}: the id is used twice")
        field_lines = {key: node_line(root, ["facts", index, key]) for key in raw}
        value_where = f"{display_path(path)}:{field_lines['value']}: fact {raw['id']!r}"
        facts[raw["id"]] = Fact(
            id=raw["id"],
            type=raw["type"],
            value=_typed_value(raw["type"], raw["value"], value_where),
            unit=raw["unit"],
            source=Source(**raw["source"]),
            verified=str(raw["verified"]),
            why=raw["why"],
            line=lines.get(raw["id"], 0),
            approximate=raw.get("approximate", False),
            mentions=raw.get("mentions", {}),
            derive=raw.get("derive", {}),
            never_multiply_with=raw.get("never_multiply_with"),
            shown_as=raw.get("shown_as"),
            unit_i18n=raw.get("unit_i18n", {}),
            settings=tuple((item["name"], item["limit"]) for item in raw.get("settings", [])),
            field_lines=field_lines,
        )
        if facts[raw["id"]].settings and raw["type"] not in ("integer", "decimal", "version"):
            raise ConfigurationError(f"{where}: settings limit numbers or versions, not a {raw['type']} fact")
    network = data["network"]
    ranges: dict[str, Range] = {}
    for raw in network["ranges"]:
        where = f"{display_path(path)}:{lines.get(raw['id'], 0)}: range {raw['id']!r}"
        try:
            cidr = ipaddress.IPv4Network(raw["cidr"], strict=True)
        except ValueError as error:
            raise ConfigurationError(f"{where}: cidr {raw['cidr']!r} is not a network address: {error}") from None
        ranges[raw["id"]] = Range(
            id=raw["id"],
            network=cidr,
            why=raw["why"],
            line=lines.get(raw["id"], 0),
            within=raw.get("within"),
            azure_subnet=raw.get("azure_subnet", False),
            fact=raw.get("fact"),
            must_not_overlap=tuple(raw.get("must_not_overlap", ())),
            prefix_fact=raw.get("prefix_fact"),
            holds_fact=raw.get("holds_fact"),
        )
    addresses: dict[str, Address] = {}
    for raw in network["addresses"]:
        line = lines.get(str(raw["ip"]), 0)
        try:
            ip = ipaddress.IPv4Address(raw["ip"])
        except ValueError as error:
            raise ConfigurationError(f"{display_path(path)}:{line}: address {raw['ip']!r}: {error}") from None
        addresses[str(ip)] = Address(ip, raw["in"], raw["why"], line, raw.get("role"), raw.get("fact"))
    registry = Registry(
        path=path,
        facts=facts,
        ranges=ranges,
        addresses=addresses,
        shorthand={_shorthand_cidr(path, lines, s["cidr"]): s["means"] for s in network.get("shorthand", [])},
        reserved_first=network["azure_reserved"]["first"],
        reserved_last=network["azure_reserved"]["last"],
        counters=data["counters"],
        models=data["models"],
        attributes=data["attributes"],
    )
    _check_references(registry, lines)
    return registry


def _shorthand_cidr(path: Path, lines: dict[str, int], cidr: str) -> str:
    try:
        return str(ipaddress.IPv4Network(cidr))
    except ValueError as error:
        where = f"{display_path(path)}:{lines.get(cidr, 0)}"
        raise ConfigurationError(f"{where}: shorthand cidr {cidr!r} is not a network address: {error}") from None


def prefix_length(fact: Fact) -> int:
    """The prefix length a prefix fact (/24) or a CIDR fact (10.244.0.0/16) stands for."""
    if fact.type == "cidr":
        return ipaddress.ip_network(str(fact.value)).prefixlen
    return int(fact.value)


def _derived_from(fact: Fact) -> list[str]:
    """The facts a derived value is computed from: one id, a list (product) or named ids (subnets)."""
    names: list[str] = []
    for value in fact.derive.values():
        if isinstance(value, str):
            names.append(value)
        else:
            names.extend(value.values() if isinstance(value, dict) else value)
    return names


def _check_references(registry: Registry, lines: dict[str, int]) -> None:
    """Every id a registry entry names must exist; a typo is a configuration error, not a silent pass."""
    problems = []
    where = registry.display_path()
    numeric = ("integer", "decimal")
    for fact in registry.facts.values():
        for name in [fact.never_multiply_with, *_derived_from(fact)]:
            if name and name not in registry.facts:
                problems.append(f"{where}:{fact.line}: fact {fact.id!r} names unknown fact {name!r}")
        # Derived and never-multiplied values are computed with: a fact of another type cannot take part.
        wanted = [(name, numeric) for name in [fact.never_multiply_with, *fact.derive.get("product", [])] if name]
        wanted += [(fact.derive["addresses_in_prefix"], ("prefix",))] if "addresses_in_prefix" in fact.derive else []
        subnets = fact.derive.get("subnets_in_prefix")
        if isinstance(subnets, dict):
            wanted += [(subnets["range"], ("cidr", "prefix")), (subnets["subnet"], ("prefix",))]
        if wanted or fact.derive:
            wanted.append((fact.id, numeric))
        for name, types in wanted:
            other = registry.facts.get(name)
            if other and other.type not in types:
                problems.append(
                    f"{where}:{fact.line}: fact {fact.id!r}: {name!r} is of type {other.type}, "
                    f"but only {' or '.join(types)} facts can be computed with here"
                )
        if isinstance(subnets, dict):
            outer, inner = (registry.facts.get(subnets[key]) for key in ("range", "subnet"))
            comparable = outer and inner and outer.type in ("cidr", "prefix") and inner.type == "prefix"
            if comparable and prefix_length(inner) < prefix_length(outer):
                problems.append(
                    f"{where}:{fact.line}: fact {fact.id!r}: a /{prefix_length(inner)} ({inner.id}) is larger "
                    f"than the /{prefix_length(outer)} ({outer.id}) it is to be carved from"
                )
    for item in registry.ranges.values():
        if item.azure_subnet and registry.reserved_first + registry.reserved_last >= item.network.num_addresses:
            problems.append(
                f"{where}:{lines.get('azure_reserved', 0)}: azure_reserved ({registry.reserved_first} first, "
                f"{registry.reserved_last} last) leaves no address in range {item.id!r} {item.network}"
            )
        for name in [item.within, *item.must_not_overlap]:
            if name and name not in registry.ranges:
                problems.append(f"{where}:{item.line}: range {item.id!r} names unknown range {name!r}")
        for name in [item.fact, item.prefix_fact, item.holds_fact]:
            if name and name not in registry.facts:
                problems.append(f"{where}:{item.line}: range {item.id!r} names unknown fact {name!r}")
    for address in registry.addresses.values():
        if address.range_id not in registry.ranges:
            problems.append(f"{where}:{address.line}: address {address.ip} names unknown range {address.range_id!r}")
        if address.fact and address.fact not in registry.facts:
            problems.append(f"{where}:{address.line}: address {address.ip} names unknown fact {address.fact!r}")
    for cidr, name in registry.shorthand.items():
        if name not in registry.ranges:
            problems.append(f"{where}:{lines.get(cidr, 0)}: shorthand {cidr} names unknown range {name!r}")
    for attribute in registry.attributes:
        for model, name in attribute.get("facts", {}).items():
            line = lines.get(attribute["id"], 0)
            if name not in registry.facts:
                problems.append(f"{where}:{line}: attribute {attribute['id']!r} names unknown fact {name!r}")
            elif registry.facts[name].value not in attribute["values"]:
                problems.append(
                    f"{where}:{line}: attribute {attribute['id']!r}: fact {name!r} has value "
                    f"{registry.facts[name].value!r}, which is not one of its values {sorted(attribute['values'])}"
                )
            if model not in registry.models:
                problems.append(f"{where}:{line}: attribute {attribute['id']!r} names unknown model {model!r}")
    if problems:
        raise ConfigurationError("\n".join(problems))
