"""Channels and messages: IRC commands become core commands, and each refusal comes back with
the numeric of the command it answers; room events render the same for every client."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.messages import Message
from causerie.irc.directory import Directory
from causerie.irc.session import IrcSession, SessionConfig
from causerie.node.envelope import Envelope
from tests.unit.irc.helpers import (
    ALICE,
    BOB,
    GENERAL,
    Driver,
    codes,
    dm_sent,
    posted,
    refusal,
    room_view,
)


def _registered() -> Driver:
    driver = Driver()
    driver.register()
    return driver


def test_join_becomes_a_join_request_and_joined_reads_join_topic_names() -> None:
    driver = _registered()

    lines = driver.join(members=[ALICE, BOB])

    assert driver.last_request() == cmd.Join("general")
    assert lines[0] == ":Alice!u@75.causerie JOIN #general"
    assert codes(lines) == ["JOIN", "332", "353", "366"]
    assert lines[2].endswith("= #general :Alice Bob")


def test_join_refusals_use_join_numerics() -> None:
    driver = _registered()
    cases = {"not_found": "403", "age_restricted": "403", "banned": "474", "invalid": "405"}
    for code, numeric in cases.items():
        driver.feed("JOIN #ados")
        assert codes(driver.reply(refusal(code))) == [numeric]


def test_join_refused_for_age_band_reads_exactly_like_no_such_channel() -> None:
    driver = _registered()
    driver.feed("JOIN #ados")

    lines = driver.reply(refusal("age_restricted"))

    assert lines == [":irc.causerie 403 Alice #ados :No such channel"]


def test_join_zero_parts_every_channel() -> None:
    driver = _registered()
    driver.join()
    driver.feed("JOIN 0")

    assert driver.last_request() == cmd.Part("general")
    assert driver.reply(ev.Parted("general")) == [":Alice!u@75.causerie PART #general"]


def test_part_words_go_to_the_node_and_come_back_as_the_room_read_them() -> None:
    driver = _registered()
    driver.join()
    driver.feed("PART #general :bye everyone")

    assert driver.last_request() == cmd.Part("general", "bye everyone")
    shown = ev.Parted("general", reason="bye everyone")
    assert driver.reply(shown) == [":Alice!u@75.causerie PART #general :bye everyone"]


def test_part_words_the_room_did_not_read_leave_a_bare_part() -> None:
    driver = _registered()
    driver.join()
    driver.feed("PART #general :salut connard")

    assert driver.reply(ev.Parted("general")) == [":Alice!u@75.causerie PART #general"]


def test_someone_elses_part_and_quit_carry_their_words_when_shown() -> None:
    driver = _registered()
    driver.join(members=[ALICE, BOB])
    left = ev.PresenceState.LEFT

    part = driver.event(ev.PresenceChanged("general", BOB, left, reason="à plus"))
    quit_ = driver.event(ev.PresenceChanged("general", BOB, left, reason="qux out", is_quit=True))
    bare = driver.event(ev.PresenceChanged("general", BOB, left, is_quit=True))

    assert [line.split(" ", 1)[1] for line in part + quit_ + bare] == [
        "PART #general :à plus",
        "QUIT :Quit: qux out",
        "QUIT Quit",
    ]


def test_part_of_a_channel_not_joined_is_442() -> None:
    driver = _registered()
    assert codes(driver.feed("PART #general")) == ["442"]
    # A room not known here (nobody made it, or made a moment ago): the node says which.
    assert driver.feed("PART #nope") == []
    assert driver.last_request() == cmd.Part("nope")
    assert codes(driver.reply(refusal("not_found", "room_not_found"))) == ["403"]
    driver.feed("PART #club")
    assert codes(driver.reply(refusal("forbidden", "not_in_room"))) == ["442"]


def test_privmsg_to_a_channel_not_joined_is_404_without_request() -> None:
    driver = _registered()
    before = len(driver.requests)

    assert codes(driver.feed("PRIVMSG #general :hi")) == ["404"]
    assert len(driver.requests) == before


def test_privmsg_to_channel_is_say_and_rate_limit_is_a_notice_with_retry() -> None:
    driver = _registered()
    driver.join()
    driver.feed("PRIVMSG #general :bonjour")
    assert driver.last_request() == cmd.Say("general", "bonjour")

    lines = driver.reply(refusal("rate_limited", retry_after_s=2.45))

    assert len(lines) == 1 and " NOTICE Alice :" in lines[0]
    assert "Doucement" in lines[0] and "2.5 s" in lines[0]
    assert driver.session.expect_echo == 0


def test_privmsg_muted_is_404_and_a_notice() -> None:
    driver = _registered()
    driver.join()
    driver.feed("PRIVMSG #general :bonjour")

    assert codes(driver.reply(refusal("muted", retry_after_s=60))) == [
        "404",
        "NOTICE",
    ]


def test_privmsg_to_nick_is_dm_and_refusals_read_401_or_notice() -> None:
    driver = _registered()
    driver.feed("PRIVMSG Bob :salut")
    assert driver.last_request() == cmd.SendDm("Bob", "salut")
    assert codes(driver.reply(refusal("not_found", "user_not_found", field="to"))) == ["401"]

    driver.feed("PRIVMSG Kid :salut")
    lines = driver.reply(refusal("age_restricted"))
    assert codes(lines) == ["NOTICE"] and "tranche d'âge" in lines[0]


def test_notice_refusals_get_no_automatic_reply() -> None:
    driver = _registered()
    driver.feed("NOTICE Bob :salut")

    assert driver.reply(refusal("not_found")) == []


def test_action_becomes_a_star_text_and_other_ctcp_is_not_relayed() -> None:
    driver = _registered()
    driver.feed("PRIVMSG Bob :\x01ACTION danse\x01")
    assert driver.last_request() == cmd.SendDm("Bob", "* danse")
    count = len(driver.requests)
    driver.feed("PRIVMSG Bob :\x01VERSION\x01")
    assert len(driver.requests) == count


def test_dm_received_is_privmsg_and_own_copy_hidden_without_echo_message() -> None:
    driver = _registered()
    assert driver.event(dm_sent(BOB, ALICE, "coucou")) == [
        ":Bob!u@69.causerie PRIVMSG Alice :coucou"
    ]
    assert driver.event(dm_sent(ALICE, BOB, "coucou")) == []


def test_own_room_message_is_not_echoed_without_echo_message() -> None:
    driver = _registered()
    driver.join()
    driver.feed("PRIVMSG #general :bonjour")
    assert driver.session.watching  # its connection leaves its own echo out
    assert driver.session.kind == "irc", "it still shares the others' renderings"

    assert driver.event(posted(ALICE, "bonjour")) == []
    assert not driver.session.watching
    assert driver.event(posted(BOB, "bonjour")) == [":Bob!u@69.causerie PRIVMSG #general :bonjour"]


def test_own_room_message_is_echoed_with_echo_message_and_tags() -> None:
    driver = Driver()
    driver.feed("CAP REQ :echo-message server-time message-tags", "CAP END")
    driver.register()
    driver.join()
    driver.feed("PRIVMSG #general :bonjour")
    assert driver.session.kind == "irc:ms" and not driver.session.watching

    own = posted(ALICE, "a b", id=7, ts=1_700_000_000_123)
    assert driver.event(own) == [
        "@time=2023-11-14T22:13:20.123Z;msgid=7 :Alice!u@75.causerie PRIVMSG #general :a b"
    ]


def test_room_event_renders_the_same_bytes_for_clients_with_the_same_caps() -> None:
    directory = Directory()
    first = IrcSession(SessionConfig(), directory)
    second = IrcSession(SessionConfig(), directory)
    arrival = Envelope(ev.PresenceChanged("general", BOB, ev.PresenceState.JOINED))

    assert first.kind == second.kind
    assert (
        first.render(arrival) == second.render(arrival) == b":Bob!u@69.causerie JOIN #general\r\n"
    )
    assert not hasattr(directory, "rosters"), "the listener keeps no roster of its own"


def test_multiline_web_message_becomes_several_privmsg() -> None:
    driver = _registered()
    lines = driver.event(posted(BOB, "un\ndeux\r\nQUIT :x"))

    assert [line.rsplit("#general ", 1)[1] for line in lines] == [":un", ":deux", ":QUIT :x"]


def test_long_web_message_is_split_under_512_bytes() -> None:
    driver = _registered()
    lines = driver.event(posted(BOB, "é" * 2000))

    assert len(lines) > 4 and all(len(line.encode()) + 2 <= 512 for line in lines)


def test_kicked_by_a_moderator_reads_as_kick_and_statement_as_notice() -> None:
    driver = _registered()
    driver.join()

    assert codes(driver.event(ev.Parted("general"))) == ["KICK"]
    lines = driver.event(ev.Stated("Vous avez été exclu", "st1"))
    assert codes(lines) == ["NOTICE", "NOTICE"] and "exclu" in lines[0]


def test_site_ban_pushed_is_465() -> None:
    driver = _registered()

    assert codes(driver.event(refusal("banned"))) == ["465"]


def test_topic_names_who_whois_mode_are_answered_from_what_the_node_says() -> None:
    driver = _registered()
    driver.join(members=[ALICE, BOB])
    bob_here = ev.PeopleFound(((BOB, ("general",)),))

    assert codes(driver.feed("TOPIC #general")) == ["332"]
    assert codes(driver.feed("TOPIC #general :new")) == ["482"]
    assert driver.feed("NAMES #general") == [] and driver.last_request() == cmd.ListMembers(
        "general"
    )
    assert codes(driver.reply(ev.Members("general", (ALICE, BOB)))) == ["353", "366"]
    assert driver.feed("WHO #general") == [] and driver.last_request() == cmd.ListMembers("general")
    assert codes(driver.reply(ev.Members("general", (ALICE, BOB)))) == ["352", "352", "315"]
    assert driver.feed("WHOIS Bob") == [] and driver.last_request() == cmd.LookUp(("Bob",))
    assert codes(driver.reply(bob_here)) == ["311", "319", "312", "318"]
    driver.feed("WHOIS Nobody")
    assert codes(driver.reply(ev.PeopleFound(()))) == ["401", "318"]
    driver.feed("MODE #general")
    assert driver.last_request() == cmd.ListMembers("general")
    assert driver.reply(ev.Members("general", ()))[0].endswith("324 Alice #general +nt")
    assert codes(driver.feed("MODE #general b")) == ["368"]
    assert codes(driver.feed("MODE Alice")) == ["221"]
    driver.feed("MODE Bob")
    assert codes(driver.reply(bob_here)) == ["502"]
    driver.feed("WHOIS Alice")
    assert "75011" not in " ".join(driver.reply(ev.PeopleFound(((ALICE, ("general",)),))))


def test_mode_and_kick_are_482_for_people_and_mod_requests_for_staff() -> None:
    driver = _registered()
    driver.join()
    assert codes(driver.feed("KICK #general Bob")) == ["482"]
    assert codes(driver.feed("MODE #general +m")) == ["482"]

    driver.session.staff = "marie"
    driver.feed("KICK #general Bob :spam")
    assert driver.last_request() == cmd.Moderate("kick", "spam", nick="Bob", room="general")
    driver.feed("MODE #general +b Bob!*@*")
    assert driver.last_request() == cmd.Moderate("ban", "IRC", nick="Bob", room="general")
    driver.feed("MODE #general +m")
    assert driver.last_request() == cmd.Moderate("lock_room", "IRC", room="general", locked=True)


def test_room_locked_reads_as_mode_plus_m() -> None:
    driver = _registered()
    driver.join()

    lines = driver.event(ev.RoomStateChanged("general", True, 0))

    assert lines[0] == ":irc.causerie MODE #general +m"
    driver.feed("MODE #general")
    assert driver.reply(ev.Members("general", (), locked=True))[0].endswith("+mnt")


def test_list_asks_for_rooms_and_reads_321_322_323() -> None:
    driver = _registered()
    driver.feed("LIST")
    assert driver.last_request() == cmd.ListRooms()

    lines = driver.reply(ev.RoomsListed((room_view(GENERAL, 3),)))

    assert codes(lines) == ["321", "322", "323"] and " #general 3 :Général — " in lines[1]


def test_chathistory_latest_and_before_map_to_history_in_a_batch() -> None:
    driver = Driver()
    driver.feed("CAP REQ :batch draft/chathistory server-time", "CAP END")
    driver.register()
    driver.join()

    driver.feed("CHATHISTORY BEFORE #general msgid=40 2")
    assert driver.last_request() == cmd.FetchHistory("general", 40, 2)
    messages = tuple(Message(i, "general", BOB, f"m{i}", 0) for i in (38, 39))
    lines = driver.reply(ev.HistoryLoaded("general", messages, True))
    assert lines[0] == ":irc.causerie BATCH +b1 chathistory #general"
    assert lines[1].startswith("@batch=b1;time=") and lines[-1] == ":irc.causerie BATCH -b1"

    driver.feed("CHATHISTORY LATEST #general * 10")
    assert driver.last_request() == cmd.FetchHistory("general", None, 10)
    assert codes(driver.feed("CHATHISTORY LATEST #other * 10")) == ["FAIL"]
    assert codes(driver.feed("CHATHISTORY BEFORE #general timestamp=x 10")) == ["FAIL"]


def test_chathistory_before_an_id_past_2_53_fails_as_the_node_would_without_asking() -> None:
    driver = _registered()
    driver.join()
    asked = len(driver.requests)

    [line] = driver.feed(f"CHATHISTORY BEFORE #general msgid={2**53} 10")

    assert " FAIL CHATHISTORY MESSAGE_ERROR #general :" in line and "before" in line
    assert len(driver.requests) == asked


def test_report_to_the_service_nick_is_a_report_request() -> None:
    driver = _registered()
    driver.feed("PRIVMSG Causerie :REPORT Bob harassment il insiste")

    assert driver.last_request() == cmd.Report("harassment", nick="Bob", comment="il insiste")
    lines = driver.reply(ev.Reported(3))
    assert "#3" in lines[0]
    driver.feed("REPORT 42 spam")
    assert driver.last_request() == cmd.Report("spam", message_id=42)
    asked = len(driver.requests)
    assert "message_id" in driver.feed(f"REPORT {2**53} spam")[0]
    assert len(driver.requests) == asked


def test_away_is_306_305_and_told_to_away_notify_listeners() -> None:
    driver = _registered()
    driver.join()
    told: list[tuple[str, str | None, frozenset[str]]] = []
    driver.session.directory.listen(
        "x", lambda nick, _m, text, rooms: told.append((nick, text, rooms))
    )

    assert codes(driver.feed("AWAY :parti")) == ["306"]
    assert codes(driver.feed("AWAY")) == ["305"]
    assert told == [("Alice", "parti", {"general"}), ("Alice", None, {"general"})]


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


def test_names_of_several_channels_lists_each_joined_one_then_one_366() -> None:
    driver = Driver()
    driver.register()
    driver.join()

    assert driver.feed("NAMES #general,#nowhere") == []
    assert driver.last_request() == cmd.ListMembers("general")
    lines = driver.reply(ev.Members("general", (ALICE, BOB)))

    assert lines == [
        ":irc.causerie 353 Alice = #general :Alice Bob",
        ":irc.causerie 366 Alice #general,#nowhere :End of /NAMES list",
    ]
    assert codes(driver.feed("NAMES #nowhere,#ailleurs")) == ["366"]
