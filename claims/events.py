"""Webhook events: the outbox rows (WebhookDelivery) that the workers deliver.

`emit` writes one WebhookDelivery per subscribed webhook, unique per (webhook, event
key), so an event raised twice (a redelivered task, a retried transaction) is sent once;
delivery is queued after commit through `factcheck.queue`. The domain records events
here and never imports delivery code: signing and sending one delivery is
`workers.webhooks`, retried by the `deliver_webhook` task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Claim, Webhook, WebhookDelivery
from factcheck import queue

EVENTS = tuple(Webhook.Event.values)


def claim_payload(claim: Claim) -> dict:
    base = settings.FACTCHECK_PUBLIC_URL.rstrip("/")
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "text": claim.text,
        "state": claim.state,
        "rationale": claim.rationale,
        "ruled_at": claim.ruled_at.isoformat() if claim.ruled_at else None,
        "rating": rating_payload(claim),
        "url": f"{base}/api/claims/{claim.pk}/",
    }


def rating_payload(claim: Claim) -> dict | None:
    """The published rating on the newsroom's scale (None while nothing is published)."""
    ruling = claim.ruling if claim.ruling_id else None
    if ruling is None:
        return None
    return {"slug": ruling.rating.slug, "label": ruling.rating_label, "value": ruling.rating_value}


def subscribed(event: str) -> list[Webhook]:
    """The active webhooks subscribed to `event`."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    # JSON containment is not portable (SQLite); webhooks are few, filter in Python.
    return [
        hook
        for hook in Webhook.objects.filter(active=True).only("id", "events")
        if event in (hook.events or [])
    ]


def emit(
    event: str,
    claim: Claim,
    key: str,
    extra: dict | None = None,
    *,
    hooks: list[Webhook] | None = None,
) -> list[int]:
    """Record `event` for every active webhook subscribed to it; queue delivery on commit.

    `key` names the occurrence (e.g. the Transition or Flag id): the same key twice adds
    nothing. `hooks`: `subscribed(event)` read once by a caller emitting many events.
    Returns the ids of the deliveries created now.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    if hooks is None:
        hooks = subscribed(event)
    event_key = f"{event}:{key}"
    payload = {
        "event": event,
        "event_id": event_key,
        "created_at": timezone.now().isoformat(),
        "claim": claim_payload(claim),
        **(extra or {}),
    }
    created: list[int] = []
    for hook in hooks:
        try:
            with transaction.atomic():
                delivery, new = WebhookDelivery.objects.get_or_create(
                    webhook=hook, event_key=event_key, defaults={"event": event, "payload": payload}
                )
        except IntegrityError:  # the same event recorded concurrently
            continue
        if new:
            created.append(delivery.pk)
    for delivery_id in created:
        queue.later(queue.DELIVER_WEBHOOK, delivery_id)
    return created
