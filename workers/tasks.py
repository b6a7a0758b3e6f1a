"""Every Celery task: thin wrappers that take primary keys and call a worker service.

Nothing but `workers.apps.WorkersConfig.ready()`, the tests and `bench/` imports this
module; everything else starts a task by name through `factcheck.queue`.

Retries are declared, not written out (paperless-ngx's `tasks.py`): each task names the
errors worth another attempt in `autoretry_for`, and `WorkerTask` gives them all the same
bound (`FACTCHECK_TASK_MAX_ATTEMPTS`), exponential backoff and jitter. Bad input
(ArticleError) is never retried: no second attempt can fix it. The final failure is
recorded on the row with its reason by the task's `record_failure`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from analysis.extraction import ArticleError
from factcheck import queue
from workers import (
    corroborate,
    factchecks,
    ingest,
    matching,
    notify,
    sources,
    sweep,
    watch,
    webhooks,
)
from workers.fetching import FetchError
from workers.outcome import Outcome, Status

log = logging.getLogger(__name__)

# Trouble that another attempt may not meet: the database or the broker went away.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


class TryAgain(Exception):
    """A service recorded a transient failure on its row and asks for another attempt."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class WorkerTask(Task):
    """The declared retry policy every task here shares.

    `max_retries` follows FACTCHECK_TASK_MAX_ATTEMPTS (read when a retry is decided, so
    the setting is honoured everywhere); backoff is exponential from `retry_backoff`
    seconds up to five minutes, with full jitter. A TryAgain that carries a receiver's
    Retry-After waits at least that long.
    """

    retry_backoff = 2
    retry_backoff_max = 300
    retry_jitter = True
    # Called once when the task fails for good: (task, exc, args) -> None.
    record_failure: Callable[[WorkerTask, BaseException, tuple], None] | None = None

    @property
    def max_retries(self) -> int:  # type: ignore[override]
        return settings.FACTCHECK_TASK_MAX_ATTEMPTS - 1

    @property
    def final_attempt(self) -> bool:
        return self.request.retries >= self.max_retries

    def retry(self, *args, exc=None, countdown=None, **kwargs):
        wait = getattr(exc, "retry_after", None)
        if wait and countdown is not None:
            countdown = max(countdown, wait)
        return super().retry(*args, exc=exc, countdown=countdown, **kwargs)

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        if self.record_failure is not None:
            self.record_failure(self, exc, tuple(args))


def _article_failed(task: WorkerTask, exc: BaseException, args: tuple) -> None:
    if isinstance(exc, ArticleError):
        reason = f"{exc.field}: {exc.message}"
    elif isinstance(exc, SoftTimeLimitExceeded):
        reason = "processing took longer than its time limit"
    else:
        log.error("article %s failed for good: %s", args[0], exc)
        attempts = task.request.retries + 1
        reason = f"failed after {attempts} attempts: {type(exc).__name__}: {exc}"
    ingest.mark_article_failed(args[0], reason)


def _outcome(result: Outcome, **ids: int) -> dict:
    if result.status == Status.RETRY:
        raise TryAgain(result.reason, result.retry_after)
    return {**ids, **result.as_dict()}


# Time limits: the global CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT, which the
# settings check against the broker's visibility timeout, unless a task sets its own.


@shared_task(
    name=queue.PROCESS_ARTICLE,
    base=WorkerTask,
    autoretry_for=(Exception,),
    dont_autoretry_for=(ArticleError, SoftTimeLimitExceeded),
    record_failure=staticmethod(_article_failed),
)
def process_article(article_id: int, force: bool = False) -> dict:
    # Any error but bad input is retried: a defect that only some runs hit (a race, a
    # worker killed mid-write) must not fail an article for good at its first attempt.
    return {"article": article_id, "claims": ingest.process_article(article_id, force=force)}


@shared_task(name=queue.CORROBORATE_CLAIMS, base=WorkerTask, autoretry_for=TRANSIENT)
def corroborate_claims(claim_ids: list[int]) -> list[dict]:
    """A batch of claims (usually one article's), with the searches and writes shared. A
    claim that fails for good stays uncorroborated, and the sweeper offers it again."""
    return corroborate.corroborate_claims(claim_ids, worker="corroborate_claims")


@shared_task(name=queue.MATCH_SOURCE, base=WorkerTask, autoretry_for=TRANSIENT)
def match_source(source_id: int) -> dict:
    return {"source": source_id, "claims": corroborate.match_source(source_id)}


@shared_task(
    bind=True,
    name=queue.FETCH_SOURCE_REQUEST,
    base=WorkerTask,
    autoretry_for=(TryAgain, *TRANSIENT),
    soft_time_limit=90,
    time_limit=120,
)
def fetch_source_request(self: WorkerTask, request_id: int) -> dict:
    result = sources.fetch_source_request(request_id, final_attempt=self.final_attempt)
    return _outcome(result, request=request_id)


