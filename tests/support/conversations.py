"""The grooming corpora (tests/corpus/grooming/) and their replay through the detector.

A corpus file holds conversations written for the project (synthetic, no real data):

    === g-fr-001 | lang=fr | where=dm | description
    A: a line from the person watched        A!: the same, a line of grooming (ground truth)
    B: a line from the minor                 A@: / A@!: addressed to B in a teen room
    C: someone else in the room

Replaying a conversation sends each line, in order and a minute apart, through one
`ConversationTracker`: A's lines as the conversation A -> B, B's as B -> A (in the teen space
both sides are declared minors and each direction is judged on its own). A conversation is
*caught* when the A -> B direction crosses the threshold, *touched* when any line is held or
any direction crosses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from causerie.safety.grooming.rules import GroomingRules
from causerie.safety.grooming.scoring import ConversationTracker

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "grooming"
LINE_GAP_MS = 60_000


@dataclass(frozen=True, slots=True)
class Line:
    speaker: str  # A, B or C
    text: str
    is_risky: bool = False  # marked `!`: part of the grooming
    is_addressed: bool = False  # marked `@`: addressed to B in a room


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    lang: str
    where: str
    description: str
    lines: tuple[Line, ...]

    @property
    def risky_lines(self) -> int:
        return sum(1 for line in self.lines if line.is_risky)


@dataclass(slots=True)
class Replay:
    conversation: Conversation
    caught_at_risky: int | None = None  # the 1-based risky line at which A -> B crossed
    caught_at_line: int | None = None  # the 1-based line of A's at which it crossed
    held: list[str] = field(default_factory=list)  # lines held (either side)
    crossed_directions: list[str] = field(default_factory=list)

    @property
    def is_caught(self) -> bool:
        return self.caught_at_line is not None

    @property
    def is_touched(self) -> bool:
        return bool(self.held or self.crossed_directions)


def parse(text: str, source: str = "corpus") -> list[Conversation]:
    conversations: list[Conversation] = []
    header: list[str] | None = None
    lines: list[Line] = []

    def close() -> None:
        if header is not None:
            fields = dict(part.split("=", 1) for part in header[1:3] if "=" in part)
            conversations.append(
                Conversation(
                    header[0],
                    fields.get("lang", "fr"),
                    fields.get("where", "dm"),
                    header[3] if len(header) > 3 else "",
                    tuple(lines),
                )
            )

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("==="):
            close()
            header = [part.strip() for part in line[3:].split("|")]
            lines = []
            continue
        marker, _, said = line.partition(":")
        if header is None or not marker or marker[0] not in "ABC" or not said.strip():
            raise ValueError(f"{source}:{number}: not a corpus line: {raw!r}")
        lines.append(Line(marker[0], said.strip(), "!" in marker, "@" in marker))
    close()
    return conversations


def load(name: str) -> list[Conversation]:
    path = CORPUS / name
    return parse(path.read_text(encoding="utf-8"), str(path))


def corpus_files(prefix: str) -> Iterator[str]:
    for path in sorted(CORPUS.glob(f"{prefix}*.txt")):
        yield path.name


def replay(conversation: Conversation, rules: GroomingRules, start_ms: int = 0) -> Replay:
    watch = ConversationTracker(rules)
    result = Replay(conversation)
    risky_seen = 0
    a_lines = 0
    for index, line in enumerate(conversation.lines):
        now_ms = start_ms + index * LINE_GAP_MS
        if line.speaker == "C":
            continue
        if line.speaker == "A":
            a_lines += 1
            risky_seen += line.is_risky
        sender, recipient = ("A", "B") if line.speaker == "A" else ("B", "A")
        observation = watch.observe(sender, recipient, line.text, now_ms)
        if observation.held_stage is not None:
            result.held.append(line.text)
        if observation.has_crossed:
            result.crossed_directions.append(f"{sender}->{recipient}")
            if sender == "A" and result.caught_at_line is None:
                result.caught_at_line = a_lines
                result.caught_at_risky = risky_seen
    return result
