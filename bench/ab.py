"""An older commit against this tree, alternated in one run: A/B/A/B.

    .venv/bin/python bench/ab.py --old c14c325 [--rounds 4] [--script bench/path.py] -- ARGS

The machine's speed drifts by ±15% from one minute to the next, so a figure measured an hour
ago is no baseline. This checks the older commit out in a temporary worktree, then runs the same
benchmark script (each tree's own copy, with ARGS) from the older tree and from this one in
turn, `--rounds` times each, with this environment's Python. Each run's last JSON line is its
result; prints every run's line, then a markdown table of each numeric field: the range for each
tree and the ratio of the medians (this tree over the older one).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def run(tree: Path, script: str, args: list[str]) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=f"{tree / 'src'}{os.pathsep}{tree / 'bench'}")
    done = subprocess.run(
        [sys.executable, str(tree / script), *args],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{tree}: {script} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    for line in reversed(done.stdout.strip().splitlines()):
        if line.startswith("{"):
            found: dict[str, object] = json.loads(line)
            return found
    raise SystemExit(f"{tree}: {script} printed no JSON line:\n{done.stdout[-2000:]}")


def table(old: list[dict[str, object]], new: list[dict[str, object]], label: str) -> str:
    lines = [
        f"| field | {label} (older) | this tree | median ratio |",
        "| --- | --- | --- | --- |",
    ]
    for field, value in old[0].items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        a = [float(str(o[field])) for o in old if field in o]
        b = [float(str(n[field])) for n in new if field in n]
        if not a or not b:
            continue
        ratio = statistics.median(b) / statistics.median(a) if statistics.median(a) else 0.0
        lines.append(f"| {field} | {min(a):g}–{max(a):g} | {min(b):g}–{max(b):g} | {ratio:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="the older commit (any git revision)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--script", default="bench/path.py")
    parser.add_argument("args", nargs="*", help="the benchmark's own arguments, after --")
    options = parser.parse_args()
    old: list[dict[str, object]] = []
    new: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="causerie-ab-") as scratch:
        tree = Path(scratch) / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(tree), options.old],
            cwd=HERE,
            check=True,
        )
        try:
            for round_ in range(1, options.rounds + 1):
                for name, where, into in (("A", tree, old), ("B", HERE, new)):
                    result = run(where, options.script, options.args)
                    into.append(result)
                    print(json.dumps({"round": round_, "tree": name, **result}), flush=True)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)], cwd=HERE, check=False
            )
    print(table(old, new, options.old))


if __name__ == "__main__":
    main()
