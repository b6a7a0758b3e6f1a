"""The real processes a benchmark runs against: celery workers and gunicorn, each in its
own process group (so stopping one takes its children and nothing else), plus a sampler
of their resident memory. The fault tests (tests/faults/harness.py) start their
celery workers with the same Proc and argv."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A child process in its own session; stop() ends exactly that group."""

    def __init__(self, argv: list[str], env: dict, log_path: Path):
        self.argv, self.env, self.log_path = argv, env, log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole group: no shutdown, no acknowledgements."""
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 30) -> None:
        if not self.alive():
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def tail(self, n: int = 3000) -> str:
        return self.log_path.read_text()[-n:] if self.log_path.exists() else ""


def celery_worker_argv(
    name: str,
    *,
    queues: str = "default,fetch",
    pool: str = "prefork",
    concurrency: int = 2,
    loglevel: str = "WARNING",
    heartbeat: bool = False,
) -> list[str]:
    """`celery worker` for this project, without gossip or mingle (one node, no peers)."""
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "factcheck",
        "worker",
        "-Q",
        queues,
        "--pool",
        pool,
        "--concurrency",
        str(concurrency),
        "--loglevel",
        loglevel,
        "--without-gossip",
        "--without-mingle",
        "-n",
        f"{name}@%h",
    ]
    if not heartbeat:
        argv.insert(-2, "--without-heartbeat")
    return argv


def celery_worker(
    env: dict,
    logdir: Path,
    *,
    name: str,
    queues: str = "default,fetch",
    pool: str = "prefork",
    concurrency: int = 2,
) -> Proc:
    argv = celery_worker_argv(
        f"{name}-{os.getpid()}", queues=queues, pool=pool, concurrency=concurrency
    )
    return Proc(argv, env, logdir / f"{name}.log")


def gunicorn(env: dict, logdir: Path, *, port: int, workers: int = 2) -> Proc:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "factcheck.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--access-logfile",
        "-",
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    # Access log off by default: writing it costs as much as the floor view.
    argv.remove("--access-logfile")
    argv.remove("-")
    return Proc(argv, {**env, "DJANGO_SETTINGS_MODULE": "bench.settings"}, logdir / "gunicorn.log")


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f}s")


class MemorySampler:
    """Peak RSS of each process in a process tree (the celery main process and its pool)."""

    def __init__(self, pid: int, every: float = 0.25):
        self.root = pid
        self.every = every
        self.peak_per_process = 0
        self.peak_total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil  # the `bench` extra; the fault tests use this module without it

        while not self._stop.is_set():
            try:
                root = psutil.Process(self.root)
                procs = [root, *root.children(recursive=True)]
                rss = []
                for p in procs:
                    try:
                        rss.append(p.memory_info().rss)
                    except psutil.Error:
                        pass
                if rss:
                    self.peak_per_process = max(self.peak_per_process, max(rss))
                    self.peak_total = max(self.peak_total, sum(rss))
            except psutil.Error:
                pass
            self._stop.wait(self.every)


class CpuSampler:
    """CPU seconds (user + system) that a changing set of processes spent in a window.

    `select()` returns the psutil.Process objects to count; they are sampled every
    `every` seconds, so a process that starts in the window counts from zero and one that
    exits (a database backend closed after CONN_MAX_AGE, a recycled pool process) keeps
    what it had spent at its last sample: at most one interval of its time is missed.
    `groups(proc)` names the bucket a process's time goes to (default: one bucket).
    """

    def __init__(self, select, groups=None, every: float = 0.5):
        self.select = select
        self.groups = groups or (lambda p: "total")
        self.every = every
        self._first: dict[tuple[int, float], float] = {}
        self._last: dict[tuple[int, float], tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = False

    def __enter__(self):
        self._sample(first=True)
        self._started = True
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    def _sample(self, first: bool = False) -> None:
        import psutil

        for p in self.select():
            try:
                with p.oneshot():
                    t = p.cpu_times()
                    key = (p.pid, p.create_time())  # a pid can be reused
                    group = self.groups(p)
            except psutil.Error:
                continue
            spent = t.user + t.system
            if first:
                self._first[key] = spent
            self._last[key] = (group, spent)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def seconds(self) -> dict[str, float]:
        """CPU seconds per group over the window."""
        out: dict[str, float] = {}
        for key, (group, spent) in self._last.items():
            out[group] = out.get(group, 0.0) + spent - self._first.get(key, 0.0)
        return out


def process_tree(pid: int):
    """A callable for CpuSampler: the process `pid` and all its descendants."""

    def select():
        import psutil

        try:
            root = psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    return select


def postgres_processes():
    """Every PostgreSQL server process visible to this user (backends and background)."""
    import psutil

    out = []
    for p in psutil.process_iter(["name", "cmdline"]):
        name = p.info.get("name") or ""
        cmd = " ".join(p.info.get("cmdline") or [])
        if "postgres" in name or cmd.startswith("postgres"):
            out.append(p)
    return out


_BACKEND = re.compile(r"^postgres: (?:[^:]+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])")
_AUTOVACUUM = re.compile(r"^postgres: (?:[^:]+: )?autovacuum worker\s+(\S+)")


def postgres_group(database: str):
    """CpuSampler groups for PostgreSQL: this database's backends and autovacuum
    ("database"), the server's background processes ("background": WAL writer,
    checkpointer, ...: shared with every database) and other databases' ("other")."""

    def group(p) -> str:
        title = " ".join(p.cmdline())
        m = _BACKEND.match(title) or _AUTOVACUUM.match(title)
        if m:
            return "database" if m.group(1) == database else "other"
        return "background"

    return group
