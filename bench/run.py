"""`make bench`: Causerie's fan-out beside the C IRC daemons and a minimal Python ceiling.

In one run, for each server (Causerie with rate limits off and everything else on, SQLite, over
the WebSocket and over its IRC listener;
ngIRCd and InspIRCd from Debian, installed when missing, anti-flood relaxed; `bench/ceiling.py`;
optionally the naive asyncio server), each scenario on a freshly started server:

- one room of 200 members, 10 senders, at 2,000 and at 8,000 msg/s;
- one room of 1,000 members at 1,000 msg/s;
- 10,000 idle connections (logged in, no room): memory per connection and logins per second.

Each scenario prints one JSON line as it ends; the run ends with the table of issue 7 and the
ratios of Causerie to each peer. Everything listens on 127.0.0.1 and every wait is bounded.

    python bench/run.py [--quick] [--seconds 10] [--idle 10000]
                        [--servers causerie,causerie-irc,ceiling,ngircd,inspircd]
                        [--procs 2] [--naive] [--json results.jsonl]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ircload
import peers
import wsload
from loadgen import raise_fd_limit


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    members: int
    senders: int
    rate: float
    idle: bool = False


STARTERS = {
    "causerie": peers.start_causerie,
    "causerie-irc": lambda workdir: peers.start_causerie(workdir, irc=True),
    "ceiling": peers.start_ceiling,
    "naive": lambda workdir: peers.start_ceiling(workdir, naive=True),
    "ngircd": peers.start_ngircd,
    "inspircd": peers.start_inspircd,
}


def scenarios(args: argparse.Namespace) -> list[Scenario]:
    chosen = [
        Scenario("low", f"200 members, {args.low_rate:,.0f} msg/s p99", 200, 10, args.low_rate),
        Scenario("high", f"200 members, {args.high_rate:,.0f} msg/s p99", 200, 10, args.high_rate),
        Scenario(
            "big",
            f"{args.big_members:,} members, {args.big_rate:,.0f} msg/s p99",
            args.big_members,
            10,
            args.big_rate,
        ),
        Scenario("idle", f"{args.idle:,} idle connections", args.idle, 0, 0.0, idle=True),
    ]
    return [s for s in chosen if s.key in args.scenarios.split(",")]


def measure(server: str, scenario: Scenario, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="causerie-bench-") as workdir:
        running = STARTERS[server](Path(workdir))
        try:
            load: dict[str, Any] = {
                "room": "general",
                "members": scenario.members,
                "senders": scenario.senders,
                "rate": scenario.rate,
                "seconds": 0.0 if scenario.idle else args.seconds,
                "procs": args.procs,
                "observe_every": args.observe_every,
                "idle": scenario.idle,
                "login_concurrency": running.login_concurrency or args.login_concurrency,
            }
            if running.protocol == "irc":
                figures = ircload.run(running.host, running.port, running.pid, **load)
            else:
                figures = wsload.run(running.url, running.pid, **load)
        finally:
            running.stop()
    return {"server": running.name, "scenario": scenario.key, "note": running.note, **figures}


def cell(result: dict[str, Any] | None, scenario: Scenario) -> str:
    if result is None:
        return "—"
    if "error" in result:
        return "failed"
    if scenario.idle:
        return (
            f"{result['idle_bytes_per_connection'] / 1024:.1f} KB · "
            f"{result['logins_per_s']:,}/s logins"
        )
    text = f"{result['p99_ms']:,.1f} ms"
    expected = result["deliveries"] + result["lost"]
    if result["lost"] and expected:
        text += f" (lost {100 * result['lost'] / expected:.1f}%)"
    if result["disconnected"]:
        text += f" ({result['disconnected']} cut)"
    return text


def headline(result: dict[str, Any], scenario: Scenario) -> float | None:
    if "error" in result:
        return None
    value = result["idle_bytes_per_connection"] if scenario.idle else result["p99_ms"]
    return float(value) if value else None


def table(results: dict[tuple[str, str], dict[str, Any]], args: argparse.Namespace) -> str:
    chosen = scenarios(args)
    servers = [s for s in args.servers.split(",") if s in STARTERS]
    lines = [
        "| server | " + " | ".join(s.title for s in chosen) + " |",
        "| --- | " + " | ".join("---" for _ in chosen) + " |",
    ]
    names = {}
    for server in servers:
        row = [cell(results.get((server, s.key)), s) for s in chosen]
        name = next((r["server"] for (k, _), r in results.items() if k == server), server)
        names[server] = name
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    ours_servers = [s for s in ("causerie", "causerie-irc") if s in servers]
    for ours_server in ours_servers:
        for peer in (s for s in servers if s not in ours_servers):
            ratios = []
            for scenario in chosen:
                ours = results.get((ours_server, scenario.key))
                theirs = results.get((peer, scenario.key))
                a = headline(ours, scenario) if ours else None
                b = headline(theirs, scenario) if theirs else None
                ratios.append(f"×{a / b:.2f}" if a is not None and b else "—")
            lines.append(f"| {names[ours_server]} ÷ {names[peer]} | " + " | ".join(ratios) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s runs, 2,000 idle, 500 big")
    parser.add_argument("--servers", default="causerie,causerie-irc,ceiling,ngircd,inspircd")
    parser.add_argument("--naive", action="store_true", help="add the naive asyncio server")
    parser.add_argument("--scenarios", default="low,high,big,idle")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--low-rate", type=float, default=2000.0)
    parser.add_argument("--high-rate", type=float, default=8000.0)
    parser.add_argument("--big-members", type=int, default=1000)
    parser.add_argument("--big-rate", type=float, default=1000.0)
    parser.add_argument("--idle", type=int, default=10_000)
    parser.add_argument("--procs", type=int, default=2, help="load generator processes")
    parser.add_argument("--observe-every", type=int, default=10)
    parser.add_argument("--login-concurrency", type=int, default=16, help="per process")
    parser.add_argument("--json", type=Path, help="also append every result to this file")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.idle = min(args.seconds, 3.0), min(args.idle, 2000)
        args.big_members = min(args.big_members, 500)
    if args.naive and "naive" not in args.servers:
        args.servers += ",naive"
    raise_fd_limit()
    started = time.monotonic()
    print(
        json.dumps(
            {
                "machine": platform.node(),
                "cpus": __import__("os").cpu_count(),
                "python": platform.python_version(),
                "kernel": platform.release(),
            }
        ),
        flush=True,
    )
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for scenario in scenarios(args):
        for server in args.servers.split(","):
            if server not in STARTERS:
                continue
            try:
                result = measure(server, scenario, args)
            except Exception as exc:  # one server failing must not hide the others' figures
                result = {"server": server, "scenario": scenario.key, "error": str(exc)}
            results[(server, scenario.key)] = result
            line = json.dumps(result)
            print(line, flush=True)
            if args.json is not None:
                with args.json.open("a") as out:
                    out.write(line + "\n")
    print()
    print(table(results, args))
    print(f"\n({time.monotonic() - started:.0f} s; p99 = delivery latency, 99th percentile)")


if __name__ == "__main__":
    main()
