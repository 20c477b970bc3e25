"""One IRC client's state machine: its lines become core commands, core events its lines.

Pure: no socket, no clock. The transport feeds it parsed lines (`receive`) and takes back, in
order, lines to write, (request id, command) pairs to hand to the node and a close (`take`);
the node's events for this connection come back through `render` (the connection's
`Sink.encode`), typed: nothing here parses or builds another adapter's wire format.

The state and its ways of answering are `state.SessionState`; this adds the two dispatches, to
the command table (commands.py) and to the event replies (replies.py). They act on the state
and import nothing of this module: the dependencies run one way.
"""

from __future__ import annotations

from causerie.irc import numerics as n
from causerie.irc.commands import COMMANDS
from causerie.irc.parser import Line, LineError, format_line
from causerie.irc.render import ROOM_EVENTS, room_event_lines
from causerie.irc.replies import on_event
from causerie.irc.state import (
    CAPS,
    Action,
    Hello,
    Lines,
    Pending,
    Request,
    SessionConfig,
    SessionState,
    decode_sasl_plain,
    valid_nick,
)
from causerie.node.envelope import Envelope

__all__ = [
    "CAPS",
    "Action",
    "Hello",
    "IrcSession",
    "Lines",
    "Pending",
    "Request",
    "SessionConfig",
    "decode_sasl_plain",
    "valid_nick",
]


class IrcSession(SessionState):
    __slots__ = ()

    def receive(self, item: Line | LineError) -> None:
        label = item.tags.get("label") if isinstance(item, Line) else None
        if not label or "labeled-response" not in self.caps:
            self._receive(item)
            return
        self.begin_label(label)
        try:
            self._receive(item)
        finally:
            self.end_label()

    def _receive(self, item: Line | LineError) -> None:
        if isinstance(item, LineError):
            self._refuse_line(item)
            return
        entry = COMMANDS.get(item.command)
        if entry is None:
            if self.registered:
                self.numeric(n.ERR_UNKNOWNCOMMAND, item.command, "Unknown command")
            else:
                self.numeric(n.ERR_NOTREGISTERED, "You have not registered")
            return
        handler, min_params, before_registration = entry
        if not self.registered and not before_registration:
            self.numeric(n.ERR_NOTREGISTERED, "You have not registered")
            return
        if len(item.params) < min_params:
            self.numeric(n.ERR_NEEDMOREPARAMS, item.command, "Not enough parameters")
            return
        handler(self, item)

    def _refuse_line(self, error: LineError) -> None:
        if error.key == "too_long":
            self.numeric(n.ERR_INPUTTOOLONG, "Input line was too long")
        elif error.key == "invalid_utf8":
            self.send(
                format_line(
                    "FAIL",
                    error.command,
                    "INVALID_UTF8",
                    "Message rejected: it is not valid UTF-8",
                    source=self.source,
                )
            )
        elif error.key == "unknown_command" and self.registered:
            self.numeric(n.ERR_UNKNOWNCOMMAND, error.command, "Unknown command")
        elif error.key == "bad_character":
            self.send(
                format_line(
                    "FAIL",
                    error.command,
                    "INVALID_CHARACTERS",
                    "Message rejected: it contains a NUL byte",
                    source=self.source,
                )
            )
        # An empty or command-less line is ignored, as Modern IRC says.

    # -- registration --------------------------------------------------------------------

    def render(self, envelope: Envelope) -> bytes:
        """An event for this connection as IRC bytes (the connection's `Sink.encode`).

        A room event is rendered once for every connection of the same `kind` (the envelope
        keeps its bytes per kind): it then depends only on the event and the output
        capabilities, and changes no state of ours (our own echo is left out by the
        connection, see `leaves_out`). Any other event is this connection's alone.
        """
        if type(envelope) is Lines:
            return envelope.data
        event = envelope.event
        if type(event) in ROOM_EVENTS:
            return "".join(room_event_lines(event, self.caps, self.config.server_name)).encode()
        on_event(self, envelope)
        lines, self._out = self._out, []
        return "".join(lines).encode()
