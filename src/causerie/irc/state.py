"""What one IRC client's session holds, and how it answers: numerics, notices, requests to the
node, capabilities and the echoes it awaits.

Pure: no socket, no clock. The handlers of lines (commands.py and the modules it names) and of
the node's events (replies.py) act on a `SessionState`; `session.IrcSession` adds the dispatch
that reads their tables (`receive`, `render`), so no handler imports the session back.

How registration works (https://modern.ircdocs.horse/#connection-registration and IRCv3
capability negotiation, https://ircv3.net/specs/extensions/capability-negotiation):

    CONNECTED --NICK+USER (and CAP END if CAP was started)--> profile?
        yes: `Hello` --Welcomed--> REGISTERED (001…005, MOTD)
             --Refused nick_taken/nick--> 433/432, wait for another NICK
             --other refusal--> REGISTERED without profile, NOTICE with the reason
        no:  REGISTERED without profile: NOTICE (fr/en) saying what to send; `PROFILE` or a
             `USER` realname later sends the `Hello`
    SASL PLAIN (staff) is a `StaffLogin` before all this; it can be followed by a profile.

Every request carries an id of ours; `pending` remembers which IRC command it came from, so the
reply (`envelope.re`) or refusal is told the IRC way: a JOIN refused is 403/474/477, a PRIVMSG
refused is 404/401…
"""

from __future__ import annotations

import base64
import binascii
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

from causerie.core import commands as cmd
from causerie.core.events import MessagePosted, PresenceChanged, PresenceState
from causerie.core.rooms import Room
from causerie.core.users import PublicUser
from causerie.irc import numerics as n
from causerie.irc.directory import Directory
from causerie.irc.labels import MAX_OPEN_LABELS, Labelled, labelled_lines
from causerie.irc.parser import format_line
from causerie.irc.profile import PROFILE_HELP, Profile
from causerie.irc.render import service_mask
from causerie.node.envelope import Envelope

NICKLEN = 20
CAPS = (
    "away-notify",
    "batch",
    "draft/chathistory",
    "echo-message",
    "labeled-response",
    "message-tags",
    "multi-prefix",
    "sasl",
    "server-time",
    "userhost-in-names",
)
_OUTPUT_CAPS = ("message-tags", "server-time")  # the ones that change how a room frame reads
_NICK_FORBIDDEN = set(" ,*?!@:#&$+%~\x01")
_NONE: frozenset[str] = frozenset()
_NO_ROOMS: Mapping[str, Room] = MappingProxyType({})


