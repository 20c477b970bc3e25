"""Rooms people make (DESIGN.md rule 11): who may make one, what it is made as, who may change
what in it, and who may enter and speak. Pure: the node passes counts and the clock's reading.

Making one (`refuse_unless_may_create`, `new_member_room`):

- the maker is past the new-identity trust threshold (`policy/trust.py`) and within the limits
  (`MemberRoomLimits`: rooms owned at once and made per day per person, member rooms in the
  cluster);
- its id comes from its name (`room_id_for`): ASCII, as IRC carries it; a teen room's id starts
  with `ados-` and an adult's never does, so the two bands never compete for an id and an adult
  learns nothing of the teen space by making a room (a name that folds to `ados-…` is refused
  to an adult, as an imitation of the teen space);
- name and topic pass `room_rules.checked_room` (word lists, staff names, look-alikes of the
  rooms of the maker's band);
- its audience is its maker's band; `adult_verified` only for an adult whose age a provider
  vouched for.

Running one (`role_of`, `changed_*`): the owner and the operators they named set the topic
(anyone when the topic is not locked), the modes, the member limit, invite, kick, ban and give
or take back a voice (`changed_voice`, +v: who speaks while the room is moderated); only the
owner names or removes operators; nobody bans or kicks the owner. In the teen space
a member room is always listed and open: never invite-only, keyed or unlisted (nothing there
happens out of sight), which `changed_modes` refuses with `teen_room_open`.

Entering (`refuse_unless_may_enter`), in IRC's order: banned (`banned`, 474), invite-only
without an invitation (`invite_only`, 473), a wrong key (`bad_key`, 475); the owner always
enters. The member limit is the hub's (`room_full`, 471). Speaking in a moderated room is for
the owner, operators and voiced members (`forbidden`/`room_moderated`, 404).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from causerie.core.policy.nicknames import nick_key
from causerie.core.policy.review import TextReviewer
from causerie.core.policy.room_rules import (
    MAX_MEMBER_LIMIT,
    MAX_TOPIC_CHARS,
    RoomSpec,
    checked_room,
    passes_word_lists,
    single_line,
)
from causerie.core.rooms import Audience, Room, RoomAccess, RoomKind
from causerie.core.users import AgeBand, Profile
from causerie.errors import CauserieError, ErrorCode

TEEN_ID_PREFIX = "ados-"
MAX_KEY_CHARS = 23  # IRC's KEYLEN of the common servers
_KEY_RE = re.compile(r"[!-+\--~]{1,23}")  # printable ASCII without space or comma
MAX_ROLE_ENTRIES = 200  # operators, bans, invitations: each list at most this long


class RoomRole(StrEnum):
    OWNER = "owner"
    OPERATOR = "operator"
    MEMBER = "member"  # anyone else (in the room or not)


@dataclass(frozen=True, slots=True)
class MemberRoomLimits:
    """How many rooms people make (Settings `member_rooms_*`)."""

    owned_per_person: int = 3  # member rooms a person owns at once
    created_per_day_per_person: int = 5
    in_cluster: int = 1000  # member rooms open at once, on every node together
    idle_end_s: float = 600.0  # a member room ends this long after its last member left


@dataclass(frozen=True, slots=True)
class ModeChange:
    """Modes asked for; None leaves one as it is."""

    moderated: bool | None = None
    invite_only: bool | None = None
    key: str | None = None  # "": no key
    unlisted: bool | None = None
    topic_locked: bool | None = None
    member_limit: int | None = None  # 0: no limit


def _holds(names: frozenset[str], key: str) -> bool:
    """Whether `names` (nicknames as written) holds the nickname key `key`."""
    return any(nick_key(name) == key for name in names)


def _without(names: frozenset[str], key: str) -> frozenset[str]:
    return frozenset(name for name in names if nick_key(name) != key)


def _plus(names: frozenset[str], nick: str) -> frozenset[str]:
    return _without(names, nick_key(nick)) | {nick.strip()}


def _refused(code: ErrorCode, key: str, field: str = "room", **params: object) -> CauserieError:
    error = CauserieError(code, key, field=field)
    error.params = params
    return error


# -- making one ------------------------------------------------------------------------------


def room_id_for(name: str, band: AgeBand) -> str:
    """`Les Fans d'Orelsan` -> `les-fans-d-orelsan` (teen: `ados-les-fans-d-orelsan`).

    Raises:
        CauserieError: `invalid`/`room_id_format` on `name` when nothing ASCII is left, or
            `room_name_reserved` for an adult's name that reads as a teen room's id.
    """
    folded = unicodedata.normalize("NFKD", name.strip().lower())
    ascii_only = "".join(ch for ch in folded if ch.isascii())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    if band is AgeBand.TEEN:
        slug = TEEN_ID_PREFIX + slug.removeprefix(TEEN_ID_PREFIX).removeprefix("ados")
        slug = slug.strip("-")
    elif slug.startswith("ados"):
        raise _refused(ErrorCode.INVALID, "room_name_reserved", "name")
    slug = slug[:48].rstrip("-")
    if len(slug) < 2 or (band is AgeBand.TEEN and slug == TEEN_ID_PREFIX.rstrip("-")):
        raise _refused(ErrorCode.INVALID, "room_id_format", "name")
    return slug


def refuse_unless_may_create(
    profile: Profile,
    *,
    is_trusted: bool,
    owned: int,
    created_today: int,
    in_cluster: int,
    limits: MemberRoomLimits,
) -> None:
    """Raises the refusal of a person who may not make a room now (`forbidden` /
    `room_trust_needed` for a new identity, `rate_limited` for a limit reached)."""
    if not is_trusted:
        raise _refused(ErrorCode.FORBIDDEN, "room_trust_needed")
    if owned >= limits.owned_per_person:
        raise _refused(ErrorCode.RATE_LIMITED, "rooms_owned_limit", max=limits.owned_per_person)
    if created_today >= limits.created_per_day_per_person:
        raise _refused(
            ErrorCode.RATE_LIMITED, "rooms_created_limit", max=limits.created_per_day_per_person
        )
    if in_cluster >= limits.in_cluster:
        raise _refused(ErrorCode.RATE_LIMITED, "rooms_cluster_limit")


def audience_for(profile: Profile, asked: str | None) -> Audience:
    """The maker's band; `adult_verified` when asked by an adult a provider vouched for.

    Raises:
        CauserieError: `age_restricted` for `adult_verified` asked by anyone else; `invalid`
            for another audience than the maker's band.
    """
    band = Audience.TEEN if profile.band is AgeBand.TEEN else Audience.ADULT
    if asked is None or asked == "" or asked == band.value:
        return band
    if asked == Audience.ADULT_VERIFIED.value and band is Audience.ADULT:
        if not profile.is_age_verified:
            raise _refused(ErrorCode.AGE_RESTRICTED, "room_needs_verified_age", "audience")
        return Audience.ADULT_VERIFIED
    raise _refused(ErrorCode.INVALID, "room_audience_band", "audience")


def new_member_room(
    name: str,
    topic: str,
    creator: Profile,
    *,
    audience: str | None,
    existing: list[Room],
    taken_ids: set[str],
    reviewer: TextReviewer,
    reserved_skeletons: frozenset[str],
) -> Room:
    """The room `creator` asks for, checked (see the module); `existing`: the rooms not
    archived (only those of the creator's band are compared with its name).

    Raises:
        CauserieError: as `room_id_for`, `audience_for` and `room_rules.checked_room`
            (`room_exists` is reported as `room_name_taken` on `name`).
    """
    room_audience = audience_for(creator, audience)
    room_id = room_id_for(name, creator.band)
    is_teen = room_audience is Audience.TEEN
    same_band = [r for r in existing if (r.audience is Audience.TEEN) is is_teen]
    spec = RoomSpec(
        room_id,
        name,
        (RoomKind.TEEN if is_teen else RoomKind.THEMATIC).value,
        room_audience.value,
        topic,
        pictures=not is_teen,
    )
    try:
        room = checked_room(
            spec,
            existing=same_band,
            taken_ids=taken_ids,
            reviewer=reviewer,
            reserved_skeletons=reserved_skeletons,
        )
    except CauserieError as error:
        if error.key == "room_exists":
            raise _refused(ErrorCode.INVALID, "room_name_taken", "name") from None
        raise
    # Member rooms are listed after every official room (their own section on the web).
    position = max([r.position for r in existing] + [999]) + 1
    return dataclasses.replace(room, position=position, owner=creator.nick)


# -- running one -----------------------------------------------------------------------------


def role_of(room: Room, nick: str) -> RoomRole:
    key = nick_key(nick)
    if room.owner and nick_key(room.owner) == key:
        return RoomRole.OWNER
    if _holds(room.access.operators, key):
        return RoomRole.OPERATOR
    return RoomRole.MEMBER


def is_voiced(room: Room, nick: str) -> bool:
    """Whether the owner or an operator gave this person a voice (+v) in a member room."""
    return _holds(room.access.voiced, nick_key(nick))


def refuse_unless_member_room(room: Room) -> None:
    if not room.is_member_room:
        raise _refused(ErrorCode.FORBIDDEN, "room_official")


def refuse_unless_operator(room: Room, nick: str) -> RoomRole:
    """The actor's role, when they are the owner or an operator; otherwise `forbidden` /
    `room_operator_only` (IRC 482)."""
    refuse_unless_member_room(room)
    role = role_of(room, nick)
    if role is RoomRole.MEMBER:
        raise _refused(ErrorCode.FORBIDDEN, "room_operator_only")
    return role


def checked_key(raw: str) -> str:
    key = raw.strip()
    if key and not _KEY_RE.fullmatch(key):
        raise _refused(ErrorCode.INVALID, "room_key_format", "key", max=MAX_KEY_CHARS)
    return key


def changed_modes(room: Room, actor: str, change: ModeChange) -> Room:
    """The room with the modes `change` asks for, by `actor` (owner or operator).

    Raises:
        CauserieError: `room_operator_only`; `teen_room_open` for invite-only, a key or
            unlisted in the teen space; `room_key_format`; `out_of_range` for the limit.
    """
    refuse_unless_operator(room, actor)
    modes = room.modes
    values = {
        name: getattr(change, name)
        for name in ("moderated", "invite_only", "unlisted", "topic_locked")
        if getattr(change, name) is not None
    }
    if change.key is not None:
        values["key"] = checked_key(change.key)
    modes = dataclasses.replace(modes, **values)
    if room.audience is Audience.TEEN:
        for name in ("invite_only", "unlisted"):
            if getattr(modes, name):
                raise _refused(ErrorCode.INVALID, "teen_room_open", name)
        if modes.key:
            raise _refused(ErrorCode.INVALID, "teen_room_open", "key")
    limit = room.member_limit
    if change.member_limit is not None:
        limit = change.member_limit
        if isinstance(limit, bool) or not 0 <= limit <= MAX_MEMBER_LIMIT:
            raise _refused(
                ErrorCode.INVALID, "out_of_range", "member_limit", min=0, max=MAX_MEMBER_LIMIT
            )
    return dataclasses.replace(room, modes=modes, member_limit=limit)


def room_reason(text: str, reviewer: TextReviewer, is_teen: bool) -> str:
    """A kick's reason as the room may read it: the text when it passes the word lists (as a
    topic must), else nothing."""
    if not text:
        return ""
    try:
        passes_word_lists(text, "reason", reviewer, is_teen)
    except CauserieError:
        return ""
    return text


def changed_topic(room: Room, actor: str, topic: str, reviewer: TextReviewer) -> Room:
    """The room with a new topic (operators only when the topic is locked, and always in an
    official room, whose topic is the operator's).

    Raises:
        CauserieError: `room_operator_only`, `text_length`, `room_text_chars`,
            `room_text_refused`.
    """
    if room.modes.topic_locked or not room.is_member_room:
        refuse_unless_operator(room, actor)
    text = single_line(topic, "topic", 0, MAX_TOPIC_CHARS)
    if text:
        passes_word_lists(text, "topic", reviewer, room.audience is Audience.TEEN)
    return dataclasses.replace(room, topic=text)


def _with(room: Room, **access: frozenset[str]) -> Room:
    for name, keys in access.items():
        if len(keys) > MAX_ROLE_ENTRIES:
            raise _refused(ErrorCode.INVALID, "room_list_full", name, max=MAX_ROLE_ENTRIES)
    return dataclasses.replace(room, access=dataclasses.replace(room.access, **access))


def changed_operator(room: Room, actor: str, target: str, is_operator: bool) -> Room:
    """The owner names (or removes) an operator; the target's membership is the caller's to
    check. Raises `room_owner_only`, or `room_operator_only` for someone not of the room."""
    refuse_unless_member_room(room)
    if role_of(room, actor) is not RoomRole.OWNER:
        raise _refused(ErrorCode.FORBIDDEN, "room_owner_only")
    key = nick_key(target)
    if role_of(room, target) is RoomRole.OWNER:
        return room
    operators = room.access.operators
    operators = _plus(operators, target) if is_operator else _without(operators, key)
    return _with(room, operators=operators)


def changed_voice(room: Room, actor: str, target: str, is_voiced: bool) -> Room:
    """The owner or an operator gives (or takes back) `target`'s voice; the target's
    membership is the caller's to check. Raises `room_operator_only`."""
    refuse_unless_operator(room, actor)
    voiced = room.access.voiced
    voiced = _plus(voiced, target) if is_voiced else _without(voiced, nick_key(target))
    return _with(room, voiced=voiced)


def refuse_unless_may_act_on(room: Room, actor: str, target: str) -> None:
    """A kick or a ban: by the owner or an operator, never of the owner, and an operator
    never acts on another operator (only the owner does)."""
    role = refuse_unless_operator(room, actor)
    target_role = role_of(room, target)
    if target_role is RoomRole.OWNER or (
        target_role is RoomRole.OPERATOR and role is not RoomRole.OWNER
    ):
        raise _refused(ErrorCode.FORBIDDEN, "room_target_protected", "nick")


def changed_ban(room: Room, actor: str, target: str, is_banned: bool) -> Room:
    """Ban (or let back) `target`: a ban also ends their role and invitation."""
    refuse_unless_may_act_on(room, actor, target)
    key = nick_key(target)
    access = room.access
    if not is_banned:
        return _with(room, banned=_without(access.banned, key))
    return _with(
        room,
        banned=_plus(access.banned, target),
        operators=_without(access.operators, key),
        invited=_without(access.invited, key),
        voiced=_without(access.voiced, key),
    )


def changed_invitation(room: Room, actor: str, target: str) -> Room:
    """`actor` invites `target`: any member may in a room open to all, only the owner and
    operators in an invite-only one (IRC's rule); an invitation lifts no ban."""
    refuse_unless_member_room(room)
    if room.modes.invite_only:
        refuse_unless_operator(room, actor)
    key = nick_key(target)
    if _holds(room.access.banned, key):
        raise _refused(ErrorCode.FORBIDDEN, "room_target_banned", "nick")
    return _with(room, invited=_plus(room.access.invited, target))


def without_person(room: Room, key: str) -> Room:
    """The room once the person of nickname key `key` is gone for good: no role, invitation
    or ownership is left for a newcomer with that nickname (bans stay). An owner gone leaves
    `owner` empty: still a member room, run by its operators."""
    access = room.access
    owner = room.owner
    if owner and nick_key(owner) == key:
        owner = ""
    return dataclasses.replace(
        room,
        owner=owner,
        access=RoomAccess(
            _without(access.operators, key),
            access.banned,
            _without(access.invited, key),
            _without(access.voiced, key),
        ),
    )


# -- entering and speaking -------------------------------------------------------------------


def refuse_unless_may_enter(room: Room, nick: str, key: str | None) -> None:
    """Raises the refusal of someone who may not join this room now (see the module)."""
    if not room.is_member_room or role_of(room, nick) is RoomRole.OWNER:
        return
    person = nick_key(nick)
    if _holds(room.access.banned, person):
        raise _refused(ErrorCode.BANNED, "room_banned")
    is_invited = _holds(room.access.invited, person)
    if room.modes.invite_only and not is_invited:
        if role_of(room, nick) is not RoomRole.OPERATOR:
            raise _refused(ErrorCode.INVITE_ONLY, "room_invite_only")
    if room.modes.key and (key or "") != room.modes.key and not is_invited:
        raise _refused(ErrorCode.BAD_KEY, "room_bad_key", "key")


def refuse_unless_may_speak(room: Room, nick: str) -> None:
    if room.modes.moderated and role_of(room, nick) is RoomRole.MEMBER:
        if not is_voiced(room, nick):
            raise _refused(ErrorCode.FORBIDDEN, "room_moderated")


def is_listed_for(room: Room, nick: str, *, is_member: bool) -> bool:
    """Whether a room list shows this room to someone who may see its audience: an unlisted
    member room only to its members, its owner, operators and people invited."""
    if not room.modes.unlisted or is_member:
        return True
    key = nick_key(nick)
    return role_of(room, nick) is not RoomRole.MEMBER or _holds(room.access.invited, key)
