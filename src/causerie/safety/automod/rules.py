"""The rule model and the loader of the rules file (TOML).

`load_rules(toml_text)` turns the file's text into a `RuleSet`, compiling every pattern and word
list once; it reads no file, so the server decides where the file lives and when to reload it
(a bad file is refused and the previous rules stay in force). Any mistake raises `RulesError`
naming the rule id and the field, because an operator edits this file by hand.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from types import MappingProxyType
from typing import Any, TypeVar

from causerie.errors import ConfigError
from causerie.safety.automod.context import Channel, Context
from causerie.safety.automod.detectors import (
    Detector,
    DetectorName,
    ParamError,
    PatternDetector,
    build_detector,
    detector_key,
    resolve_params,
)
from causerie.safety.automod.spans import SpanKind
from causerie.safety.automod.words import WordList

FORMAT_VERSION = 1
MIN_SEVERITY, MAX_SEVERITY = 1, 5
DEFAULT_RULES_RESOURCE = "default_rules.toml"

_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_CATEGORY = re.compile(r"[a-z][a-z0-9_-]*(?::[a-z0-9_-]+)?")
_MESSAGE_KEY = re.compile(r"[a-z][a-z0-9_.]*")
_DEFAULT_CATEGORIES = {
    DetectorName.PHONE: "contact_details",
    DetectorName.EMAIL: "contact_details",
    DetectorName.HANDLE: "contact_details",
    DetectorName.LINK: "links",
    DetectorName.LINK_SPAM: "spam",
    DetectorName.MEETING: "meeting",
    DetectorName.ADDRESS: "meeting",
    DetectorName.CAPS: "spam",
    DetectorName.REPETITION: "spam",
}
_RULE_FIELDS = frozenset(
    {
        "id", "category", "detector", "applies_to", "audience", "action", "severity", "enabled",
        "message_key", "description", "params", "pattern", "kind", "list",
    }
)  # fmt: skip
_LIST_FIELDS = frozenset({"words", "description"})
_TOP_FIELDS = frozenset({"version", "lists", "rules"})
_E = TypeVar("_E", bound=StrEnum)
_Fail = Callable[[str, str], "RulesError"]


class Action(StrEnum):
    """What happens to a matching message, strongest first."""

    BLOCK = "block"  # refused, never delivered
    HOLD = "hold"  # kept for a moderator, delivered only if released
    WARN = "warn"  # delivered; the sender is warned
    FLAG = "flag"  # delivered; moderators see a flag in their queue
    NOTICE = "notice"  # delivered; both sides see a safety notice

    @property
    def strength(self) -> int:
        return _STRENGTH[self]


_STRENGTH = {action: len(Action) - rank for rank, action in enumerate(Action)}


class AppliesTo(StrEnum):
    ROOMS = "rooms"
    DM = "dm"
    BOTH = "both"


class Audience(StrEnum):
    ANY = "any"
    INVOLVES_MINOR = "involves_minor"  # the sender or the recipient is a minor
    ADULTS_ONLY = "adults_only"  # neither is


class RulesError(ConfigError):
    """A rules file that cannot be used. `rule_id` and `field` locate the mistake when known."""

    def __init__(self, message: str, *, rule_id: str | None = None, field: str | None = None):
        where = " ".join(
            part
            for part in (
                f"rule {rule_id!r}" if rule_id else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(f"rules file: {where}: {message}" if where else f"rules file: {message}")
        self.rule_id = rule_id
        self.field = field


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule, compiled. `detect` is shared by every evaluation; it holds no state."""

    id: str
    category: str
    detector: DetectorName
    action: Action
    severity: int
    detect: Detector = field(repr=False, compare=False)
    detector_key: str = field(repr=False)
    applies_to: AppliesTo = AppliesTo.BOTH
    audience: Audience = Audience.ANY
    enabled: bool = True
    message_key: str = ""
    description: str = ""

    def applies(self, context: Context) -> bool:
        """Whether this rule looks at a message sent in `context`."""
        if self.applies_to is AppliesTo.ROOMS and context.channel is not Channel.ROOM:
            return False
        if self.applies_to is AppliesTo.DM and context.channel is not Channel.DM:
            return False
        if self.audience is Audience.INVOLVES_MINOR:
            return context.involves_minor
        if self.audience is Audience.ADULTS_ONLY:
            return not context.involves_minor
        return True


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules of one file, in file order, and the word lists they use."""

    rules: tuple[Rule, ...] = ()
    lists: Mapping[str, WordList] = field(default_factory=lambda: MappingProxyType({}))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    @property
    def enabled(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.enabled)


def load_rules(toml_text: str) -> RuleSet:
    """Parse and compile a rules file.

    Raises:
        RulesError: bad TOML, an unknown key, or a rule that cannot work (unknown detector,
            bad regex, bad action, missing word list…), naming the rule id and field.
    """
    try:
        document = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"not valid TOML: {exc}") from None
    for key in document:
        if key not in _TOP_FIELDS:
            raise RulesError("unknown top-level key (expected version, lists, rules)", field=key)
    version = document.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise RulesError(
            f"unsupported version {version!r}, expected {FORMAT_VERSION}", field="version"
        )
    lists = _load_lists(document.get("lists", {}))
    raw_rules = document.get("rules", [])
    if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
        raise RulesError("expected an array of tables ([[rules]])", field="rules")
    rules: list[Rule] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_rules, start=1):
        rule = _load_rule(raw, position, lists)
        if rule.id in seen:
            raise RulesError("duplicate rule id", rule_id=rule.id, field="id")
        seen.add(rule.id)
        rules.append(rule)
    return RuleSet(tuple(rules), MappingProxyType(lists))


def default_rules_text() -> str:
    """The text of the rules file shipped with Causerie (package data)."""
    return resources.files(__package__).joinpath(DEFAULT_RULES_RESOURCE).read_text("utf-8")


def load_default_rules() -> RuleSet:
    return load_rules(default_rules_text())


def _load_lists(raw: object) -> dict[str, WordList]:
    if not isinstance(raw, dict):
        raise RulesError("expected a table of word lists ([lists.NAME])", field="lists")
    lists: dict[str, WordList] = {}
    for name, table in raw.items():
        where = f"lists.{name}"
        if not _ID.fullmatch(name):
            raise RulesError("a list name is lower case letters, digits, _ and -", field=where)
        if not isinstance(table, dict):
            raise RulesError("expected a table with `words = [...]`", field=where)
        for key in table:
            if key not in _LIST_FIELDS:
                raise RulesError(
                    "unknown key (expected words, description)", field=f"{where}.{key}"
                )
        words = table.get("words")
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise RulesError("expected a list of strings", field=f"{where}.words")
        try:
            lists[name] = WordList.compile(name, words)
        except ValueError as exc:
            raise RulesError(str(exc), field=f"{where}.words") from None
    return lists


def _load_rule(raw: dict[str, Any], position: int, lists: Mapping[str, WordList]) -> Rule:
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
        raise RulesError(
            f"rule #{position} needs an id: lower case letters, digits, _ and - (got {rule_id!r})",
            field="id",
        )

    def fail(field_name: str, message: str) -> RulesError:
        return RulesError(message, rule_id=rule_id, field=field_name)

    for key in raw:
        if key not in _RULE_FIELDS:
            raise fail(key, "unknown field")
    detector = _choice(raw, "detector", DetectorName, None, fail)
    action = _choice(raw, "action", Action, None, fail)
    applies_to = _choice(raw, "applies_to", AppliesTo, AppliesTo.BOTH, fail)
    audience = _choice(raw, "audience", Audience, Audience.ANY, fail)
    severity = raw.get("severity", MIN_SEVERITY)
    if not isinstance(severity, int) or isinstance(severity, bool):
        raise fail("severity", f"expected an integer from {MIN_SEVERITY} to {MAX_SEVERITY}")
    if not MIN_SEVERITY <= severity <= MAX_SEVERITY:
        raise fail("severity", f"expected {MIN_SEVERITY} to {MAX_SEVERITY}, got {severity}")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "expected true or false")
    description = _string(raw, "description", "", fail)

    for key, owner in (("pattern", "pattern"), ("kind", "pattern"), ("list", "words")):
        if key in raw and detector.value != owner:
            raise fail(key, f"only a rule with detector = {owner!r} takes {key!r}")
    if "params" in raw and detector in (DetectorName.PATTERN, DetectorName.WORDS):
        raise fail("params", f"detector {detector.value!r} takes no params")

    detect: Detector
    if detector is DetectorName.PATTERN:
        detect, key, default_category = _pattern_detector(raw, fail), f"pattern:{rule_id}", None
    elif detector is DetectorName.WORDS:
        list_name = _string(raw, "list", None, fail)
        if list_name not in lists:
            known = ", ".join(sorted(lists)) or "none defined"
            raise fail("list", f"no word list {list_name!r} (lists: {known})")
        detect, key = lists[list_name], f"words:{list_name}"
        default_category = f"words:{list_name}"
    else:
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise fail("params", "expected a table, e.g. params = { min_letters = 12 }")
        try:
            resolved = resolve_params(detector, params)
        except ParamError as exc:
            raise fail(f"params.{exc.name}", str(exc)) from None
        detect, key = build_detector(detector, resolved), detector_key(detector, resolved)
        default_category = _DEFAULT_CATEGORIES[detector]

    category = _string(raw, "category", default_category, fail)
    if not _CATEGORY.fullmatch(category):
        raise fail("category", "expected lower case words, optionally `kind:name`")
    message_key = _string(raw, "message_key", "automod_" + re.sub("[:-]", "_", category), fail)
    if not _MESSAGE_KEY.fullmatch(message_key):
        raise fail("message_key", "expected an i18n key: lower case letters, digits, _ and .")
    return Rule(
        id=rule_id,
        category=category,
        detector=detector,
        action=action,
        severity=severity,
        detect=detect,
        detector_key=key,
        applies_to=applies_to,
        audience=audience,
        enabled=enabled,
        message_key=message_key,
        description=description,
    )


def _pattern_detector(raw: dict[str, Any], fail: _Fail) -> PatternDetector:
    source = raw.get("pattern")
    if not isinstance(source, str) or not source:
        raise fail("pattern", "a rule with detector = 'pattern' needs a regex in `pattern`")
    try:
        pattern = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise fail("pattern", f"bad regex: {exc}") from None
    if pattern.fullmatch(""):
        raise fail("pattern", "the regex matches the empty string, so it would match everything")
    kind = _choice(raw, "kind", SpanKind, SpanKind.PATTERN, fail)
    return PatternDetector(pattern, kind)


def _string(raw: dict[str, Any], key: str, default: str | None, fail: _Fail) -> str:
    value = raw.get(key, default)
    if value is None:
        raise fail(key, "required")
    if not isinstance(value, str):
        raise fail(key, f"expected a string, got {value!r}")
    return value


def _choice(raw: dict[str, Any], key: str, enum: type[_E], default: _E | None, fail: _Fail) -> _E:
    value = raw.get(key)
    if value is None:
        if default is None:
            raise fail(key, f"required: one of {', '.join(enum)}")
        return default
    try:
        return enum(value)
    except ValueError:
        raise fail(key, f"{value!r} is not one of {', '.join(enum)}") from None
