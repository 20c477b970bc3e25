"""`Duels`: games between the two people of a private conversation (`GameKind.DUEL`), by
invitation and acceptance.

How this works: a private message reaches this part after the private-message pipeline, so
consent and age bands are those of private messages — an adult can never invite a minor, since
the invitation is a message they may not send. `!morpion` typed in a conversation invites the
other (the invitee reads `!morpion` as the private message it is, nothing more); the node that
takes the conversation's lease (`dm:<key>|<key>`) keeps the invitation, and the invitee answers
in the same conversation: `!oui` starts the game (the inviter
plays first), `!non` declines. Then each of the two players' messages in that conversation is a
`Said`, `!stop` by either ends it; what the game says goes to both as notices (runner.py).

Every private message is published on both people's channels; the node hosting either of them
sees it, so a message is looked at once per node (`_seen`), and the holder of the lease acts.
Only messages that are commands, or belong to a conversation with a duel here, are decoded.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

from causerie.core.messages import DirectMessage
from causerie.core.policy.nicknames import nick_key
from causerie.games.interface import Band, GameEvent, GameKind, GameSpec, Said, Stopped
from causerie.node.games.commands import Answer, StartGame, StopGame, parse_command
from causerie.node.games.leases import Leases
from causerie.node.ports import Clock, Spawn
from causerie.wire.events import DM_FRAME_PREFIX, decode_dm_frame

DUEL_PREFIX = "dm:"
SEEN_SIZE = 1024


def duel_place(one: str, other: str) -> str:
    return DUEL_PREFIX + "|".join(sorted((nick_key(one), nick_key(other))))


class DuelTables(Protocol):
    """What this part asks of the runner."""

    def find(self, word: str) -> GameSpec | None: ...

    def runs(self, place: str) -> bool: ...

    def has_duels(self) -> bool: ...

    async def start_run(
        self,
        spec: GameSpec,
        place: str,
        band: Band,
        nick: str,
        options: str,
        players: tuple[str, ...],
        now_ms: int,
    ) -> None: ...

    async def feed(self, place: str, event: GameEvent) -> bool: ...

    async def whisper(self, nick: str, text: str) -> None: ...

    async def serially(self, work: Awaitable[None]) -> None: ...


@dataclass(frozen=True, slots=True)
class Invitation:
    spec: GameSpec
    inviter: str
    invitee: str
    options: str
    band: Band


class Duels:
    def __init__(
        self,
        tables: DuelTables,
        leases: Leases,
        owner: str,
        ttl_ms: int,
        clock: Clock,
        spawn: Spawn,
    ) -> None:
        self._tables = tables
        self._leases = leases
        self._owner = owner
        self._ttl_ms = ttl_ms
        self._clock = clock
        self._spawn = spawn
        self._invitations: dict[str, Invitation] = {}
        self._seen: deque[int] = deque(maxlen=SEEN_SIZE)

    async def renew(self) -> None:
        """Keep the lease of each conversation with an invitation waiting here (the runner's
        sweep), so that no other node takes an invitation there meanwhile; one whose lease
        was lost is forgotten (the other node answers for that conversation now)."""
        for place in list(self._invitations):
            if not await self._leases.renew("game:" + place, self._owner, self._ttl_ms):
                del self._invitations[place]

    def on_dm_frame(self, payload: str) -> None:
        """A private message's frame, on a session's channel (node/fanout.py)."""
        if not payload.startswith(DM_FRAME_PREFIX):
            return
        if '"text":"!' not in payload and not (self._invitations or self._tables.has_duels()):
            return
        dm = decode_dm_frame(payload)
        if dm is None or dm.id in self._seen:
            return
        self._seen.append(dm.id)
        place = duel_place(dm.sender.nick, dm.recipient.nick)
        if parse_command(dm.text) is None and not self._tables.runs(place):
            return
        self._spawn(self._tables.serially(self._on_dm(dm, place)))

    async def _on_dm(self, dm: DirectMessage, place: str) -> None:
        sender, other = dm.sender.nick, dm.recipient.nick
        now_ms = dm.ts_ms
        command = parse_command(dm.text)
        invitation = self._invitations.get(place)
        match command:
            case StartGame(name=name, options=options):
                spec = self._tables.find(name)
                if spec is not None and spec.kind is GameKind.DUEL:
                    band = Band.TEEN if dm.sender.age < 18 else Band.ADULT
                    await self._invite(Invitation(spec, sender, other, options, band), place)
                    return
            case Answer(accepts=accepts) if invitation is not None and nick_key(sender) == nick_key(
                invitation.invitee
            ):
                await self._answer(invitation, place, accepts, now_ms)
                return
            case StopGame():
                if await self._tables.feed(place, Stopped(sender, now_ms)):
                    return
        await self._tables.feed(place, Said(sender, dm.text, now_ms))

    async def _invite(self, invitation: Invitation, place: str) -> None:
        if self._tables.runs(place) or place in self._invitations:
            await self._tables.whisper(invitation.inviter, "Une partie est déjà en cours ici.")
            return
        if not await self._leases.acquire("game:" + place, self._owner, self._ttl_ms):
            return  # the other node of this conversation holds it and answers
        self._invitations[place] = invitation
        # The invitee reads the invitation as the message it is, under their own rules for
        # private messages (a request from a stranger, nothing once declined or blocked): the
        # node tells them nothing more, so a game never reaches someone a message could not.
        await self._tables.whisper(
            invitation.inviter,
            f"Invitation à jouer ({invitation.spec.title}) envoyée : "
            f"{invitation.invitee} répond !oui ou !non.",
        )

    async def _answer(self, invitation: Invitation, place: str, accepts: bool, now_ms: int) -> None:
        del self._invitations[place]
        if not accepts:
            await self._leases.release("game:" + place, self._owner)
            await self._tables.whisper(
                invitation.inviter, f"{invitation.invitee} a décliné l'invitation."
            )
            return
        players = (invitation.inviter, invitation.invitee)
        await self._tables.start_run(
            invitation.spec,
            place,
            invitation.band,
            invitation.inviter,
            invitation.options,
            players,
            now_ms,
        )
