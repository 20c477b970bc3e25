"""Who may see whom, and whom one may name (DESIGN.md rules 2 and 3): the one rule every adapter
asks, so that no lookup on any protocol shows more than the web does. Pure.

The web shows a person in two places only: in a room's member list, to the members of that room
(every one of them of the room's age band), and in a private conversation, to the other side
(private messages never cross bands). Hence two questions:

- `may_see`: whether a viewer is shown a person's profile and presence (IRC WHOIS, WHO, ISON,
  USERHOST, NAMES; the web's member lists): same age band, **and** a room they share or a
  private conversation between them.
- `may_address`: whether a viewer may name a person in a request (the web's `dm`, a `report`
  by nickname): same age band. Someone of the same band in no shared room may be written to,
  as "everyone in my band" allows; blocks and the recipient's own setting are decided after,
  and may say so (`dm_blocked`), since both sides are then of one band.

A person who fails is absent for the viewer: every adapter answers exactly as it answers for
a nickname nobody uses (`not_found` with the same message key and field on the wire,
`ERR_NOSUCHNICK` on IRC), through the same branch, so that neither the words nor the work
done differ. `Unreachable` is that refusal for a private message; it also tells the node,
never the wire, that an adult named a minor (counted by `policy/seeking.py`).
"""

from __future__ import annotations

from causerie.core.rooms import Audience, Room
from causerie.core.users import AgeBand, age_band
from causerie.errors import CauserieError, ErrorCode

USER_NOT_FOUND = "user_not_found"


def same_band(age: int, other_age: int) -> bool:
    return age_band(age) is age_band(other_age)


def may_see(
    viewer_age: int | None, person_age: int | None, *, shares_room: bool, in_conversation: bool
) -> bool:
    """Whether the viewer is shown this person at all (None: no profile, which sees nobody and
    whom nobody sees)."""
    if viewer_age is None or person_age is None:
        return False
    return same_band(viewer_age, person_age) and (shares_room or in_conversation)


def may_address(viewer_age: int | None, person_age: int | None) -> bool:
    """Whether the viewer may name this person in a request (a private message, a report)."""
    if viewer_age is None or person_age is None:
        return False
    return same_band(viewer_age, person_age)


def listed_in(room: Room, person_age: int) -> bool:
    """Whether a room's member list may show this person: only people of the room's band (the
    members who read the list are all of it)."""
    band = AgeBand.TEEN if room.audience is Audience.TEEN else AgeBand.ADULT
    return age_band(person_age) is band


def nobody(field: str) -> CauserieError:
    """The answer to a nickname nobody uses."""
    return CauserieError(ErrorCode.NOT_FOUND, USER_NOT_FOUND, field=field)


class Unreachable(CauserieError):
    """A person the sender may not address, refused exactly as `nobody(field)` is: the wire
    sees the same code, key, field and no parameter. `seeks_minor` (an adult named a minor)
    and `target` are for the node's watch alone."""

    def __init__(self, field: str, *, target: str, seeks_minor: bool) -> None:
        super().__init__(ErrorCode.NOT_FOUND, USER_NOT_FOUND, field=field)
        self.target = target
        self.seeks_minor = seeks_minor


def refuse_unless_addressable(
    sender_age: int, person_age: int, *, target: str, field: str = "to"
) -> None:
    """Raises `Unreachable` when the sender may not name this person."""
    if not may_address(sender_age, person_age):
        raise Unreachable(
            field,
            target=target,
            seeks_minor=age_band(sender_age) is AgeBand.ADULT
            and age_band(person_age) is AgeBand.TEEN,
        )
