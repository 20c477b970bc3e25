"""Channels and messages: IRC commands become wire requests, and each refusal comes back with
the numeric of the command it answers; room frames render the same for every client."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.irc.directory import Directory
from causerie.irc.session import IrcSession, SessionConfig
from tests.unit.irc.helpers import ALICE, BOB, GENERAL, Driver, codes


def _registered() -> Driver:
    driver = Driver()
    driver.register()
    return driver


def test_join_becomes_a_join_request_and_joined_reads_join_topic_names() -> None:
    driver = _registered()

    lines = driver.join(members=[ALICE, BOB])

    assert driver.requests[-1]["type"] == "join" and driver.requests[-1]["room"] == "general"
    assert lines[0] == ":Alice!u@75.causerie JOIN #general"
    assert codes(lines) == ["JOIN", "332", "353", "366"]
    assert lines[2].endswith("= #general :Alice Bob")


def test_join_refusals_use_join_numerics() -> None:
    driver = _registered()
    cases = {"not_found": "403", "age_restricted": "403", "banned": "474", "invalid": "405"}
    for code, numeric in cases.items():
        driver.feed("JOIN #ados")
        assert codes(driver.reply(type="error", code=code, message="non")) == [numeric]


def test_join_refused_for_age_band_reads_exactly_like_no_such_channel() -> None:
    driver = _registered()
    driver.feed("JOIN #ados")

    lines = driver.reply(type="error", code="age_restricted", message="Tranche d'âge")

    assert lines == [":irc.causerie 403 Alice #ados :No such channel"]


def test_join_zero_parts_every_channel() -> None:
    driver = _registered()
    driver.join()
    driver.feed("JOIN 0")

    assert driver.last_request()["type"] == "part"
    assert driver.reply(type="parted", room="general") == [":Alice!u@75.causerie PART #general"]


def test_part_of_a_channel_not_joined_is_442() -> None:
    driver = _registered()
    assert codes(driver.feed("PART #general")) == ["442"]
    assert codes(driver.feed("PART #nope")) == ["403"]


def test_privmsg_to_a_channel_not_joined_is_404_without_request() -> None:
    driver = _registered()
    before = len(driver.requests)

    assert codes(driver.feed("PRIVMSG #general :hi")) == ["404"]
    assert len(driver.requests) == before


def test_privmsg_to_channel_is_say_and_rate_limit_is_a_notice_with_retry() -> None:
    driver = _registered()
    driver.join()
    driver.feed("PRIVMSG #general :bonjour")
    assert {k: driver.last_request()[k] for k in ("type", "room", "text")} == {
        "type": "say",
        "room": "general",
        "text": "bonjour",
    }

    lines = driver.reply(type="error", code="rate_limited", message="Doucement", retry_after=2.5)

    assert len(lines) == 1 and " NOTICE Alice :" in lines[0]
    assert "Doucement" in lines[0] and "2.5 s" in lines[0]
    assert driver.session.expect_echo == 0


def test_privmsg_muted_is_404_and_a_notice() -> None:
    driver = _registered()
    driver.join()
    driver.feed("PRIVMSG #general :bonjour")

    assert codes(driver.reply(type="error", code="muted", message="Muet", retry_after=60)) == [
        "404",
        "NOTICE",
    ]


def test_privmsg_to_nick_is_dm_and_refusals_read_401_or_notice() -> None:
    driver = _registered()
    driver.feed("PRIVMSG Bob :salut")
    assert {k: driver.last_request()[k] for k in ("type", "to", "text")} == {
        "type": "dm",
        "to": "Bob",
        "text": "salut",
    }
    assert codes(driver.reply(type="error", code="not_found", message="?")) == ["401"]

    driver.feed("PRIVMSG Kid :salut")
    lines = driver.reply(type="error", code="age_restricted", message="Pas entre tranches d'âge")
    assert codes(lines) == ["NOTICE"] and "tranches" in lines[0]


def test_notice_refusals_get_no_automatic_reply() -> None:
    driver = _registered()
    driver.feed("NOTICE Bob :salut")

    assert driver.reply(type="error", code="not_found", message="?") == []


def test_action_becomes_a_star_text_and_other_ctcp_is_not_relayed() -> None:
    driver = _registered()
    driver.feed("PRIVMSG Bob :\x01ACTION danse\x01")
    assert driver.last_request()["text"] == "* danse"
    count = len(driver.requests)
    driver.feed("PRIVMSG Bob :\x01VERSION\x01")
    assert len(driver.requests) == count


def test_dm_received_is_privmsg_and_own_copy_hidden_without_echo_message() -> None:
    driver = _registered()
    dm = {"id": 5, "from": BOB, "to": ALICE, "text": "coucou", "ts": 0}

    assert driver.frame(type="dm", **dm) == [":Bob!u@69.causerie PRIVMSG Alice :coucou"]
    assert driver.frame(type="dm", **{**dm, "from": ALICE, "to": BOB}) == []


def test_own_room_message_is_not_echoed_without_echo_message() -> None:
    driver = _registered()
    driver.join()
    driver.feed("PRIVMSG #general :bonjour")
    assert driver.session.watching  # its connection leaves its own echo out
    assert driver.session.kind == "irc", "it still shares the others' renderings"

    own = {"type": "message", "id": 1, "room": "general", "from": ALICE, "text": "bonjour", "ts": 0}
    assert driver.frame(**own) == []
    assert not driver.session.watching
    assert driver.frame(**{**own, "from": BOB}) == [":Bob!u@69.causerie PRIVMSG #general :bonjour"]


def test_own_room_message_is_echoed_with_echo_message_and_tags() -> None:
    driver = Driver()
    driver.feed("CAP REQ :echo-message server-time message-tags", "CAP END")
    driver.register()
    driver.join()
    driver.feed("PRIVMSG #general :bonjour")
    assert driver.session.kind == "irc:ms" and not driver.session.watching

    own = {
        "type": "message",
        "id": 7,
        "room": "general",
        "from": ALICE,
        "text": "a b",
        "ts": 1_700_000_000_123,
    }
    assert driver.frame(**own) == [
        "@time=2023-11-14T22:13:20.123Z;msgid=7 :Alice!u@75.causerie PRIVMSG #general :a b"
    ]


def test_room_frame_renders_the_same_bytes_for_clients_with_the_same_caps() -> None:
    directory = Directory()
    first = IrcSession(SessionConfig(), directory)
    second = IrcSession(SessionConfig(), directory)
    frame = json.dumps({"type": "presence", "room": "general", "user": BOB, "state": "joined"})

    assert first.kind == second.kind
    assert first.render(frame) == second.render(frame) == b":Bob!u@69.causerie JOIN #general\r\n"
    assert directory.find("bob", ["general"]) is None  # the room is not seated here yet


def test_multiline_web_message_becomes_several_privmsg() -> None:
    driver = _registered()
    message = {
        "type": "message",
        "id": 1,
        "room": "general",
        "from": BOB,
        "text": "un\ndeux\r\nQUIT :x",
        "ts": 0,
    }

    lines = driver.frame(**message)

    assert [line.rsplit("#general ", 1)[1] for line in lines] == [":un", ":deux", ":QUIT :x"]


def test_long_web_message_is_split_under_512_bytes() -> None:
    driver = _registered()
    message = {
        "type": "message",
        "id": 1,
        "room": "general",
        "from": BOB,
        "text": "é" * 2000,
        "ts": 0,
    }

    lines = driver.frame(**message)

    assert len(lines) > 4 and all(len(line.encode()) + 2 <= 512 for line in lines)


def test_kicked_by_a_moderator_reads_as_kick_and_statement_as_notice() -> None:
    driver = _registered()
    driver.join()

    assert codes(driver.frame(type="parted", room="general")) == ["KICK"]
    lines = driver.frame(
        type="notice", kind="moderation", text="Vous avez été exclu", statement_id="st1"
    )
    assert codes(lines) == ["NOTICE", "NOTICE"] and "exclu" in lines[0]


def test_site_ban_pushed_is_465() -> None:
    driver = _registered()

    assert codes(driver.frame(type="error", code="banned", message="Banni")) == ["465"]


def test_topic_names_who_whois_mode_answer_from_what_is_known() -> None:
    driver = _registered()
    driver.join(members=[ALICE, BOB])

    assert codes(driver.feed("TOPIC #general")) == ["332"]
    assert codes(driver.feed("TOPIC #general :new")) == ["482"]
    assert codes(driver.feed("NAMES #general")) == ["353", "366"]
    assert codes(driver.feed("WHO #general")) == ["352", "352", "315"]
    assert codes(driver.feed("WHOIS Bob")) == ["311", "319", "312", "318"]
    assert codes(driver.feed("WHOIS Nobody")) == ["401", "318"]
    assert driver.feed("MODE #general")[0].endswith("324 Alice #general +nt")
    assert codes(driver.feed("MODE #general b")) == ["368"]
    assert codes(driver.feed("MODE Alice")) == ["221"]
    assert codes(driver.feed("MODE Bob")) == ["502"]
    assert "75011" not in " ".join(driver.feed("WHOIS Alice"))


def test_mode_and_kick_are_482_for_people_and_mod_requests_for_staff() -> None:
    driver = _registered()
    driver.join()
    assert codes(driver.feed("KICK #general Bob")) == ["482"]
    assert codes(driver.feed("MODE #general +m")) == ["482"]

    driver.session.staff = "marie"
    driver.feed("KICK #general Bob :spam")
    assert {k: driver.last_request()[k] for k in ("type", "action", "nick", "room", "reason")} == {
        "type": "mod",
        "action": "kick",
        "nick": "Bob",
        "room": "general",
        "reason": "spam",
    }
    driver.feed("MODE #general +b Bob!*@*")
    assert (driver.last_request()["action"], driver.last_request()["nick"]) == ("ban", "Bob")
    driver.feed("MODE #general +m")
    assert driver.last_request()["action"] == "lock_room"


def test_room_locked_reads_as_mode_plus_m() -> None:
    driver = _registered()
    driver.join()

    lines = driver.frame(type="room_state", room="general", locked=True, slow_mode_s=0)

    assert lines[0] == ":irc.causerie MODE #general +m"
    assert driver.feed("MODE #general")[0].endswith("+mnt")


def test_list_asks_for_rooms_and_reads_321_322_323() -> None:
    driver = _registered()
    driver.feed("LIST")

    lines = driver.reply(type="rooms", rooms=[GENERAL])

    assert codes(lines) == ["321", "322", "323"]


def test_chathistory_latest_and_before_map_to_history_in_a_batch() -> None:
    driver = Driver()
    driver.feed("CAP REQ :batch draft/chathistory server-time", "CAP END")
    driver.register()
    driver.join()

    driver.feed("CHATHISTORY BEFORE #general msgid=40 2")
    assert {k: driver.last_request().get(k) for k in ("type", "room", "before", "limit")} == {
        "type": "history",
        "room": "general",
        "before": 40,
        "limit": 2,
    }
    messages = [
        {"id": i, "room": "general", "from": BOB, "text": f"m{i}", "ts": 0} for i in (38, 39)
    ]
    lines = driver.reply(type="history", room="general", messages=messages, more=True)
    assert lines[0] == ":irc.causerie BATCH +b1 chathistory #general"
    assert lines[1].startswith("@batch=b1;time=") and lines[-1] == ":irc.causerie BATCH -b1"

    driver.feed("CHATHISTORY LATEST #general * 10")
    assert "before" not in driver.last_request()
    assert codes(driver.feed("CHATHISTORY LATEST #other * 10")) == ["FAIL"]
    assert codes(driver.feed("CHATHISTORY BEFORE #general timestamp=x 10")) == ["FAIL"]


def test_report_to_the_service_nick_is_a_report_request() -> None:
    driver = _registered()
    driver.feed("PRIVMSG Causerie :REPORT Bob harassment il insiste")

    assert {k: driver.last_request()[k] for k in ("type", "nick", "category", "comment")} == {
        "type": "report",
        "nick": "Bob",
        "category": "harassment",
        "comment": "il insiste",
    }
    lines = driver.reply(type="reported", report_id=3)
    assert "#3" in lines[0]
    driver.feed("REPORT 42 spam")
    assert driver.last_request()["message_id"] == 42


def test_away_is_306_305_and_told_to_away_notify_listeners() -> None:
    driver = _registered()
    told: list[tuple[str, str | None]] = []
    driver.session.directory.listen("x", lambda nick, _m, text: told.append((nick, text)))

    assert codes(driver.feed("AWAY :parti")) == ["306"]
    assert codes(driver.feed("AWAY")) == ["305"]
    assert told == [("Alice", "parti"), ("Alice", None)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=120), max_size=8))
def test_session_random_lines_only_ever_answer(chunks: list[bytes]) -> None:
    driver = _registered()
    driver.join()
    reader_lines = []
    from causerie.irc.parser import LineReader

    reader = LineReader()
    for chunk in chunks:
        reader_lines += reader.feed(chunk + b"\r\n")
    for item in reader_lines:
        driver.session.receive(item)
        driver.session.take()


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        [
            "JOIN",
            "PART",
            "PRIVMSG",
            "NOTICE",
            "MODE",
            "KICK",
            "WHO",
            "WHOIS",
            "TOPIC",
            "NAMES",
            "LIST",
            "CHATHISTORY",
            "AWAY",
            "CAP",
            "AUTHENTICATE",
            "NICK",
            "PROFILE",
            "REPORT",
            "OPER",
            "ISON",
            "USERHOST",
            "PING",
        ]
    ),
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters="\r\n\0 "), max_size=12), max_size=5
    ),
)
def test_session_every_command_with_random_parameters_only_ever_answers(
    command: str, params: list[str]
) -> None:
    driver = _registered()
    driver.join()
    from causerie.irc.parser import Line

    driver.session.receive(Line(command, tuple(params)))
    driver.session.take()
