"""`RulesReviewer`: the hub's `TextReviewer` backed by the automatic-moderation rules.

It turns the engine's verdict into the one action the hub acts on, masks contact details for
strangers' requests, and tells whether a text carries a link (new identities may not post
links). The rules come from the operator's file when configured, else the shipped defaults; the
node calls `reload_if_changed` every few seconds, so editing the file needs no restart (a file
with a mistake is refused and the previous rules stay, with the mistake in the log).
"""

from __future__ import annotations

import logging
from pathlib import Path

from causerie.config import Settings
from causerie.core.policy.review import PASS, Review, ReviewAction
from causerie.errors import ConfigError
from causerie.safety.automod import Action, Automod, Context, TextView
from causerie.safety.automod.contacts import detect_links
from causerie.safety.automod.rules import RulesError, load_default_rules, load_rules

log = logging.getLogger(__name__)
_ACTIONS = {
    Action.BLOCK: ReviewAction.BLOCK,
    Action.HOLD: ReviewAction.HOLD,
    Action.FLAG: ReviewAction.FLAG,
    Action.WARN: ReviewAction.WARN,
    Action.NOTICE: ReviewAction.NOTICE,
}


class RulesReviewer:
    def __init__(self, engine: Automod, path: Path | None = None) -> None:
        self._engine = engine
        self._path = path
        self._mtime = path.stat().st_mtime if path is not None else 0.0
        # The hub asks `has_link` then `review` of the same text: one view serves both, so
        # the folding and the link search are done once per message.
        self._view = TextView("")

    @classmethod
    def from_settings(cls, settings: Settings) -> RulesReviewer:
        path = settings.automod_rules
        if path is None:
            return cls(Automod(load_default_rules()))
        try:
            return cls(Automod(load_rules(path.read_text(encoding="utf-8"))), path)
        except (OSError, RulesError) as exc:
            raise ConfigError(f"CAUSERIE_AUTOMOD_RULES={path}: {exc}") from None

    def reload_if_changed(self) -> bool:
        """Load the rules file again if it changed; True when new rules are in force."""
        if self._path is None:
            return False
        try:
            mtime = self._path.stat().st_mtime
            if mtime == self._mtime:
                return False
            self._mtime = mtime
            self._engine = Automod(load_rules(self._path.read_text(encoding="utf-8")))
        except (OSError, RulesError) as exc:
            log.error("rules file %s not reloaded, the previous rules stay: %s", self._path, exc)
            return False
        log.info("rules reloaded from %s", self._path)
        return True

    def review(
        self, text: str, *, is_private: bool, sender_is_minor: bool, recipient_is_minor: bool
    ) -> Review:
        context = (
            Context.dm(sender_is_minor=sender_is_minor, recipient_is_minor=recipient_is_minor)
            if is_private
            else Context.room(is_teen_room=recipient_is_minor)
        )
        verdict = self._engine.evaluate(text, context, self._view_of(text), find_contacts=False)
        if not verdict.matches:
            return PASS
        strongest = verdict.action
        if strongest is None:
            return PASS
        match = max(verdict.matched(strongest), key=lambda m: m.severity)
        # Held or blocked content that involves a minor goes to the moderators as child safety,
        # whatever the rule's own category: that is what puts it first and raises the alert.
        category = match.category
        if context.involves_minor and strongest in (Action.HOLD, Action.BLOCK):
            category = "child_safety"
        return Review(
            action=_ACTIONS[strongest],
            rule=match.rule_id,
            category=category,
            severity=verdict.severity,
            message_key=match.message_key or None,
            also_flag=verdict.should_flag and strongest is not Action.FLAG,
            also_notice=verdict.should_show_notice and strongest is not Action.NOTICE,
        )

    def mask(self, text: str) -> str:
        return self._engine.mask(text)

    def has_link(self, text: str) -> bool:
        return bool(detect_links(self._view_of(text)))

    def _view_of(self, text: str) -> TextView:
        if self._view.text != text:
            self._view = TextView(text)
        return self._view
