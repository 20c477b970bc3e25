"""The grooming rules file (TOML): stages, their phrases and weights, and the scoring settings.

`load_grooming_rules(text)` compiles every phrase once and returns `GroomingRules`; a mistake
raises `RulesError` naming the stage and the field, because an operator edits this file by hand
(the shipped `default_grooming.toml` documents the format). This module reads no file but its
own defaults; the server decides where the operator's file lives and when to reload it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from causerie.safety.automod.rules import RulesError
from causerie.safety.grooming.canon import canonical
from causerie.safety.grooming.lexicon import Lexicon, load_default_lexicon, parse_lexicon
from causerie.safety.grooming.phrases import PhraseError, compile_template

FORMAT_VERSION = 1
DEFAULT_RESOURCE = "default_grooming.toml"
_ID = re.compile(r"[a-z][a-z0-9_]{0,31}")
_TOP_FIELDS = frozenset({"version", "scoring", "lists", "stages", "lexicon"})
_LEXICON_FIELDS = frozenset({"enabled", "file", "min_log_odds", "weight", "cap"})
_SCORING_FIELDS = frozenset(
    {"threshold", "half_life_h", "repeat_share", "stage_cap", "stage_bonus", "forget_after_h"}
)
_STAGE_FIELDS = frozenset({"description", "weight", "hold", "phrases", "enabled"})
_LIST_FIELDS = frozenset({"words", "description"})


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of grooming: what it looks like, what it weighs, whether it is held.

    `patterns` are the compiled phrases grouped by weight and by whether they are held,
    strongest first (a phrase may weigh more or less than its stage, and an ambiguous phrase
    of a held stage may be scored without being held)."""

    id: str
    weight: float
    is_held: bool
    patterns: tuple[tuple[float, bool, re.Pattern[str]], ...]

    def weigh(self, padded: str) -> tuple[float, bool]:
        """The weight of the strongest phrase of this stage found in a padded canonical text,
        and whether any phrase found is held ((0, False) when none is found)."""
        weight, is_held = 0.0, False
        for phrase_weight, phrase_held, pattern in self.patterns:
            if (phrase_weight > weight or (phrase_held and not is_held)) and pattern.search(padded):
                weight = max(weight, phrase_weight)
                is_held = is_held or phrase_held
        return weight, is_held


@dataclass(frozen=True, slots=True)
class Scoring:
    threshold: float = 10.0  # a conversation at or above this goes to the moderators
    half_life_h: float = 72.0  # a conversation's score halves over this much quiet
    repeat_share: float = 0.5  # a stage seen again adds this share of its weight…
    stage_cap: float = 2.0  # …up to this many times its weight
    stage_bonus: tuple[float, ...] = (0.0, 0.0, 1.0, 3.0, 5.0)  # by number of distinct stages
    forget_after_h: float = 14 * 24.0  # a conversation quiet this long is forgotten

    def bonus(self, distinct_stages: int) -> float:
        if not self.stage_bonus:
            return 0.0
        return self.stage_bonus[min(distinct_stages, len(self.stage_bonus) - 1)]


@dataclass(frozen=True, slots=True)
class LexiconRule:
    """The learned vocabulary's part in the score (lexicon.py): each line whose log odds pass
    `min_log_odds` adds `weight` to its conversation, up to `cap`; never a hold."""

    lexicon: Lexicon
    min_log_odds: float = 7.0
    weight: float = 1.5
    cap: float = 5.0

    def weigh(self, text: str) -> float:
        return self.weight if self.lexicon.log_odds(text) > self.min_log_odds else 0.0


@dataclass(frozen=True, slots=True)
class GroomingRules:
    stages: tuple[Stage, ...]
    scoring: Scoring
    lexicon: LexiconRule | None = None

    def weigh(self, text: str) -> dict[str, tuple[float, bool]]:
        """Each stage `text` shows, with its weight and whether it is held (stages it does
        not show are absent)."""
        padded = f" {canonical(text)} "
        found: dict[str, tuple[float, bool]] = {}
        for stage in self.stages:
            weight, is_held = stage.weigh(padded)
            if weight > 0:
                found[stage.id] = (weight, is_held)
        return found

    def stage(self, stage_id: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.id == stage_id), None)


