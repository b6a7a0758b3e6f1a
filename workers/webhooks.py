"""Webhook events: the outbox rows (WebhookDelivery) and the signed delivery of one row.

`emit` writes one WebhookDelivery per subscribed webhook, unique per (webhook, event
key), so an event raised twice (a redelivered task, a retried transaction) is sent once;
delivery is queued after commit. `deliver` makes one attempt through the hardened
client and records the outcome; the Celery task (workers.webhook_tasks) retries the
transient failures with backoff.

Signing: `X-Factcheck-Signature: sha256=<hex>` is HMAC-SHA256 with the webhook's secret
over `<timestamp>.<raw body>`, where `<timestamp>` is the `X-Factcheck-Timestamp` header
(Unix seconds), so a receiver can refuse replays of an old body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Claim, Webhook, WebhookDelivery

log = logging.getLogger(__name__)

EVENTS = tuple(Webhook.Event.values)
SIGNATURE_HEADER = "X-Factcheck-Signature"
TIMESTAMP_HEADER = "X-Factcheck-Timestamp"
EVENT_HEADER = "X-Factcheck-Event"
DELIVERY_HEADER = "X-Factcheck-Delivery"
# Receivers answer with a status; we never need much of their body.
RESPONSE_MAX_BYTES = 64 * 1024


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    message = f"{timestamp}.".encode("ascii") + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")


def claim_payload(claim: Claim) -> dict:
    base = settings.FACTCHECK_PUBLIC_URL.rstrip("/")
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "text": claim.text,
        "state": claim.state,
        "rationale": claim.rationale,
        "ruled_at": claim.ruled_at.isoformat() if claim.ruled_at else None,
        "url": f"{base}/api/claims/{claim.pk}/",
    }


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
    if created:
        transaction.on_commit(lambda: [_enqueue(i) for i in created])
    return created


def _enqueue(delivery_id: int) -> None:
    from kombu.exceptions import KombuError

    from workers.webhook_tasks import deliver_webhook

    try:
        deliver_webhook.delay(delivery_id)
    except (KombuError, OSError) as exc:  # the row stays pending; a re-send can pick it up
        log.warning("could not enqueue webhook delivery %s: %s", delivery_id, exc)


@dataclass
class Outcome:
    status: str  # "delivered" | "retry" | "failed" | "gone"
    reason: str = ""
    retry_after: float | None = None


def deliver(delivery_id: int, *, final_attempt: bool = False, policy=None) -> Outcome:
    """One signed POST of a delivery, recorded on the row.

    Transient failures (connection trouble, timeouts, 5xx, 429) come back as "retry"
    unless `final_attempt`; anything else is "failed" with the reason on the row.
    """
    from workers.fetching import FetchError, HTTPStatusError, post
    from workers.fetchpolicy import fetch_policy

    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None:
        return Outcome("gone")
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        return Outcome("delivered")
    hook = delivery.webhook
    if not hook.active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, last_error="the webhook was paused"
        )
        return Outcome("failed", "the webhook was paused")
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(hook.secret, timestamp, body),
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.pk),
    }
    policy = policy or fetch_policy(max_bytes=RESPONSE_MAX_BYTES, per_host_interval=0.0)
    attempts = delivery.attempts + 1
    try:
        result = post(hook.url, policy, body=body, headers=headers)
    except FetchError as exc:
        status_code = exc.status if isinstance(exc, HTTPStatusError) else None
        retry = exc.transient and not final_attempt
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts,
            response_status=status_code,
            last_error=exc.reason[:2000],
            status=WebhookDelivery.Status.PENDING if retry else WebhookDelivery.Status.FAILED,
        )
        retry_after = exc.retry_after if isinstance(exc, HTTPStatusError) else None
        return Outcome("retry" if retry else "failed", exc.reason, retry_after)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        response_status=result.status,
        last_error="",
        status=WebhookDelivery.Status.DELIVERED,
        delivered_at=timezone.now(),
    )
    return Outcome("delivered")
