"""The `causerie` command as an operator runs it: readable output, exit codes, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.chat import TIMEOUT_S
from tests.support.process import REPO_ROOT

pytestmark = pytest.mark.integration


def causerie(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "causerie", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=TIMEOUT_S * 6,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = causerie("--help")
    assert result.returncode == 0
    for command in ("serve", "db", "rooms"):
        assert command in result.stdout


def test_db_upgrade_then_rooms_lists_the_seeded_set(tmp_path: Path) -> None:
    upgraded = causerie("--data-dir", str(tmp_path), "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (tmp_path / "causerie.db").exists()
    rooms = causerie("--data-dir", str(tmp_path), "rooms")
    assert rooms.returncode == 0
    assert "general" in rooms.stdout and "ados-general" in rooms.stdout


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"CAUSERIE_PORT": "quatre-vingt"}, "CAUSERIE_PORT='quatre-vingt'"),
        ({"CAUSERIE_MIN_AGE": "8"}, "CAUSERIE_MIN_AGE='8'"),
        ({"CAUSERIE_RATE_LIMITS": "off", "CAUSERIE_HOST": "0.0.0.0"}, "loopback"),
    ],
)
def test_bad_configuration_is_one_readable_line(
    tmp_path: Path, env: dict[str, str], needle: str
) -> None:
    result = causerie("--data-dir", str(tmp_path), "serve", env=env)
    assert result.returncode == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_is_reported_without_traceback(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = causerie("--data-dir", str(tmp_path), "serve", "--port", port)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_rooms_pictures_setting_changes_and_lists(tmp_path: Path) -> None:
    turned_on = causerie("--data-dir", str(tmp_path), "rooms", "pictures", "ados-general", "on")
    listed = causerie("--data-dir", str(tmp_path), "rooms")
    unknown = causerie("--data-dir", str(tmp_path), "rooms", "pictures", "nulle-part", "on")

    assert turned_on.returncode == 0, turned_on.stderr
    lines = {line.split()[0]: line for line in listed.stdout.splitlines()}
    assert "pictures" in lines["ados-general"] and "pictures" not in lines["ados-musique"]
    assert "pictures" in lines["general"]
    assert unknown.returncode == 2 and "nulle-part" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_serve_with_unreadable_hash_list_refuses_to_start_readably(tmp_path: Path) -> None:
    bad = tmp_path / "hashes.txt"
    bad.write_text("not-a-hash label\n")

    missing = causerie(
        "--data-dir", str(tmp_path), "serve", env={"CAUSERIE_MEDIA_HASH_LIST": "/nope"}
    )
    invalid = causerie(
        "--data-dir", str(tmp_path), "serve", env={"CAUSERIE_MEDIA_HASH_LIST": str(bad)}
    )

    assert missing.returncode == invalid.returncode == 2
    assert "media_hash_list" in missing.stderr and "line 1" in invalid.stderr
    assert "Traceback" not in missing.stderr + invalid.stderr
