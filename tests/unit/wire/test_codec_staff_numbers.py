"""Numbers in frames (issue 17, finding 5): staff `mod` frames and the ids users send. Every
number has its documented range (docs/protocol.md); outside it — NaN, infinity, a negative, a
bool where a number goes, an integer too big for a store column, a number spelled as a string
— the frame is `invalid` naming the field, and nothing else can come out of the decoder."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from causerie.core import commands as cmd
from causerie.core.policy.bans import MAX_BAN_S
from causerie.core.restrictions import MAX_SLOW_MODE_S
from causerie.errors import CauserieError, ErrorCode
from causerie.wire.commands import MAX_WIRE_ID, FrameError, decode_frame
from causerie.wire.events import encode_error

FUZZ = settings(max_examples=400, database=None, deadline=None)
ACTIONS = (
    "take",
    "dismiss",
    "delete_message",
    "mute",
    "kick",
    "ban",
    "lock_room",
    "slow_mode",
    "decide_appeal",
)
# What a hostile client puts where a number goes: JSON numbers of every size, numbers spelled
# as strings (the decoder reads "12"), the strings Python reads as NaN and infinity, bools.
HOSTILE_NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 1e-308, -0.0, 2**53, 2**63, 2**64, 10**30]),
    st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-100", "12", " 7 "]),
    st.booleans(),
    st.none(),
    st.text(max_size=6),
)
NUMBER_FIELDS = ("report_id", "message_id", "duration_s", "interval_s", "locked", "uphold")


def _decoded_or_invalid(frame: dict[str, Any]) -> cmd.Command | None:
    """The contract: a command, or a FrameError whose error frame can be written."""
    try:
        _request_id, command = decode_frame(json.dumps(frame))
    except FrameError as error:
        assert error.code is ErrorCode.INVALID
        assert json.loads(encode_error(error, "r"))["code"] == "invalid"
        return None
    return command


@FUZZ
@given(
    st.sampled_from(ACTIONS),
    st.dictionaries(st.sampled_from(NUMBER_FIELDS), HOSTILE_NUMBERS, min_size=1),
)
def test_mod_frame_any_number_in_range_or_invalid(action: str, numbers: dict[str, Any]) -> None:
    command = _decoded_or_invalid({"type": "mod", "action": action, "reason": "r", **numbers})

    if command is None:
        return
    assert isinstance(command, cmd.Moderate)
    for name in ("report_id", "message_id"):
        value = getattr(command, name)
        assert value is None or (type(value) is int and 1 <= value <= MAX_WIRE_ID), (
            f"{name}={value!r}"
        )
    if command.duration_s is not None:
        assert math.isfinite(command.duration_s) and 1 <= command.duration_s <= MAX_BAN_S
    if command.interval_s is not None:
        assert math.isfinite(command.interval_s) and 0 <= command.interval_s <= MAX_SLOW_MODE_S
    for name in ("locked", "uphold"):
        assert getattr(command, name) in (None, True, False)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("duration_s", 1e308),  # the mute that closed the moderator's connection
        ("duration_s", -100),  # the ban that did the same
        ("duration_s", "nan"),
        ("duration_s", "inf"),
        ("duration_s", 0),
        ("duration_s", True),
        ("duration_s", MAX_BAN_S + 1),
        ("interval_s", 1e308),  # the slow mode that closed every user's connection
        ("interval_s", -1),
        ("interval_s", "nan"),
        ("interval_s", MAX_SLOW_MODE_S + 1),
        ("interval_s", False),
        ("report_id", 0),
        ("report_id", -1),
        ("report_id", 10**30),
        ("report_id", True),
        ("report_id", 1.5),
        ("message_id", 2**53),
        ("message_id", "nan"),
    ],
)
def test_mod_frame_out_of_range_number_invalid_naming_the_field(field: str, value: Any) -> None:
    frame = {"type": "mod", "id": 7, "action": "mute", "reason": "r", field: value}

    with pytest.raises(FrameError) as caught:
        decode_frame(json.dumps(frame))

    assert (caught.value.code, caught.value.field, caught.value.request_id) == (
        ErrorCode.INVALID,
        field,
        7,
    )


@pytest.mark.parametrize(
    ("field", "value", "decoded"),
    [
        ("duration_s", 600, 600.0),
        ("duration_s", MAX_BAN_S, MAX_BAN_S),
        ("duration_s", 1, 1.0),
        ("interval_s", 0, 0.0),
        ("interval_s", MAX_SLOW_MODE_S, MAX_SLOW_MODE_S),
        ("report_id", 1, 1),
        ("message_id", MAX_WIRE_ID, MAX_WIRE_ID),
    ],
)
def test_mod_frame_number_at_its_bounds_decoded(field: str, value: Any, decoded: Any) -> None:
    _id, command = decode_frame(json.dumps({"type": "mod", "action": "x", field: value}))

    assert getattr(command, field) == decoded


@FUZZ
@given(
    st.sampled_from(
        [
            ("report", "message_id", {"category": "spam"}),
            ("join", "since", {"room": "general"}),
            ("history", "before", {"room": "general"}),
        ]
    ),
    HOSTILE_NUMBERS,
)
def test_user_frame_ids_in_range_or_invalid(
    case: tuple[str, str, dict[str, Any]], value: Any
) -> None:
    kind, field, rest = case
    command = _decoded_or_invalid({"type": kind, field: value, **rest})

    if command is not None:
        got = getattr(command, field)
        assert got is None or (type(got) is int and 0 <= got <= MAX_WIRE_ID)


@FUZZ
@given(HOSTILE_NUMBERS)
def test_resume_last_id_in_range_or_invalid(value: Any) -> None:
    hello = {"nick": "Alice", "gender": "woman", "age": 30, "postcode": "75011"}
    command = _decoded_or_invalid({"type": "hello", **hello, "resume": {"last_id": value}})

    if command is not None:
        assert isinstance(command, cmd.Hello) and command.resume is not None
        last_id = command.resume.last_id
        assert last_id is None or (type(last_id) is int and 0 <= last_id <= MAX_WIRE_ID)


@FUZZ
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_encode_error_any_retry_after_written_and_positive(seconds: float) -> None:
    error = CauserieError(ErrorCode.RATE_LIMITED, "slow_mode", retry_after_s=seconds)

    frame = json.loads(encode_error(error, "r", "en"))

    assert math.isfinite(frame["retry_after"]) and frame["retry_after"] > 0
