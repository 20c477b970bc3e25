"""Age assurance on IRC, sessions driven in memory: a teen is told at the welcome what is
gated and how to send the proof, a gated JOIN is 477 (the room stays listed), a gated private
message a NOTICE with the way out, and `/msg Causerie ASSURE` becomes `assure_age`."""

from __future__ import annotations

import dataclasses

from causerie.core import commands as cmd
from causerie.core import events as ev
from causerie.core.policy.assurance import AssuranceGate, AssuranceStatus
from causerie.core.rooms import Audience, Room, RoomKind
from causerie.core.users import AgeBand
from tests.unit.irc.helpers import ALICE, Driver, codes, refusal, room_view

TEEN_ROOM = Room("ados-general", "Ados — Général", RoomKind.TEEN, Audience.TEEN, pictures=False)
NEEDED = "Vérifie d'abord que tu as moins de 18 ans : c'est anonyme et rapide."
URL = "https://age.example/estimate"


def _status(required: str, assured: bool = False, url: str = URL) -> AssuranceStatus:
    return AssuranceStatus(AssuranceGate(required), assured, url)


def _teen(assurance: AssuranceStatus | None) -> tuple[Driver, list[str]]:
    driver = Driver()
    driver.feed("NICK Lea", "USER a 0 * :15 f 75011")
    lea = dataclasses.replace(ALICE, nick="Lea", age=15)
    rooms = (room_view(TEEN_ROOM, 2),)
    return driver, driver.reply(ev.Welcomed("s", lea, AgeBand.TEEN, rooms, "t", assurance))


def _numerics(lines: list[str]) -> list[str]:
    return [code for code in codes(lines) if code.isdigit()]


def _notices(lines: list[str]) -> str:
    return "\n".join(line for line in lines if " NOTICE " in line)


def test_welcome_of_gated_teen_says_how_to_send_the_proof() -> None:
    _driver, lines = _teen(_status("dm"))

    told = _notices(lines)

    assert "pour écrire en privé" in told and "to send private messages" in told
    assert URL in told and "/msg Causerie ASSURE <preuve>" in told


def test_welcome_says_nothing_when_off_assured_or_adult() -> None:
    for assurance in (_status("off", url=""), _status("space", assured=True), None):
        _driver, lines = _teen(assurance)
        assert "ASSURE" not in _notices(lines)


def test_gated_join_is_477_and_the_room_stays_listed() -> None:
    driver, _ = _teen(_status("space"))
    driver.feed("JOIN #ados-general")

    lines = driver.reply(
        refusal("age_restricted", "age_assurance_needed", reason="age_assurance_needed")
    )

    assert _numerics(lines) == ["477"]
    assert NEEDED in _notices(lines) and "/msg Causerie ASSURE" in _notices(lines)
    assert "ados-general" in driver.session.rooms
    assert "ados-general" not in driver.session.channels


def test_gated_private_message_gets_a_notice_with_the_way_out() -> None:
    driver, _ = _teen(_status("dm"))
    driver.feed("PRIVMSG Tom :salut")

    lines = driver.reply(
        refusal("age_restricted", "age_assurance_needed", reason="age_assurance_needed")
    )

    assert _numerics(lines) == []
    assert f"Tom: {NEEDED}" in _notices(lines)
    assert "/msg Causerie ASSURE <proof>" in _notices(lines)


def test_service_assure_sends_the_token_and_thanks() -> None:
    driver, _ = _teen(_status("dm"))

    driver.feed("PRIVMSG Causerie :ASSURE abc.def")
    request = driver.last_request()
    lines = driver.reply(ev.AgeAssured((room_view(TEEN_ROOM, 2),)))

    assert request == cmd.AssureAge("abc.def")
    assert "moins de 18 ans, merci" in _notices(lines)


def test_service_assure_refused_tells_the_reason() -> None:
    driver, _ = _teen(_status("dm"))
    driver.feed("PRIVMSG Causerie :ASSURE vieux.jeton")
    expired = "Cette preuve a expiré : recommence la vérification."

    lines = driver.reply(
        refusal("age_restricted", "age_assurance_expired", reason="age_assurance_expired")
    )

    assert expired in _notices(lines)