class Lines(Envelope):
    """IRC lines of one connection's own (answers that needed no node, PING, AWAY), queued in
    order with its events: no event, and no other form."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        super().__init__(text="")
        self.data = data


class Hello(Enum):
    NONE = "none"
    PENDING = "pending"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class SessionConfig:
    server_name: str = "irc.causerie"
    network: str = "Causerie"
    version: str = "causerie"
    created: str = ""
    default_profile: Profile | None = None
    max_rooms: int = 20
    max_text_chars: int = 2000
    motd: tuple[str, ...] = ()
    password: str = ""  # the server password PASS must give (`irc_password`); empty: none


@dataclass(slots=True)
class Pending:
    """What a request in flight came from: its IRC command and target."""

    command: str
    target: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# ("send", lines) · ("request", (request id, core command)) · ("quit", leaving words) ·
# ("close", reason)
Action = tuple[str, Any]
Request = tuple[str, cmd.Command]


class SessionState:
    # Slots: every IRC client holds one, and a dict of ~35 attributes was 1.6 KB of it.
    __slots__ = (
        "_actions",
        "_batches",
        "_echoes_seen",
        "_expect_echo",
        "_expect_join",
        "_ids",
        "_joins_seen",
        "_label_mark",
        "_labelled",
        "_out",
        "away",
        "cap_negotiating",
        "caps",
        "channels",
        "config",
        "directory",
        "held_kick",
        "hello",
        "kind",
        "label",
        "lang",
        "nick",
        "on_output_change",
        "password",
        "pending",
        "profile",
        "realname",
        "registered",
        "rooms",
        "sasl_buffer",
        "sasl_mechanism",
        "staff",
        "user",
        "user_given",
        "watching",
    )

    def __init__(self, config: SessionConfig, directory: Directory) -> None:
        self.config = config
        self.directory = directory
        self.nick = "*"
        self.user_given = False
        self.realname = ""
        self.password = ""  # PASS, checked at registration when the server has one
        # The sets below are frozen and replaced on change: an empty set is 216 bytes, a shared
        # empty frozenset none, and each changes a few times in a connection's life.
        self.caps: frozenset[str] = _NONE
        self.cap_negotiating = False
        self.registered = False
        self.hello = Hello.NONE
        self.profile: Profile | None = None
        self.staff: str | None = None
        self.sasl_mechanism: str | None = None
        self.sasl_buffer = ""
        self.lang = "fr"
        self.away: str | None = None
        # A member room's owner took us out: (room, by, reason, notice) until the Parted that
        # follows, which is then told as their KICK before the notice.
        self.held_kick: tuple[str, str, str, str] | None = None
        self.channels: frozenset[str] = _NONE  # room ids
        self.rooms: Mapping[str, Room] = _NO_ROOMS  # visible rooms (welcome / rooms)
        self.user: PublicUser | None = None  # as the node welcomed us
        self.pending: dict[str, Pending] = {}
        # Rooms whose presence about us the JOIN reply tells, and own room messages to leave
        # out (echo-message is off); changed only through the methods below, which keep `kind`.
        self._expect_join: frozenset[str] = _NONE
        self._expect_echo = 0
        self._echoes_seen = 0
        self._joins_seen: frozenset[str] = _NONE
        self._ids = itertools.count(1)
        self._batches = itertools.count(1)
        self._actions: list[Action] = []
        self._out: list[str] = []
        # labeled-response (labels.py): the label being answered, where its lines start in
        # `_out`, and what each label not yet answered in full gathered.
        self.label: str | None = None
        self._label_mark = 0
        self._labelled: dict[str, Labelled] = {}
        # Connections of one kind get the same bytes for a room frame: the kind names our
        # output capabilities. `watching`: we expect our own JOIN or message back, which the
        # connection leaves out of those bytes (`leaves_out`). Both are plain attributes, kept
        # by `caps_changed` and `_refresh_watching`; `on_output_change` tells the sink.
        self.kind = "irc"
        self.watching = False
        self.on_output_change: Callable[[], None] = _nothing

    # -- output --------------------------------------------------------------------------

    @property
    def source(self) -> str:
        return self.config.server_name

    @property
    def mask(self) -> str:
        dept = self.user.dept.lower() if self.user is not None else "irc"
        return f"{self.nick}!u@{dept}.causerie"

    def send(self, line: str) -> None:
        self._out.append(line)

    def numeric(self, code: str, *params: str) -> None:
        self._out.append(format_line(code, self.nick, *params, source=self.source))

    def notice(self, text: str) -> None:
        for part in text.split("\n"):
            self._out.append(
                format_line(
                    "NOTICE", self.nick, part or " ", source=service_mask(self.config.server_name)
                )
            )

    def request(self, pending: Pending, command: cmd.Command) -> str:
        """Ask the node; its answer comes back with this request id (`Envelope.re`)."""
        request_id = f"i{next(self._ids)}"
        self.pending[request_id] = pending
        if self.label is not None:  # the answer to this request belongs to the label too
            pending.extra["label"] = self.label
            self._labelled[self.label].waiting += 1
        self._flush_lines()
        self._actions.append(("request", (request_id, command)))
        return request_id

    def close(self, reason: str) -> None:
        self._flush_lines()
        self._actions.append(("close", reason))

    def quit(self, farewell: str) -> None:
        """QUIT: the person leaves on purpose, with these words for their rooms (the node shows
        them where they pass, core/hub/farewells.py), then the connection closes."""
        self._flush_lines()
        self._actions.append(("quit", farewell))
        self._actions.append(("close", f"Quit: {farewell}"[:200] if farewell else "Client quit"))

    def take(self) -> list[Action]:
        """What to do, in order, since the last call."""
        self._flush_lines()
        actions, self._actions = self._actions, []
        return actions

    def _flush_lines(self) -> None:
        self._gather_label()
        if self._out:
            self._actions.append(("send", "".join(self._out)))
            self._out = []

    # -- labeled-response (labels.py) ---------------------------------------------------------

    def begin_label(self, label: str) -> None:
        """Lines written from here to `end_label` answer `label` (a labelled command, or a
        reply to one of its requests)."""
        if label not in self._labelled:
            if len(self._labelled) >= MAX_OPEN_LABELS:  # a request never answered: give up
                self._labelled.pop(next(iter(self._labelled)))
            self._labelled[label] = Labelled()
        self.label = label
        self._label_mark = len(self._out)

    def answered(self, label: str) -> None:
        """One request of `label` had its answer."""
        labelled = self._labelled.get(label)
        if labelled is not None:
            labelled.waiting = max(0, labelled.waiting - 1)

    def end_label(self) -> None:
        """Stop gathering; when no request of the label waits, its answer goes out."""
        label = self.label
        if label is None:
            return
        self._gather_label()
        self.label = None
        labelled = self._labelled.get(label)
        if labelled is not None and not labelled.waiting:
            del self._labelled[label]
            batch = self.new_batch()
            self._out.append(labelled_lines(label, labelled.lines, self.source, batch))

    def _gather_label(self) -> None:
        if self.label is not None and self.label in self._labelled:
            mark = self._label_mark
            self._labelled[self.label].lines.extend(self._out[mark:])
            del self._out[mark:]
            self._label_mark = len(self._out)

    def new_batch(self) -> str:
        return f"b{next(self._batches)}"

    # -- registration --------------------------------------------------------------------

    def send_hello(self, profile: Profile) -> None:
        self.profile = profile
        self.hello = Hello.PENDING
        self.request(
            Pending("HELLO"),
            cmd.Hello(self.nick, profile.gender, profile.age, profile.postcode, profile.lang),
        )

    @property
    def has_profile(self) -> bool:
        return self.hello is Hello.DONE

    def need_profile(self, command: str, target: str) -> None:
        """What a profile-less client gets for JOIN/PRIVMSG: a numeric and the explanation."""
        if command == "JOIN":
            self.numeric("477", target, "Cannot join channel (give your profile first: PROFILE)")
        else:
            self.numeric(n.ERR_CANNOTSENDTOCHAN, target, "Give your profile first: PROFILE")
        self.notice("\n".join(PROFILE_HELP[:2]))

    # -- capabilities --------------------------------------------------------------------

    @property
    def expect_echo(self) -> int:
        return self._expect_echo

    def expect_own_join(self, room: str) -> None:
        self._expect_join |= {room}
        self._refresh_watching()

    def forget_own_join(self, room: str) -> None:
        self._expect_join -= {room}
        self._refresh_watching()

    def expect_own_echo(self, change: int = 1) -> None:
        self._expect_echo = max(0, self._expect_echo + change)
        self._refresh_watching()

    def _refresh_watching(self) -> None:
        watching = bool(self._expect_join or self._expect_echo)
        if watching != self.watching:
            self.watching = watching
            self.on_output_change()

    def caps_changed(self) -> None:
        signature = "".join(cap[0] for cap in _OUTPUT_CAPS if cap in self.caps)
        kind = "irc" + (":" + signature if signature else "")
        if kind != self.kind:
            self.kind = kind
            self.on_output_change()

    def has(self, cap: str) -> bool:
        return cap in self.caps

    # -- events from the node ------------------------------------------------------------

    def leaves_out(self, envelope: Envelope) -> bool:
        """Whether the connection leaves this event out of what our kind gets: our own
        message or arrival, already shown for our request (asked only while `watching`).

        What was seen is only counted here and settled by `settle` when our bytes are
        written, so `watching` stays as it is while a room's events are being gathered.
        """
        if type(envelope) is Lines:
            return False
        event = envelope.event
        if type(event) is MessagePosted:
            if self._expect_echo > self._echoes_seen and event.message.sender.nick == self.nick:
                self._echoes_seen += 1
                return True
            return False
        if type(event) is PresenceChanged:
            room = event.room
            if (
                event.user.nick == self.nick
                and room in self._expect_join
                and room not in self._joins_seen
            ):
                self._joins_seen |= {room}
                return event.state is PresenceState.JOINED
        return False

    def settle(self) -> None:
        """Forget the echoes already left out (the sink calls this when it writes)."""
        if not (self._echoes_seen or self._joins_seen):
            return  # every write calls this: nothing to settle is the common case
        self._expect_echo = max(0, self._expect_echo - self._echoes_seen)
        self._echoes_seen = 0
        self._expect_join -= self._joins_seen
        self._joins_seen = _NONE
        self._refresh_watching()

    @staticmethod
    def raw(lines: str) -> Lines:
        """Lines to queue on the connection (in order with the events)."""
        return Lines(lines.encode())


def _nothing() -> None:
    """Until a sink follows the session."""


def decode_sasl_plain(payload: str) -> tuple[str, str] | None:
    """`authzid NUL authcid NUL password`, base64 (RFC 4616); (name, password) or None."""
    try:
        raw = base64.b64decode(payload, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = raw.split("\0")
    if len(parts) != 3 or not parts[1] or not parts[2]:
        return None
    authzid, authcid, password = parts
    if authzid and authzid != authcid:
        return None
    return authcid, password


def valid_nick(nick: str) -> bool:
    return (
        0 < len(nick) <= NICKLEN
        and not any(char in _NICK_FORBIDDEN for char in nick)
        and not nick[0].isdigit()
        and nick[0] != "-"
        and nick.isprintable()
    )
