"""Celery tasks: thin wrappers that take primary keys, call workers.pipeline, record outcomes.

Retries are for named transient errors only (database or broker connection trouble,
a fetch that may succeed later), with exponential backoff, jitter and a bound; the
final failure is recorded on the row with its reason. Bad input (ArticleError) fails at
once: retrying cannot fix it.
"""

from __future__ import annotations

import logging
import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from workers import pipeline
from workers.extraction import ArticleError
from workers.source_tasks import fetch_source_request  # noqa: F401 (registers the task)
from workers.webhook_tasks import deliver_webhook  # noqa: F401 (registers the task)

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def backoff(retries: int, base: float = 2.0, cap: float = 300.0) -> float:
    return min(cap, base * (2**retries)) * (0.5 + random.random() / 2)  # noqa: S311 (jitter)


def _max_retries() -> int:
    return settings.FACTCHECK_TASK_MAX_ATTEMPTS - 1


# Time limits: the global CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT, which the
# settings check against the broker's visibility timeout.
@shared_task(bind=True, max_retries=None)
def process_article(self, article_id: int, force: bool = False) -> dict:
    try:
        claim_ids = pipeline.process_article(article_id, force=force)
    except ArticleError as exc:
        pipeline.mark_article_failed(article_id, f"{exc.field}: {exc.message}")
        return {"article": article_id, "failed": exc.message}
    except SoftTimeLimitExceeded:
        pipeline.mark_article_failed(article_id, "processing took longer than its time limit")
        return {"article": article_id, "failed": "time limit"}
    except Exception as exc:
        if self.request.retries >= _max_retries():
            log.exception("article %s failed for good", article_id)
            pipeline.mark_article_failed(
                article_id,
                f"failed after {self.request.retries + 1} attempts: {type(exc).__name__}: {exc}",
            )
            return {"article": article_id, "failed": str(exc)}
        if not isinstance(exc, TRANSIENT):
            log.warning("article %s: %s; retrying", article_id, exc)
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
    return {"article": article_id, "claims": claim_ids}


@shared_task(bind=True, max_retries=None)
def corroborate_claim(self, claim_id: int) -> dict:
    try:
        return pipeline.corroborate_claim(claim_id, worker="corroborate_claim")
    except TRANSIENT as exc:
        if self.request.retries >= _max_retries():
            log.exception("claim %s: corroboration failed for good", claim_id)
            return {"claim": claim_id, "failed": str(exc)}
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task(bind=True, max_retries=None)
def corroborate_claims(self, claim_ids: list[int]) -> list[dict]:
    """A batch of claims (usually one article's), with the searches and writes shared."""
    try:
        return pipeline.corroborate_claims(claim_ids, worker="corroborate_claims")
    except TRANSIENT as exc:
        if self.request.retries >= _max_retries():
            log.exception("claims %s: corroboration failed for good", claim_ids)
            return [{"claim": i, "failed": str(exc)} for i in claim_ids]
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task(bind=True, max_retries=None)
def match_source(self, source_id: int) -> dict:
    try:
        return {"source": source_id, "claims": pipeline.match_source(source_id)}
    except TRANSIENT as exc:
        if self.request.retries >= _max_retries():
            return {"source": source_id, "failed": str(exc)}
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task(soft_time_limit=60, time_limit=90)
def sweep_stuck() -> dict:
    return pipeline.sweep_stuck()


@shared_task
def noop() -> None:
    """The floor for benchmarks: what the broker and a worker cost with no work."""


@shared_task(bind=True, soft_time_limit=60, time_limit=90, max_retries=None)
def poll_feed(self, feed_id: int) -> dict:
    from workers import watch
    from workers.fetching import FetchError

    try:
        return watch.poll_feed(feed_id)
    except (FetchError, *TRANSIENT) as exc:
        if self.request.retries >= _max_retries():
            return {"feed": feed_id, "failed": str(exc)}
        raise self.retry(exc=exc, countdown=backoff(self.request.retries, base=30)) from exc


@shared_task
def poll_due_feeds() -> list[int]:
    from workers import watch

    due = watch.due_feeds()
    for feed_id in due:
        pipeline._safe_enqueue(poll_feed, feed_id)
    return due
