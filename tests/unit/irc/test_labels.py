"""IRCv3 labeled-response: a labelled command's answer comes back with its label, as an ACK,
one tagged line or a `labeled-response` batch, once every request it made was answered."""

from __future__ import annotations

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.irc.labels import labelled_lines
from tests.unit.irc.helpers import ALICE, BOB, GENERAL, Driver, refusal, room_view


def _labelled_driver() -> Driver:
    driver = Driver()
    driver.feed("CAP LS 302", "CAP REQ :batch labeled-response", "CAP END")
    driver.register()
    return driver


def test_labelled_lines_are_an_ack_one_tagged_line_or_a_batch() -> None:
    line = ":s 001 Alice :Hi\r\n"

    assert labelled_lines("a;b", [], "s", "b1") == "@label=a\\:b :s ACK\r\n"
    assert labelled_lines("x", [line], "s", "b1") == "@label=x :s 001 Alice :Hi\r\n"
    assert labelled_lines("x", ["@time=t :s 002 Alice :Ho\r\n" + line], "s", "b7") == (
        "@label=x :s BATCH +b7 labeled-response\r\n"
        "@batch=b7;time=t :s 002 Alice :Ho\r\n"
        "@batch=b7 :s 001 Alice :Hi\r\n"
        ":s BATCH -b7\r\n"
    )


def test_a_command_answered_at_once_gets_its_label_back() -> None:
    driver = _labelled_driver()

    assert driver.feed("@label=p1 PING tok") == ["@label=p1 :irc.causerie PONG irc.causerie tok"]
    assert driver.feed("PING tok") == [":irc.causerie PONG irc.causerie tok"]


def test_a_join_is_one_batch_once_the_node_answered_every_request_it_made() -> None:
    driver = _labelled_driver()

    assert driver.feed("@label=j1 JOIN #general,inv@lid") == []  # 403 waits for #general
    assert driver.last_request() == cmd.Join("general")
    assert driver.event(ev.PresenceChanged("general", ALICE, ev.PresenceState.JOINED)) == []
    lines = driver.reply(ev.Joined(room_view(GENERAL, 2), (ALICE, BOB), ()))

    assert lines[0].startswith("@label=j1 :irc.causerie BATCH +")
    batch = lines[0].split(" ")[3][1:]
    assert lines[-1] == f":irc.causerie BATCH -{batch}"
    inner = lines[1:-1]
    assert all(line.startswith(f"@batch={batch} ") for line in inner)
    assert [line.split(" ")[2] for line in inner] == ["403", "JOIN", "332", "353", "366"]


def test_a_refusal_after_a_chain_of_requests_closes_the_label() -> None:
    driver = _labelled_driver()

    driver.feed("@label=t2 JOIN #club")
    assert driver.reply(refusal("not_found", "room_not_found")) == []  # then the room is made
    assert driver.last_request() == cmd.CreateRoom("club")
    lines = driver.reply(refusal("forbidden", "member_rooms_limit"))

    assert lines[0] == "@label=t2 :irc.causerie BATCH +b1 labeled-response"
    assert lines[1].startswith("@batch=b1 :irc.causerie 403 Alice #club ")
    assert " NOTICE Alice " in lines[2] and lines[3] == ":irc.causerie BATCH -b1"


def test_without_the_capability_a_label_changes_nothing() -> None:
    driver = Driver()
    driver.register()

    assert driver.feed("@label=p1 PING tok") == [":irc.causerie PONG irc.causerie tok"]
