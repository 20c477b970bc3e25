"""The safety scenarios of the safety issue, each over the real protocol against a real server.

Numbers match the issue's list. Staff accounts are created in the store the server uses; age
proofs come from the test provider, whose public key the server is configured with.
"""

from __future__ import annotations

import asyncio
import base64
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from causerie.safety.ageverify import TestAgeProvider
from causerie.safety.audit import verify_rows
from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server

pytestmark = pytest.mark.integration
PASSWORD = "un-mot-de-passe-long"
PROVIDER = TestAgeProvider.generate(kid="test")


def _key() -> str:
    return "test:" + base64.urlsafe_b64encode(PROVIDER.public_key_bytes()).decode().rstrip("=")


@pytest.fixture
async def safe_server(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    overrides = {"age_verifier_keys": _key(), **getattr(request, "param", {})}
    running, server, task = await start_server(tmp_path, **overrides)
    clients: list[Client] = []

    async def connect(device: str | None = None) -> Client:
        headers = {"Cookie": f"causerie_device={device}"} if device else None
        client = Client(await websockets.connect(running.ws_url, additional_headers=headers))
        clients.append(client)
        return client

    running.connect = connect  # type: ignore[attr-defined]
    yield running
    for client in clients:
        await client.close()
    await stop_server(server, task)


async def _person(
    server: Any, nick: str, age: int = 30, device: str | None = None, **hello: Any
) -> Client:
    client: Client = await server.connect(device)
    welcome = await client.hello(nick, age=age, **hello)
    assert welcome["type"] == "welcome", welcome
    return client


async def _moderator(server: RunningServer, name: str = "Sophie_Modo") -> Client:
    store = server.node.store
    if await store.staff_account(name) is None:
        await store.add_staff(StaffAccount(name, StaffRole.MODERATOR, hash_password(PASSWORD)), 0)
    staff: Client = await server.connect()  # type: ignore[attr-defined]
    welcome = await staff.request("login", name=name, password=PASSWORD)
    assert welcome["type"] == "staff", welcome
    await staff.expect_type("queue")
    return staff


async def _dm(client: Client, to: str, text: str) -> dict[str, Any]:
    request_id = f"dm-{time.monotonic_ns()}"
    await client.send({"type": "dm", "id": request_id, "to": to, "text": text})
    return await client.expect(lambda f: f.get("re") == request_id and f["type"] != "dm")


async def _say(client: Client, room: str, text: str) -> dict[str, Any]:
    request_id = f"say-{time.monotonic_ns()}"
    await client.send({"type": "say", "id": request_id, "room": room, "text": text})
    return await client.expect(lambda f: f.get("re") == request_id)


async def _nothing_more(client: Client, type_: str, wait_s: float = 0.3) -> None:
    await asyncio.sleep(wait_s)
    await client.send({"type": "ping", "id": "sync"})
    await client.expect(lambda f: f.get("re") == "sync")
    assert not [f for f in client.inbox if f["type"] == type_], client.inbox


# 1 -------------------------------------------------------------------------------------------


async def test_1_adult_cannot_reach_the_teen_space_by_any_path(safe_server: Any) -> None:
    teen = await _person(safe_server, "Lea", age=15)
    await teen.join("ados-general")
    posted = await _say(teen, "ados-general", "coucou les ados")
    adult = await _person(safe_server, "Marc", age=41)
    rooms = (await adult.request("rooms"))["rooms"]
    assert not [r for r in rooms if r["audience"] == "teen"]
    assert (await adult.join("ados-general"))["code"] == "not_found"
    assert (await adult.request("history", room="ados-general"))["code"] == "not_found"
    assert (await _dm(adult, "Lea", "salut"))["code"] == "not_found"
    refused = await adult.request("report", nick="Lea", category="other")
    assert refused["code"] == "not_found"
    refused = await adult.request("report", message_id=posted["message_id"], category="other")
    assert refused["code"] == "not_found"
    await _nothing_more(teen, "dm")


# 2 -------------------------------------------------------------------------------------------


async def test_2_sixteen_then_twenty_five_from_same_device_is_refused_and_flagged(
    safe_server: Any,
) -> None:
    young = await _person(safe_server, "Jeune", age=16, device="tel-1")
    await young.close()
    again: Client = await safe_server.connect("tel-1")
    refused = await again.hello("Adulte", age=25)
    assert (refused["code"], refused["field"]) == ("age_restricted", "age")
    await asyncio.sleep(0.2)
    flags = [r for r in await safe_server.node.store.open_reports() if r.rule == "band_changed"]
    assert len(flags) == 1 and flags[0].category.value == "child_safety"


# 3 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "06 12 34 56 78",
        "zero six douze trente-quatre cinquante-six soixante-dix-huit",
        "+33612345678",
    ],
)
async def test_3_phone_number_to_a_minor_is_held_and_never_delivered(
    safe_server: Any, text: str
) -> None:
    sender = await _person(safe_server, "Tom", age=15)
    minor = await _person(safe_server, "Zoe", age=14)
    held = await _dm(sender, "Zoe", f"mon numéro : {text}")
    assert held["code"] == "held_for_review"
    await sender.join("ados-general")
    await minor.join("ados-general")
    assert (await _say(sender, "ados-general", f"appelle-moi {text}"))["code"] == "held_for_review"
    await _nothing_more(minor, "dm_request")
    assert not [
        f for f in minor.inbox if f["type"] in ("dm", "message") and "appelle" in f.get("text", "")
    ]
    await asyncio.sleep(0.2)
    flags = [r for r in await safe_server.node.store.open_reports() if r.kind.value == "flag"]
    assert len(flags) == 2 and all(f.evidence["held"] for f in flags)


