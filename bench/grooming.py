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

`--live` also measures, on a real server on loopback, the time from the message that takes the
issue's ten-line conversation over the line to the moderators' alert (the issue asks for
under a second), over a few runs.

A second table shows what the automatic moderation's existing rules (contact details,
meetings, word lists) hold in the same conversations, for context: those rules are older than
this detector and hold every meeting proposal to a minor by design.

    python bench/grooming.py [--rules FILE] [--verbose] [--live]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.chat import Client, start_server, stop_server
from tests.support.conversations import Replay, corpus_files, load, replay

from causerie.safety.automod import Automod, Context, load_default_rules
from causerie.safety.grooming.rules import load_default_grooming_rules, load_grooming_rules
from causerie.safety.staff import StaffAccount, StaffRole, hash_password

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


TEN_LINES = [
    "tu m'envoies une photo de toi en maillot ?",
    "ne dis rien à tes parents, c'est notre secret",
    "je peux te payer ton forfait de téléphone si tu veux",
    "tu es très mature pour ton âge",
    "on peut parler sur une autre appli plus tranquille",
    "efface nos messages après",
    "montre moi une photo de ta chambre",
    "t'as déjà eu un copain plus vieux ?",
    "t'es seule chez toi ce soir ?",
    "tu habites où exactement ?",
]


async def _alert_latency_s() -> float:
    """One run: the ten lines from a '15-year-old' to a 14-year-old who accepted him; seconds
    from the answer to the line that crossed to the moderator's alert."""
    with tempfile.TemporaryDirectory() as data_dir:
        running, server, task = await start_server(Path(data_dir), rate_limits=False)
        try:
            await running.node.store.add_staff(
                StaffAccount("Modo", StaffRole.MODERATOR, hash_password("bench-password")), 0
            )
            moderator, groomer, nina = [await Client.connect(running) for _ in range(3)]
            await moderator.request("login", name="Modo", password="bench-password")
            await groomer.hello("Pretend15", age=15, gender="man")
            await nina.hello("Nina", age=14)
            await nina.request("accept", nick="Pretend15")
            crossed_at = 0.0
            for number, line in enumerate(TEN_LINES):
                request_id = f"l{number}"
                await groomer.send({"type": "dm", "id": request_id, "to": "Nina", "text": line})
                await groomer.expect(lambda f, r=request_id: f.get("re") == r)
                if not crossed_at and any(f.get("key") == "grooming_notice" for f in nina.inbox):
                    crossed_at = time.perf_counter()
                while not crossed_at:
                    try:
                        await asyncio.wait_for(nina.expect_type("notice"), 0.05)
                    except TimeoutError:
                        break
                    crossed_at = time.perf_counter()
            await moderator.expect(
                lambda f: f.get("item", {}).get("rule") == "grooming_conversation", type_="alert"
            )
            return time.perf_counter() - crossed_at
        finally:
            await stop_server(server, task)


def live(runs: int = 5) -> dict[str, float]:
    latencies = sorted(asyncio.run(_alert_latency_s()) for _ in range(runs))
    figures = {"runs": runs, "median_s": statistics.median(latencies), "max_s": latencies[-1]}
    print(
        f"alert after crossing the line (live, {runs} runs): median "
        f"{figures['median_s'] * 1000:.0f} ms, max {figures['max_s'] * 1000:.0f} ms"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=Path, help="a grooming rules file (default: shipped)")
    parser.add_argument("--verbose", action="store_true", help="list misses and touched lines")
    parser.add_argument("--live", action="store_true", help="measure the alert on a server")
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
    result: dict[str, object] = {"grooming_bench": rows}
    if args.live:
        result["alert_latency"] = live()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
