"""IRC numerics for the limits on joins, parts and logins (sessions driven in memory)."""

from __future__ import annotations

from causerie.core import commands as cmd
from tests.unit.irc.helpers import Driver, codes, refusal

SLOW = "Tu changes de salon trop vite : réessaie dans 2 s."


def _registered() -> Driver:
    driver = Driver()
    driver.register()
    return driver


def test_join_rate_limited_is_437_for_the_channel_and_no_join_shown() -> None:
    driver = _registered()
    driver.feed("JOIN #general")

    lines = driver.reply(refusal("rate_limited", "join_rate_limited", retry_after_s=2.0))

    assert lines == [f":irc.causerie 437 Alice #general :{SLOW}"]
    assert "general" not in driver.session.channels
    driver.feed("JOIN #general")  # may try again: not taken for joined
    assert driver.last_request() == cmd.Join("general")


def test_part_rate_limited_is_263_and_the_channel_stays() -> None:
    driver = _registered()
    driver.join()
    driver.feed("PART #general")

    lines = driver.reply(refusal("rate_limited", "join_rate_limited", retry_after_s=2.0))

    assert lines == [f":irc.causerie 263 Alice PART :{SLOW}"]
    assert "general" in driver.session.channels


def test_other_join_refusals_keep_their_numerics() -> None:
    driver = _registered()
    driver.feed("JOIN #general")
    assert codes(driver.reply(refusal("not_found", "room_not_found"))) == ["403"]


def test_hello_rate_limited_is_told_without_asking_for_another_profile() -> None:
    driver = Driver()
    driver.feed("NICK Alice", "USER a 0 * :25 f 75011")
    assert isinstance(driver.last_request(), cmd.Hello)
    message = "Trop de connexions depuis ton adresse ou cet appareil : réessaie dans 30 s."

    lines = driver.reply(refusal("rate_limited", "hello_rate_limited", retry_after_s=30.0))

    assert lines == [f":Causerie!service@irc.causerie NOTICE Alice :{message}"]
    assert driver.session.profile is not None  # the profile was fine: the node closes
