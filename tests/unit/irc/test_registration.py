"""Registration: NICK/USER with the profile in the realname or PROFILE, CAP negotiation holding
registration, SASL PLAIN as the staff login, and the numerics of each refusal."""

from __future__ import annotations

import base64

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.users import AgeBand, Gender, PublicUser
from tests.unit.irc.helpers import Driver, codes, refusal


def test_register_profile_in_realname_sends_hello_then_welcome_burst() -> None:
    driver = Driver()

    assert driver.feed("NICK Alice", "USER a 0 * :25 f 75011") == []
    assert driver.last_request() == cmd.Hello("Alice", "woman", 25, "75011", "fr")

    alice = PublicUser("Alice", Gender.WOMAN, 25, "75", "IDF")
    lines = driver.reply(ev.Welcomed("s", alice, AgeBand.ADULT, (), "t"))
    assert codes(lines)[:5] == ["001", "002", "003", "004", "005"]
    assert "422" in codes(lines)
    isupport = " ".join(line for line in lines if " 005 " in line)
    for token in ("NICKLEN=20", "CHANTYPES=#", "CHATHISTORY=100", "CASEMAPPING=ascii", "UTF8ONLY"):
        assert token in isupport


def test_register_during_cap_negotiation_is_held_until_cap_end() -> None:
    driver = Driver()

    lines = driver.feed("CAP LS 302", "NICK Alice", "USER a 0 * :25 f 75011")
    assert "sasl=PLAIN" in lines[0] and "draft/chathistory" in lines[0]
    assert driver.requests == []
    assert driver.feed("CAP REQ :server-time echo-message")[0].endswith(
        "ACK :server-time echo-message"
    )
    driver.feed("CAP END")
    assert isinstance(driver.last_request(), cmd.Hello)


def test_cap_req_with_an_unknown_capability_is_refused_whole() -> None:
    driver = Driver()

    lines = driver.feed("CAP REQ :server-time bogus")

    assert lines[0].endswith("NAK :server-time bogus")
    assert driver.session.caps == set()


def test_register_without_profile_registers_and_explains_in_french_and_english() -> None:
    driver = Driver()

    lines = driver.feed("NICK Zoe", "USER z 0 * :Zoé")

    assert driver.requests == [] and "001" in codes(lines)
    notices = " ".join(line for line in lines if " NOTICE " in line)
    assert "PROFILE <âge> <genre> <code postal>" in notices
    assert "PROFILE <age> <gender> <postcode>" in notices


def test_join_without_profile_is_477_and_privmsg_404() -> None:
    driver = Driver()
    driver.feed("NICK Zoe", "USER z 0 * :Zoé")

    assert "477" in codes(driver.feed("JOIN #general"))
    assert "404" in codes(driver.feed("PRIVMSG #general :hi"))
    assert driver.requests == []


def test_profile_command_after_registration_sends_hello() -> None:
    driver = Driver()
    driver.feed("NICK Zoe", "USER z 0 * :Zoé")

    driver.feed("PROFILE 19 h 13001")

    assert driver.last_request() == cmd.Hello("Zoe", "man", 19, "13001", "fr")


def test_default_profile_setting_is_used_when_none_is_given() -> None:
    from causerie.irc.profile import Profile

    driver = Driver(default_profile=Profile(30, "unspecified", "75001"))

    driver.feed("NICK Zoe", "USER z 0 * :Zoé")

    assert driver.last_request() == cmd.Hello("Zoe", "unspecified", 30, "75001", "fr")


def test_hello_nick_taken_is_433_and_another_nick_retries() -> None:
    driver = Driver()
    driver.feed("NICK Alice", "USER a 0 * :25 f 75011")

    lines = driver.reply(refusal("nick_taken", field="nick"))
    assert codes(lines) == ["433"]

    driver.feed("NICK Alice2")
    assert driver.last_request() == cmd.Hello("Alice2", "woman", 25, "75011", "fr")


def test_hello_refused_for_the_age_registers_without_profile_and_says_why() -> None:
    driver = Driver()
    driver.feed("NICK Kid", "USER a 0 * :9 f 75011")

    lines = driver.reply(refusal("too_young", field="age", min=13))

    assert "001" in codes(lines)
    assert any("au moins 13 ans" in line for line in lines)


