"""Celery task for webhook deliveries: a thin wrapper over workers.webhooks.deliver."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from workers import webhooks


@shared_task(
    bind=True,
    name="workers.tasks.deliver_webhook",
    soft_time_limit=60,
    time_limit=90,
    max_retries=None,
)
def deliver_webhook(self, delivery_id: int) -> dict:
    from workers.tasks import backoff

    final = self.request.retries >= settings.FACTCHECK_TASK_MAX_ATTEMPTS - 1
    outcome = webhooks.deliver(delivery_id, final_attempt=final)
    if outcome.status == "retry":
        countdown = max(backoff(self.request.retries), outcome.retry_after or 0)
        raise self.retry(countdown=countdown)
    return {"delivery": delivery_id, "status": outcome.status, "reason": outcome.reason}
