"""The node's signals that a "teen" may be an adult (the rules are
`core/policy/adult_signals.py`; docs/moderation.md §4, "Person flags").

- After a minor's `hello`: the profiles declared from the same address within the window are
  read from the connection records and weighed; a weight at the line raises an
  `adult_address` flag (`child_safety`, severity 2, or 3 when strong), at most one per person
  per window. The hello itself is never held up or refused for it.
- After a private message that opens a conversation with a minor sharing no room with the
  sender: counted per device cookie, nickname and session; at `reaching_minors` distinct minors
  within the window, a `reaching_minors` flag (`child_safety`, severity 4), once per window.
- `signals_about`: the moderator's view of a person — every child-safety flag and report about
  them (this session or this nickname), so that "address shared with an adult, reached 5
  minors, grooming conversation flagged" read as one story.

The memories (who was flagged, whom they reached) live on the node the person is connected to:
a restart forgets them; the flags themselves are in the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from causerie.core.commands import SendDm
from causerie.core.events import Outcome
from causerie.core.hub import Hub
from causerie.core.messages import DirectMessage
from causerie.core.policy.adult_signals import (
    AddressRule,
    FlagGate,
    ReachRule,
    ReachWatch,
    weigh_address,
)
from causerie.core.policy.nicknames import nick_key
from causerie.core.users import AgeBand, age_band
from causerie.node.cluster import Cluster
from causerie.node.connections import Connection
from causerie.node.ports import Clock, Spawn
from causerie.safety.reports import Report
from causerie.store.base import SignalStore

log = logging.getLogger(__name__)
CATEGORY = "child_safety"
ADDRESS_RULE = "adult_address"
REACHING_RULE = "reaching_minors"
REACHING_SEVERITY = 4
SIGNALS_WINDOW_MS = 30 * 86_400_000  # how far back a person's signals are shown


def person_keys(device: str, nick: str, session: str, address: str, user_agent: str) -> list[str]:
    """The keys one person's flags are counted under: their own device cookie, nickname and
    session; without a cookie, the address and browser together stand in for the device."""
    keys = [f"nick:{nick_key(nick)}", f"session:{session}"]
    if device.startswith("new-"):
        keys.append(f"browser:{address}|{user_agent}")
    else:
        keys.append(f"device:{device}")
    return keys


FlagPerson = Callable[[str | None, str, str, str, int, dict[str, Any]], Coroutine[Any, Any, None]]


class AdultSignals:
    """Args:
    store: the connection records' profiles by address.
    flag_person: raises a person flag for the moderators (node/moderation/flags.py).
    cluster: where the rooms of someone on another node are read (None: a node alone).
    """

    def __init__(
        self,
        *,
        hub: Hub,
        store: SignalStore,
        flag_person: FlagPerson,
        spawn: Spawn,
        clock: Clock,
        cluster: Cluster | None,
        address_rule: AddressRule,
        reach_rule: ReachRule,
    ) -> None:
        self._hub = hub
        self._store = store
        self._flag_person = flag_person
        self._spawn = spawn
        self._clock = clock
        self._cluster = cluster
        self.address_rule = address_rule
        self._address_gate = FlagGate(address_rule.window_ms)
        self.reach = ReachWatch(reach_rule)

    # -- an address recently seen with an adult profile --------------------------------------

    def after_hello(self, connection: Connection, session: str) -> None:
        """A session was welcomed: weigh its address in the background if it is a minor's."""
        profile = self._hub.profile_of(session)
        if profile.is_minor:
            self._spawn(self._weigh_address(connection, session, profile.nick))

    async def _weigh_address(self, connection: Connection, session: str, nick: str) -> None:
        rule, peer = self.address_rule, connection.peer
        now_ms = self._clock.now_ms()
        try:
            seen = await self._store.profiles_from_address(
                peer.origin.address, now_ms - rule.window_ms
            )
        except Exception as exc:  # a signal lost, never a hello refused
            log.warning("address of %s not weighed: %s", session, exc)
            return
        weight = weigh_address(
            seen, device=peer.device, user_agent=peer.user_agent, now_ms=now_ms, rule=rule
        )
        if weight is None or weight.weight < rule.min_weight:
            return
        keys = person_keys(peer.device, nick, session, peer.origin.address, peer.user_agent)
        if not self._address_gate.allow(keys, now_ms):
            return
        details = {
            "weight": weight.weight,
            "min_weight": rule.min_weight,
            "factors": list(weight.factors),
            "adult_devices": weight.adult_devices,
            "minor_devices": weight.minor_devices,
            "minutes_since_adult": weight.minutes_since_adult,
            "window_s": rule.window_s,
        }
        await self._flag_person(session, nick, ADDRESS_RULE, CATEGORY, weight.severity, details)

    # -- a person reaching many minors they share no room with -------------------------------

    def opens_conversation(self, session: str, command: SendDm) -> bool:
        """Whether this private message would open a conversation (asked before it is sent)."""
        return self._hub.is_new_conversation(session, command.to)

    def after_dm(self, connection: Connection, outcome: Outcome, *, opened: bool) -> None:
        """A private message the hub accepted (delivered, as a request, or held): counted when
        it opened a conversation with a minor who shares no room with the sender."""
        if not opened or connection.session is None:
            return
        dm = _direct_message(outcome)
        if dm is None or age_band(dm.recipient.age) is not AgeBand.TEEN:
            return
        hub = self._hub
        if hub.session(dm.recipient_session) is not None:  # here: decide at once
            if hub.rooms_of(connection.session) & hub.rooms_of(dm.recipient_session):
                return
            self._note_reach(connection, dm)
        else:
            self._spawn(self._note_reach_elsewhere(connection, dm))

    async def _note_reach_elsewhere(self, connection: Connection, dm: DirectMessage) -> None:
        """The recipient is on another node: their rooms are in the shared presence."""
        session, cluster = connection.session, self._cluster
        if session is None or cluster is None:
            return
        key = nick_key(dm.recipient.nick)
        try:
            for room in self._hub.rooms_of(session):
                members = await cluster.presence.members(room, self._clock.now_ms())
                if any(nick_key(str(m.get("nick", ""))) == key for m in members):
                    return
        except Exception as exc:
            log.warning("rooms of %s not read: %s", dm.recipient.nick, exc)
            return
        self._note_reach(connection, dm)

    def _note_reach(self, connection: Connection, dm: DirectMessage) -> None:
        session = connection.session
        if session is None:
            return
        peer, nick = connection.peer, dm.sender.nick
        keys = person_keys(peer.device, nick, session, peer.origin.address, peer.user_agent)
        due = self.reach.note(keys, nick_key(dm.recipient.nick), dm.recipient.nick, dm.ts_ms)
        if due is None:
            return
        details = {
            "minors": list(due.minors),
            "count": len(due.minors),
            "threshold": self.reach.rule.minors,
            "window_s": self.reach.rule.window_s,
        }
        self._spawn(
            self._flag_person(session, nick, REACHING_RULE, CATEGORY, REACHING_SEVERITY, details)
        )


def _direct_message(outcome: Outcome) -> DirectMessage | None:
    for record in outcome.records:
        if isinstance(record, DirectMessage):
            return record
    for flag in outcome.flags:  # held: not delivered, but the sender did reach out
        if isinstance(flag.message, DirectMessage):
            return flag.message
    return None


async def signals_about(store: SignalStore, report: Report, now_ms: int) -> list[dict[str, Any]]:
    """Every child-safety flag and report about the person a ticket is about, oldest first:
    what a moderator reads together before deciding (docs/moderation.md §4)."""
    if report.kind.value == "appeal" or not report.target_nick:
        return []
    found = await store.child_safety_about(
        report.target_session, report.target_nick, now_ms - SIGNALS_WINDOW_MS
    )
    return [
        {
            "id": r.id,
            "kind": r.kind.value,
            "rule": r.rule,
            "reason": r.evidence.get("reason"),
            "severity": r.severity,
            "state": r.state.value,
            "at": r.created_at_ms,
            "details": r.evidence.get("details"),
            "reporter": r.reporter_nick,
        }
        for r in found
    ]
