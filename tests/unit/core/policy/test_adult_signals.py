"""Signals that a "teen" may be an adult: the address's weight, one flag per person per window,
and minors reached with no room in common. Pure, with the clock passed in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from causerie.core.policy.adult_signals import (
    CROWDED_DEVICES,
    SEVERITY_STRONG,
    SEVERITY_WEAK,
    AddressRule,
    FlagGate,
    ReachRule,
    ReachWatch,
    Sighting,
    weigh_address,
)

MINUTE_MS = 60_000
NOW_MS = 10 * 86_400_000
RULE = AddressRule(window_s=86400, min_weight=3)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1"


def _weigh(sightings: list[Sighting], device: str = "tel-teen", agent: str = PHONE) -> object:
    return weigh_address(sightings, device=device, user_agent=agent, now_ms=NOW_MS, rule=RULE)


def test_weigh_address_without_an_adult_profile_has_nothing_to_weigh() -> None:
    teens = [Sighting("tel-sister", 14, PHONE, NOW_MS - MINUTE_MS)]
    assert _weigh(teens) is None
    assert _weigh([]) is None


def test_weigh_address_ignores_the_same_device_and_profiles_outside_the_window() -> None:
    same_device = Sighting("tel-teen", 35, PHONE, NOW_MS - MINUTE_MS)
    too_old = Sighting("pc-parent", 45, FIREFOX, NOW_MS - RULE.window_ms - 1)
    assert _weigh([same_device, too_old]) is None


def test_weigh_address_private_window_minutes_after_an_adult_profile_is_strong() -> None:
    adult = Sighting("pc-1", 34, FIREFOX, NOW_MS - 5 * MINUTE_MS)
    weight = weigh_address([adult], device="new-abc", user_agent=FIREFOX, now_ms=NOW_MS, rule=RULE)
    assert weight is not None
    assert weight.factors == ("adult_within_15_min", "same_browser", "no_device_cookie")
    assert weight.weight == 5 and weight.severity == SEVERITY_STRONG
    assert (weight.adult_devices, weight.minor_devices, weight.minutes_since_adult) == (1, 0, 5)


def test_weigh_address_a_parent_on_another_device_an_hour_ago_stays_below_the_line() -> None:
    parent = Sighting("pc-parent", 44, FIREFOX, NOW_MS - 60 * MINUTE_MS)
    weight = _weigh([parent])
    assert weight is not None
    assert weight.factors == ("adult_within_2_h",)
    assert weight.weight < RULE.min_weight


def test_weigh_address_a_parent_this_morning_weighs_nothing() -> None:
    parent = Sighting("pc-parent", 44, FIREFOX, NOW_MS - 10 * 60 * MINUTE_MS)
    weight = _weigh([parent])
    assert weight is not None and weight.weight == 0 and weight.factors == ()


def test_weigh_address_other_teens_at_the_address_lower_the_weight() -> None:
    adult = Sighting("tel-2", 30, PHONE, NOW_MS - 2 * MINUTE_MS)
    alone = _weigh([adult])
    with_sibling = _weigh([adult, Sighting("tel-sister", 13, PHONE, NOW_MS - MINUTE_MS)])
    assert alone is not None and with_sibling is not None
    assert with_sibling.weight == alone.weight - 1
    assert "other_minors_here" in with_sibling.factors
    assert alone.severity == SEVERITY_WEAK


def test_weigh_address_a_crowded_address_falls_below_the_line() -> None:
    crowd = [
        Sighting(f"tel-{index}", 20 + index, PHONE, NOW_MS - MINUTE_MS)
        for index in range(CROWDED_DEVICES)
    ]
    weight = weigh_address(crowd, device="new-x", user_agent=PHONE, now_ms=NOW_MS, rule=RULE)
    assert weight is not None
    assert "crowded_address" in weight.factors
    assert weight.weight < RULE.min_weight


def test_weigh_address_an_empty_user_agent_is_no_browser_in_common() -> None:
    adult = Sighting("irc-1", 30, "", NOW_MS - MINUTE_MS)
    weight = weigh_address([adult], device="tel-teen", user_agent="", now_ms=NOW_MS, rule=RULE)
    assert weight is not None and "same_browser" not in weight.factors


@given(
    ages=st.lists(st.integers(13, 90), min_size=1, max_size=12),
    minutes=st.lists(st.integers(0, 24 * 60), min_size=12, max_size=12),
)
def test_weigh_address_one_more_minor_device_never_raises_the_weight(
    ages: list[int], minutes: list[int]
) -> None:
    """A household's other teens make a flag less likely, never more."""
    sightings = [
        Sighting(f"d{index}", age, PHONE, NOW_MS - minutes[index] * MINUTE_MS)
        for index, age in enumerate(ages)
    ]
    before = _weigh(sightings)
    after = _weigh([*sightings, Sighting("d-teen-more", 15, FIREFOX, NOW_MS - MINUTE_MS)])
    if before is not None:
        assert after is not None and after.weight <= before.weight  # type: ignore[attr-defined]


