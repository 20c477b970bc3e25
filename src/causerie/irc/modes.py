"""A channel MODE line read into changes, one mode letter each, the way ISUPPORT announces them.

How this works (RFC 2812 3.2.3, https://modern.ircdocs.horse/#mode-message and its
`CHANMODES`/`PREFIX` parameters): the mode string is read left to right; `+` and `-` set the
sign for the letters after them (`+` when none is given). Each letter takes its parameter
from the parameters after the mode string, in order, by its type:

- A, a list (`b`): one parameter to add or remove an entry; without one it asks for the list;
- B, always a parameter (`k`): the key to set, or (`-k`) the key, which servers ignore;
- C, a parameter when set only (`l`);
- D, never a parameter (`i m n s t`);
- prefix modes (`o`, `v`): always a nickname.

A letter this server does not know is reported (472 ERR_UNKNOWNMODE) and the rest still read;
a letter whose parameter is missing is dropped, as servers do (Modern IRC). Pure: the caller
decides what each change means and who may make it.
"""

from __future__ import annotations

from dataclasses import dataclass

from causerie.core.rooms import Room

LIST_MODES = "b"
ALWAYS_PARAMETER = "k"
PARAMETER_WHEN_SET = "l"
FLAGS = "imnst"
PREFIX_MODES = "ov"
# The ISUPPORT token of the types above (A,B,C,D) and of the prefix modes.
CHANMODES = f"{LIST_MODES},{ALWAYS_PARAMETER},{PARAMETER_WHEN_SET},{FLAGS}"
PREFIX = "(ov)@+"
# At most this many changes that take a parameter in one MODE line (ISUPPORT MODES).
MAX_PARAMETER_MODES = 4


@dataclass(frozen=True, slots=True)
class ModeChange:
    is_adding: bool
    letter: str
    argument: str | None = None

    @property
    def text(self) -> str:
        return ("+" if self.is_adding else "-") + self.letter


@dataclass(frozen=True, slots=True)
class ModeLine:
    changes: tuple[ModeChange, ...]
    unknown: tuple[str, ...]  # letters this server does not know, in order, once each
    wants_list: tuple[str, ...]  # list modes given without a parameter (`MODE #c +b`)


def read_modes(modes: str, arguments: list[str] | tuple[str, ...]) -> ModeLine:
    """Read `MODE #channel <modes> <arguments…>` (the channel left out)."""
    changes: list[ModeChange] = []
    unknown: list[str] = []
    wants_list: list[str] = []
    queue = list(arguments)
    is_adding = True
    with_parameter = 0
    for letter in modes:
        if letter in "+-":
            is_adding = letter == "+"
            continue
        if letter in FLAGS:
            changes.append(ModeChange(is_adding, letter))
            continue
        takes = (
            letter in LIST_MODES
            or letter in ALWAYS_PARAMETER
            or letter in PREFIX_MODES
            or (letter in PARAMETER_WHEN_SET and is_adding)
        )
        if not takes:
            if letter in PARAMETER_WHEN_SET:  # -l
                changes.append(ModeChange(is_adding, letter))
            elif letter not in unknown:
                unknown.append(letter)
            continue
        if not queue:
            if letter in LIST_MODES and letter not in wants_list:
                wants_list.append(letter)
            elif letter == "k" and not is_adding:
                changes.append(ModeChange(False, letter))  # -k without the key: servers allow it
            continue
        argument = queue.pop(0)
        if with_parameter >= MAX_PARAMETER_MODES:
            continue
        with_parameter += 1
        changes.append(ModeChange(is_adding, letter, argument))
    return ModeLine(tuple(changes), tuple(unknown), tuple(wants_list))


def mode_text(changes: list[ModeChange] | tuple[ModeChange, ...]) -> list[str]:
    """Changes as the parameters of a MODE line (`+ik-l`, `key`), signs written once a run."""
    letters: list[str] = []
    arguments: list[str] = []
    sign = ""
    for change in changes:
        wanted = "+" if change.is_adding else "-"
        if wanted != sign:
            letters.append(wanted)
            sign = wanted
        letters.append(change.letter)
        if change.argument is not None:
            arguments.append(change.argument)
    return ["".join(letters), *arguments] if letters else []


def modes_of(room: Room | None, *, locked: bool, shows_key: bool) -> list[str]:
    """A room's modes as 324 RPL_CHANNELMODEIS gives them (`+iklmnst`, then the key and the
    limit). Every room is `+nt` (only members speak; the topic is the owner's, operators' or,
    for an official room, the operator's); `+m` while moderated or locked by staff. The key is
    shown only to a member (`shows_key`), as servers do."""
    if room is None:
        return ["+mnt" if locked else "+nt"]
    modes = room.modes
    letters = {"n"}
    if modes.topic_locked or room.is_official:
        letters.add("t")
    if modes.moderated or locked:
        letters.add("m")
    if modes.invite_only:
        letters.add("i")
    if modes.unlisted:
        letters.add("s")
    arguments: list[str] = []
    if modes.key:
        letters.add("k")
        arguments.append(modes.key if shows_key else "*")
    if room.member_limit:
        letters.add("l")
        arguments.append(str(room.member_limit))
    # In CHANMODES order: k and l take their arguments in that order.
    return ["+" + "".join(sorted(letters)), *arguments]
