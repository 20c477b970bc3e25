"""Transparency figures from a seeded set of reports, decisions, appeals and legal requests,
compared with totals this test computes on its own; the admin page's API (admins only) and a
person's own data download over HTTP."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from causerie.retention.policy import DAY_MS, parse_day
from causerie.safety import audit
from causerie.safety.reports import Category, Lane, Report, ReportKind, ReportState
from causerie.safety.staff import StaffAccount, StaffRole, hash_password
from causerie.store.sql import SqlStore
from causerie.transparency.figures import compute
from causerie.transparency.render import render
from tests.support.chat import Client, RunningServer, start_server, stop_server
from tests.support.databases import open_store

pytestmark = pytest.mark.integration

START = parse_day("2026-03-01")
END = parse_day("2026-03-31", end=True)
DECISIONS = ["warning", "message_removed", "muted", "banned_site", "held", "report_dismissed"]


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    async with open_store(request.param, tmp_path) as opened:
        yield opened


async def _seed(store: SqlStore) -> dict[str, Any]:
    """Reports, statements and legal entries, some outside the period; returns the truth."""
    rng = random.Random(7)
    seeded: dict[str, Any] = {"reports": [], "statements": []}
    for index in range(60):
        created = START + rng.randrange(-5, 36) * DAY_MS + rng.randrange(DAY_MS)
        kind = rng.choice([ReportKind.REPORT] * 4 + [ReportKind.FLAG, ReportKind.APPEAL])
        state = rng.choice(list(ReportState))
        wait_ms = rng.randrange(60_000, 3 * DAY_MS)
        report = Report(
            id=0,
            kind=kind,
            state=state,
            category=rng.choice(list(Category)),
            severity=3,
            lane=Lane.AUTOMATIC
            if kind is ReportKind.FLAG
            else rng.choice([Lane.USER, Lane.TRUSTED]),
            target_nick=f"n{index}",
            target_session=f"s{index}",
            created_at_ms=created,
            updated_at_ms=created + wait_ms,
        )
        await store.add_report(report)
        seeded["reports"].append(report)
    for index in range(40):
        decided = START + rng.randrange(-3, 34) * DAY_MS
        appealed = decided + DAY_MS if index % 4 == 0 else None
        outcome = rng.choice([None, "upheld", "reversed"]) if appealed else None
        values = {
            "id": f"st{index}",
            "session": f"s{index}",
            "nick": f"n{index}",
            "decision": rng.choice(DECISIONS),
            "ground": "harassment",
            "is_automatic": rng.random() < 0.4,
            "actor": "modo",
            "body": "{}",
            "decided_at_ms": decided,
            "appeal_until_ms": decided + 183 * DAY_MS,
            "appealed_at_ms": appealed,
            "appeal_outcome": outcome,
        }
        await store.add_statement(**values)
        seeded["statements"].append(values)
    for at, action, reference in (
        (START + DAY_MS, audit.AuditAction.LEGAL_EXPORT, "PV-1"),
        (START + 2 * DAY_MS, audit.AuditAction.LEGAL_HOLD, "PV-1"),
        (START + 3 * DAY_MS, audit.AuditAction.LEGAL_EXPORT, "PV-2"),
        (START - 3 * DAY_MS, audit.AuditAction.LEGAL_EXPORT, "PV-0"),
        (START + 4 * DAY_MS, audit.AuditAction.WARN, ""),
    ):
        await store.append_audit(
            at_ms=at,
            actor="op",
            actor_kind=audit.ActorKind.HUMAN,
            action=action,
            target="user:x",
            reason=reference,
            details={"reference": reference},
        )
    return seeded


def _in(at: int | None) -> bool:
    return at is not None and START <= at <= END


async def test_transparency_figures_match_independent_totals(store: SqlStore) -> None:
    seeded = await _seed(store)
    figures = compute(await store.transparency_rows(START, END), START, END)

    notices = [r for r in seeded["reports"] if r.kind != ReportKind.APPEAL and _in(r.created_at_ms)]
    assert figures["notices"]["total"] == len(notices)
    for category in Category:
        expected = len([r for r in notices if r.category == category])
        assert figures["notices"]["by_category"][category.value] == expected
    for lane in Lane:
        assert figures["notices"]["by_source"][lane.value] == len(
            [r for r in notices if r.lane == lane]
        )

    actions = [
        s
        for s in seeded["statements"]
        if _in(s["decided_at_ms"]) and s["decision"] != "report_dismissed"
    ]
    assert figures["actions"]["total"] == len(actions)
    assert figures["actions"]["automatic"] == len([s for s in actions if s["is_automatic"]])
    assert figures["actions"]["human"] == len([s for s in actions if not s["is_automatic"]])
    for decision in DECISIONS[:-1]:
        expected = len([s for s in actions if s["decision"] == decision])
        assert figures["actions"]["by_kind"].get(decision, 0) == expected

    waits = sorted(
        (r.updated_at_ms - r.created_at_ms) / 1000
        for r in notices
        if r.state in (ReportState.ACTIONED, ReportState.DISMISSED)
    )
    middle = len(waits) // 2
    median = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
    rank = -(-9 * len(waits) // 10)  # ceil(0.9 n), nearest rank
    assert figures["time_to_action_s"]["count"] == len(waits)
    assert figures["time_to_action_s"]["median"] == pytest.approx(median)
    assert figures["time_to_action_s"]["p90"] == pytest.approx(waits[rank - 1])

    appealed = [s for s in seeded["statements"] if _in(s["appealed_at_ms"])]
    assert figures["appeals"]["total"] == len(appealed)
    assert figures["appeals"]["outcomes"]["pending"] == len(
        [s for s in appealed if s["appeal_outcome"] is None]
    )
    assert figures["legal_requests"] == {"exports": 2, "holds": 1, "searches": 0, "references": 2}
    assert sum(d["notices"] for d in figures["daily"]) == len(notices)
    assert len(figures["daily"]) == 31


async def test_transparency_renders_json_csv_and_html(store: SqlStore) -> None:
    await _seed(store)
    figures = compute(await store.transparency_rows(START, END), START, END)
    assert json.loads(render(figures, "json")) == figures
    table = dict(csv.reader(io.StringIO(render(figures, "csv"))))
    assert table["notices.total"] == str(figures["notices"]["total"])
    html = render(figures, "html")
    assert html.count("<svg") == 7 and "<script" not in html


def test_cli_transparency_writes_an_html_page(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.support.chat import TIMEOUT_S
    from tests.support.process import REPO_ROOT

    out = tmp_path / "report.html"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "causerie", "--data-dir", str(tmp_path), "report"),
            *("transparency", "--from", "2026-03-01", "--to", "2026-03-31"),
            *("--format", "html", "--out", str(out)),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")},
        timeout=TIMEOUT_S * 6,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").count("<svg") == 7


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[RunningServer]:
    server, uv, task = await start_server(tmp_path)
    yield server
    await stop_server(uv, task)


async def test_admin_api_is_for_admins_only(running: RunningServer) -> None:
    store = running.node.store
    for name, role in (("admin1", StaffRole.ADMIN), ("modo1", StaffRole.MODERATOR)):
        await store.add_staff(StaffAccount(name, role, hash_password("Mot-de-passe-42")), 0)
    async with httpx.AsyncClient(base_url=running.url) as http:
        page = await http.get("/admin")
        assert page.status_code == 200 and "admin.js" in page.text
        query = {"from": "2026-03-01", "to": "2026-03-31"}
        assert (await http.get("/api/admin/transparency", params=query)).status_code == 403
        refused = await http.post(
            "/api/admin/login", json={"name": "modo1", "password": "Mot-de-passe-42"}
        )
        assert refused.status_code == 403
        wrong = await http.post("/api/admin/login", json={"name": "admin1", "password": "x"})
        assert wrong.status_code == 403
        login = await http.post(
            "/api/admin/login", json={"name": "admin1", "password": "Mot-de-passe-42"}
        )
        assert login.status_code == 200
        bearer = {"authorization": f"Bearer {login.json()['token']}"}
        figures = await http.get("/api/admin/transparency", params=query, headers=bearer)
        assert figures.status_code == 200 and figures.json()["notices"]["total"] == 0
        bad = await http.get(
            "/api/admin/transparency", params={"from": "x", "to": "y"}, headers=bearer
        )
        assert bad.status_code == 400


async def test_my_data_holds_my_session_and_nothing_of_others(running: RunningServer) -> None:
    alice, bruno = await Client.connect(running), await Client.connect(running)
    try:
        welcome = await alice.hello("Alice")
        await bruno.hello("Bruno")
        for client in (alice, bruno):
            await client.join("general")
        await alice.say("general", "message d'Alice")
        await bruno.say("general", "message de Bruno")
        async with httpx.AsyncClient(base_url=running.url) as http:
            assert (await http.get("/api/me/data")).status_code == 403
            answer = await http.get(
                "/api/me/data", headers={"authorization": f"Bearer {welcome['token']}"}
            )
        assert answer.status_code == 200
        assert "attachment" in answer.headers["content-disposition"]
        data = answer.json()
        assert data["connection"]["nick"] == "Alice"
        assert "token_sha256" not in data["connection"]
        assert [m["text"] for m in data["messages"]] == ["message d'Alice"]
        assert "Bruno" not in answer.text
    finally:
        await alice.close()
        await bruno.close()


async def test_moderators_queue_never_shows_an_address(running: RunningServer) -> None:
    """Addresses are for admins, in exports only: the moderation console's queue, with the
    reported message and its context, carries none (every client here is on 127.0.0.1)."""
    await running.node.store.add_staff(
        StaffAccount("modo2", StaffRole.MODERATOR, hash_password("Mot-de-passe-42")), 0
    )
    author, reader, staff = [await Client.connect(running) for _ in range(3)]
    try:
        await author.hello("Auteur")
        await reader.hello("Lecteur")
        for client in (author, reader):
            await client.join("general")
        message, _ack = await author.say("general", "message à signaler")
        reported = await reader.request("report", message_id=message["id"], category="harassment")
        assert reported["type"] == "reported", reported
        assert (await staff.request("login", name="modo2", password="Mot-de-passe-42"))[
            "type"
        ] == "staff"
        queue = json.dumps(await staff.expect_type("queue"), ensure_ascii=False)
        assert "message à signaler" in queue
        assert "127.0.0.1" not in queue and "75011" not in queue
    finally:
        for client in (author, reader, staff):
            await client.close()
