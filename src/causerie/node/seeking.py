"""The node's watch on adults who keep naming minors in private messages (the rule is
`core/policy/seeking.py`; docs/moderation.md, "Person flags").

The adult was answered `not_found`, exactly as for a free nickname; here, after the answer is
sent, the attempt is noted under the sender's device cookie and nickname, and a due flag becomes
a `seeking_minors` ticket (`child_safety`, severity 4, an alert to every moderator) naming the
minors sought. Counted on the node the adult is connected to.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from causerie.core.policy.nicknames import nick_key
from causerie.core.policy.seeking import SeekingRule, SeekingWatch
from causerie.core.policy.visibility import Unreachable
from causerie.node.connections import Connection

RULE = "seeking_minors"
CATEGORY = "child_safety"
SEVERITY = 4

FlagPerson = Callable[[str | None, str, str, str, int, dict[str, Any]], Coroutine[Any, Any, None]]


class SeekingFlags:
    def __init__(
        self,
        rule: SeekingRule,
        nick_of: Callable[[str], str],
        flag_person: FlagPerson,
        spawn: Callable[[Coroutine[Any, Any, None]], None],
    ) -> None:
        self.watch = SeekingWatch(rule)
        self._nick_of = nick_of
        self._flag_person = flag_person
        self._spawn = spawn

    def note(self, error: Unreachable, connection: Connection, now_ms: int) -> None:
        """A private message from `connection` refused as to nobody; raises a flag when the
        watch says one is due."""
        session = connection.session
        if not error.seeks_minor or session is None:
            return
        nick = self._nick_of(session)
        keys = (f"device:{connection.peer.device}", f"nick:{nick_key(nick)}", f"session:{session}")
        due = self.watch.note(keys, error.target, now_ms)
        if due is None:
            return
        details: dict[str, Any] = {
            "attempts": due.attempts,
            "window_s": self.watch.rule.window_s,
            "minors": list(due.targets),
        }
        self._spawn(self._flag_person(session, nick, RULE, CATEGORY, SEVERITY, details))
