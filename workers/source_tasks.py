"""Celery task for sources asked for by URL: a thin wrapper over workers.sources."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from workers import sources


@shared_task(
    bind=True,
    name="workers.tasks.fetch_source_request",
    soft_time_limit=90,
    time_limit=120,
    max_retries=None,
)
def fetch_source_request(self, request_id: int) -> dict:
    from workers.tasks import backoff

    final = self.request.retries >= settings.FACTCHECK_TASK_MAX_ATTEMPTS - 1
    outcome = sources.fetch_source_request(request_id, final_attempt=final)
    if outcome.status == "retry":
        raise self.retry(countdown=backoff(self.request.retries))
    return {
        "request": request_id,
        "status": outcome.status,
        "reason": outcome.reason,
        "source": outcome.source_id,
    }