# 4 -------------------------------------------------------------------------------------------


async def test_4_meeting_between_adults_notices_both_and_to_a_minor_is_held(
    safe_server: Any,
) -> None:
    alice = await _person(safe_server, "Alice")
    bruno = await _person(safe_server, "Bruno")
    sent = await _dm(alice, "Bruno", "on se retrouve demain à 18h devant la gare ?")
    assert sent["type"] == "ack"
    for person in (alice, bruno):
        notice = await person.expect_type("notice", kind="safety")
        assert "lieu public" in notice["text"]
    await bruno.expect_type("dm_request", id=sent["message_id"])
    teen = await _person(safe_server, "Ines", age=15)
    other_teen = await _person(safe_server, "Hugo", age=16)
    held = await _dm(teen, "Hugo", "on se retrouve demain à 18h devant la gare ?")
    assert held["code"] == "held_for_review"
    await _nothing_more(other_teen, "dm_request")


# 5 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("safe_server", [{"say_burst": 100}], indirect=True)
async def test_5_fifteen_new_conversations_are_limited_after_ten_and_flagged(
    safe_server: Any,
) -> None:
    sender = await _person(safe_server, "Collectionneur", device="tel-5")
    for index in range(15):
        await _person(safe_server, f"Cible{index}")
    outcomes = [await _dm(sender, f"Cible{index}", "salut, ça va ?") for index in range(15)]
    kinds = [o.get("code", o["type"]) for o in outcomes]
    assert kinds[:10] == ["ack"] * 10
    assert kinds[10:] == ["rate_limited"] * 5
    assert all(o["retry_after"] > 0 for o in outcomes[10:])
    await asyncio.sleep(0.2)
    flags = [r for r in await safe_server.node.store.open_reports() if r.rule == "mass_messaging"]
    assert len(flags) == 1 and flags[0].target_nick == "Collectionneur"


# 6 -------------------------------------------------------------------------------------------


async def test_6_banned_user_with_a_new_nickname_from_the_same_device_is_refused(
    safe_server: Any,
) -> None:
    moderator = await _moderator(safe_server)
    offender = await _person(safe_server, "Insulteur", device="tel-6")
    done = await moderator.request("mod", action="ban", nick="Insulteur", reason="insultes")
    assert done["type"] == "mod_done" and done["statement_id"]
    statement = await offender.expect_type("notice", kind="moderation")
    assert statement["statement_id"] == done["statement_id"]
    newcomer: Client = await safe_server.connect("tel-6")
    assert (await newcomer.hello("Gentil"))["code"] == "banned"


# 7 -------------------------------------------------------------------------------------------


