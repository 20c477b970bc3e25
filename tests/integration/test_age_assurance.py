"""Age assurance for the teen space over the real protocols (docs/age-verification.md): a minor
not assured is refused what the operator gates until a provider's token says "under 18"; adults
never notice; bad proofs are refused with their reason; the flag survives a resume of the same
identity only; an IRC teen is told and can send the proof through the service."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from causerie.safety.ageverify import TestAgeProvider
from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import Client, RunningServer, start_server, stop_server
from tests.support.irc import IrcClient, irc_port, start_irc_server

pytestmark = pytest.mark.integration
PROVIDER = TestAgeProvider.generate(kid="teen-check")
PASSWORD = "un-mot-de-passe-long"
TEEN_ROOM = "ados-general"

Connect = Callable[..., Coroutine[Any, Any, Client]]


def _keys() -> str:
    key = base64.urlsafe_b64encode(PROVIDER.public_key_bytes()).decode().rstrip("=")
    return f"{PROVIDER.kid}:{key}"


def _settings(gate: str) -> dict[str, Any]:
    return {
        "teen_assurance": gate,
        "age_verifier_keys": _keys(),
        "age_provider_url": "https://age.example/estimate",
    }


class World:
    def __init__(self, running: RunningServer) -> None:
        self.running = running
        self.clients: list[Client] = []

    @property
    def now_ms(self) -> int:
        return self.running.node.now_ms()

    async def person(
        self, nick: str, age: int, device: str | None = None, **hello: Any
    ) -> tuple[Client, dict[str, Any]]:
        client = await Client.connect(self.running, device=device)
        self.clients.append(client)
        welcome = await client.hello(nick, age=age, **hello)
        assert welcome["type"] == "welcome", welcome
        return client, welcome

    async def moderator(self) -> Client:
        store = self.running.node.store
        await store.add_staff(
            StaffAccount("Sophie_Modo", StaffRole.MODERATOR, hash_password(PASSWORD)), 0
        )
        staff = await Client.connect(self.running)
        self.clients.append(staff)
        assert (await staff.request("login", name="Sophie_Modo", password=PASSWORD))[
            "type"
        ] == "staff"
        await staff.expect_type("queue")
        return staff


async def _world(tmp_path: Path, gate: str) -> AsyncIterator[World]:
    running, server, task = await start_server(tmp_path, **_settings(gate))
    world = World(running)
    yield world
    for client in world.clients:
        await client.close()
    await stop_server(server, task)


@pytest.fixture
async def dm_gate(tmp_path: Path) -> AsyncIterator[World]:
    async for world in _world(tmp_path, "dm"):
        yield world


@pytest.fixture
async def space_gate(tmp_path: Path) -> AsyncIterator[World]:
    async for world in _world(tmp_path, "space"):
        yield world


def _is_needed(frame: dict[str, Any]) -> bool:
    return (frame.get("type"), frame.get("code"), frame.get("reason")) == (
        "error",
        "age_restricted",
        "age_assurance_needed",
    )


# -- dm ---------------------------------------------------------------------------------------


async def test_dm_gate_teen_refused_until_assured_then_delivered(dm_gate: World) -> None:
    lea, _ = await dm_gate.person("Lea", 14)
    tom, welcome = await dm_gate.person("Tom", 15, gender="man")
    assert welcome["assurance"] == {
        "required": "dm",
        "assured": False,
        "provider_url": "https://age.example/estimate",
    }

    refused = await tom.request("dm", to="Lea", text="salut")
    assured = await tom.request(
        "assure_age", token=PROVIDER.issue(dm_gate.now_ms, age_range=(13, 16))
    )
    sent = await tom.request_outcome("dm", to="Lea", text="salut")

    assert _is_needed(refused), refused
    assert "moins de 18 ans" in refused["message"]
    assert assured["type"] == "age_assured"
    assert TEEN_ROOM in {room["id"] for room in assured["rooms"]}
    assert sent["type"] == "ack", sent
    received = await lea.expect(lambda f: f["type"] in ("dm", "dm_request"))
    assert received["from"]["nick"] == "Tom"


async def test_dm_gate_unassured_teen_still_talks_in_teen_rooms(dm_gate: World) -> None:
    tom, _ = await dm_gate.person("Tom", 15, gender="man")

    joined = await tom.join(TEEN_ROOM)
    message, ack = await tom.say(TEEN_ROOM, "salut tout le monde")

    assert joined["type"] == "joined"
    assert ack["type"] == "ack" and message["text"] == "salut tout le monde"


async def test_dm_gate_over18_and_straddling_proofs_refused_as_not_minor(dm_gate: World) -> None:
    tom, _ = await dm_gate.person("Tom", 15, gender="man")

    answers = [
        await tom.request("assure_age", token=PROVIDER.issue(dm_gate.now_ms, **claim))
        for claim in ({"over18": True}, {"age_range": (16, 20)}, {"age_range": (18, 25)})
    ]
    still = await tom.request("dm", to="Personne", text="salut")

    for answer in answers:
        assert (answer["code"], answer["reason"], answer["field"]) == (
            "age_restricted",
            "age_assurance_not_minor",
            "token",
        )
    assert _is_needed(still)


async def test_dm_gate_replayed_expired_and_forged_proofs_refused(dm_gate: World) -> None:
    tom, _ = await dm_gate.person("Tom", 15, gender="man")
    lou, _ = await dm_gate.person("Lou", 16)
    token = PROVIDER.issue(dm_gate.now_ms, over18=False)
    assert (await tom.request("assure_age", token=token))["type"] == "age_assured"
    expired = PROVIDER.issue(dm_gate.now_ms - 3_600_000, ttl_ms=60_000, over18=False)
    stranger = TestAgeProvider.generate(kid="teen-check").issue(dm_gate.now_ms, over18=False)

    reasons = [
        (await lou.request("assure_age", token=proof)).get("reason")
        for proof in (token, expired, stranger, "pas-un-jeton")
    ]

    assert reasons == [
        "age_assurance_replayed",
        "age_assurance_expired",
        "age_assurance_invalid_signature",
        "age_assurance_malformed",
    ]
    assert _is_needed(await lou.request("dm", to="Tom", text="salut"))


async def test_dm_gate_teen_with_adult_proof_flagged_for_moderators(dm_gate: World) -> None:
    staff = await dm_gate.moderator()
    tom, _ = await dm_gate.person("Tom", 15, gender="man")

    answer = await tom.request("assure_age", token=PROVIDER.issue(dm_gate.now_ms, over18=True))
    alert = await staff.expect(
        lambda f: (
            f["type"] in ("alert", "queue_item")
            and f["item"].get("rule") == "adult_proof_from_teen"
        )
    )

    assert answer["reason"] == "age_assurance_not_minor"
    assert alert["item"]["category"] == "child_safety"
    assert alert["item"]["target"]["nick"] == "Tom"


async def test_dm_gate_adult_unaffected_and_not_assurable(dm_gate: World) -> None:
    alice, welcome = await dm_gate.person("Alice", 30)
    await dm_gate.person("Bruno", 41, gender="man")

    sent = await alice.request_outcome("dm", to="Bruno", text="bonjour")
    refused = await alice.request("assure_age", token=PROVIDER.issue(dm_gate.now_ms, over18=False))

    assert "assurance" not in welcome
    assert sent["type"] == "ack", sent
    assert (refused["code"], refused["reason"]) == ("age_restricted", "age_assurance_adult")


# -- resume -----------------------------------------------------------------------------------


async def test_dm_gate_assured_flag_survives_resume_of_same_identity(dm_gate: World) -> None:
    await dm_gate.person("Lea", 14)
    tom, welcome = await dm_gate.person("Tom", 15, gender="man", device="tom-phone-0001")
    token = PROVIDER.issue(dm_gate.now_ms, age_range=(13, 16))
    assert (await tom.request("assure_age", token=token))["type"] == "age_assured"

    resume = {"session": welcome["session"], "resume_token": welcome["resume_token"]}
    again, resumed = await dm_gate.person(
        "Tom", 15, gender="man", device="tom-phone-0001", resume=resume
    )
    sent = await again.request_outcome("dm", to="Lea", text="re")

    assert resumed["assurance"]["assured"] is True
    assert sent["type"] == "ack", sent


@pytest.mark.parametrize(("nick", "age"), [("Tom", 16), ("Tomas", 15)])
async def test_dm_gate_resume_by_another_identity_asks_again(
    dm_gate: World, nick: str, age: int
) -> None:
    tom, welcome = await dm_gate.person("Tom", 15, gender="man", device="tom-phone-0001")
    token = PROVIDER.issue(dm_gate.now_ms, age_range=(13, 16))
    assert (await tom.request("assure_age", token=token))["type"] == "age_assured"
    tom.ws.transport.abort()  # the network drops: the session waits for a resume

    resume = {"session": welcome["session"], "resume_token": welcome["resume_token"]}
    _other, resumed = await dm_gate.person(
        nick, age, gender="man", device="tom-phone-0001", resume=resume
    )

    assert resumed["assurance"] == {
        "required": "dm",
        "assured": False,
        "provider_url": "https://age.example/estimate",
    }


# -- space ------------------------------------------------------------------------------------


async def test_space_gate_teen_room_refused_until_assured(space_gate: World) -> None:
    tom, welcome = await space_gate.person("Tom", 15, gender="man")

    refused = await tom.join(TEEN_ROOM)
    assured = await tom.request(
        "assure_age", token=PROVIDER.issue(space_gate.now_ms, age_range=(13, 17))
    )
    joined = await tom.join(TEEN_ROOM)

    assert welcome["assurance"]["required"] == "space"
    assert _is_needed(refused), refused
    assert assured["type"] == "age_assured"
    assert joined["type"] == "joined"


async def test_space_gate_adult_rooms_and_dms_unaffected(space_gate: World) -> None:
    alice, welcome = await space_gate.person("Alice", 30)
    await space_gate.person("Bruno", 41, gender="man")

    joined = await alice.join("general")
    sent = await alice.request_outcome("dm", to="Bruno", text="bonjour")

    assert "assurance" not in welcome
    assert joined["type"] == "joined"
    assert sent["type"] == "ack", sent


# -- IRC --------------------------------------------------------------------------------------


async def test_irc_teen_told_refused_then_assured_through_the_service(tmp_path: Path) -> None:
    running, server, task = await start_irc_server(tmp_path, **_settings("space"))
    teen = await IrcClient.connect(irc_port(server), "Lea", realname="15 f 75011")
    try:
        told = await teen.expect_text("privnotice", "ASSURE")
        teen.send(f"JOIN #{TEEN_ROOM}")
        refused = await teen.expect("nochanmodes")  # 477, as the `irc` library names it
        why = await teen.expect_text("privnotice", "anonyme et rapide")
        hint = await teen.expect_text("privnotice", "ouvre la page de vérification")
        token = PROVIDER.issue(running.node.now_ms(), age_range=(13, 16))
        teen.connection.privmsg("Causerie", f"ASSURE {token}")
        thanks = await teen.expect_text("privnotice", "moins de 18 ans, merci")
        teen.send(f"JOIN #{TEEN_ROOM}")
        joined = await teen.expect("join")
    finally:
        teen.close()
        await stop_server(server, task)

    assert "https://age.example/estimate" in told.arguments[0]
    assert refused.arguments[0] == f"#{TEEN_ROOM}"
    assert why.arguments[0].startswith("Vérifie d'abord que tu as moins de 18 ans")
    assert "/msg Causerie ASSURE <preuve>" in hint.arguments[0]
    assert thanks.arguments
    assert joined.target == f"#{TEEN_ROOM}"