@shared_task(
    bind=True,
    name=queue.DELIVER_WEBHOOK,
    base=WorkerTask,
    autoretry_for=(TryAgain, *TRANSIENT),
    soft_time_limit=60,
    time_limit=90,
)
def deliver_webhook(self: WorkerTask, delivery_id: int) -> dict:
    result = webhooks.deliver(delivery_id, final_attempt=self.final_attempt)
    return _outcome(result, delivery=delivery_id)


@shared_task(
    name=queue.POLL_FEED,
    base=WorkerTask,
    autoretry_for=(FetchError, *TRANSIENT),
    retry_backoff=30,
    soft_time_limit=60,
    time_limit=90,
)
def poll_feed(feed_id: int) -> dict:
    # watch.poll records every failure on the feed and raises only the transient ones.
    return watch.poll(feed_id)


@shared_task(name=queue.POLL_DUE_FEEDS, base=WorkerTask)
def poll_due_feeds() -> list[int]:
    due = watch.due_feeds()
    for feed_id in due:
        queue.send(queue.POLL_FEED, feed_id)
    return due


def _feed_item_failed(task: WorkerTask, exc: BaseException, args: tuple) -> None:
    # TryAgain failures were recorded by the service (their reason is on the item already);
    # anything else (a time limit, the database) is recorded here.
    if isinstance(exc, TryAgain):
        watch.record_item_failure(
            args[0], f"gave up after {task.request.retries + 1} attempts: {exc}"
        )
    else:
        watch.item_failed(args[0], f"{type(exc).__name__}: {exc}")


@shared_task(
    bind=True,
    name=queue.FETCH_FEED_ITEM,
    base=WorkerTask,
    autoretry_for=(TryAgain, *TRANSIENT),
    record_failure=staticmethod(_feed_item_failed),
    soft_time_limit=90,
    time_limit=120,
)
def fetch_feed_item(self: WorkerTask, item_id: int) -> dict:
    """An item of a watched (`articles`) feed: fetched, archived, read, queued as an article."""
    result = watch.fetch_feed_item(item_id, final_attempt=self.final_attempt)
    return _outcome(result, item=item_id)


@shared_task(
    bind=True,
    name=queue.DELIVER_ALERT,
    base=WorkerTask,
    autoretry_for=(TryAgain, *TRANSIENT),
    soft_time_limit=60,
    time_limit=90,
)
def deliver_alert(self: WorkerTask, alert_id: int) -> dict:
    result = notify.deliver(alert_id, final_attempt=self.final_attempt)
    return _outcome(result, alert=alert_id)


@shared_task(
    name=queue.SEND_STALE_REMINDERS,
    base=WorkerTask,
    autoretry_for=TRANSIENT,
    soft_time_limit=120,
    time_limit=170,
)
def send_stale_reminders() -> list[int]:
    """Beat, hourly: remind assignees of claims with no activity for FACTCHECK_STALE_HOURS."""
    return notify.stale_reminders()


@shared_task(
    name=queue.SEND_DAILY_DIGESTS,
    base=WorkerTask,
    autoretry_for=TRANSIENT,
    soft_time_limit=120,
    time_limit=170,
)
def send_daily_digests() -> list[int]:
    """Beat, daily at FACTCHECK_DIGEST_HOUR: the digest of each user's queue, if wanted."""
    return notify.daily_digests()


@shared_task(name=queue.SWEEP_STUCK, base=WorkerTask, soft_time_limit=60, time_limit=90)
def sweep_stuck() -> dict:
    return sweep.sweep_stuck()


@shared_task(name=queue.MATCH_FACTCHECKS, base=WorkerTask, autoretry_for=TRANSIENT)
def match_factchecks(factcheck_ids: list[int]) -> dict:
    """Newly imported or changed fact-checks against the open claims (idempotent)."""
    return {"factchecks": len(factcheck_ids), "matches": matching.match_factchecks(factcheck_ids)}


@shared_task(
    name=queue.POLL_FACTCHECK_FEED,
    base=WorkerTask,
    autoretry_for=(FetchError, *TRANSIENT),
    retry_backoff=60,
    soft_time_limit=150,
    time_limit=175,
)
def poll_factcheck_feed(feed_id: int) -> dict:
    # factchecks.poll_feed records every outcome on the feed and raises only transient ones.
    return factchecks.poll_feed(feed_id)


@shared_task(name=queue.POLL_DUE_FACTCHECK_FEEDS, base=WorkerTask)
def poll_due_factcheck_feeds() -> list[int]:
    due = factchecks.due_feeds()
    for feed_id in due:
        queue.send(queue.POLL_FACTCHECK_FEED, feed_id)
    return due


@shared_task(name=queue.NOOP)
def noop() -> None:
    """The floor for benchmarks: what the broker and a worker cost with no work."""
