"""`Envelope`: one event on its way to connections, in the forms they need, each made once.

Inside a node, events are typed core events (`core/events.py`). Between nodes they travel as
their JSON frame (`wire/events.py`), which is also the WebSocket's frame. An envelope holds
whichever it was made from and makes the other only when a recipient needs it: a room message
from another node reaches WebSocket clients as the very text the broker brought, and is decoded
only for a recipient that reads events (IRC). Each kind of sink's bytes (`Sink.encode`) are
kept too, so a frame is encoded once per kind however many recipients share it.
"""

from __future__ import annotations

from collections.abc import Callable

from causerie.core.events import Event, Refused
from causerie.errors import CauserieError
from causerie.wire.commands import RequestId
from causerie.wire.events import decode_event, encode_event


class Envelope:
    __slots__ = ("_event", "_text", "_wires", "lang", "re")

    def __init__(
        self,
        event: Event | None = None,
        text: str | None = None,
        re: RequestId = None,
        lang: str = "fr",
    ) -> None:
        if event is None and text is None:
            raise ValueError("an envelope holds an event or its text")
        self._event = event
        self._text = text
        self._wires: dict[str, bytes] | None = None
        self.re = re  # the request this answers, if any
        self.lang = lang  # the language of the texts in it (notices, errors)

    @classmethod
    def reply(cls, event: Event, re: RequestId = None, lang: str = "fr") -> Envelope:
        return cls(event, re=re, lang=lang)

    @classmethod
    def refusal(cls, error: CauserieError, re: RequestId = None, lang: str = "fr") -> Envelope:
        return cls(Refused(error), re=re, lang=lang)

    @classmethod
    def of_text(cls, text: str) -> Envelope:
        """A frame another node published (or this one, back from the broker)."""
        return cls(text=text)

    @property
    def text(self) -> str:
        """The JSON frame (the WebSocket's and the broker's form)."""
        if self._text is None:
            assert self._event is not None
            self._text = encode_event(self._event, self.re, self.lang)
        return self._text

    @property
    def event(self) -> Event:
        """The typed event (decoded from the text at most once)."""
        if self._event is None:
            assert self._text is not None
            self._event = decode_event(self._text)
        return self._event

    def wire(self, kind: str, encode: Callable[[Envelope], bytes]) -> bytes:
        """This envelope's bytes for one kind of sink, encoded at most once."""
        wires = self._wires
        if wires is None:
            wires = self._wires = {}
        data = wires.get(kind)
        if data is None:
            data = wires[kind] = encode(self)
        return data
