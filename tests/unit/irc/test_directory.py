"""The listener's directory keeps one description per room for all its sessions."""

from __future__ import annotations

from causerie.irc.directory import MAX_ROOM_DESCRIPTIONS, Directory


def _view(room: str, members: int, topic: str = "on parle sport") -> dict[str, object]:
    return {
        "id": room,
        "name": room.title(),
        "kind": "theme",
        "audience": "adults",
        "topic": topic,
        "pictures": False,
        "members": members,
    }


def test_sessions_share_one_description_per_room_without_the_member_count() -> None:
    directory = Directory()

    first = directory.shared_rooms([_view("sport", 3), _view("general", 10)])
    second = directory.shared_rooms([_view("sport", 4), _view("general", 11)])

    assert list(first) == ["sport", "general"]
    assert first["sport"] is second["sport"] and first["general"] is second["general"]
    assert "members" not in first["sport"] and first["sport"]["topic"] == "on parle sport"


def test_a_new_topic_is_a_new_description_and_the_old_ones_are_bounded() -> None:
    directory = Directory()
    before = directory.shared_room(_view("sport", 1))

    after = directory.shared_room(_view("sport", 1, topic="ce soir, le match"))

    assert after is not before and after["topic"] == "ce soir, le match"
    for index in range(MAX_ROOM_DESCRIPTIONS + 10):
        directory.shared_room(_view("sport", 1, topic=f"sujet {index}"))
    assert len(directory._rooms) <= MAX_ROOM_DESCRIPTIONS


def test_a_description_with_an_unhashable_value_is_kept_apart() -> None:
    directory = Directory()
    view = {**_view("sport", 1), "tags": ["foot"]}

    room = directory.shared_room(view)

    assert room["tags"] == ["foot"] and "members" not in room


def test_sessions_seeing_the_same_rooms_share_one_list_and_a_change_is_their_own() -> None:
    directory = Directory()
    first = directory.shared_rooms([_view("sport", 3), _view("general", 10)])
    second = directory.shared_rooms([_view("sport", 4), _view("general", 11)])
    other_band = directory.shared_rooms([_view("general", 11)])

    changed = directory.with_room(second, _view("sport", 5, topic="ce soir, le match"))

    assert first is second and other_band is not first and list(other_band) == ["general"]
    assert directory.with_room(first, _view("sport", 9)) is first  # nothing new: same list
    assert changed["sport"]["topic"] == "ce soir, le match"
    assert first["sport"]["topic"] == "on parle sport" and changed["general"] is first["general"]
    assert directory.with_room(first, _view("cinema", 1))["cinema"]["name"] == "Cinema"
    assert "cinema" not in first
