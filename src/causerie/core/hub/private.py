"""Private conversations: messages to one person, who may write to whom, blocks and requests.

`PrivateConversations` sends a private message to someone connected here or, found by the
node, on another node (a `Peer`), and keeps each person's side of their conversations: their
setting (who may write to them), whom they accepted or declined, whom they block, and whether
their new conversations with minors are paused after a grooming alert. The rules it keeps
(DESIGN.md rules 3 and 4): someone of the other age band is nobody (`not_found`, as for a free
nickname); a block, either way, refuses; the recipient's setting decides unless they know the
sender; a new session waits `dm_wait_s` before opening conversations; a paused sender opens no
new conversation with a minor; minors get no pictures from strangers; a message from a stranger
arrives as a request, masked, until accepted; and a block hides each side's room messages from
the other (`readers_of`). Pure: callers pass `now_ms`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from causerie.core.carried import Carried
from causerie.core.commands import AcceptDm, Block, ChangeSettings, DeclineDm, SendDm, Unblock
from causerie.core.conversations import Arrival, DmPolicy, check_policy
from causerie.core.events import (
    BlocksListed,
    DmAccepted,
    DmDeclined,
    DmSent,
    Outcome,
    SettingsChanged,
    ToSession,
)
from causerie.core.grooming import watch_message
from causerie.core.hub.config import HubConfig
from causerie.core.hub.replies import dm_quote
from causerie.core.hub.screening import Screening, take_token
from causerie.core.hub.sessions import Session, Sessions
from causerie.core.messages import DirectMessage, MessageIds
from causerie.core.policy import assurance
from causerie.core.policy.nicknames import nick_key
from causerie.core.policy.visibility import nobody, refuse_unless_addressable
from causerie.core.policy.watch import ConversationWatch
from causerie.core.restrictions import Restrictions
from causerie.core.users import AgeBand, PublicUser, age_band
from causerie.errors import CauserieError, ErrorCode


@dataclass(frozen=True, slots=True)
class Peer:
    """The other side of a private message: a session, what anyone may see of them, and whether
    they block the sender."""

    session: str
    user: PublicUser
    blocks_sender: bool = False  # blocked or declined the sender
    dm_policy: DmPolicy = DmPolicy.EVERYONE
    shares_room: bool = False
    knows_sender: bool = False  # accepted the sender, or wrote to them
    former_ids: frozenset[str] = frozenset()  # their earlier sessions (Session.former_ids)


class PrivateConversations:
    """Private messages and each session's contacts and blocks on one node."""

    def __init__(
        self,
        sessions: Sessions,
        screening: Screening,
        restrictions: Restrictions,
        watch: ConversationWatch,
        ids: MessageIds,
        config: HubConfig,
    ) -> None:
        self._sessions = sessions.by_id
        self._nicks = sessions.by_nick_key
        self._screening = screening
        self._restrictions = restrictions
        self._watch = watch
        self._ids = ids
        self._config = config
        self.blocking = 0  # how many blocks the connected sessions hold

    # -- sending -----------------------------------------------------------------------------

    def send_dm(self, session: Session, command: SendDm, now_ms: int) -> Outcome:
        """A private message to someone connected here."""
        # Before the recipient is looked up: the same answer for every nickname.
        assurance.refuse_unless_may_write(self._config.teen_assurance, session.profile)
        recipient_id = self._nicks.get(nick_key(command.to.strip()))
        if recipient_id is None:
            raise nobody("to")
        recipient = self._sessions[recipient_id]
        sender_key = nick_key(session.profile.nick)
        peer = Peer(
            recipient.id,
            recipient.user,
            sender_key in recipient.blocked or sender_key in recipient.contacts.declined,
            recipient.contacts.policy,
            bool(session.rooms & recipient.rooms),
            recipient.contacts.knows(sender_key),
            recipient.former_ids,
        )
        return self._dm_to(session, peer, command, now_ms)

    def send_dm_to_peer(self, session_id: str, command: SendDm, peer: Peer, now_ms: int) -> Outcome:
        """A private message to someone connected to another node (found by the caller).

        Raises:
            CauserieError: as for a local recipient.
        """
        session = self._sessions.get(session_id)
        if session is None:
            raise CauserieError(ErrorCode.FORBIDDEN, "hello_first")
        assurance.refuse_unless_may_write(self._config.teen_assurance, session.profile)
        return self._dm_to(session, peer, command, now_ms)

    def _dm_to(self, session: Session, peer: Peer, command: SendDm, now_ms: int) -> Outcome:
        if peer.session == session.id:
            raise CauserieError(ErrorCode.INVALID, "dm_self", field="to")
        # Someone of the other band is nobody here: `not_found`, as for a free nickname.
        refuse_unless_addressable(session.profile.age, peer.user.age, target=peer.user.nick)
        if nick_key(peer.user.nick) in session.blocked or peer.blocks_sender:
            raise CauserieError(ErrorCode.DM_BLOCKED, "dm_blocked", field="to")
        peer_key = nick_key(peer.user.nick)
        check_policy(peer.dm_policy, shares_room=peer.shares_room, is_known=peer.knows_sender)
        config = self._config
        if not session.contacts.knows(peer_key) and not peer.knows_sender:
            wait_ms = session.started_ms + config.dm_wait_s * 1000 - now_ms
            if wait_ms > 0:
                raise CauserieError(
                    ErrorCode.RATE_LIMITED,
                    "dm_wait",
                    retry_after_s=wait_ms / 1000,
                    reason="dm_wait",  # the client keeps the line and sends it then
                )
        is_minor_recipient = age_band(peer.user.age) is AgeBand.TEEN
        if (
            is_minor_recipient
            and session.is_paused_with_minors
            and not session.contacts.knows(peer_key)
            and not peer.knows_sender
        ):
            raise CauserieError(ErrorCode.FORBIDDEN, "minor_contacts_paused", field="to")
        if (
            command.media is not None
            and is_minor_recipient
            and not peer.knows_sender
            and not config.minors_get_pictures_from_strangers
        ):
            raise CauserieError(ErrorCode.FORBIDDEN, "pictures_from_strangers", field="media")
        peer_ids = peer.former_ids | {peer.session}
        quote = dm_quote(command.reply_to, command.quoted, session.is_own, peer_ids.__contains__)
        screening = self._screening
        text = screening.text_of(command.text, command.media)
        self._restrictions.check_post(session.id, None, now_ms)
        screening.check_trust(session, text, now_ms)
        review = screening.reviewer.review(
            text,
            is_private=True,
            sender_is_minor=session.profile.is_minor,
            recipient_is_minor=is_minor_recipient,
        )
        take_token(session.dm_bucket, now_ms)
        dm = DirectMessage(
            self._ids.next_id(now_ms),
            session.user,
            peer.user,
            text,
            now_ms,
            session.id,
            peer.session,
            command.media,
            quote,
        )
        outcome = screening.outcome_of(session, dm, review)
        if is_minor_recipient and watch_message(
            self._watch,
            outcome,
            sender_key=nick_key(session.profile.nick),
            recipient_key=peer_key,
            recipient=peer.user,
            recipient_session=peer.session,
            message=dm,
            now_ms=now_ms,
        ):
            session.is_paused_with_minors = True
        if outcome.error is None:
            session.contacts.accept(peer_key)  # writing to someone accepts their replies
            session.trust.record_delivered(now_ms)
            event = DmSent(dm)
            outcome.deliveries += [(ToSession(peer.session), event), (ToSession(session.id), event)]
            outcome.records.append(dm)
        return outcome

    # -- receiving ---------------------------------------------------------------------------

    def is_new_conversation(self, session_id: str, nick: str) -> bool:
        """Whether a private message to `nick` would open a conversation (for the node's
        per-device limit on new conversations)."""
        session = self._sessions.get(session_id)
        key = nick_key(nick.strip())
        if session is None or session.contacts.knows(key):
            return False
        recipient_id = self._nicks.get(key)
        recipient = self._sessions.get(recipient_id) if recipient_id else None
        return not (recipient and recipient.contacts.knows(nick_key(session.profile.nick)))

    def arrival(self, session_id: str, sender_nick: str) -> Arrival:
        """How a private message from `sender_nick` reaches this session: as a message, as a
        request from a stranger (masked), or not at all (declined)."""
        session = self._sessions.get(session_id)
        if session is None:
            return Arrival.DROP
        return session.contacts.arrival_from(nick_key(sender_nick))

    def pause_with_minors(self, session_id: str, is_paused: bool) -> None:
        """Pause (or let go again) a session's new conversations with minors: a moderator
        decided about the grooming alert, or a pause recorded for this person is in force."""
        session = self._sessions.get(session_id)
        if session is not None:
            session.is_paused_with_minors = is_paused

    # -- each person's settings, contacts and blocks -----------------------------------------

    def change_settings(self, session: Session, command: ChangeSettings, _now_ms: int) -> Outcome:
        try:
            session.contacts.policy = DmPolicy(command.dm_policy)
        except ValueError:
            raise CauserieError(ErrorCode.INVALID, "dm_policy", field="dm_policy") from None
        return Outcome(replies=[SettingsChanged(session.contacts.policy.value)])

    def accept_dm(self, session: Session, command: AcceptDm, _now_ms: int) -> Outcome:
        session.contacts.accept(nick_key(command.nick.strip()))
        return Outcome(replies=[DmAccepted(command.nick.strip())])

    def decline_dm(self, session: Session, command: DeclineDm, _now_ms: int) -> Outcome:
        session.contacts.decline(nick_key(command.nick.strip()))
        return Outcome(replies=[DmDeclined(command.nick.strip())])

    def block(self, session: Session, command: Block, _now_ms: int) -> Outcome:
        nick = command.nick.strip()
        key = nick_key(nick)
        if not nick or key == nick_key(session.profile.nick):
            raise CauserieError(ErrorCode.INVALID, "block_self", field="nick")
        if key not in session.blocked:
            self.blocking += 1
        session.blocked[key] = nick
        return Outcome(replies=[BlocksListed(tuple(session.blocked.values()))])

    def unblock(self, session: Session, command: Unblock, _now_ms: int) -> Outcome:
        if session.blocked.pop(nick_key(command.nick.strip()), None) is not None:
            self.blocking -= 1
        return Outcome(replies=[BlocksListed(tuple(session.blocked.values()))])

    def forget(self, session: Session) -> None:
        """A session left: its blocks no longer count."""
        self.blocking -= len(session.blocked)

    def carry(self, session: Session, carried: Carried) -> None:
        """A resumed session takes what its previous one held (from another node, or from
        before this node restarted)."""
        session.contacts = carried.contacts()
        self.blocking += len(carried.blocked) - len(session.blocked)
        session.blocked = dict(carried.blocked)
        session.is_paused_with_minors = session.is_paused_with_minors or (
            carried.is_paused_with_minors
        )

    def forget_contact(self, key: str) -> None:
        """The person behind nickname key `key` is gone for good (they were on another node):
        every session here that talked with them forgets it."""
        for session in self._sessions.values():
            if session.contacts.has_talked_with(key):
                session.contacts.forget(key)

    def end_person(self, session: Session) -> None:
        """A person is gone for good (a quit, or the grace after a loss ended): whoever here
        accepted, declined or awaited them forgets them, so that a newcomer who takes the
        nickname later inherits no conversation. Writing accepts, so everyone who holds this
        person's key is among the keys this person holds (`has_talked_with`)."""
        key = nick_key(session.profile.nick)
        contacts = session.contacts
        for other_key in contacts.accepted | contacts.declined | contacts.pending:
            other_id = self._nicks.get(other_key)
            other = self._sessions.get(other_id) if other_id else None
            if other is not None and other.contacts.has_talked_with(key):
                other.contacts.forget(key)

    def readers_of(self, members: Iterable[str], sender_nick: str) -> Iterator[str]:
        """The `members` who may see a message from `sender_nick`: blocking hides each from
        the other, whoever blocked whom."""
        sender_key = nick_key(sender_nick)
        sender_id = self._nicks.get(sender_key)
        sender = self._sessions.get(sender_id) if sender_id else None
        for session_id in members:
            member = self._sessions[session_id]
            if sender_key in member.blocked:
                continue
            if sender is not None and nick_key(member.profile.nick) in sender.blocked:
                continue
            yield session_id
