"""Log lines: JSON lines carry the connection context the code passes."""

from __future__ import annotations

import json
import logging

from causerie.logs import JsonFormatter


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "causerie.test", logging.WARNING, __file__, 1, "slow %s", ("x",), None
    )
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_formatter_line_is_one_json_object_with_context() -> None:
    line = JsonFormatter().format(_record(connection="c1", session="s1"))
    entry = json.loads(line)
    assert entry["message"] == "slow x"
    assert entry["level"] == "warning"
    assert (entry["connection"], entry["session"]) == ("c1", "s1")
    assert entry["ts"].endswith("Z")


def test_json_formatter_without_context_has_no_empty_fields() -> None:
    entry = json.loads(JsonFormatter().format(_record()))
    assert "connection" not in entry and "session" not in entry
