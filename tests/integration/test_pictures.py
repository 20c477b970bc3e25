"""Pictures end to end over the real server (DESIGN.md rule 4, issue 4): upload over HTTP with
the session's token, post in a room or a private message, who may fetch the file, a hash-list
match (evidence kept, sender suspended, top-severity flag), and pictures moderators removed.

Every image is made here (tests/unit/media/images.py); the hash list is built from them.
"""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from causerie.media.pipeline import pdq_hash
from causerie.media.records import MediaState
from causerie.media.store import Area
from causerie.safety.reports import Category
from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from tests.support.chat import TIMEOUT_S, Client, RunningServer, start_server, stop_server
from tests.unit.media import images

pytestmark = pytest.mark.integration
LISTED = images.photo_like(800, 600, seed=41)  # stands in for known abuse material
MAX_BYTES = 200_000


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    hash_list = tmp_path / "hashes.txt"
    listed_hash, _quality = pdq_hash(LISTED)
    hash_list.write_text(f"# synthetic test list\n{listed_hash} test-source\n")
    running, uv, task = await start_server(
        tmp_path / "data", media_hash_list=str(hash_list), media_max_bytes=MAX_BYTES
    )
    yield running
    await stop_server(uv, task)


@pytest.fixture
async def people(server: RunningServer) -> AsyncIterator[Any]:
    clients: list[Client] = []

    async def person(nick: str, age: int = 30, room: str | None = "general") -> Client:
        client = await Client.connect(server)
        clients.append(client)
        welcome = await client.hello(nick, age=age)
        assert welcome["type"] == "welcome", welcome
        client.token = welcome["token"]  # type: ignore[attr-defined]
        if room is not None:
            assert (await client.join(room))["type"] == "joined"
        return client

    yield person
    for client in clients:
        await client.close()


def _auth(client: Client | None) -> dict[str, str]:
    return {} if client is None else {"Authorization": f"Bearer {client.token}"}  # type: ignore[attr-defined]


async def _upload(
    server: RunningServer, client: Client | None, data: bytes | AsyncIterator[bytes]
) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT_S * 4) as http:
        return await http.post("/api/media", content=data, headers=_auth(client))


async def _fetch(server: RunningServer, client: Client | None, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT_S) as http:
        return await http.get(path, headers=_auth(client))


async def _uploaded(server: RunningServer, client: Client, data: bytes) -> dict[str, Any]:
    response = await _upload(server, client, data)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _post(client: Client, room: str, media: str, text: str = "") -> dict[str, Any]:
    return await client.request_outcome("say", room=room, text=text, media=media)


async def test_upload_without_session_token_refused_401(server: RunningServer) -> None:
    response = await _upload(server, None, images.jpeg())

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "forbidden"


async def test_upload_jpeg_with_gps_served_back_without_metadata(
    server: RunningServer, people: Any
) -> None:
    alice = await people("Alice")

    body = await _uploaded(server, alice, images.jpeg_with_gps())
    response = await _fetch(server, alice, f"/media/{body['id']}")

    assert response.status_code == 200
    assert response.headers["content-type"] == body["mime"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    with Image.open(io.BytesIO(response.content)) as stored:
        assert not stored.getexif() and "exif" not in stored.info
        assert stored.size == (body["width"], body["height"])


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 415, "invalid_media"),
        (b"<html><script>alert(1)</script></html>", 415, "invalid_media"),
        (images.truncated_jpeg(), 415, "invalid_media"),
        (images.polyglot_gif_js(), 415, "invalid_media"),
    ],
    ids=["empty", "html", "truncated-jpeg", "polyglot-gif-js"],
)
async def test_upload_not_a_clean_picture_refused_with_reason(
    server: RunningServer, people: Any, data: bytes, status: int, code: str
) -> None:
    alice = await people("Alice")

    response = await _upload(server, alice, data)

    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


async def test_upload_over_limit_refused_while_streaming(
    server: RunningServer, people: Any
) -> None:
    alice = await people("Alice")

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the server must count
        for _ in range(100):
            yield b"\xff" * 16_384

    declared = await _upload(server, alice, b"\xff" * (MAX_BYTES + 1))
    streamed = await _upload(server, alice, chunks())

    assert declared.status_code == streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "too_large"


async def test_picture_in_room_reaches_members_and_only_its_band_may_fetch_it(
    server: RunningServer, people: Any
) -> None:
    alice, bruno = await people("Alice"), await people("Bruno")
    lea = await people("Lea", age=15, room=None)
    body = await _uploaded(server, alice, images.jpeg(images.photo_like(seed=3)))

    ack = await _post(alice, "general", body["id"], "mon chat")
    seen = await bruno.expect_type("message", id=ack["message_id"])

    assert ack["type"] == "ack"
    assert seen["media"] == {"id": body["id"], "width": body["width"], "height": body["height"]}
    assert (await _fetch(server, bruno, f"/media/{body['id']}/thumb")).status_code == 200
    assert (await _fetch(server, lea, f"/media/{body['id']}/thumb")).status_code == 404
    assert (await _fetch(server, None, f"/media/{body['id']}")).status_code == 401
    history = await bruno.request("history", room="general")
    assert [m.get("media", {}).get("id") for m in history["messages"]] == [body["id"]]


async def test_picture_in_teen_room_refused_forbidden(server: RunningServer, people: Any) -> None:
    lea = await people("Lea", age=15, room="ados-general")
    body = await _uploaded(server, lea, images.jpeg())

    refused = await _post(lea, "ados-general", body["id"])

    assert (refused["type"], refused["code"]) == ("error", "forbidden")