def load_grooming_rules(text: str, read_file: Callable[[str], str] | None = None) -> GroomingRules:
    """Parse and compile a grooming rules file. `read_file(path)` reads a lexicon the file
    names (`[lexicon] file`); without it, naming one is a mistake.

    Raises:
        RulesError: naming the stage and field of the first mistake.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"not valid TOML: {exc}") from None
    _only(data, _TOP_FIELDS, None)
    if data.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        raise RulesError(f"version must be {FORMAT_VERSION}", field="version")
    lists = _lists(data.get("lists", {}))
    stages_data = data.get("stages", {})
    if not isinstance(stages_data, dict) or not stages_data:
        raise RulesError("at least one [stages.NAME] table is needed", field="stages")
    stages = tuple(
        stage
        for stage_id, body in stages_data.items()
        if (stage := _stage(stage_id, body, lists)) is not None
    )
    return GroomingRules(
        stages, _scoring(data.get("scoring", {})), _lexicon(data.get("lexicon", {}), read_file)
    )


def load_default_grooming_rules() -> GroomingRules:
    return load_grooming_rules(default_grooming_text())


def default_grooming_text() -> str:
    return (
        resources.files("causerie.safety.grooming")
        .joinpath(DEFAULT_RESOURCE)
        .read_text(encoding="utf-8")
    )


def _only(data: Any, allowed: frozenset[str], stage: str | None, where: str = "") -> None:
    if not isinstance(data, dict):
        raise RulesError("must be a table", rule_id=stage, field=where or None)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise RulesError(f"unknown field {unknown[0]!r}", rule_id=stage, field=where or None)


def _lists(data: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict):
        raise RulesError("[lists] must be tables", field="lists")
    lists: dict[str, tuple[str, ...]] = {}
    for name, body in data.items():
        if not _ID.fullmatch(name):
            raise RulesError(f"list name {name!r}: use a-z, 0-9 and _", field="lists")
        _only(body, _LIST_FIELDS, None, f"lists.{name}")
        words = body.get("words")
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise RulesError("words must be a list of phrases", field=f"lists.{name}.words")
        lists[name] = tuple(words)
    return lists


def _number(value: Any, stage: str | None, field: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise RulesError(f"must be a number from {low:g} to {high:g}", rule_id=stage, field=field)
    return float(value)


def _stage(stage_id: str, body: Any, lists: dict[str, tuple[str, ...]]) -> Stage | None:
    if not _ID.fullmatch(stage_id):
        raise RulesError("stage names use a-z, 0-9 and _", rule_id=stage_id)
    _only(body, _STAGE_FIELDS, stage_id)
    enabled = body.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RulesError("must be true or false", rule_id=stage_id, field="enabled")
    weight = _number(body.get("weight", 1.0), stage_id, "weight", 0.0, 100.0)
    is_held = body.get("hold", False)
    if not isinstance(is_held, bool):
        raise RulesError("must be true or false", rule_id=stage_id, field="hold")
    phrases = body.get("phrases")
    if not isinstance(phrases, list) or not phrases:
        raise RulesError("must be a non-empty list", rule_id=stage_id, field="phrases")
    # Phrases of one weight and hold share one pattern; `all` entries (every part somewhere in
    # the message) are anchored at the start, so each is tried once per message.
    groups: dict[tuple[float, bool, bool], list[str]] = {}
    for entry in phrases:
        templates, phrase_weight, phrase_held = _phrase(entry, stage_id, weight, is_held)
        try:
            sources = [compile_template(template, lists) for template in templates]
        except PhraseError as exc:
            raise RulesError(str(exc), rule_id=stage_id, field="phrases") from None
        if len(sources) == 1:
            groups.setdefault((phrase_weight, phrase_held, False), []).append(sources[0])
        else:
            every = "".join(rf"(?=(?:\S+ )*?{source})" for source in sources)
            groups.setdefault((phrase_weight, phrase_held, True), []).append(every)
    if not enabled:
        return None
    patterns = tuple(
        (w, held, re.compile((r"\A (?:" if is_all else "(?<= )(?:") + "|".join(sources) + ")"))
        for (w, held, is_all), sources in sorted(groups.items(), reverse=True)
    )
    return Stage(stage_id, weight, is_held, patterns)


def _phrase(
    entry: Any, stage_id: str, weight: float, is_held: bool
) -> tuple[list[str], float, bool]:
    """One entry of `phrases`: a template, or a table with its own weight and hold whose
    `phrase` is one template or whose `all` lists templates that must all be found."""
    if isinstance(entry, str):
        return [entry], weight, is_held
    if (
        not isinstance(entry, dict)
        or not set(entry) <= {"phrase", "all", "weight", "hold"}
        or len({"phrase", "all"} & set(entry)) != 1
    ):
        raise RulesError(
            "each entry is a phrase, or { phrase = '…' } or { all = ['…', '…'] } with an "
            "optional weight = N and hold = true|false",
            rule_id=stage_id,
            field="phrases",
        )
    templates = entry.get("all", [entry.get("phrase")])
    if (
        not isinstance(templates, list)
        or not templates
        or not all(isinstance(t, str) for t in templates)
    ):
        raise RulesError("a phrase must be text", rule_id=stage_id, field="phrases")
    held = entry.get("hold", is_held)
    if not isinstance(held, bool):
        raise RulesError("hold must be true or false", rule_id=stage_id, field="phrases")
    return templates, _number(entry.get("weight", weight), stage_id, "phrases", 0.0, 100.0), held


def _lexicon(data: Any, read_file: Callable[[str], str] | None) -> LexiconRule | None:
    _only(data, _LEXICON_FIELDS, None, "lexicon")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RulesError("must be true or false", field="lexicon.enabled")
    path = data.get("file", "")
    if not isinstance(path, str):
        raise RulesError("must be a path", field="lexicon.file")
    try:
        if not path:
            lexicon = load_default_lexicon()
        elif read_file is None:
            raise RulesError("no file can be read here", field="lexicon.file")
        else:
            lexicon = parse_lexicon(read_file(path))
    except (OSError, ValueError) as exc:
        raise RulesError(str(exc), field="lexicon.file") from None
    defaults = LexiconRule(lexicon)
    rule = LexiconRule(
        lexicon,
        min_log_odds=_number(
            data.get("min_log_odds", defaults.min_log_odds), None, "lexicon.min_log_odds", -50, 50
        ),
        weight=_number(data.get("weight", defaults.weight), None, "lexicon.weight", 0, 100),
        cap=_number(data.get("cap", defaults.cap), None, "lexicon.cap", 0, 1000),
    )
    return rule if enabled else None


def _scoring(data: Any) -> Scoring:
    _only(data, _SCORING_FIELDS, None, "scoring")
    defaults = Scoring()
    bonus = data.get("stage_bonus", list(defaults.stage_bonus))
    if not isinstance(bonus, list) or not all(
        isinstance(b, int | float) and not isinstance(b, bool) and 0 <= b <= 100 for b in bonus
    ):
        raise RulesError("a list of numbers from 0 to 100", field="scoring.stage_bonus")
    return Scoring(
        threshold=_number(
            data.get("threshold", defaults.threshold), None, "scoring.threshold", 0.1, 1000
        ),
        half_life_h=_number(
            data.get("half_life_h", defaults.half_life_h),
            None,
            "scoring.half_life_h",
            0.01,
            24 * 365,
        ),
        repeat_share=_number(
            data.get("repeat_share", defaults.repeat_share), None, "scoring.repeat_share", 0, 1
        ),
        stage_cap=_number(
            data.get("stage_cap", defaults.stage_cap), None, "scoring.stage_cap", 1, 100
        ),
        stage_bonus=tuple(float(b) for b in bonus),
        forget_after_h=_number(
            data.get("forget_after_h", defaults.forget_after_h),
            None,
            "scoring.forget_after_h",
            0.01,
            24 * 365,
        ),
    )
