"""The age-assurance gate of the teen space, as a pure rule: who must prove being under 18,
for what, under each setting (core/policy/assurance.py)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from causerie.core.policy.assurance import (
    NEEDED,
    AssuranceGate,
    AssuranceStatus,
    assured,
    may_join,
    may_write_privately,
    refuse_unless_may_join,
    refuse_unless_may_write,
    status_of,
)
from causerie.core.rooms import Audience
from causerie.errors import CauserieError, ErrorCode
from tests.unit.core.builders import ROOMS_BY_ID, profile

TEEN_ROOM = ROOMS_BY_ID["ados-general"]
ADULT_ROOM = ROOMS_BY_ID["general"]
GATES = list(AssuranceGate)
ages = st.integers(min_value=13, max_value=120)


@given(age=st.integers(min_value=18, max_value=120), gate=st.sampled_from(GATES))
def test_gate_adult_never_affected(age: int, gate: AssuranceGate) -> None:
    adult = profile(age)

    assert may_write_privately(gate, adult)
    assert may_join(gate, adult, ADULT_ROOM)
    assert status_of(gate, adult) is None


@given(age=st.integers(min_value=13, max_value=17), gate=st.sampled_from(GATES))
def test_gate_assured_minor_never_affected(age: int, gate: AssuranceGate) -> None:
    teen = dataclasses.replace(profile(age), is_age_assured=True)

    assert may_write_privately(gate, teen)
    assert may_join(gate, teen, TEEN_ROOM)
    assert status_of(gate, teen) == AssuranceStatus(gate, is_assured=True)


@pytest.mark.parametrize(
    ("gate", "may_write", "may_enter"),
    [
        (AssuranceGate.OFF, True, True),
        (AssuranceGate.DM, False, True),
        (AssuranceGate.SPACE, False, False),
    ],
)
def test_gate_unassured_minor_by_setting(
    gate: AssuranceGate, may_write: bool, may_enter: bool
) -> None:
    teen = profile(15)

    assert may_write_privately(gate, teen) is may_write
    assert may_join(gate, teen, TEEN_ROOM) is may_enter
    assert status_of(gate, teen) == AssuranceStatus(gate, is_assured=False)


@given(age=ages, is_assured=st.booleans())
def test_gate_space_is_dm_and_more(age: int, is_assured: bool) -> None:
    """Whatever `dm` refuses, `space` refuses too; `off` refuses nothing."""
    person = dataclasses.replace(profile(age), is_age_assured=is_assured)

    assert may_write_privately(AssuranceGate.OFF, person)
    assert may_join(AssuranceGate.OFF, person, TEEN_ROOM)
    if not may_write_privately(AssuranceGate.DM, person):
        assert not may_write_privately(AssuranceGate.SPACE, person)
    assert may_join(AssuranceGate.DM, person, TEEN_ROOM)


def test_gate_refusal_is_age_restricted_with_reason() -> None:
    teen = profile(14)

    with pytest.raises(CauserieError) as writing:
        refuse_unless_may_write(AssuranceGate.DM, teen)
    with pytest.raises(CauserieError) as joining:
        refuse_unless_may_join(AssuranceGate.SPACE, teen, TEEN_ROOM)

    for caught in (writing.value, joining.value):
        assert (caught.code, caught.key) == (ErrorCode.AGE_RESTRICTED, NEEDED)
        assert caught.params["reason"] == NEEDED


def test_gate_space_only_gates_teen_rooms() -> None:
    assert ADULT_ROOM.audience is Audience.ADULT

    assert may_join(AssuranceGate.SPACE, profile(15), ADULT_ROOM)  # not visible anyway


def test_assured_minor_gets_the_flag() -> None:
    assert assured(profile(16)).is_age_assured


def test_assured_adult_refused_age_restricted() -> None:
    with pytest.raises(CauserieError) as caught:
        assured(profile(30))

    assert (caught.value.code, caught.value.key) == (
        ErrorCode.AGE_RESTRICTED,
        "age_assurance_adult",
    )
