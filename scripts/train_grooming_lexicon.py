"""Train the grooming detector's lexicon (src/causerie/safety/grooming/default_lexicon.tsv)
from the project's synthetic corpora.

Grooming lines are the lines marked `!` in tests/corpus/grooming/grooming_*.txt; ordinary lines
are every line of ordinary_*.txt and the unmarked lines of the grooming files. The `*_fresh`
files are left out: bench/grooming.py measures the detector on them, conversations it was never
trained or tuned on.

    python scripts/train_grooming_lexicon.py [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.conversations import corpus_files, load

from causerie.safety.grooming.lexicon import train

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "causerie" / "safety" / "grooming" / "default_lexicon.tsv"
TRAINING = ("_dev", "_holdout")


def training_lines() -> tuple[list[str], list[str]]:
    """(grooming lines, ordinary lines) of the training corpora."""
    grooming: list[str] = []
    ordinary: list[str] = []
    for name in corpus_files(""):
        if not any(name.endswith(f"{part}.txt") for part in TRAINING):
            continue
        for conversation in load(name):
            for line in conversation.lines:
                is_grooming = name.startswith("grooming") and line.speaker == "A" and line.is_risky
                (grooming if is_grooming else ordinary).append(line.text)
    return grooming, ordinary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    grooming, ordinary = training_lines()
    lexicon = train(grooming, ordinary)
    args.out.write_text(lexicon.to_tsv(), encoding="utf-8")
    print(
        f"{len(grooming)} grooming lines, {len(ordinary)} ordinary lines, "
        f"{len(lexicon.weights)} features -> {args.out}"
    )


if __name__ == "__main__":
    main()
