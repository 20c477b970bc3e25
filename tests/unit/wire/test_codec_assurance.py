"""The wire shapes of age assurance (docs/protocol.md, "Age assurance"): `assure_age {token}`,
`age_assured {rooms}`, a minor's `welcome.assurance`, and an error's `reason`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.policy.assurance import AssuranceGate, AssuranceStatus, needed
from causerie.core.users import AgeBand, Gender, PublicUser
from causerie.errors import CauserieError, ErrorCode
from causerie.wire.commands import FrameError, decode_frame
from causerie.wire.events import encode_error, encode_event
from tests.unit.core.builders import ROOMS_BY_ID

LOU = PublicUser("Lou", Gender.OTHER, 15, "33", "Nouvelle-Aquitaine")
TEEN_VIEW = ev.RoomView(ROOMS_BY_ID["ados-general"], 2)


def _encoded(text: str) -> dict[str, Any]:
    frame = json.loads(text)
    assert isinstance(frame, dict)
    return frame


def test_decode_assure_age_token() -> None:
    frame = json.dumps({"type": "assure_age", "id": "a1", "token": "abc.def"})

    assert decode_frame(frame) == ("a1", cmd.AssureAge("abc.def"))


@pytest.mark.parametrize("fields", [{}, {"token": 5}, {"token": None}, {"token": ["x"]}])
def test_decode_assure_age_without_string_token_invalid(fields: dict[str, Any]) -> None:
    with pytest.raises(FrameError) as caught:
        decode_frame(json.dumps({"type": "assure_age", "id": 1, **fields}))

    assert (caught.value.code, caught.value.field, caught.value.request_id) == (
        ErrorCode.INVALID,
        "token",
        1,
    )


@pytest.mark.parametrize(
    ("gate", "is_assured"), [(g, a) for g in AssuranceGate for a in (False, True)]
)
def test_encode_welcome_of_minor_carries_assurance(gate: AssuranceGate, is_assured: bool) -> None:
    status = AssuranceStatus(gate, is_assured, "https://age.example/check")
    welcome = ev.Welcomed("s1", LOU, AgeBand.TEEN, (TEEN_VIEW,), "t0k", status)

    frame = _encoded(encode_event(welcome))

    assert frame["assurance"] == {
        "required": gate.value,
        "assured": is_assured,
        "provider_url": "https://age.example/check",
    }


def test_encode_welcome_without_assurance_has_no_field() -> None:
    adult = PublicUser("Alice", Gender.WOMAN, 25, "75", "Île-de-France")
    welcome = ev.Welcomed("s1", adult, AgeBand.ADULT, (), "t0k")

    assert "assurance" not in _encoded(encode_event(welcome))


def test_encode_age_assured_lists_rooms() -> None:
    frame = _encoded(encode_event(ev.AgeAssured((TEEN_VIEW,)), "r7"))

    assert frame["type"] == "age_assured"
    assert frame["re"] == "r7"
    assert [room["id"] for room in frame["rooms"]] == ["ados-general"]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fr", "Vérifie d'abord que tu as moins de 18 ans : c'est anonyme et rapide."),
        ("en", "First check that you are under 18: it is anonymous and quick."),
    ],
)
def test_encode_error_assurance_needed_has_reason(lang: str, message: str) -> None:
    frame = _encoded(encode_error(needed(), "d1", lang))

    assert frame == {
        "type": "error",
        "re": "d1",
        "code": "age_restricted",
        "message": message,
        "reason": "age_assurance_needed",
    }


def test_encode_error_without_reason_has_no_reason_field() -> None:
    frame = _encoded(encode_error(CauserieError(ErrorCode.FORBIDDEN, "not_in_room")))

    assert "reason" not in frame
