"""The servers a run compares: Causerie, the C IRC daemons from Debian, and the ceiling.

Each is started on 127.0.0.1 on a free port, with its files in a temporary directory, and
stopped at the end. The IRC daemons are installed with `apt-get install -y` when missing, and
configured with their anti-flood rules relaxed (penalties, command rates, connections per
address, send queues), as a fan-out measurement needs.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.process import ServerProcess

REPO = Path(__file__).resolve().parents[1]

CAUSERIE_ENV = {"CAUSERIE_RATE_LIMITS": "off", "CAUSERIE_LOG_LEVEL": "warning"}


@dataclass
class Running:
    name: str
    protocol: str  # "ws" or "irc"
    host: str
    port: int
    pid: int
    stop_server: object  # callable, kept loose so each kind stops its own way
    note: str = ""
    login_concurrency: int | None = None  # per generator process, when the default overflows

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}/ws"

    def stop(self) -> None:
        self.stop_server()  # type: ignore[operator]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, process: subprocess.Popen[bytes], timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout_s} s")


def _stopper(process: subprocess.Popen[bytes]) -> object:
    def stop() -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    return stop


def ensure_installed(package: str, binary: str) -> bool:
    """Install a Debian package when its binary is missing; False when that is not possible."""
    if Path(binary).exists():
        return True
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "install", "-y", package], ["apt-get", "update"]):
        subprocess.run(command, env=env, check=False, capture_output=True, timeout=600)
        if Path(binary).exists():
            return True
    subprocess.run(["apt-get", "install", "-y", package], env=env, check=False, timeout=600)
    return Path(binary).exists()


def start_causerie(workdir: Path, irc: bool = False) -> Running:
    """`causerie serve`; with `irc`, measured through its IRC listener (the generator's realname
    carries the profile)."""
    data = workdir / "causerie"
    data.mkdir()
    env = dict(CAUSERIE_ENV)
    irc_port = free_port() if irc else 0
    if irc:
        env["CAUSERIE_IRC_PORT"] = str(irc_port)
        # Every generated member connects from 127.0.0.1: lift the per-address throttle.
        env["CAUSERIE_IRC_CONNECTIONS_PER_ADDRESS"] = "100000"
        env["CAUSERIE_IRC_CONNECTS_PER_MINUTE"] = "100000"
    server = ServerProcess(data, env=env).start()
    assert server.process is not None
    pid, stop = server.process.pid, server.stop
    if irc:
        return Running("Causerie, IRC listener", "irc", "127.0.0.1", irc_port, pid, stop)
    port = int(server.url.rsplit(":", 1)[1])
    return Running("Causerie", "ws", "127.0.0.1", port, pid, stop)


def start_ceiling(workdir: Path, naive: bool = False) -> Running:
    command = [sys.executable, str(REPO / "bench" / "ceiling.py"), "--port", "0"]
    if naive:
        command.append("--naive")
    # asyncio logs every write to a member already gone ("socket.send() raised exception."):
    # thousands of lines from the naive server at the end of a run, kept out of the figures.
    log = (workdir / "ceiling.log").open("wb")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, cwd=workdir)
    assert process.stdout is not None
    line = process.stdout.readline().decode()
    if not line.startswith("listening on "):
        process.kill()
        raise RuntimeError(f"ceiling server did not start: {line!r}")
    port = int(line.rsplit(":", 1)[1])
    name = "asyncio fan-out, one write per recipient" if naive else "ceiling (bench/ceiling.py)"
    return Running(name, "ws", "127.0.0.1", port, process.pid, _stopper(process))


NGIRCD_CONF = """\
[Global]
Name = bench.ngircd.local
Info = Causerie benchmark peer
Listen = 127.0.0.1
Ports = {port}
MotdPhrase = bench
PidFile = {dir}/ngircd.pid
[Limits]
MaxConnections = 0
MaxConnectionsIP = 0
MaxJoins = 0
MaxNickLength = 30
MaxPenaltyTime = 0
PingTimeout = 600
PongTimeout = 600
[Options]
DNS = no
Ident = no
PAM = no
"""


def start_ngircd(workdir: Path) -> Running:
    binary = "/usr/sbin/ngircd"
    if not ensure_installed("ngircd", binary):
        raise RuntimeError("ngircd is not installed and could not be (apt-get)")
    home = workdir / "ngircd"
    home.mkdir()
    port = free_port()
    conf = home / "ngircd.conf"
    conf.write_text(NGIRCD_CONF.format(port=port, dir=home))
    log = (home / "ngircd.log").open("wb")
    process = subprocess.Popen(
        [binary, "--nodaemon", "--config", str(conf)], stdout=log, stderr=log, cwd=home
    )
    wait_listening(port, process)
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    note = version.stdout.splitlines()[0] if version.stdout else ""
    # ngIRCd listens with a backlog of 10: bursts of connects beyond it wait for SYN retries.
    return Running("ngIRCd (C)", "irc", "127.0.0.1", port, process.pid, _stopper(process), note, 4)


INSPIRCD_CONF = """\
<server name="bench.inspircd.local" description="Causerie benchmark peer" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="{port}" type="clients">
<connect name="main" allow="*" maxchans="20" timeout="60" pingfreq="10m"
         hardsendq="64M" softsendq="64M" recvq="64M" threshold="1000000"
         commandrate="1000000000" fakelag="no" localmax="1000000" globalmax="1000000"
         maxconnwarn="no" useident="no" resolvehostnames="no" limit="1000000">
