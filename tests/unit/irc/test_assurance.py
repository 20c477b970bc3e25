"""Age assurance on IRC, sessions driven in memory: a teen is told at the welcome what is
gated and how to send the proof, a gated JOIN is 477 (the room stays listed), a gated private
message a NOTICE with the way out, and `/msg Causerie ASSURE` becomes `assure_age`."""

from __future__ import annotations

from typing import Any

from tests.unit.irc.helpers import ALICE, Driver, codes

TEEN_ROOM = {
    "id": "ados-general",
    "name": "Ados — Général",
    "kind": "teen",
    "audience": "teen",
    "topic": "",
    "pictures": False,
    "members": 2,
}
NEEDED = "Vérifie d'abord que tu as moins de 18 ans : c'est anonyme et rapide."
URL = "https://age.example/estimate"


def _teen(assurance: dict[str, Any] | None) -> tuple[Driver, list[str]]:
    driver = Driver()
    driver.feed("NICK Lea", "USER a 0 * :15 f 75011")
    welcome: dict[str, Any] = {
        "type": "welcome",
        "session": "s",
        "token": "t",
        "protocol": 1,
        "user": {**ALICE, "nick": "Lea", "age": 15, "band": "teen"},
        "rooms": [TEEN_ROOM],
    }
    if assurance is not None:
        welcome["assurance"] = assurance
    return driver, driver.reply(**welcome)


def _numerics(lines: list[str]) -> list[str]:
    return [code for code in codes(lines) if code.isdigit()]


def _notices(lines: list[str]) -> str:
    return "\n".join(line for line in lines if " NOTICE " in line)


def test_welcome_of_gated_teen_says_how_to_send_the_proof() -> None:
    _driver, lines = _teen({"required": "dm", "assured": False, "provider_url": URL})

    told = _notices(lines)

    assert "pour écrire en privé" in told and "to send private messages" in told
    assert URL in told and "/msg Causerie ASSURE <preuve>" in told


def test_welcome_says_nothing_when_off_assured_or_adult() -> None:
    for assurance in (
        {"required": "off", "assured": False, "provider_url": ""},
        {"required": "space", "assured": True, "provider_url": URL},
        None,
    ):
        _driver, lines = _teen(assurance)
        assert "ASSURE" not in _notices(lines)


def test_gated_join_is_477_and_the_room_stays_listed() -> None:
    driver, _ = _teen({"required": "space", "assured": False, "provider_url": URL})
    driver.feed("JOIN #ados-general")

    lines = driver.reply(
        type="error", code="age_restricted", reason="age_assurance_needed", message=NEEDED
    )

    assert _numerics(lines) == ["477"]
    assert NEEDED in _notices(lines) and "/msg Causerie ASSURE" in _notices(lines)
    assert "ados-general" in driver.session.rooms
    assert "ados-general" not in driver.session.channels


def test_gated_private_message_gets_a_notice_with_the_way_out() -> None:
    driver, _ = _teen({"required": "dm", "assured": False, "provider_url": URL})
    driver.feed("PRIVMSG Tom :salut")

    lines = driver.reply(
        type="error", code="age_restricted", reason="age_assurance_needed", message=NEEDED
    )

    assert _numerics(lines) == []
    assert f"Tom: {NEEDED}" in _notices(lines)
    assert "/msg Causerie ASSURE <proof>" in _notices(lines)


def test_service_assure_sends_the_token_and_thanks() -> None:
    driver, _ = _teen({"required": "dm", "assured": False, "provider_url": URL})

    driver.feed("PRIVMSG Causerie :ASSURE abc.def")
    request = driver.last_request()
    lines = driver.reply(type="age_assured", rooms=[TEEN_ROOM])

    assert (request["type"], request["token"]) == ("assure_age", "abc.def")
    assert "moins de 18 ans, merci" in _notices(lines)


def test_service_assure_refused_tells_the_reason() -> None:
    driver, _ = _teen({"required": "dm", "assured": False, "provider_url": URL})
    driver.feed("PRIVMSG Causerie :ASSURE vieux.jeton")
    expired = "Cette preuve a expiré : recommence la vérification."

    lines = driver.reply(
        type="error", code="age_restricted", reason="age_assurance_expired", message=expired
    )

    assert expired in _notices(lines)
