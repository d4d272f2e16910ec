"""The real `python -m bot ...` command as a process on a free port: started,
waited for (GET /readyz), its CPU read from /proc, stopped with SIGTERM as an
orchestrator does. Used by the workers tests and bench_width."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    """`python -m bot <args>` run from `cwd` (another checkout measures its code:
    `-m` imports from the working directory first)."""

    def __init__(self, args: list[str], *, env: dict[str, str], port: int,
                 cwd: Path | None = None, log: Path | None = None,
                 profile: Path | None = None) -> None:
        self.args = args
        # cProfile stats of the whole run (one worker), written at exit: read with pstats.
        self.runner = (["-m", "cProfile", "-o", str(profile)]
                       if profile else [])
        self.env = {**os.environ, **env}
        self.port = port
        self.cwd = cwd
        self.log = log or Path(os.devnull)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 60.0, *, listeners: int = 1) -> BotProcess:
        """Started, ready (GET /readyz), and `listeners` sockets listening on the port
        (each worker of `--workers N` has its own: the kernel spreads connections
        only over those already listening)."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, *self.runner, "-m", "bot", "--log-level", "WARNING",
                 *self.args],
                env=self.env, cwd=self.cwd, stdout=out, stderr=out,
            )
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the bot exited with {self.process.returncode}; "
                                       f"see {self.log}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"{self.url}/readyz") as resp:
                        if resp.status == 200 and self.listeners() >= listeners:
                            return self
                await asyncio.sleep(0.2)
        raise RuntimeError(f"the bot was not ready in {timeout:.0f} s; see {self.log}")

    def listeners(self) -> int:
        """Sockets listening on the port (the kernel's table of this network namespace)."""
        count = 0
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(OSError):
                for line in Path(table).read_text().splitlines()[1:]:
                    fields = line.split()
                    local, state = fields[1], fields[3]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == self.port:
                        count += 1
        return count

    def pids(self) -> list[int]:
        """The process and its workers."""
        assert self.process is not None
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        return [pid, *map(int, children)]

    def cpu_s(self) -> dict[int, float]:
        """User + system CPU seconds used so far, by process (the bot and its workers)."""
        used = {}
        for pid in self.pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                used[pid] = (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
        return used

    def stop(self, timeout: float = 40.0) -> tuple[int | None, float]:
        """SIGTERM, as an orchestrator stops it: (exit code or None if killed, seconds)."""
        assert self.process is not None
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code: int | None = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            code = None
        return code, time.monotonic() - started
