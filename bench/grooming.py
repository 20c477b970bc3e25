"""Grooming detector benchmark: how many grooming conversations it catches, and how early, and
how many ordinary teen conversations it touches.

Replays every conversation of the corpora in tests/corpus/grooming/ (written for the project,
synthetic) through the shipped rules (or `--rules FILE`), as tests/support/conversations.py
describes, and prints one row per corpus:

- grooming corpora: the share caught (the conversation from the groomer to the minor crossed
  the threshold and went to the moderators), the share caught by their fifth risky message
  (aim: 9 in 10), the median risky message at which they were caught, and the share with at
  least one line held before delivery;
- ordinary corpora: the share touched (any line held or any direction escalated; aim: fewer
  than 1 in 50), with the lines that touched them listed under `--verbose`.

A second table shows what the automatic moderation's existing rules (contact details,
meetings, word lists) hold in the same conversations, for context: those rules are older than
this detector and hold every meeting proposal to a minor by design.

    python bench/grooming.py [--rules FILE] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.conversations import Replay, corpus_files, load, replay

from causerie.safety.automod import Automod, Context, load_default_rules
from causerie.safety.grooming.rules import load_default_grooming_rules, load_grooming_rules

CATCH_BY = 5


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


def _grooming_row(name: str, replays: list[Replay]) -> dict[str, object]:
    caught = [r for r in replays if r.is_caught]
    early = [r for r in caught if r.caught_at_risky is not None and r.caught_at_risky <= CATCH_BY]
    at = [r.caught_at_risky for r in caught if r.caught_at_risky is not None]
    held = [r for r in replays if r.held]
    return {
        "corpus": name,
        "conversations": len(replays),
        "caught": _share(len(caught), len(replays)),
        f"caught_by_risky_{CATCH_BY}": _share(len(early), len(replays)),
        "median_risky_message_at_catch": statistics.median(at) if at else None,
        "with_a_held_line": _share(len(held), len(replays)),
    }


def _ordinary_row(name: str, replays: list[Replay]) -> dict[str, object]:
    touched = [r for r in replays if r.is_touched]
    return {
        "corpus": name,
        "conversations": len(replays),
        "touched": _share(len(touched), len(replays)),
        "escalated": _share(sum(1 for r in replays if r.crossed_directions), len(replays)),
        "with_a_held_line": _share(sum(1 for r in replays if r.held), len(replays)),
    }


def _automod_held(replays: list[Replay]) -> int:
    engine = Automod(load_default_rules())
    context = Context.dm(sender_is_minor=True, recipient_is_minor=True)
    count = 0
    for result in replays:
        texts = [line.text for line in result.conversation.lines if line.speaker != "C"]
        if any(engine.evaluate(text, context).action is not None for text in texts):
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=Path, help="a grooming rules file (default: shipped)")
    parser.add_argument("--verbose", action="store_true", help="list misses and touched lines")
    args = parser.parse_args()
    rules = (
        load_grooming_rules(args.rules.read_text(encoding="utf-8"))
        if args.rules
        else load_default_grooming_rules()
    )
    rows: list[dict[str, object]] = []
    context_rows: list[str] = []
    for prefix, row_of in (("grooming", _grooming_row), ("ordinary", _ordinary_row)):
        for name in corpus_files(prefix):
            replays = [replay(conversation, rules) for conversation in load(name)]
            row = row_of(name, replays)
            rows.append(row)
            print("  ".join(f"{key}={value}" for key, value in row.items()))
            context_rows.append(
                f"  {name}: conversations with a line the existing automod rules act on: "
                + _share(_automod_held(replays), len(replays))
            )
            if args.verbose:
                for result in replays:
                    conversation = result.conversation
                    if prefix == "grooming" and not result.is_caught:
                        print(f"    missed {conversation.id}: {conversation.description}")
                    if prefix == "ordinary" and result.is_touched:
                        print(
                            f"    touched {conversation.id}: held={result.held} "
                            f"escalated={result.crossed_directions}"
                        )
    print("context (automatic moderation rules, before this detector):")
    print("\n".join(context_rows))
    print(json.dumps({"grooming_bench": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
