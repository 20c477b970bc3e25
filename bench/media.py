"""Picture pipeline benchmark: the cost of one 12-megapixel JPEG, and of hash matching at scale.

Prints readable lines, then one JSON line with every figure:

- `picture`: a 12-MP photo-like JPEG (4000 x 3000, sensor-like grain, about 5 MB) processed end
  to end (decode, re-encode, thumbnail, PDQ, match against 100,000 hashes). Each run happens in
  a fresh process, so the peak memory is that of one upload: the process reads the file and
  builds the list, resets its peak-RSS counter (/proc/self/clear_refs), then processes the
  picture and reads VmHWM. Pillow's buffers live outside Python's allocator, so tracemalloc
  would not see them. The first call in each process is timed apart (cold), then a few more.
- `largest_png`: an 8000 x 5000 PNG, the most pixels the default limits let through; PNG has
  no reduced-scale decode, so this is the costliest upload (one process, one run).
- `bomb`: time and extra memory to refuse a 20,000 x 20,000 PNG (about 50 KB on disk).
- `matching`: median time of one `HashList.match` over many random queries against 1k, 100k
  and 1M random hashes, and the time to parse a 1M-line hash-list file.

Targets (issue 4): under 300 ms and 200 MB for the picture, under 50 ms for 1M hashes.

    python bench/media.py [--runs 5] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.unit.media import images

from causerie.media.hashlist import HashList
from causerie.media.pipeline import MediaLimits, process_picture

LIST_SIZE = 100_000
WARM_RUNS = 4


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def _reset_peak() -> None:
    """Makes VmHWM start again from the current RSS (Linux >= 4.0)."""
    Path("/proc/self/clear_refs").write_text("5")


def random_list(size: int, seed: int = 0) -> HashList:
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, 2**64, size=(size, 4), dtype=np.uint64)
    return HashList(hashes, [f"bench {n}" for n in range(size)])


def child_picture(path: Path) -> dict[str, float]:
    """One fresh process: the cost of one upload, then of a few more."""
    data = path.read_bytes()
    hashes = random_list(LIST_SIZE)
    baseline_kb = _status_kb("VmRSS")
    _reset_peak()
    start = time.perf_counter()
    picture = process_picture(data)
    hashes.match(picture.pdq)
    cold_s = time.perf_counter() - start
    peak_kb = _status_kb("VmHWM")
    warm = []
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        hashes.match(process_picture(data).pdq)
        warm.append(time.perf_counter() - start)
    return {
        "cold_ms": cold_s * 1000,
        "warm_ms": statistics.median(warm) * 1000,
        "peak_rss_mb": peak_kb / 1024,
        "peak_extra_mb": (peak_kb - baseline_kb) / 1024,
        "input_mb": len(data) / 1e6,
        "stored_kb": len(picture.data) / 1000,
        "width": picture.width,
        "height": picture.height,
    }


def child_largest_png(path: Path) -> dict[str, float]:
    """The worst case the limits allow: a PNG at `max_pixels`, which has no reduced decode."""
    data = path.read_bytes()
    limits = MediaLimits(max_bytes=len(data))  # a real one fits in 10 MB only if it is flat
    baseline_kb = _status_kb("VmRSS")
    _reset_peak()
    start = time.perf_counter()
    process_picture(data, limits)
    return {
        "ms": (time.perf_counter() - start) * 1000,
        "peak_extra_mb": (_status_kb("VmHWM") - baseline_kb) / 1024,
    }


def child_bomb() -> dict[str, float]:
    data = images.png_bomb()
    baseline_kb = _status_kb("VmRSS")
    _reset_peak()
    start = time.perf_counter()
    try:
        process_picture(data)
    except Exception as error:  # the refusal is the expected outcome
        refused = type(error).__name__
    else:
        refused = "accepted"
    elapsed = time.perf_counter() - start
    return {
        "refuse_ms": elapsed * 1000,
        "peak_extra_mb": (_status_kb("VmHWM") - baseline_kb) / 1024,
        "bytes": len(data),
        "outcome": refused,  # type: ignore[dict-item]
    }


def run_child(*args: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    parsed: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def bench_matching(queries: int) -> dict[str, float]:
    rng = np.random.default_rng(1)
    figures: dict[str, float] = {}
    for size, label in ((1_000, "1k"), (100_000, "100k"), (1_000_000, "1M")):
        hashes = random_list(size, seed=size)
        asked = [rng.bytes(32).hex() for _ in range(queries)]
        hashes.match(asked[0])  # warm-up
        times = []
        for query in asked:
            start = time.perf_counter()
            hashes.match(query)
            times.append(time.perf_counter() - start)
        figures[f"match_{label}_ms"] = statistics.median(times) * 1000
        figures[f"match_{label}_p95_ms"] = sorted(times)[int(len(times) * 0.95)] * 1000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hashes.txt"
        lines = (f"{rng.bytes(32).hex()} source-{n}\n" for n in range(1_000_000))
        path.write_text("".join(lines), encoding="utf-8")
        start = time.perf_counter()
        loaded = HashList.load(path)
        figures["load_1M_file_s"] = time.perf_counter() - start
        assert len(loaded) == 1_000_000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes for the picture")
    parser.add_argument("--queries", type=int, default=200, help="queries per list size")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        kind, *rest = options.child
        if kind == "picture":
            figures = child_picture(Path(rest[0]))
        elif kind == "png":
            figures = child_largest_png(Path(rest[0]))
        else:
            figures = child_bomb()
        print(json.dumps(figures))
        return

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "12mp.jpg"
        path.write_bytes(images.jpeg(images.large_photo(4000, 3000, seed=7, grain=True)))
        runs = [run_child("picture", str(path)) for _ in range(options.runs)]
        path.write_bytes(images.png(images.large_photo(8000, 5000, seed=8), compress_level=1))
        largest_png = run_child("png", str(path))
    picture = {
        "cold_ms": statistics.median(r["cold_ms"] for r in runs),
        "warm_ms": statistics.median(r["warm_ms"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "peak_extra_mb": max(r["peak_extra_mb"] for r in runs),
        "input_mb": runs[0]["input_mb"],
        "stored_kb": runs[0]["stored_kb"],
        "stored_size": f"{runs[0]['width']:.0f}x{runs[0]['height']:.0f}",  # type: ignore[dict-item]
        "runs": options.runs,
    }
    print(
        f"12-MP JPEG ({picture['input_mb']:.1f} MB -> {picture['stored_size']}, "
        f"{picture['stored_kb']:.0f} kB), end to end with a {LIST_SIZE:,}-hash match: "
        f"{picture['cold_ms']:.0f} ms first call, {picture['warm_ms']:.0f} ms after "
        f"(medians of {options.runs} processes); peak RSS {picture['peak_rss_mb']:.0f} MB, "
        f"of which {picture['peak_extra_mb']:.0f} MB for the picture"
    )
    print(
        f"40-MP PNG (8000x5000 RGB, the most pixels allowed): {largest_png['ms']:.0f} ms, "
        f"{largest_png['peak_extra_mb']:.0f} MB above the process at rest"
    )
    bomb = run_child("bomb")
    print(
        f"20000x20000 PNG bomb ({bomb['bytes'] / 1000:.0f} kB): {bomb['outcome']} in "
        f"{bomb['refuse_ms']:.1f} ms, {bomb['peak_extra_mb']:.1f} MB extra"
    )
    matching = bench_matching(options.queries)
    for label in ("1k", "100k", "1M"):
        print(
            f"match against {label} hashes: median {matching[f'match_{label}_ms']:.2f} ms, "
            f"p95 {matching[f'match_{label}_p95_ms']:.2f} ms ({options.queries} queries)"
        )
    print(f"parse a 1M-line hash-list file: {matching['load_1M_file_s']:.2f} s")
    print(
        json.dumps(
            {
                "bench": "media",
                "cpus": os.cpu_count(),
                "picture": picture,
                "largest_png": largest_png,
                "bomb": bomb,
                "matching": matching,
            }
        )
    )


if __name__ == "__main__":
    main()
