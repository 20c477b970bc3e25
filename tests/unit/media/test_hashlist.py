"""The operator's PDQ hash list: its file format, errors that name the line, nearest-match
search, and the file followed on disk (a bad edit keeps the previous list in force)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pytest

from causerie.media.hashlist import HashList, HashListFile, HashMatch, parse_line

A = "a" * 64
B = "0123456789abcdef" * 4
ZERO = "0" * 64


def _flip(pdq_hex: str, bits: int) -> str:
    """`pdq_hex` with its `bits` lowest bits inverted: at exactly that Hamming distance."""
    return f"{int(pdq_hex, 16) ^ ((1 << bits) - 1):064x}"


def _write(path: Path, text: str, mtime_ns: int | None = None) -> None:
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_hashlist_load_reads_labels_comments_and_separators(tmp_path: Path) -> None:
    path = tmp_path / "hashes.txt"
    _write(
        path,
        "# operator list, 2026-05\n"
        "\n"
        f"{A} source one\n"
        f"{B.upper()},source two # checked twice\n"
        f"   {ZERO}\n",
    )

    hashes = HashList.load(path)

    assert len(hashes) == 3
    assert hashes.match(A) == HashMatch(A, "source one", 0)
    assert hashes.match(B) == HashMatch(B, "source two", 0)
    assert hashes.match(ZERO) == HashMatch(ZERO, "", 0)


@pytest.mark.parametrize(
    "bad_line",
    ["abc source", A[:-1], A + "0", f"{A}label-without-space", "g" * 64],
)
def test_hashlist_load_bad_line_error_names_the_line(tmp_path: Path, bad_line: str) -> None:
    path = tmp_path / "hashes.txt"
    _write(path, f"# header\n{A} ok\n{bad_line}\n")

    with pytest.raises(ValueError, match=r"line 3\b"):
        HashList.load(path)


def test_hashlist_load_not_utf8_refused(tmp_path: Path) -> None:
    path = tmp_path / "hashes.txt"
    path.write_bytes(A.encode() + b" \xff\xfe\n")

    with pytest.raises(ValueError, match="UTF-8"):
        HashList.load(path)


def test_parse_line_blank_and_comment_give_nothing() -> None:
    assert parse_line("   \n") is None
    assert parse_line("# only a comment") is None
    assert parse_line(f"{A}\t\tlabel with spaces \n") == (A, "label with spaces")


def test_hashlist_match_nearest_within_threshold() -> None:
    hashes = HashList.from_entries([(_flip(A, 30), "far"), (_flip(A, 12), "near")])

    assert hashes.match(A) == HashMatch(_flip(A, 12), "near", 12)


def test_hashlist_match_threshold_is_inclusive() -> None:
    hashes = HashList.from_entries([(_flip(A, 31), "edge")])

    assert hashes.match(A) == HashMatch(_flip(A, 31), "edge", 31)
    assert hashes.match(A, max_distance=30) is None
    assert HashList.from_entries([(_flip(A, 32), "out")]).match(A) is None


def test_hashlist_distances_count_every_bit() -> None:
    hashes = HashList.from_entries([(ZERO, "zero"), ("f" * 64, "ones"), (B, "b")])

    assert hashes.distances(ZERO).tolist() == [0, 256, bin(int(B, 16)).count("1")]


def test_hashlist_empty_matches_nothing() -> None:
    assert len(HashList.empty()) == 0
    assert HashList.empty().match(A) is None
    assert HashList.from_entries([]).match(A) is None


def test_hashlist_contains_exact_only_at_distance_zero() -> None:
    hashes = HashList.from_entries([(A, "x")])

    assert hashes.contains_exact(A.upper())
    assert not hashes.contains_exact(_flip(A, 1))


def test_hashlist_match_bad_query_raises_value_error() -> None:
    with pytest.raises(ValueError):
        HashList.from_entries([(A, "x")]).match("not a hash")
    with pytest.raises(ValueError):
        HashList.from_entries([("xyz", "bad")])


def test_hashlist_many_random_hashes_agree_with_python_count() -> None:
    rng = np.random.default_rng(5)
    hexes = [rng.bytes(32).hex() for _ in range(500)]
    hashes = HashList.from_entries((h, str(n)) for n, h in enumerate(hexes))
    query = rng.bytes(32).hex()

    expected = [bin(int(h, 16) ^ int(query, 16)).count("1") for h in hexes]
    assert hashes.distances(query).tolist() == expected
    nearest = min(range(500), key=lambda n: expected[n])
    assert hashes.match(query, max_distance=256) == HashMatch(
        hexes[nearest], str(nearest), expected[nearest]
    )


def test_hashlist_file_without_path_is_empty() -> None:
    assert len(HashListFile(None).current()) == 0


def test_hashlist_file_reloads_after_change_once_interval_passed(tmp_path: Path) -> None:
    path = tmp_path / "hashes.txt"
    _write(path, f"{A} first\n", mtime_ns=1_000_000_000)
    clock = FakeClock()
    followed = HashListFile(path, clock=clock)
    _write(path, f"{A} first\n{B} second\n", mtime_ns=2_000_000_000)

    clock.now += 1  # within the interval: the file is not even looked at
    assert len(followed.current()) == 1
    clock.now += 10
    assert len(followed.current()) == 2


def test_hashlist_file_bad_reload_keeps_previous_and_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "hashes.txt"
    _write(path, f"{A} first\n", mtime_ns=1_000_000_000)
    clock = FakeClock()
    followed = HashListFile(path, clock=clock)
    _write(path, f"{A} first\nbroken line\n", mtime_ns=2_000_000_000)

    with caplog.at_level(logging.ERROR, logger="causerie.media.hashlist"):
        clock.now += 10
        kept = followed.current()
        clock.now += 10
        followed.current()  # the same bad file is not parsed or logged again

    assert kept.match(A) == HashMatch(A, "first", 0)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "line 2" in errors[0].getMessage()


def test_hashlist_file_deleted_keeps_previous(tmp_path: Path) -> None:
    path = tmp_path / "hashes.txt"
    _write(path, f"{A} first\n")
    clock = FakeClock()
    followed = HashListFile(path, clock=clock)
    path.unlink()

    clock.now += 10
    assert len(followed.current()) == 1


def test_hashlist_file_bad_at_start_raises(tmp_path: Path) -> None:
    path = tmp_path / "hashes.txt"
    _write(path, "nonsense\n")

    with pytest.raises(ValueError, match="line 1"):
        HashListFile(path)
    with pytest.raises(OSError):
        HashListFile(tmp_path / "missing.txt")


def test_hashlist_file_reload_in_progress_others_use_list_in_force(tmp_path: Path) -> None:
    path = tmp_path / "hashes.txt"
    _write(path, f"{A} first\n", mtime_ns=1_000_000_000)
    clock = FakeClock()
    followed = HashListFile(path, clock=clock)
    _write(path, f"{A} first\n{B} second\n", mtime_ns=2_000_000_000)
    clock.now += 10

    with followed._lock:  # another thread is busy reloading
        assert len(followed.current()) == 1
    assert len(followed.current()) == 2
