"""`causerie serve` as a real child process, for restart, crash and browser tests.

The server runs exactly as an operator starts it (`python -m causerie serve --port 0`); the
helper waits for the address it prints and for `/healthz`. Its output is drained on a thread so
the pipe never fills and blocks it, and the last lines are shown when it fails to start.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from tests.support.chat import TIMEOUT_S

ADDRESS = re.compile(r"(http://127\.0\.0\.1:\d+)/")
REPO_ROOT = Path(__file__).resolve().parents[2]


class _OutputReader:
    def __init__(self, stream: IO[str]) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self._thread.start()

    def _run(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, pattern: re.Pattern[str], deadline: float) -> re.Match[str] | None:
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                return None
            if line is None:
                return None
            self.seen.append(line)
            if found := pattern.search(line):
                return found
        return None

    def tail(self) -> str:
        return "".join(self.seen[-40:])

    def join(self) -> None:
        self._thread.join(timeout=TIMEOUT_S * 2)


def _is_healthy(url: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    return False


class ServerProcess:
    """`causerie serve` on `port` (0: a free one, chosen at the first start).

    After the first start the port is kept, so `restart()` (or `stop()` then `start()`) brings
    the same server back at the same address on the same data directory, as an operator's
    restart does: clients that lost it can come back to it.
    """

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, port: int = 0) -> None:
        self.data_dir = data_dir
        self.port = port
        # New sessions may open private conversations at once here; the wait has its own tests.
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", "CAUSERIE_DM_WAIT_S": "0", **(env or {})}
        # Works from a checkout whether or not the package is installed in the environment.
        self.env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(REPO_ROOT / "src"), self.env.get("PYTHONPATH")])
        )
        self.process: subprocess.Popen[str] | None = None
        self._output: _OutputReader | None = None
        self.url = ""

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """`causerie <args>` as an operator runs it beside this server (its data directory
        and environment); its standard output. Fails the test on a non-zero exit."""
        result = subprocess.run(
            [sys.executable, "-m", "causerie", "--data-dir", str(self.data_dir), *args],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env,
            timeout=TIMEOUT_S * 6,
            check=False,
        )
        assert result.returncode == 0, f"causerie {' '.join(args)}:\n{result.stderr}"
        return result.stdout.strip()

    def start(self) -> ServerProcess:
        command = [
            sys.executable,
            "-m",
            "causerie",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
        ]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=self.env,
            cwd=self.data_dir,
        )
        assert self.process.stdout is not None
        self._output = _OutputReader(self.process.stdout)
        deadline = time.monotonic() + TIMEOUT_S * 6
        found = self._output.wait_for(ADDRESS, deadline)
        if found is None:
            tail = self._output.tail()
            self.kill()
            raise RuntimeError(f"the server printed no address:\n{tail}")
        self.url = found.group(1)
        self.port = int(self.url.rsplit(":", 1)[1])
        if not _is_healthy(self.url, deadline):
            tail = self._output.tail()
            self.kill()
            raise RuntimeError(f"{self.url}/healthz never answered 200:\n{tail}")
        return self

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws"

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> int:
        """SIGTERM, then SIGKILL if it lingers; returns the exit status."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=TIMEOUT_S * 2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
        finally:
            self._release()

    def restart(self) -> ServerProcess:
        """Stop (SIGTERM), then start again on the same port and data directory."""
        self.stop()
        return self.start()

    def kill(self) -> None:
        """kill -9: no shutdown code runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._release()

    def _release(self) -> None:
        if self._output is not None:
            self._output.join()
            self._output = None
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
