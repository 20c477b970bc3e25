"""Admin tokens for the transparency page: short-lived, and failed logins limited."""

from __future__ import annotations

from causerie.http.admin import ADMIN_TOKEN_TTL_S, LOGIN_FAILURES_ALLOWED, AdminSessions


def test_admin_token_expires_after_its_ttl() -> None:
    now = [1000.0]
    sessions = AdminSessions(clock_s=lambda: now[0])
    token = sessions.issue("admin1")
    assert sessions.name_of(token) == "admin1"
    assert sessions.name_of("forged") is None and sessions.name_of(None) is None
    now[0] += ADMIN_TOKEN_TTL_S + 1
    assert sessions.name_of(token) is None


def test_admin_login_failures_limited_per_address() -> None:
    sessions = AdminSessions(clock_s=lambda: 0.0)
    for _ in range(LOGIN_FAILURES_ALLOWED):
        assert sessions.may_try("10.0.0.1")
        sessions.failed("10.0.0.1")
    assert not sessions.may_try("10.0.0.1")
    assert sessions.may_try("10.0.0.2")