def test_hello_refused_for_a_ban_is_465_and_closes() -> None:
    driver = Driver()
    driver.feed("NICK Alice", "USER a 0 * :25 f 75011")

    lines = driver.reply(refusal("banned", retry_after_s=60))

    assert codes(lines) == ["465"] and driver.closed == "Banned"


def test_nick_checks_431_432_and_no_change_after_profile() -> None:
    driver = Driver()
    assert codes(driver.feed("NICK")) == ["431"]
    assert codes(driver.feed("NICK #chan")) == ["432"]
    driver.register()
    assert codes(driver.feed("NICK Other")) == ["400"]


def test_commands_before_registration_are_451_and_user_twice_462() -> None:
    driver = Driver()
    assert codes(driver.feed("JOIN #general")) == ["451"]
    driver.register()
    assert codes(driver.feed("USER a 0 * :x")) == ["462"]
    assert codes(driver.feed("PASS x")) == ["462"]


def test_missing_parameters_461_and_unknown_command_421() -> None:
    driver = Driver()
    driver.register()

    assert codes(driver.feed("JOIN")) == ["461"]
    assert codes(driver.feed("KICK #general")) == ["461"]
    assert codes(driver.feed("FROBNICATE x")) == ["421"]


def test_ping_is_answered_with_pong_before_and_after_registration() -> None:
    driver = Driver()
    assert driver.feed("PING :abc") == [":irc.causerie PONG irc.causerie abc"]


def test_sasl_plain_becomes_a_staff_login_and_success_is_900_903() -> None:
    driver = Driver()
    driver.feed("CAP LS 302", "CAP REQ :sasl", "NICK modo", "USER m 0 * :modo")

    assert driver.feed("AUTHENTICATE PLAIN") == ["AUTHENTICATE +"]
    payload = base64.b64encode(b"\0marie\0secret").decode()
    driver.feed(f"AUTHENTICATE {payload}")
    assert driver.last_request() == cmd.StaffLogin("marie", "secret")

    lines = driver.reply(ev.StaffWelcomed("marie", "moderator", ()))
    assert codes(lines) == ["900", "903"]
    assert driver.session.staff == "marie"


def test_sasl_failure_is_904_and_bad_payload_too() -> None:
    driver = Driver()
    driver.feed("CAP REQ :sasl", "AUTHENTICATE PLAIN")

    assert codes(driver.feed("AUTHENTICATE !!notbase64")) == ["904"]
    driver.feed("AUTHENTICATE PLAIN", "AUTHENTICATE " + base64.b64encode(b"\0a\0b").decode())
    assert codes(driver.reply(refusal("forbidden"))) == ["904"]


def test_sasl_unknown_mechanism_lists_plain() -> None:
    driver = Driver()
    driver.feed("CAP REQ :sasl")

    assert codes(driver.feed("AUTHENTICATE EXTERNAL")) == ["908", "904"]


def test_quit_closes_with_its_reason() -> None:
    driver = Driver()
    driver.feed("QUIT :bye")

    assert driver.closed == "Quit: bye"
    assert driver.farewell == "bye"  # the node shows the rooms what passes of it


def test_quit_without_words_hands_the_node_none() -> None:
    driver = Driver()
    driver.feed("QUIT")

    assert (driver.closed, driver.farewell) == ("Client quit", "")


# -- a server password (`irc_password`, private deployments) -----------------------------------


def test_server_password_given_by_pass_registers_as_usual() -> None:
    driver = Driver(password="sésame")

    driver.feed("PASS sésame", "NICK Alice", "USER a 0 * :25 f 75011")

    assert isinstance(driver.last_request(), cmd.Hello) and driver.closed is None


def test_server_password_wrong_or_missing_is_464_then_closed_nothing_asked() -> None:
    for lines in (("PASS faux",), ()):
        driver = Driver(password="sésame")

        out = driver.feed(*lines, "NICK Alice", "USER a 0 * :25 f 75011")

        assert codes(out) == ["464"] and driver.closed == "Bad password"
        assert driver.requests == []


def test_pass_without_a_server_password_changes_nothing() -> None:
    driver = Driver()

    driver.feed("PASS nimporte", "NICK Alice", "USER a 0 * :25 f 75011")

    assert isinstance(driver.last_request(), cmd.Hello)
