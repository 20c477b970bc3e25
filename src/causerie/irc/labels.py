"""IRCv3 `labeled-response` (https://ircv3.net/specs/extensions/labeled-response): the lines
that answer a command sent with a `label` tag come back marked with that label.

How this works: the session gathers, per label, every line it writes while it handles the
labelled command and, later, while it handles the node's replies to the requests that
command made (a request inherits the label of what made it: a JOIN's creation, then its
JOIN). When no request of the label is still waiting, the lines go out as the spec says:
none, an `ACK`; one, that line with the label; more, a `labeled-response` batch (IRCv3
`batch`) holding them. Room events (others' messages, presence) are never gathered: they are
the room's, not an answer. Pure: the session calls `labelled_lines` with what it gathered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from causerie.irc.parser import escape_tag_value, format_line

MAX_OPEN_LABELS = 16  # labels still waiting for the node, kept per connection at most


@dataclass(slots=True)
class Labelled:
    """What one label gathered so far, and how many of its requests still wait."""

    lines: list[str] = field(default_factory=list)
    waiting: int = 0


def _tagged(line: str, tag: str) -> str:
    if line.startswith("@"):
        return f"@{tag};{line[1:]}"
    return f"@{tag} {line}"


def labelled_lines(label: str, gathered: list[str], server: str, batch_id: str) -> str:
    """The answer to a labelled command, as the lines to write (with their CRLF)."""
    tag = f"label={escape_tag_value(label)}"
    lines = [line for chunk in gathered for line in chunk.split("\r\n") if line]
    if not lines:
        return _tagged(format_line("ACK", source=server), tag)
    if len(lines) == 1:
        return _tagged(lines[0], tag) + "\r\n"
    start = _tagged(format_line("BATCH", f"+{batch_id}", "labeled-response", source=server), tag)
    inner = "".join(_tagged(line, f"batch={batch_id}") + "\r\n" for line in lines)
    return start + inner + format_line("BATCH", f"-{batch_id}", source=server)
