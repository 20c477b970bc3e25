"""The operator's room changes on IRC: a new topic is a TOPIC to members only, an archived room
a NOTICE then our own PART, gone from what the session knows; a full room is 471."""

from __future__ import annotations

import dataclasses

from causerie.core import events as ev
from tests.unit.irc.helpers import GENERAL, Driver, codes, refusal, room_view


def _in_general() -> Driver:
    driver = Driver()
    driver.register()
    driver.join()
    return driver


def test_room_updated_a_new_topic_is_a_topic_line_for_members() -> None:
    driver = _in_general()
    changed = dataclasses.replace(GENERAL, topic="Ce soir : cinéma")
    lines = driver.event(ev.RoomUpdated(room_view(changed)))
    assert lines == [":Causerie!service@irc.causerie TOPIC #general :Général — Ce soir : cinéma"]
    assert driver.session.rooms["general"].topic == "Ce soir : cinéma"
    assert driver.event(ev.RoomUpdated(room_view(changed))) == []  # nothing new: nothing said


def test_room_updated_of_a_room_one_is_not_in_says_nothing_but_is_known() -> None:
    driver = Driver()
    driver.register()
    new = dataclasses.replace(GENERAL, id="jardinage", name="Jardinage")
    assert driver.event(ev.RoomUpdated(room_view(new))) == []
    assert "jardinage" in driver.session.rooms


def test_room_archived_is_a_notice_then_our_part() -> None:
    driver = _in_general()
    lines = driver.event(ev.RoomArchived("general", "Général"))
    assert codes(lines) == ["NOTICE", "PART"]
    assert lines[0].startswith(":Causerie!service@irc.causerie NOTICE #general :")
    assert "Général" in lines[0] and "fermé" in lines[0]
    assert lines[1].startswith(":Alice!u@75.causerie PART #general :")
    assert "general" not in driver.session.channels and "general" not in driver.session.rooms
    assert driver.event(ev.RoomArchived("general", "Général")) == []


def test_join_of_a_full_room_is_471() -> None:
    driver = Driver()
    driver.register()
    driver.feed("JOIN #general")
    assert codes(driver.reply(refusal("room_full", "room_full", field="room"))) == ["471"]
