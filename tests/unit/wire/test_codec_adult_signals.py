"""The frames of the adult signals: `report` with a `reason`, `mod` by `session`."""

from __future__ import annotations

import json

import pytest

from causerie.core import commands as cmd
from causerie.wire.commands import FrameError, decode_frame


def test_report_reason_is_read() -> None:
    frame = {"type": "report", "nick": "Faux15", "category": "child_safety"}
    _id, command = decode_frame(json.dumps({**frame, "reason": "suspected_adult"}))
    assert isinstance(command, cmd.Report) and command.reason == "suspected_adult"
    _id, command = decode_frame(json.dumps(frame))
    assert isinstance(command, cmd.Report) and command.reason is None


@pytest.mark.parametrize("reason", [3, True, ["suspected_adult"], {"x": 1}])
def test_report_reason_that_is_not_a_word_is_a_bad_field(reason: object) -> None:
    frame = {"type": "report", "id": "r1", "nick": "X", "category": "child_safety"}
    with pytest.raises(FrameError) as caught:
        decode_frame(json.dumps({**frame, "reason": reason}))
    assert (caught.value.key, caught.value.field, caught.value.request_id) == (
        "bad_field",
        "reason",
        "r1",
    )


def test_mod_by_session() -> None:
    frame = {"type": "mod", "action": "move_out_of_teen_space", "session": "s1", "reason": "r"}
    _id, command = decode_frame(json.dumps(frame))
    assert isinstance(command, cmd.Moderate)
    assert (command.action, command.session, command.nick) == ("move_out_of_teen_space", "s1", None)
