"""`GroomingWatch`: the hub's `ConversationWatch` backed by the grooming rules.

The rules come from the operator's file when configured (`CAUSERIE_GROOMING_RULES`), else the
shipped defaults; the node calls `reload_if_changed` every few seconds, so editing the file
needs no restart (a file with a mistake is refused and the previous rules stay, with the mistake
in the log). Conversations already followed keep their scores across a reload.
"""

from __future__ import annotations

import logging
from pathlib import Path

from causerie.core.policy.watch import QUIET, WatchVerdict
from causerie.errors import ConfigError
from causerie.safety.automod.rules import RulesError
from causerie.safety.grooming.rules import (
    GroomingRules,
    load_default_grooming_rules,
    load_grooming_rules,
)
from causerie.safety.grooming.scoring import ConversationTracker

log = logging.getLogger(__name__)


class GroomingWatch:
    def __init__(self, rules: GroomingRules, path: Path | None = None) -> None:
        self.tracker = ConversationTracker(rules)
        self._path = path
        self._mtime = path.stat().st_mtime if path is not None else 0.0

    @classmethod
    def from_path(cls, path: Path | None) -> GroomingWatch:
        """The shipped rules, or the operator's file (a bad file stops the server at start)."""
        if path is None:
            return cls(load_default_grooming_rules())
        try:
            return cls(load_grooming_rules(path.read_text(encoding="utf-8")), path)
        except (OSError, RulesError) as exc:
            raise ConfigError(f"CAUSERIE_GROOMING_RULES={path}: {exc}") from None

    def reload_if_changed(self) -> bool:
        """Load the rules file again if it changed; True when new rules are in force."""
        if self._path is None:
            return False
        try:
            mtime = self._path.stat().st_mtime
            if mtime == self._mtime:
                return False
            self._mtime = mtime
            self.tracker.rules = load_grooming_rules(self._path.read_text(encoding="utf-8"))
        except (OSError, RulesError) as exc:
            log.error("grooming rules %s not reloaded, the previous stay: %s", self._path, exc)
            return False
        log.info("grooming rules reloaded from %s", self._path)
        return True

    def observe(self, sender: str, recipient: str, text: str, now_ms: int) -> WatchVerdict:
        observation = self.tracker.observe(sender, recipient, text, now_ms)
        if not observation.stages:
            return QUIET
        context: tuple[tuple[int, str], ...] = ()
        if observation.has_crossed:
            conversation = self.tracker.conversation(sender, recipient)
            context = tuple(conversation.lines) if conversation is not None else ()
        return WatchVerdict(
            observation.stages,
            observation.held_stage,
            observation.score,
            observation.has_crossed,
            context,
        )

    def release(self, sender: str) -> None:
        self.tracker.release(sender)

    def forget_quiet(self, now_ms: int) -> int:
        return self.tracker.forget_quiet(now_ms)