async def test_7_child_safety_report_alerts_every_moderator_within_a_second_and_sorts_first(
    safe_server: Any,
) -> None:
    first, second = (
        await _moderator(safe_server, "Modo_Un"),
        await _moderator(safe_server, "Modo_Deux"),
    )
    reporter = await _person(safe_server, "Temoin")
    suspect = await _person(safe_server, "Suspect")
    assert (await reporter.request("report", nick="Suspect", category="spam"))["type"] == "reported"
    started = time.monotonic()
    reported = await reporter.request(
        "report", nick="Suspect", category="child_safety", comment="il demande l'âge des enfants"
    )
    for moderator in (first, second):
        alert = await moderator.expect(
            lambda f: f["item"]["id"] == reported["report_id"], type_="alert"
        )
        assert alert["item"]["category"] == "child_safety"
    assert time.monotonic() - started < 1.0
    queue = await first.request("queue")
    assert queue["items"][0]["id"] == reported["report_id"]
    assert queue["items"][0]["severity"] == 5
    del suspect


# 8 -------------------------------------------------------------------------------------------


async def test_8_deleted_message_is_gone_for_users_but_kept_for_the_open_report(
    safe_server: Any,
) -> None:
    moderator = await _moderator(safe_server)
    author = await _person(safe_server, "Auteur")
    reader = await _person(safe_server, "Lecteur")
    await author.join("general")
    await reader.join("general")
    posted = await _say(author, "general", "message injurieux")
    reported = await reader.request(
        "report", message_id=posted["message_id"], category="harassment"
    )
    done = await moderator.request(
        "mod", action="delete_message", report_id=reported["report_id"], reason="injure"
    )
    assert done["type"] == "mod_done"
    deleted = await reader.expect_type("deleted", message_id=posted["message_id"])
    assert deleted["room"] == "general"
    late = await _person(safe_server, "Retardataire")
    history = (await late.join("general"))["history"]
    assert posted["message_id"] not in [m["id"] for m in history]
    report = await safe_server.node.store.report(reported["report_id"])
    assert report.evidence["message"]["text"] == "message injurieux"
    assert await safe_server.node.store.find_message(posted["message_id"]) is not None


# 9 -------------------------------------------------------------------------------------------


async def test_9_action_sends_statement_and_audit_chain_detects_an_edit(safe_server: Any) -> None:
    moderator = await _moderator(safe_server)
    person = await _person(safe_server, "Bavard")
    done = await moderator.request(
        "mod", action="mute", nick="Bavard", duration_s=600, reason="spam répété"
    )
    statement = await person.expect_type("notice", kind="moderation")
    assert statement["statement_id"] == done["statement_id"]
    text = statement["text"]
    assert "spam répété" in text and "contester" in text.lower()
    await person.join("general")
    muted = await _say(person, "general", "encore")
    assert muted["code"] == "muted" and 590 < muted["retry_after"] <= 600
    rows = await safe_server.node.store.audit_rows()
    assert verify_rows(rows).ok
    assert any(r["action"] == "mute" and r["actor"] == "Sophie_Modo" for r in rows)
    database = safe_server.settings.data_dir / "causerie.db"
    with sqlite3.connect(database) as db:
        db.execute("update audit_log set reason = 'rien' where action = 'mute'")
    check = verify_rows(await safe_server.node.store.audit_rows())
    assert not check.ok and "hash does not match" in check.problem


# 10 ------------------------------------------------------------------------------------------


async def test_10_flooding_is_rate_limited_and_the_room_stays_usable(safe_server: Any) -> None:
    flooder = await _person(safe_server, "Inondeur", device="tel-10")
    calm = await _person(safe_server, "Paisible")
    await flooder.join("general")
    await calm.join("general")
    outcomes = [await _say(flooder, "general", f"flood {i}") for i in range(12)]
    assert "rate_limited" in [o.get("code") for o in outcomes]
    assert (await _say(calm, "general", "je parle normalement"))["type"] == "ack"


# 11 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nick", ["Moderateur", "M0dérateur", "S0phie.Modo", "SOPHIE_MODO"])
async def test_11_staff_look_alike_nicknames_are_refused(safe_server: Any, nick: str) -> None:
    await _moderator(safe_server)  # the staff account Sophie_Modo exists
    for _ in range(int(TIMEOUT_S * 10)):  # the node reads new staff names every 2 s
        client: Client = await safe_server.connect()
        refused = await client.hello(nick)
        if refused["type"] == "error":
            break
        await client.close()
        await asyncio.sleep(0.5)
    assert (refused["code"], refused["field"]) == ("nick_taken", "nick")