<performance softlimit="100000" somaxconn="4096" clonesonconnect="no" timeskipwarn="0"
             quietbursts="yes" netbuffersize="65536">
<options prefixquit="" prefixpart="" suffixpart="" fixedquit="" fixedpart=""
         syntaxhints="no" cyclehostsfromuser="no" announcets="no" allowmismatched="no"
         defaultmodes="nt" maxtargets="20" hostintopic="yes" pingwarning="15"
         splitwhois="no" exemptchanops="">
<security announceinvites="dynamic" hideulines="no" flatlinks="no" hidebans="no"
          hidekills="" hideulinekills="no" hidesplits="no" maxtargets="20"
          customversion="" operspywhois="no" restrictbannedusers="yes" genericoper="no"
          userstats="Pu">
<limits maxnick="30" maxchan="64" maxmodes="20" maxident="11" maxhost="64" maxquit="255"
        maxtopic="307" maxkick="255" maxreal="128" maxgecos="128" maxaway="200">
<pid file="{dir}/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="{dir}/ircd.log">
"""


INSPIRCD_LOGINS_IN_FLIGHT = 500  # per generator process


def start_inspircd(workdir: Path) -> Running:
    binary = "/usr/sbin/inspircd"
    if not ensure_installed("inspircd", binary):
        raise RuntimeError("inspircd is not installed and could not be (apt-get)")
    home = workdir / "inspircd"
    home.mkdir()
    port = free_port()
    conf = home / "inspircd.conf"
    conf.write_text(INSPIRCD_CONF.format(port=port, dir=home))
    log = (home / "inspircd.out").open("wb")
    command = [binary, "--nofork", f"--config={conf}"]
    if os.geteuid() == 0:
        command.append("--runasroot")
    process = subprocess.Popen(command, stdout=log, stderr=log, cwd=home)
    wait_listening(port, process)
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    note = version.stdout.strip().splitlines()[0] if version.stdout.strip() else ""
    # InspIRCd holds every registration until its next one-second tick, on purpose (its issue
    # #1242): logins per second are the logins in flight. At the default 16 per generator
    # process, 10,000 idle logins took longer than the generator waits.
    return Running(
        "InspIRCd (C++)",
        "irc",
        "127.0.0.1",
        port,
        process.pid,
        _stopper(process),
        note,
        login_concurrency=INSPIRCD_LOGINS_IN_FLIGHT,
    )
