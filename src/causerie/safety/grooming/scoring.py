"""Conversations scored over time: the grooming detector's memory.

How this works: each message one person addresses to a minor is weighed by stage
(`GroomingRules.weigh`). The conversation from that person to that minor keeps one value per
stage, which fades by half every `half_life_h` of quiet. A stage seen for the first time adds
its full weight; seen again, a share of it (`repeat_share`), up to `stage_cap` times its weight,
so one theme repeated cannot carry a conversation alone. The conversation's score is the sum of
its stages plus a bonus for how many distinct stages it shows, because grooming is a
progression through stages (trust, isolation, secrecy, gifts, another app, pictures, sexual
talk, meeting) far more than any single line. When the score first reaches `threshold`, the
observation says so (`has_crossed`) once; the conversation stays escalated until a moderator
decides (`release`).

A conversation is directed (sender -> recipient): in the teen space both sides are declared
minors, and each direction is judged on what its writer says. Pure: the caller passes the time;
memory is bounded (the least recently active conversations are forgotten first).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from causerie.safety.grooming.rules import GroomingRules

MAX_CONVERSATIONS = 100_000
_FRESH_SHARE = 0.25  # a stage faded below this share of its weight counts as not seen


@dataclass(frozen=True, slots=True)
class Observation:
    stages: tuple[str, ...] = ()  # the stages this message shows
    held_stage: str | None = None  # the first of them whose messages to a minor are held
    score: float = 0.0  # the conversation's score after this message
    has_crossed: bool = False  # this message took the conversation over the threshold
    risky_messages: int = 0  # messages of this conversation that showed a stage


@dataclass(slots=True)
class Conversation:
    values: dict[str, float] = field(default_factory=dict)  # stage -> value at `updated_ms`
    lexical: float = 0.0  # what the learned vocabulary added, at `updated_ms`
    updated_ms: int = 0
    risky_messages: int = 0
    is_escalated: bool = False
    lines: list[tuple[int, str]] = field(default_factory=list)  # the risky lines, for context

    def fading(self, rules: GroomingRules, now_ms: int) -> float:
        elapsed_h = max(0, now_ms - self.updated_ms) / 3_600_000
        return float(0.5 ** (elapsed_h / rules.scoring.half_life_h))

    def faded(self, rules: GroomingRules, now_ms: int) -> dict[str, float]:
        factor = self.fading(rules, now_ms)
        return {stage: value * factor for stage, value in self.values.items()}

    def score(self, rules: GroomingRules, now_ms: int) -> float:
        lexical = self.lexical * self.fading(rules, now_ms)
        return _total(rules, self.faded(rules, now_ms)) + lexical


def _total(rules: GroomingRules, values: dict[str, float]) -> float:
    distinct = 0
    for stage_id, value in values.items():
        stage = rules.stage(stage_id)
        if stage is not None and value >= _FRESH_SHARE * stage.weight:
            distinct += 1
    return sum(values.values()) + rules.scoring.bonus(distinct)


class ConversationTracker:
    """Every watched conversation on this node, by (sender, recipient) keys."""

    def __init__(self, rules: GroomingRules, max_conversations: int = MAX_CONVERSATIONS) -> None:
        self.rules = rules
        self._max = max_conversations
        self._conversations: OrderedDict[tuple[str, str], Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._conversations)

    def observe(self, sender: str, recipient: str, text: str, now_ms: int) -> Observation:
        """Weigh one message from `sender` to the minor `recipient` and update their
        conversation."""
        found = self.rules.weigh(text)
        lexical = self.rules.lexicon.weigh(text) if self.rules.lexicon is not None else 0.0
        key = (sender, recipient)
        conversation = self._conversations.get(key)
        if not found and not lexical:
            if conversation is None:
                return Observation()
            return Observation(
                score=conversation.score(self.rules, now_ms),
                risky_messages=conversation.risky_messages,
            )
        if conversation is None:
            conversation = self._conversations[key] = Conversation(updated_ms=now_ms)
            self._evict()
        else:
            self._conversations.move_to_end(key)
        values = conversation.faded(self.rules, now_ms)
        scoring = self.rules.scoring
        if lexical and self.rules.lexicon is not None:
            faded_lexical = conversation.lexical * conversation.fading(self.rules, now_ms)
            conversation.lexical = min(faded_lexical + lexical, self.rules.lexicon.cap)
        else:
            conversation.lexical *= conversation.fading(self.rules, now_ms)
        held: str | None = None
        for stage_id, (weight, is_held) in found.items():
            stage = self.rules.stage(stage_id)
            if stage is None:
                continue
            if held is None and is_held:
                held = stage_id
            before = values.get(stage_id, 0.0)
            # The stronger of the two counts in full and the weaker by a share: a stage seen
            # again adds less, whichever came first, and never more than `stage_cap` times.
            grown = max(before, weight) + scoring.repeat_share * min(before, weight)
            values[stage_id] = min(grown, scoring.stage_cap * max(weight, stage.weight))
        conversation.values = values
        conversation.updated_ms = now_ms
        conversation.risky_messages += 1
        conversation.lines.append((now_ms, text))
        del conversation.lines[:-50]
        score = _total(self.rules, values) + conversation.lexical
        has_crossed = not conversation.is_escalated and score >= self.rules.scoring.threshold
        if has_crossed:
            conversation.is_escalated = True
        return Observation(tuple(found), held, score, has_crossed, conversation.risky_messages)

    def conversation(self, sender: str, recipient: str) -> Conversation | None:
        return self._conversations.get((sender, recipient))

    def release(self, sender: str) -> None:
        """A moderator decided about `sender`: their conversations may be escalated again."""
        for (who, _recipient), conversation in self._conversations.items():
            if who == sender:
                conversation.is_escalated = False

    def forget_quiet(self, now_ms: int) -> int:
        """Drop conversations quiet for `forget_after_h`; returns how many went."""
        limit_ms = self.rules.scoring.forget_after_h * 3_600_000
        quiet = [
            key
            for key, conversation in self._conversations.items()
            if now_ms - conversation.updated_ms >= limit_ms and not conversation.is_escalated
        ]
        for key in quiet:
            del self._conversations[key]
        return len(quiet)

    def _evict(self) -> None:
        while len(self._conversations) > self._max:
            self._conversations.popitem(last=False)
