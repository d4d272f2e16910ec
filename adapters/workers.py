"""`--workers N`: N server processes behind one port, sharing Redis.

One process uses one core; a burst of mentions is CPU-bound past about 200 at
once. The supervisor (the process the operator started) checks the port, then
starts N copies of the same command, each a whole bot: its own event loop,
engine, Redis pool and LLM client, listening on the same port with
SO_REUSEPORT (`--reuse-port`). The kernel spreads new connections evenly over
the workers. Dedupe, rate limits and every conversation live in Redis, so an
event answered by either worker is answered once.

Why not one shared socket: asyncio accepts up to its backlog of connections
per wake-up, so the first worker awake takes a whole burst (measured: 80 of 80).
Why not gunicorn: one more server to configure, and Socket Mode (no HTTP at
all) would still need this (each worker then opens its own websocket; Slack
spreads the events over an app's connections). SO_REUSEPORT is Linux's (and
the BSDs'); the kernel lets only processes of the same user join the port.

The supervisor forwards SIGTERM/SIGINT as one SIGTERM to every worker, waits
for them to finish what they have in hand (`grace_s`), and exits 0 when all
exited cleanly. A worker that dies on its own takes the others down with a
non-zero exit: the container or service manager restarts the whole set,
rather than a half-width bot running on unnoticed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import FrameType

log = logging.getLogger(__name__)

# Connections waiting to be accepted. aiohttp's default, 128, is less than a burst
# of new connections: the kernel drops the extra SYNs and each of those clients
# waits a full second before trying again. (The kernel caps it at somaxconn.)
LISTEN_BACKLOG = 1024
# Below the orchestrator's own (Compose here: 20 s; Kubernetes: 30 s), so that the
# supervisor, not a SIGKILL, ends a worker that does not stop.
GRACE_S = 18.0
_POLL_S = 0.2


@dataclass(frozen=True)
class WorkerPlan:
    """What `--workers` asked of this process: the command line to start the
    workers with, and, in a worker, whether it shares the port and its number."""

    count: int = 1
    argv: tuple[str, ...] = ()
    reuse_port: bool = False
    index: int = 0

    @property
    def supervises(self) -> bool:
        """This process starts the workers instead of serving itself."""
        return self.count > 1

    @property
    def announces(self) -> bool:
        """Says "listening on ..." once for the whole set, not once per worker."""
        return self.index == 0


def claim_port(host: str, port: int) -> int:
    """Check that the workers will be able to share `host:port` (nothing else
    holds it) and return the port (a free one for 0, as the tests ask)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        return int(sock.getsockname()[1])


def worker_command(argv: Sequence[str], *, index: int, port: int | None) -> list[str]:
    """The same command line, as one worker (argparse keeps an option's last value)."""
    extra = ["--workers", "1", "--worker-index", str(index)]
    if port is not None:
        extra += ["--port", str(port), "--reuse-port"]
    return [sys.executable, "-m", "bot", *argv, *extra]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    # Linux: a worker gets SIGTERM if the supervisor is killed outright (SIGKILL, OOM),
    # instead of serving on, orphaned, on a port nobody restarts.
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def supervise(argv: Sequence[str], *, workers: int, port: int | None,
              grace_s: float = GRACE_S) -> int:
    """Run `workers` copies of the command `argv` (without the program name), on
    `port` if they serve HTTP, until a signal or a worker's death; the exit code
    says whether all ended cleanly."""
    stopping = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    env = dict(os.environ)
    metrics_dir = None
    if not env.get("PROMETHEUS_MULTIPROC_DIR"):
        # /metrics answered by any worker must count every worker's turns.
        try:
            metrics_dir = tempfile.mkdtemp(prefix="symbiose-metrics-")
            env["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
        except OSError as exc:  # no writable temporary directory
            log.warning("no directory for the workers' metrics (%s): /metrics shows one "
                        "worker's; set PROMETHEUS_MULTIPROC_DIR", exc.strerror)
    processes: list[subprocess.Popen[bytes]] = []
    failed = False
    try:
        for index in range(workers):
            processes.append(subprocess.Popen(
                worker_command(argv, index=index, port=port),
                env=env,
                # Their own session: a terminal's Ctrl-C reaches the supervisor only,
                # which then sends each worker one SIGTERM (not two signals each).
                start_new_session=True,
                preexec_fn=_die_with_parent,
            ))
        log.info("started %d workers (pids %s)", workers, [p.pid for p in processes])
        while not stopping:
            ended = [p for p in processes if p.poll() is not None]
            if ended:
                failed = True
                print(f"symbiose: worker {ended[0].pid} exited with code "
                      f"{ended[0].returncode}; stopping the others", file=sys.stderr, flush=True)
                break
            time.sleep(_POLL_S)
    finally:
        failed = not _stop_all(processes, grace_s) or failed
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 1 if failed else 0


def _stop_all(processes: list[subprocess.Popen[bytes]], grace_s: float) -> bool:
    """SIGTERM to every live worker, SIGKILL to those still there after `grace_s`.
    True when every worker stopped on its own with code 0."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    clean = True
    for process in processes:
        try:
            code = process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"symbiose: worker {process.pid} did not stop in {grace_s:.0f} s; killed",
                  file=sys.stderr, flush=True)
            process.kill()
            process.wait()
            clean = False
            continue
        # -SIGTERM: a worker that had not installed its handlers yet (still importing).
        clean = clean and code in (0, -signal.SIGTERM)
    return clean