def test_flag_gate_allows_one_flag_per_person_per_window() -> None:
    gate = FlagGate(window_ms=3_600_000)
    assert gate.allow(["device:tel-1", "nick:lea"], NOW_MS)
    assert not gate.allow(["device:tel-1", "nick:other"], NOW_MS + MINUTE_MS)
    assert not gate.allow(["nick:lea"], NOW_MS + 59 * MINUTE_MS)
    assert gate.allow(["nick:lea"], NOW_MS + 60 * MINUTE_MS)
    assert not gate.allow([], NOW_MS)


def test_flag_gate_forgets_the_least_recent_keys_past_its_size() -> None:
    gate = FlagGate(window_ms=3_600_000, max_keys=2)
    for key in ("a", "b", "c"):
        assert gate.allow([key], NOW_MS)
    assert gate.allow(["a"], NOW_MS + 1)  # forgotten: memory stays bounded
    assert not gate.allow(["c"], NOW_MS + 1)


def test_reach_watch_four_minors_within_the_hour_raise_one_flag() -> None:
    watch = ReachWatch(ReachRule(minors=4, window_s=3600))
    keys = ("device:tel-1", "nick:tom")
    outcomes = [
        watch.note(keys, f"teen{index}", f"Teen{index}", NOW_MS + index * MINUTE_MS)
        for index in range(6)
    ]
    assert outcomes[:3] == [None, None, None]
    flag = outcomes[3]
    assert flag is not None and flag.minors == ("Teen0", "Teen1", "Teen2", "Teen3")
    assert outcomes[4:] == [None, None]  # one flag per person per window


def test_reach_watch_the_same_minor_again_is_not_another_minor() -> None:
    watch = ReachWatch(ReachRule(minors=2, window_s=3600))
    assert watch.note(["nick:tom"], "lea", "Lea", NOW_MS) is None
    assert watch.note(["nick:tom"], "lea", "Lea", NOW_MS + 1) is None
    assert watch.note(["nick:tom"], "zoe", "Zoe", NOW_MS + 2) is not None


def test_reach_watch_minors_spread_beyond_the_window_raise_nothing() -> None:
    watch = ReachWatch(ReachRule(minors=3, window_s=3600))
    flags = [
        watch.note(["nick:tom"], f"t{index}", f"T{index}", NOW_MS + index * 31 * MINUTE_MS)
        for index in range(6)
    ]
    assert flags == [None] * 6


def test_reach_watch_flags_again_once_the_window_has_passed() -> None:
    watch = ReachWatch(ReachRule(minors=2, window_s=3600))
    assert watch.note(["nick:tom"], "a", "A", NOW_MS) is None
    assert watch.note(["nick:tom"], "b", "B", NOW_MS + 1) is not None
    assert watch.note(["nick:tom"], "c", "C", NOW_MS + 2) is None
    later = NOW_MS + 3_600_000 + 10
    assert watch.note(["nick:tom"], "d", "D", later) is None
    flag = watch.note(["nick:tom"], "e", "E", later + 1)
    assert flag is not None and flag.minors == ("D", "E")


def test_reach_watch_a_new_nickname_on_the_same_device_keeps_counting() -> None:
    watch = ReachWatch(ReachRule(minors=3, window_s=3600))
    assert watch.note(["device:tel-1", "nick:tom"], "a", "A", NOW_MS) is None
    assert watch.note(["device:tel-1", "nick:tom"], "b", "B", NOW_MS + 1) is None
    flag = watch.note(["device:tel-1", "nick:theo"], "c", "C", NOW_MS + 2)
    assert flag is not None and flag.minors == ("A", "B", "C")


def test_reach_watch_without_keys_counts_nothing() -> None:
    watch = ReachWatch(ReachRule(minors=1, window_s=3600))
    assert watch.note(["", ""], "a", "A", NOW_MS) is None