# 12 ------------------------------------------------------------------------------------------


async def test_12_only_verified_adults_enter_and_a_replayed_proof_is_refused(
    safe_server: Any,
) -> None:
    adult = await _person(safe_server, "Adulte")
    assert (await adult.join("charme"))["code"] == "not_found"
    token = PROVIDER.issue(safe_server.node.now_ms())
    verified = await adult.request("verify_age", token=token)
    assert verified["type"] == "age_verified"
    assert "charme" in [room["id"] for room in verified["rooms"]]
    assert (await adult.join("charme"))["type"] == "joined"
    other = await _person(safe_server, "Copieur")
    replayed = await other.request("verify_age", token=token)
    assert replayed["code"] == "invalid" and "replayed" in replayed["message"]
    assert (await other.join("charme"))["code"] == "not_found"
    teen = await _person(safe_server, "Mineur", age=16)
    fresh = PROVIDER.issue(safe_server.node.now_ms())
    assert (await teen.request("verify_age", token=fresh))["code"] == "age_restricted"


# 13 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("safe_server", [{"trust_messages": 0, "trust_span_s": 0}], indirect=True)
async def test_13_stranger_first_message_is_a_masked_request_then_normal_after_accepting(
    safe_server: Any,
) -> None:
    stranger = await _person(safe_server, "Inconnu")
    person = await _person(safe_server, "Camille")
    sent = await _dm(stranger, "Camille", "appelle-moi au 06 12 34 56 78 ou www.exemple.fr")
    assert sent["type"] == "ack", sent
    request = await person.expect_type("dm_request", id=sent["message_id"])
    assert "06 12" not in request["text"] and "exemple" not in request["text"]
    assert "•••" in request["text"]
    assert (await person.request("accept", nick="Inconnu"))["type"] == "accepted"
    later = await _dm(stranger, "Camille", "tu as vu mon message ?")
    received = await person.expect_type("dm", id=later["message_id"])
    assert received["text"] == "tu as vu mon message ?"
    declined = await _person(safe_server, "Refuse")
    await _dm(declined, "Camille", "salut")
    await person.expect_type("dm_request")
    await person.request("decline", nick="Refuse")
    assert (await _dm(declined, "Camille", "réponds !"))["code"] == "dm_blocked"


# 14 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("safe_server", [{"trust_messages": 3, "trust_span_s": 0.5}], indirect=True)
async def test_14_brand_new_identity_posts_no_link_until_it_earned_trust(
    safe_server: Any,
) -> None:
    newcomer = await _person(safe_server, "Nouveau")
    await newcomer.join("general")
    refused = await _say(newcomer, "general", "regardez https://exemple.fr")
    assert (refused["code"], refused["field"]) == ("forbidden", "text")
    for index in range(3):
        assert (await _say(newcomer, "general", f"bonjour {index}"))["type"] == "ack"
    await asyncio.sleep(0.6)
    assert (await _say(newcomer, "general", "regardez https://exemple.fr"))["type"] == "ack"


async def test_threat_report_gives_the_admin_a_police_packet(
    safe_server: Any, tmp_path: Path
) -> None:
    import json
    import os
    import subprocess
    import sys

    from tests.support.process import REPO_ROOT

    victim = await _person(safe_server, "Victime")
    threat = await _person(safe_server, "Menacant")
    await victim.join("general")
    await threat.join("general")
    posted = await _say(threat, "general", "je sais où tu habites, je vais venir")
    reported = await victim.request(
        "report", message_id=posted["message_id"], category="threat", good_faith=True
    )
    out = tmp_path / "packet.json"
    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "causerie",
            "--data-dir",
            str(safe_server.settings.data_dir),
            "report",
            "police",
            str(reported["report_id"]),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")},
    )
    assert result.returncode == 0, result.stderr
    packet = json.loads(out.read_text(encoding="utf-8"))
    assert packet["report"]["category"] == "threat"
    assert packet["facts"]["reported_message"]["text"] == "je sais où tu habites, je vais venir"
    nicks = {record["nickname"] for record in packet["connection_records"]}
    assert nicks == {"Victime", "Menacant"}
    assert all(record["address"] == "127.0.0.1" for record in packet["connection_records"])
    rows = await safe_server.node.store.audit_rows()
    assert rows[-1]["action"] == "police_notification"