async def test_someone_elses_or_unknown_media_id_refused_not_found(
    server: RunningServer, people: Any
) -> None:
    alice, bruno = await people("Alice"), await people("Bruno")
    body = await _uploaded(server, alice, images.jpeg())

    stolen = await _post(bruno, "general", body["id"])
    unknown = await _post(bruno, "general", "NoSuchPicture000")

    assert (stolen["code"], stolen["field"]) == ("not_found", "media")
    assert unknown["code"] == "not_found"


async def test_private_picture_fetchable_by_the_two_only_with_blurred_preview(
    server: RunningServer, people: Any
) -> None:
    alice, bruno, chloe = await people("Alice"), await people("Bruno"), await people("Chloe")
    await alice.request_outcome("dm", to="Bruno", text="salut")
    await bruno.request_outcome("dm", to="Alice", text="salut !")
    body = await _uploaded(server, alice, images.jpeg(images.photo_like(seed=5)))

    ack = await alice.request_outcome("dm", to="Bruno", text="", media=body["id"])
    dm = await bruno.expect(lambda f: f.get("id") == ack["message_id"], type_="dm")

    assert dm["media"]["id"] == body["id"]
    preview = await _fetch(server, bruno, f"/media/{body['id']}/preview")
    full = await _fetch(server, bruno, f"/media/{body['id']}")
    assert preview.status_code == full.status_code == 200
    assert preview.content != full.content and preview.headers["content-type"] == "image/jpeg"
    assert (await _fetch(server, chloe, f"/media/{body['id']}")).status_code == 404


async def test_hash_list_match_blocked_preserved_flagged_and_sender_suspended(
    server: RunningServer, people: Any, tmp_path: Path
) -> None:
    mallory = await people("Mallory")
    w, h = LISTED.size
    altered = LISTED.resize((w * 7 // 10, h * 7 // 10)).crop((4, 4, w * 7 // 10 - 4, h * 7 // 10))
    upload = images.jpeg(altered, quality=50)

    response = await _upload(server, mallory, upload)
    closed = await _closed_with(mallory)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert closed == 4003
    store = server.node.store
    [flag] = [r for r in await store.open_reports() if r.rule == "picture_hash_match"]
    assert (flag.category, flag.severity) == (Category.CHILD_SAFETY, 5)
    media_id = flag.evidence["details"]["media"]["id"]
    record = await store.media(media_id)
    assert record is not None and record.state is MediaState.BLOCKED
    assert await server.node.pictures.files.get(record.original_sha256, Area.EVIDENCE) == upload
    assert not await server.node.pictures.files.exists(record.sha256, Area.PUBLIC)
    assert flag.evidence["details"]["match"]["label"] == "test-source"


async def test_unrelated_picture_not_matched_delivered(server: RunningServer, people: Any) -> None:
    alice = await people("Alice")

    response = await _upload(server, alice, images.jpeg(images.photo_like(800, 600, seed=97)))

    assert response.status_code == 201


async def test_picture_removed_by_moderator_not_served_and_exact_reupload_refused(
    server: RunningServer, people: Any
) -> None:
    alice, bruno = await people("Alice"), await people("Bruno")
    data = images.jpeg(images.photo_like(seed=8))
    body = await _uploaded(server, alice, data)
    ack = await _post(alice, "general", body["id"])

    await server.node.measures.delete_message(ack["message_id"], "Sophie_Modo", "illegal")

    assert (await _fetch(server, bruno, f"/media/{body['id']}")).status_code == 404
    again = await _upload(server, alice, data)
    assert again.status_code == 403
    assert "modération" in again.json()["error"]["message"]


async def _closed_with(client: Client) -> int | None:
    try:
        while True:
            await client.receive()
    except Exception:  # the close ends the reading, whatever the client library raises
        return client.ws.close_code


async def _moderator(server: RunningServer) -> Client:
    await server.node.store.add_staff(
        StaffAccount("Sophie_Modo", StaffRole.MODERATOR, hash_password("un-mot-de-passe-long")), 0
    )
    staff = await Client.connect(server)
    welcome = await staff.request("login", name="Sophie_Modo", password="un-mot-de-passe-long")
    assert welcome["type"] == "staff", welcome
    return staff


async def test_reported_private_picture_shown_to_moderator_and_the_look_audited(
    server: RunningServer, people: Any
) -> None:
    alice, bruno = await people("Alice"), await people("Bruno")
    await bruno.request_outcome("dm", to="Alice", text="salut")
    await alice.request_outcome("dm", to="Bruno", text="salut")
    body = await _uploaded(server, bruno, images.jpeg(images.photo_like(seed=21)))
    ack = await bruno.request_outcome("dm", to="Alice", text="", media=body["id"])
    reported = await alice.request(
        "report", message_id=ack["message_id"], category="sexual_content"
    )
    staff = await _moderator(server)

    shown = await staff.request("media", media_id=body["id"])
    refused = await alice.request("media", media_id=body["id"])

    assert reported["type"] == "reported", reported
    assert (shown["type"], shown["media_id"], shown["mime"]) == ("media", body["id"], "image/jpeg")
    with Image.open(io.BytesIO(base64.b64decode(shown["data"]))) as thumb:
        assert max(thumb.size) <= 320
    assert refused["code"] == "forbidden"
    [look] = [r for r in await server.node.store.audit_rows() if r["action"] == "view_media"]
    assert (look["actor"], look["target"]) == ("Sophie_Modo", f"media:{body['id']}")


async def test_hash_matched_picture_never_shown_in_console(
    server: RunningServer, people: Any
) -> None:
    mallory = await people("Mallory")
    await _upload(server, mallory, images.jpeg(LISTED))
    [flag] = [r for r in await server.node.store.open_reports() if r.rule == "picture_hash_match"]
    staff = await _moderator(server)

    refused = await staff.request("media", media_id=flag.evidence["details"]["media"]["id"])

    assert refused["code"] == "not_found"
