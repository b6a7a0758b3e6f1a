"""The sweeper: work stuck in an intermediate state is found and queued again.

Run by beat every five minutes (`sweep_stuck`). The rows are the outbox: an article still
received or processing past a deadline, a claim never corroborated, a fetch, a watched
feed's item, a webhook delivery or an alert still pending. A lost enqueue (the broker was down) or a killed worker leaves
such a row; the sweeper re-queues it, or fails an article that used up its attempts.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from claims.models import Article, Claim, ClaimState, FeedItem, SourceRequest, WebhookDelivery
from factcheck import queue
from workers import notify, watch
from workers.corroborate import enqueue_claims
from workers.ingest import enqueue_article, mark_article_failed


def sweep_stuck(*, older_than_seconds: int = 600) -> dict:
    """Re-queue work stuck in an intermediate state (a lost enqueue, a killed worker)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    max_attempts = settings.FACTCHECK_TASK_MAX_ATTEMPTS
    stuck_articles = list(
        Article.objects.filter(
            Q(status=Article.Status.RECEIVED) | Q(status=Article.Status.PROCESSING),
            updated_at__lt=cutoff,
        ).values_list("id", "attempts")
    )
    requeued, failed = [], []
    for article_id, attempts in stuck_articles:
        if attempts >= max_attempts:
            mark_article_failed(
                article_id, f"gave up after {attempts} attempts (stuck in processing)"
            )
            failed.append(article_id)
        else:
            Article.objects.filter(pk=article_id).update(updated_at=timezone.now())
            requeued.append(article_id)
            enqueue_article(article_id)
    stuck_claims = list(
        Claim.objects.filter(
            Q(state=ClaimState.EXTRACTED)
            | Q(state=ClaimState.CORROBORATING, corroborated_at__isnull=True),
            created_at__lt=cutoff,
        ).values_list("id", flat=True)[:1000]
    )
    enqueue_claims(stuck_claims)
    # The same outbox reading for fetches and webhook deliveries: rows still pending past
    # the deadline were never picked up (a lost enqueue) and go back on the queue.
    stuck_requests = list(
        SourceRequest.objects.filter(
            status=SourceRequest.Status.PENDING, updated_at__lt=cutoff
        ).values_list("id", flat=True)[:1000]
    )
    stuck_deliveries = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, created_at__lt=cutoff
        ).values_list("id", flat=True)[:1000]
    )
    SourceRequest.objects.filter(pk__in=stuck_requests).update(updated_at=timezone.now())
    for request_id in stuck_requests:
        queue.later(queue.FETCH_SOURCE_REQUEST, request_id)
    for delivery_id in stuck_deliveries:
        queue.later(queue.DELIVER_WEBHOOK, delivery_id)
    # Watched feeds' items and alerts to people: the same outbox reading.
    stuck_items = watch.pending_items(cutoff)
    FeedItem.objects.filter(pk__in=stuck_items).update(updated_at=timezone.now())
    for item_id in stuck_items:
        queue.later(queue.FETCH_FEED_ITEM, item_id)
    stuck_alerts = notify.pending_alerts(cutoff)
    for alert_id in stuck_alerts:
        queue.later(queue.DELIVER_ALERT, alert_id)
    return {
        "feed_items_requeued": stuck_items,
        "alerts_requeued": stuck_alerts,
        "articles_requeued": requeued,
        "articles_failed": failed,
        "claims_requeued": stuck_claims,
        "source_requests_requeued": stuck_requests,
        "deliveries_requeued": stuck_deliveries,
    }
