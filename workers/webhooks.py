"""Webhook delivery: sign, verify, and deliver one outbox row (WebhookDelivery).

The domain records events (`claims.events.emit`); this module sends them. `deliver`
makes one attempt through the hardened client and records the outcome on the row; the
`deliver_webhook` task (workers.tasks) retries the transient failures with backoff.

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

from django.utils import timezone

from claims.models import WebhookDelivery
from workers.fetching import FetchError, HTTPStatusError, post
from workers.fetchpolicy import fetch_policy
from workers.outcome import Outcome, Status

log = logging.getLogger(__name__)

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


def deliver(delivery_id: int, *, final_attempt: bool = False, policy=None) -> Outcome:
    """One signed POST of a delivery, recorded on the row.

    Transient failures (connection trouble, timeouts, 5xx, 429) come back as RETRY
    unless `final_attempt`; anything else is FAILED with the reason on the row.
    """
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None:
        return Outcome(Status.GONE)
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        return Outcome(Status.DONE)
    hook = delivery.webhook
    if not hook.active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, last_error="the webhook was paused"
        )
        return Outcome(Status.FAILED, "the webhook was paused")
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
        return Outcome(
            Status.RETRY if retry else Status.FAILED, exc.reason, retry_after=retry_after
        )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        response_status=result.status,
        last_error="",
        status=WebhookDelivery.Status.DELIVERED,
        delivered_at=timezone.now(),
    )
    return Outcome(Status.DONE)
