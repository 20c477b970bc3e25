"""The automatic moderation engine: a message and its context in, a verdict out.

Pure: no I/O, no clock, no state between calls. The rules are compiled once by `load_rules`;
`Automod.evaluate` runs each detector at most once per message (rules naming the same detector
share its spans) and keeps the rules whose `applies_to` and `audience` fit the context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from causerie.safety.automod.context import Context
from causerie.safety.automod.detectors import (
    Detector,
    DetectorName,
    build_detector,
    detector_key,
    resolve_params,
)
from causerie.safety.automod.folding import TextView
from causerie.safety.automod.rules import Action, Rule, RuleSet
from causerie.safety.automod.spans import Span, mask_text

# The detectors whose spans a request inbox masks, whatever the rules say.
_CONTACT_DETECTORS = (
    DetectorName.PHONE,
    DetectorName.EMAIL,
    DetectorName.HANDLE,
    DetectorName.LINK,
    DetectorName.ADDRESS,
)


MAX_MASK_PASSES = 4


class Outcome(StrEnum):
    """What the server does with the message: the strongest of the matched actions."""

    DELIVER = "deliver"
    HOLD = "hold"
    BLOCK = "block"


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """One rule that matched, with where in the text."""

    rule_id: str
    category: str
    severity: int
    action: Action
    message_key: str
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The engine's decision on one message; every field derives from `matches`.

    `contact_spans` are the contact details found whatever the rules (phone, e-mail, handle,
    link, address), so that `masked` can serve a request inbox between adults too.
    """

    matches: tuple[RuleMatch, ...] = ()
    contact_spans: tuple[Span, ...] = ()
    is_automatic: bool = True

    @property
    def outcome(self) -> Outcome:
        actions = self.actions
        if Action.BLOCK in actions:
            return Outcome.BLOCK
        if Action.HOLD in actions:
            return Outcome.HOLD
        return Outcome.DELIVER

    @property
    def action(self) -> Action | None:
        """The strongest action matched (block > hold > warn > flag > notice), if any."""
        return max(self.actions, key=lambda action: action.strength, default=None)

    @property
    def actions(self) -> frozenset[Action]:
        return frozenset(match.action for match in self.matches)

    @property
    def is_clean(self) -> bool:
        return not self.matches

    @property
    def should_warn_sender(self) -> bool:
        return Action.WARN in self.actions

    @property
    def should_flag(self) -> bool:
        return Action.FLAG in self.actions

    @property
    def should_show_notice(self) -> bool:
        return Action.NOTICE in self.actions

    @property
    def severity(self) -> int:
        """The highest severity matched, 0 when nothing matched."""
        return max((match.severity for match in self.matches), default=0)

    @property
    def message_keys(self) -> tuple[str, ...]:
        """The i18n keys of the matched rules, strongest action first, without repeats."""
        ordered = sorted(self.matches, key=lambda m: (-m.action.strength, -m.severity))
        return tuple(dict.fromkeys(match.message_key for match in ordered))

    def matched(self, action: Action) -> tuple[RuleMatch, ...]:
        return tuple(match for match in self.matches if match.action is action)

    def masked(self, text: str) -> str:
        """`text` (the evaluated text) with contact details replaced by `•••`."""
        spans = [*self.contact_spans, *(span for match in self.matches for span in match.spans)]
        return mask_text(text, spans)


class Automod:
    """Evaluates messages against one compiled `RuleSet`. Safe to share between threads."""

    def __init__(self, ruleset: RuleSet) -> None:
        self._ruleset = ruleset
        self._rules = ruleset.enabled
        # Which rules look at a message depends only on its context, of which there are a
        # handful: decided once per context, not once per rule per message, and grouped by
        # detector (`_plan`).
        self._plans: dict[Context, _Plan] = {}
        # Built with default params, so they share results with rules that name them plainly.
        defaults = {name: resolve_params(name, {}) for name in _CONTACT_DETECTORS}
        self._contact_detectors: tuple[tuple[str, Detector], ...] = tuple(
            (detector_key(name, params), build_detector(name, params))
            for name, params in defaults.items()
        )

    @property
    def ruleset(self) -> RuleSet:
        return self._ruleset

    def evaluate(
        self,
        text: str,
        context: Context,
        view: TextView | None = None,
        *,
        find_contacts: bool = True,
    ) -> Verdict:
        """Judge `text` sent in `context`. Never raises for any text.

        `view`, a `TextView` of the same text, lets a caller that already looked at the text
        share what was folded and detected. With `find_contacts=False` the verdict has no
        `contact_spans` (its `masked` then masks only what the rules matched): half the cost
        of a message, for a caller that acts on the verdict and never masks with it.
        """
        if view is None or view.text != text:
            view = TextView(text)
        plan = self._plans.get(context)
        if plan is None:
            plan = self._plans[context] = _plan(r for r in self._rules if r.applies(context))
        found: dict[str, tuple[Span, ...]] = {}
        matched: list[tuple[int, RuleMatch]] = []
        for key, detect, rules in plan:
            spans = found[key] = detect(view)
            if spans:
                matched.extend((order, _match(rule, spans)) for order, rule in rules)
        if len(matched) > 1:
            matched.sort(key=lambda item: item[0])  # the rules' own order, as in the file
        matches = tuple(match for _, match in matched)
        if not find_contacts:
            return Verdict(matches) if matches else _CLEAN
        contacts = tuple(
            span
            for key, detect in self._contact_detectors
            for span in (found[key] if key in found else detect(view))
            if span.is_masked
        )
        return Verdict(matches, contacts)

    def mask(self, text: str) -> str:
        """`text` with every contact detail masked, whatever the rules.

        Masking joins what was on either side of a detail ("0 douze … 0000"), which can form a
        new one, so the text is masked again until nothing is left (a few passes at most).
        """
        for _ in range(MAX_MASK_PASSES):
            view = TextView(text)
            spans = [span for _, detect in self._contact_detectors for span in detect(view)]
            if not spans:
                break
            masked = mask_text(text, spans)
            if masked == text:
                break
            text = masked
        return text


_CLEAN = Verdict()

# For one context: each detector its rules use, once, with those rules and their places in
# the file.
_Plan = tuple[tuple[str, Detector, tuple[tuple[int, Rule], ...]], ...]


def _plan(rules: Iterable[Rule]) -> _Plan:
    by_key: dict[str, tuple[Detector, list[tuple[int, Rule]]]] = {}
    for order, rule in enumerate(rules):
        by_key.setdefault(rule.detector_key, (rule.detect, []))[1].append((order, rule))
    return tuple((key, detect, tuple(rules)) for key, (detect, rules) in by_key.items())


def _match(rule: Rule, spans: tuple[Span, ...]) -> RuleMatch:
    return RuleMatch(rule.id, rule.category, rule.severity, rule.action, rule.message_key, spans)
