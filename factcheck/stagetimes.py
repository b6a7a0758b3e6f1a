"""CPU time per pipeline stage, summed across worker processes, for `make bench`.

Off unless FACTCHECK_STAGE_TIMES is set; then every `stage(name)` block adds the CPU
seconds this process spent in it (time.process_time: this process only, so PostgreSQL's
share is measured apart, by the benchmark) and `flush()` at the end of a task adds the
sums to one Redis hash, so the benchmark can read what all the workers spent. Disabled,
a stage costs one attribute read.

Stages: "store" (storing and indexing a document), "extraction", "search" (the corpus
searches: evidence, seen-before, published fact-checks), "judging" (reading candidate
documents, the stance model and the rules, recommending) and "writes" (claims,
evidence, flags and their transactions).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

KEY = "factcheck:stage-cpu-seconds"
_totals: defaultdict[str, float] = defaultdict(float)


def enabled() -> bool:
    return bool(getattr(settings, "FACTCHECK_STAGE_TIMES", False))


@contextmanager
def stage(name: str) -> Iterator[None]:
    if not enabled():
        yield
        return
    start = time.process_time()
    try:
        yield
    finally:
        _totals[name] += time.process_time() - start


def count(name: str, n: int = 1) -> None:
    """A counter beside the stages (e.g. "articles"), flushed with them."""
    if enabled():
        _totals[name] += n


def flush() -> None:
    """Add this process's sums to the shared hash and start again from zero."""
    if not enabled() or not _totals:
        return
    import redis

    items = dict(_totals)
    _totals.clear()
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    with client.pipeline() as pipe:
        for name, value in items.items():
            pipe.hincrbyfloat(KEY, name, value)
        pipe.execute()


def read(client) -> dict[str, float]:
    """The sums so far (`client`: a redis.Redis on the broker)."""
    return {k.decode(): float(v) for k, v in client.hgetall(KEY).items()}


def reset(client) -> None:
    client.delete(KEY)
