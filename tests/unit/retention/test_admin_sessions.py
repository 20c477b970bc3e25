"""Admin tokens for the transparency page: signed, short-lived, checkable on any node sharing
the key. (Failed logins are limited by the node's `StaffLogins`: tests/unit/node/test_logins.py.)"""

from __future__ import annotations

from pathlib import Path

from causerie.http.admin import ADMIN_TOKEN_TTL_S, AdminSessions, token_secret


def test_admin_token_expires_after_its_ttl() -> None:
    now = [1000.0]
    sessions = AdminSessions(b"k" * 32, clock_s=lambda: now[0])
    token = sessions.issue("admin1")
    assert sessions.name_of(token) == "admin1"
    now[0] += ADMIN_TOKEN_TTL_S + 1
    assert sessions.name_of(token) is None


def test_admin_token_forged_or_garbled_is_refused() -> None:
    sessions = AdminSessions(b"k" * 32, clock_s=lambda: 0.0)
    token = sessions.issue("admin1")
    name, expiry, mac = token.split(".")
    later = str(int(expiry) + 3600)
    for bad in (None, "", "x", f"{name}.{later}.{mac}", f"{name}.{expiry}.{'0' * 64}", "a.b.c"):
        assert sessions.name_of(bad) is None
    assert AdminSessions(b"other key" * 4, clock_s=lambda: 0.0).name_of(token) is None


def test_admin_token_checks_on_another_node_with_the_same_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "legal" / "operator.key"
    first, second = (AdminSessions(token_secret(key_file)) for _ in range(2))
    assert second.name_of(first.issue("Émilie")) == "Émilie"
