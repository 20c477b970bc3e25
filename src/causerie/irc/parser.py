"""IRC lines <-> `Line` values. Sans-I/O: bytes in, lines out; no sockets, no clock.

The grammar is Modern IRC's (https://modern.ircdocs.horse/#message-format) with IRCv3
message tags (https://ircv3.net/specs/extensions/message-tags):

    [ '@' <tags> SPACE ] [ ':' <source> SPACE ] <command> <parameters> <crlf>

How reading works: `LineReader.feed` takes whatever the socket gave and returns the complete
lines found so far, each either a `Line` or a `LineError`. CR, LF and CRLF all end a line (as
Modern IRC advises), so a CR smuggled into a parameter only ever splits it into two lines that
are each parsed on their own. The body (everything after the tags) may be 512 bytes with its
CRLF; tags take at most 8191 bytes on the wire, of which a client may send 4094 bytes of tag
data (IRCv3 message-tags, "Size limit"): a longer line is dropped whole, up to its end, and
reported once as `too_long` (ERR_INPUTTOOLONG 417). Invalid UTF-8 and NUL bytes are
`invalid_utf8` and `bad_character`. `LineError` (a `ProtocolError`) is the only failure mode,
which the fuzz tests hold.

Writing: `format_line` never lets CR, LF or NUL through (a web user's multi-line message is
split by the caller first), so a text from elsewhere cannot inject a command.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from causerie.errors import ProtocolError

MAX_BODY_BYTES = 512  # with its CRLF
MAX_TAGS_BYTES = 8191  # with the leading '@' and the space after
MAX_CLIENT_TAG_DATA_BYTES = 4094  # what a client may send, without the '@' and the space
MAX_LINE_BYTES = MAX_BODY_BYTES + MAX_TAGS_BYTES
MAX_PARAMS = 15

_TAG_ESCAPES = {";": "\\:", " ": "\\s", "\\": "\\\\", "\r": "\\r", "\n": "\\n"}
_TAG_UNESCAPES = {":": ";", "s": " ", "\\": "\\", "r": "\r", "n": "\n"}


class LineError(ProtocolError):
    """A line that cannot be processed; `command` is set when it could be read."""

    def __init__(self, key: str, command: str = "*") -> None:
        super().__init__(key)
        self.command = command


@dataclass(frozen=True, slots=True)
class Line:
    command: str
    params: tuple[str, ...] = ()
    source: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def unescape_tag_value(raw: str) -> str:
    out: list[str] = []
    chars = iter(raw)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, "")
        out.append(_TAG_UNESCAPES.get(following, following))
    return "".join(out)


def escape_tag_value(value: str) -> str:
    return "".join(_TAG_ESCAPES.get(char, char) for char in value).replace("\0", "")


def _parse_tags(raw: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    for item in raw.split(";"):
        if not item:
            continue
        key, _, value = item.partition("=")
        if not key or key == "+":
            continue
        tags[key] = unescape_tag_value(value)
    return tags


def parse_line(data: bytes) -> Line:
    """One line without its terminator.

    Raises:
        LineError: `too_long`, `invalid_utf8`, `bad_character` or `no_command`.
    """
    body_start = 0
    tags: dict[str, str] = {}
    if data.startswith(b"@"):
        space = data.find(b" ")
        if space < 0:
            raise LineError("no_command")
        if space - 1 > MAX_CLIENT_TAG_DATA_BYTES:
            raise LineError("too_long", _peek_command(data[space + 1 :].lstrip(b" ")))
        body_start = space + 1
        tags_bytes = data[1:space]
    else:
        tags_bytes = b""
    body = data[body_start:].lstrip(b" ")
    if len(body) + 2 > MAX_BODY_BYTES:
        raise LineError("too_long", _peek_command(body))
    if b"\0" in data:
        raise LineError("bad_character", _peek_command(body))
    try:
        text = body.decode("utf-8")
        if tags_bytes:
            tags = _parse_tags(tags_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise LineError("invalid_utf8", _peek_command(body)) from None
    source = None
    if text.startswith(":"):
        source, _, text = text[1:].partition(" ")
        text = text.lstrip(" ")
    head, _, trailing_part = text.partition(" :")
    has_trailing = " :" in text
    if text.startswith(":"):  # a lone trailing with no command
        raise LineError("no_command")
    words = [word for word in head.split(" ") if word]
    if not words:
        raise LineError("no_command")
    command = words[0].upper()
    if not command.isascii() or not (command.isalpha() or command.isdigit()):
        raise LineError("unknown_command", words[0][:32])
    params = words[1:]
    if len(params) > MAX_PARAMS:
        params = [*params[: MAX_PARAMS - 1], " ".join(params[MAX_PARAMS - 1 :])]
    if has_trailing:
        params.append(trailing_part)
    return Line(command, tuple(params), source, tags)


def _peek_command(body: bytes) -> str:
    """The command word of a line that will not be parsed, for the reply to name it."""
    words = body.split(b" ")
    if words and words[0].startswith(b":"):
        words = words[1:]
    word = words[0] if words else b""
    try:
        text = word.decode("ascii").upper()
    except UnicodeDecodeError:
        return "*"
    return text if text.isalnum() and len(text) <= 32 else "*"


class LineReader:
    """Bytes from the socket -> complete lines (parsed or refused), in order."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._discarding = False  # inside a too-long line, dropping until its end

    def feed(self, data: bytes) -> list[Line | LineError]:
        out: list[Line | LineError] = []
        buffer = self._buffer
        buffer += data
        start = 0
        while True:
            end = _line_end(buffer, start)
            if end < 0:
                break
            raw = bytes(buffer[start:end])
            start = end + 1
            if self._discarding:
                self._discarding = False
                continue
            if not raw:
                continue  # empty lines are ignored (and CRLF leaves one between CR and LF)
            try:
                out.append(parse_line(raw))
            except LineError as error:
                out.append(error)
        del buffer[:start]
        if len(buffer) > MAX_LINE_BYTES:
            if not self._discarding:
                out.append(LineError("too_long", _peek_command(bytes(buffer[:64]))))
            self._discarding = True
            buffer.clear()
        return out


def _line_end(buffer: bytearray, start: int) -> int:
    cr = buffer.find(b"\r", start)
    lf = buffer.find(b"\n", start)
    if cr < 0:
        return lf
    if lf < 0:
        return cr
    return min(cr, lf)


# Their last parameter is a text: always written as trailing, as clients and tools expect.
_TEXT_COMMANDS = frozenset({"PRIVMSG", "NOTICE", "ERROR", "AWAY", "KICK"})


def _clean(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\0", "")


def format_line(
    command: str,
    *params: str,
    source: str | None = None,
    tags: dict[str, str] | None = None,
) -> str:
    """One line with its CRLF; the last parameter is sent as trailing when it needs to be."""
    parts: list[str] = []
    if tags:
        parts.append(
            "@"
            + ";".join(
                f"{key}={escape_tag_value(value)}" if value else key for key, value in tags.items()
            )
        )
    if source:
        parts.append(":" + _clean(source).replace(" ", ""))
    parts.append(command)
    if params:
        middle = [_clean(param).replace(" ", "") or "*" for param in params[:-1]]
        last = _clean(params[-1])
        parts.extend(middle)
        if command in _TEXT_COMMANDS or not last or " " in last or last.startswith(":"):
            parts.append(":" + last)
        else:
            parts.append(last)
    return " ".join(parts) + "\r\n"


def truncate_utf8(text: str, max_bytes: int) -> str:
    """The longest prefix of `text` that fits in `max_bytes` without cutting a character."""
    data = text.encode()
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", "ignore")
