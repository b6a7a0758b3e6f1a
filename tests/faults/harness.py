"""Real processes for fault tests: a private redis-server we may stop, and celery workers we may kill.

The private Redis listens on a free loopback port, so stopping or restarting it never
touches the machine's shared Redis (or other tests).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from django.db import connection

from bench.procs import Proc, celery_worker_argv

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.proc = subprocess.Popen(
            [
                exe,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def queued(self, queue: str = "default") -> int:
        import redis

        return redis.Redis.from_url(self.url).llen(queue)


def database_url(application_name: str = "") -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return url + (f"?application_name={application_name}" if application_name else "")


class Worker:
    """A `celery worker` in its own process group, so SIGKILL takes the pool with it."""

    def __init__(
        self,
        broker_url: str,
        logdir: Path,
        *,
        name: str,
        env: dict | None = None,
        concurrency: int = 2,
        application_name: str = "fault-worker",
    ):
        self.broker_url = broker_url
        self.log_path = logdir / f"{name}.log"
        self.name = name
        self.concurrency = concurrency
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(application_name),
            "CELERY_BROKER_URL": broker_url,
            "SECRET_KEY": "fault-tests",
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "FACTCHECK_DATA_DIR": str(logdir),
            "DB_CONN_MAX_AGE": "0",
            **(env or {}),
        }
        self._proc: Proc | None = None
        self.starts = 0

    @property
    def proc(self) -> subprocess.Popen | None:
        return self._proc.proc if self._proc else None

    def start(self) -> None:
        self.starts += 1
        argv = celery_worker_argv(
            f"{self.name}-{self.starts}-{os.getpid()}",
            concurrency=self.concurrency,
            loglevel="INFO",
            heartbeat=True,
        )
        self._proc = Proc(argv, self.env, self.log_path)
        self._proc.start()

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no shutdown, no acknowledgements."""
        if self._proc:
            self._proc.kill()

    def stop(self) -> None:
        """Warm shutdown (SIGTERM): finish running tasks, return the rest to the broker."""
        if self._proc:
            self._proc.stop(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def wait_until(predicate, *, timeout: float, what: str, log: str | None = None, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(
        f"timed out after {timeout:.0f}s waiting for {what}\n{(log or '')[-4000:]}"
    )


def wait_for_progress(
    progress, *, done, stall: float, what: str, log=None, every: float = 0.5
) -> None:
    """Wait until `done()`, for as long as `progress()` keeps moving.

    Fails only when the figure has not changed for `stall` seconds: a loaded machine
    that is slow but working does not fail, a stuck one fails quickly.
    """
    last, moved = progress(), time.monotonic()
    while not done():
        time.sleep(every)
        now = progress()
        if now != last:
            last, moved = now, time.monotonic()
        elif time.monotonic() - moved > stall:
            raise AssertionError(
                f"no progress for {stall:.0f}s (at {last}) waiting for {what}\n"
                f"{(log() if callable(log) else log or '')[-4000:]}"
            )


class celery_broker:  # noqa: N801 (a context manager used like a function)
    """Point this process's Celery app at a real broker (not eager) for the duration."""

    def __init__(self, url: str, settings):
        self.url = url
        self.settings = settings

    def _reset_pools(self, app) -> None:
        # kombu keeps producer pools in a process-wide registry keyed by connection; a pool
        # closed here would be handed out again to the next test, so clear the registry.
        from kombu import pools

        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    def __enter__(self):
        from factcheck.celery import app

        self.old = {
            "broker_url": app.conf.broker_url,
            "task_always_eager": app.conf.task_always_eager,
        }
        self.settings.CELERY_TASK_ALWAYS_EAGER = False
        self._reset_pools(app)
        app.conf.update(broker_url=self.url, task_always_eager=False)
        return self

    def __exit__(self, *exc):
        from factcheck.celery import app

        self._reset_pools(app)
        app.conf.update(**self.old)