async def test_repeat_offender_is_warned_then_suspended(safe_server: Any) -> None:
    moderator = await _moderator(safe_server)
    offender = await _person(safe_server, "Recidiviste", device="tel-r")
    statements = []
    for index in range(5):
        done = await moderator.request(
            "mod", action="mute", nick="Recidiviste", duration_s=1, reason=f"spam {index}"
        )
        assert done["type"] == "mod_done", done
        statements.append(await offender.expect_type("notice", kind="moderation"))
        if index == 2:
            warning = await offender.expect_type("notice", kind="moderation")
            assert "avertissement" in warning["text"].lower()
    suspension = await offender.expect_type("notice", kind="moderation")
    assert "suspen" in suspension["text"].lower()
    again: Client = await safe_server.connect("tel-r")
    refused = await again.hello("Autre")
    assert refused["code"] == "banned" and refused["retry_after"] > 6 * 24 * 3600


async def test_unfounded_reports_lead_to_a_warning_then_a_reporting_suspension(
    safe_server: Any,
) -> None:
    moderator = await _moderator(safe_server)
    await _person(safe_server, "Innocent")
    accuser = await _person(safe_server, "Accusateur", device="tel-a")
    for index in range(5):
        reported = await accuser.request(
            "report", nick="Innocent", category="spam", comment=f"faux {index}"
        )
        assert reported["type"] == "reported", reported
        done = await moderator.request(
            "mod", action="dismiss", report_id=reported["report_id"], reason="infondé"
        )
        assert done["type"] == "mod_done"
    await asyncio.sleep(0.2)
    refused = await accuser.request("report", nick="Innocent", category="spam")
    assert refused["code"] == "banned" and refused["retry_after"] > 0
    texts = [f["text"] for f in accuser.inbox if f["type"] == "notice"]
    assert any("avertissement" in t.lower() for t in texts), texts


async def test_trusted_flagger_reports_take_their_own_lane(safe_server: Any) -> None:
    import os
    import subprocess
    import sys

    from tests.support.process import REPO_ROOT

    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "causerie",
            "--data-dir",
            str(safe_server.settings.data_dir),
            "flagger",
            "add",
            "Association",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")},
    )
    assert result.returncode == 0, result.stderr
    moderator = await _moderator(safe_server)
    await _person(safe_server, "Suspect")
    ordinary = await _person(safe_server, "Passant")
    await ordinary.request("report", nick="Suspect", category="harassment")
    for _ in range(int(TIMEOUT_S * 10)):  # the node reads the list every 2 s
        if "association" in safe_server.node.trusted_flaggers:
            break
        await asyncio.sleep(0.5)
    trusted = await _person(safe_server, "Association")
    reported = await trusted.request("report", nick="Suspect", category="harassment")
    queue = (await moderator.request("queue"))["items"]
    assert [item["lane"] for item in queue][:2] == ["trusted", "user"]
    assert queue[0]["id"] == reported["report_id"]


async def test_a_locked_room_stays_locked_after_a_restart(tmp_path: Path) -> None:
    running, server, task = await start_server(tmp_path)
    try:
        store = running.node.store
        await store.add_staff(
            StaffAccount("Gardien", StaffRole.MODERATOR, hash_password(PASSWORD)), 0
        )
        staff = Client(await websockets.connect(running.ws_url))
        assert (await staff.request("login", name="Gardien", password=PASSWORD))["type"] == "staff"
        done = await staff.request(
            "mod", action="slow_mode", room="sport", interval_s=30, reason="trop de messages"
        )
        assert done["type"] == "mod_done"
        done = await staff.request(
            "mod", action="lock_room", room="general", locked=True, reason="raid"
        )
        assert done["type"] == "mod_done"
        await staff.close()
    finally:
        await stop_server(server, task)
    running, server, task = await start_server(tmp_path)
    try:
        person = Client(await websockets.connect(running.ws_url))
        await person.hello("Apres")
        await person.join("general")
        locked = await _say(person, "general", "ouvert ?")
        assert (locked["code"], locked["field"]) == ("forbidden", "room")
        await person.join("sport")
        assert (await _say(person, "sport", "un"))["type"] == "ack"
        slowed = await _say(person, "sport", "deux")
        assert slowed["code"] == "rate_limited" and slowed["retry_after"] > 25
        await person.close()
    finally:
        await stop_server(server, task)
