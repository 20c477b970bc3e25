"""The operator's room settings: id format, unique ids, names and topics through the word lists
and the impersonation rules, kind and audience that agree, audience changes."""

from __future__ import annotations

import dataclasses

import pytest

from causerie.core.policy.nicknames import staff_skeletons
from causerie.core.policy.review import Review, ReviewAction
from causerie.core.policy.room_rules import RoomSpec, checked_room
from causerie.core.rooms import DEFAULT_ROOMS, Audience, Room, RoomKind
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.hub.parts import FakeReviewer

GENERAL = next(r for r in DEFAULT_ROOMS if r.id == "general")


def _check(spec: RoomSpec, *, reviewer: FakeReviewer | None = None, **kw: object) -> Room:
    options: dict[str, object] = {
        "existing": DEFAULT_ROOMS,
        "taken_ids": [r.id for r in DEFAULT_ROOMS] + ["ancien"],
        "reviewer": reviewer or FakeReviewer(),
        "reserved_skeletons": staff_skeletons(["Gardienne"]),
    }
    options.update(kw)
    return checked_room(spec, **options)  # type: ignore[arg-type]


def _refused(spec: RoomSpec, **kw: object) -> CauserieError:
    with pytest.raises(CauserieError) as caught:
        _check(spec, **kw)  # type: ignore[arg-type]
    assert caught.value.code is ErrorCode.INVALID
    return caught.value


def _spec(**fields: object) -> RoomSpec:
    base = RoomSpec("jardinage", "Jardinage", "thematic", "adult", "Potagers et balcons.")
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


def test_checked_room_a_good_spec_gives_the_room_after_its_kind() -> None:
    room = _check(_spec(member_limit=40, pictures=False))
    thematic = [r.position for r in DEFAULT_ROOMS if r.kind is RoomKind.THEMATIC]
    assert room == Room(
        "jardinage",
        "Jardinage",
        RoomKind.THEMATIC,
        Audience.ADULT,
        max(thematic) + 1,
        "Potagers et balcons.",
        False,
        40,
        None,
    )
    assert room.is_official


@pytest.mark.parametrize(
    "room_id", ["a", "Jardin potager", "-jardin", "jardin-", "jardín", "x" * 49]
)
def test_checked_room_ids_outside_the_format_are_refused(room_id: str) -> None:
    error = _refused(_spec(id=room_id))
    assert (error.key, error.field) == ("room_id_format", "id")


@pytest.mark.parametrize("room_id", ["general", "ancien", " GENERAL "])
def test_checked_room_an_id_ever_used_is_refused_for_a_new_room(room_id: str) -> None:
    error = _refused(_spec(id=room_id))
    assert (error.key, error.field) == ("room_exists", "id")


def test_checked_room_a_teen_kind_needs_the_teen_audience_and_only_it() -> None:
    assert _refused(_spec(kind="teen", audience="adult")).key == "room_kind_audience"
    assert _refused(_spec(kind="thematic", audience="teen")).key == "room_kind_audience"
    assert _check(_spec(kind="teen", audience="teen")).audience is Audience.TEEN


def test_checked_room_unknown_kinds_and_audiences_are_refused() -> None:
    assert _refused(_spec(kind="secret")).field == "kind"
    assert _refused(_spec(audience="everyone")).field == "audience"


@pytest.mark.parametrize("name", ["Modération", "M0dérateurs du soir", "Gardiennne", "Admin"])
def test_checked_room_names_imitating_staff_are_refused(name: str) -> None:
    assert _refused(_spec(name=name)).key == "room_name_reserved"


@pytest.mark.parametrize("name", ["General", "GÉNÉRAL", "Gеnеral"])  # the last: Cyrillic е
def test_checked_room_a_lookalike_of_another_rooms_name_is_refused(name: str) -> None:
    assert _refused(_spec(name=name)).key == "room_name_taken"


def test_checked_room_an_edit_may_keep_its_own_name() -> None:
    edited = _check(
        RoomSpec("general", "Général", "thematic", "adult", "Nouveau sujet"), previous=GENERAL
    )
    assert (edited.topic, edited.position) == ("Nouveau sujet", GENERAL.position)


class _WordList(FakeReviewer):
    """Holds any text with "vilain" in it, as a word list would."""

    def review(
        self, text: str, *, is_private: bool, sender_is_minor: bool, recipient_is_minor: bool
    ) -> Review:
        return Review(ReviewAction.HOLD, rule="words_hate") if "vilain" in text else Review()


@pytest.mark.parametrize("field", ["name", "topic"])
def test_checked_room_texts_the_word_lists_hold_are_refused(field: str) -> None:
    error = _refused(_spec(**{field: "Un vilain texte"}), reviewer=_WordList())
    assert (error.key, error.field) == ("room_text_refused", field)


def test_checked_room_links_and_control_characters_are_refused() -> None:
    assert _refused(_spec(topic="voir https://x.example")).key == "room_text_refused"
    assert _refused(_spec(topic="deux\nlignes")).key == "room_text_chars"
    assert _refused(_spec(name="J")).key == "text_length"
    assert _refused(_spec(topic="x" * 301)).key == "text_length"


@pytest.mark.parametrize(
    ("before", "after", "allowed"),
    [
        (Audience.ADULT, Audience.ADULT_VERIFIED, True),
        (Audience.ADULT_VERIFIED, Audience.ADULT, False),
        (Audience.ADULT, Audience.TEEN, False),
        (Audience.TEEN, Audience.ADULT, False),
    ],
)
def test_checked_room_an_edit_never_moves_a_room_to_another_band(
    before: Audience, after: Audience, allowed: bool
) -> None:
    kind = RoomKind.TEEN if before is Audience.TEEN else RoomKind.THEMATIC
    previous = Room("coin", "Le coin", kind, before)
    new_kind = "teen" if after is Audience.TEEN else "thematic"
    spec = RoomSpec("coin", "Le coin", new_kind, after.value)
    if allowed:
        assert _check(spec, previous=previous).audience is after
    else:
        assert _refused(spec, previous=previous).key == "room_audience_change"


@pytest.mark.parametrize(
    ("field", "value"),
    [("member_limit", -1), ("member_limit", 10_001), ("slow_mode_s", 3601.0), ("position", -3)],
)
def test_checked_room_numbers_out_of_range_are_refused(field: str, value: float) -> None:
    error = _refused(_spec(**{field: value}))
    assert (error.key, error.field) == ("out_of_range", field)


def test_checked_room_every_default_room_passes_as_an_edit_of_itself() -> None:
    for room in DEFAULT_ROOMS:
        spec = RoomSpec(room.id, room.name, room.kind.value, room.audience.value, room.topic)
        assert _check(spec, previous=room).name == room.name


def test_checked_room_an_edit_checks_only_the_texts_it_changes() -> None:
    teen = next(r for r in DEFAULT_ROOMS if r.id == "ados-general")
    strict = _WordList()
    kept = RoomSpec(teen.id, teen.name, "teen", "teen", "un vilain sujet", pictures=True)
    previous = dataclasses.replace(teen, topic="un vilain sujet")
    assert _check(kept, previous=previous, reviewer=strict).pictures
    changed = dataclasses.replace(kept, topic="un autre vilain sujet")
    assert _refused(changed, previous=previous, reviewer=strict).field == "topic"
