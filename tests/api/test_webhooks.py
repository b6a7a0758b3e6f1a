"""Webhooks: events recorded once, deliveries signed and retried against a real receiver."""

from __future__ import annotations

import json
import time

import pytest

from claims import events, flags, workflow
from claims.models import ClaimState, Webhook, WebhookDelivery
from tests.api.receiver import receiver
from workers import webhooks

pytestmark = pytest.mark.django_db
RULE = {"verdict": "verified", "rationale": "two independent sources agree"}


def _subscribe(client, url, events):
    response = client.post("/api/webhooks/", {"url": url, "events": events}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_ruling_is_delivered_signed(as_alice, corroborating, django_capture_on_commit_callbacks):
    with receiver() as rx:
        hook = _subscribe(as_alice, rx.url("/in"), ["claim.ruled"])
        with django_capture_on_commit_callbacks(execute=True):
            response = as_alice.post(f"/api/claims/{corroborating.pk}/rule/", RULE, format="json")
        assert response.status_code == 200
    assert len(rx.received) == 1
    got = rx.received[0]
    body = json.loads(got.body)
    assert body["event"] == "claim.ruled"
    assert body["claim"]["id"] == corroborating.pk and body["claim"]["state"] == "verified"
    assert got.headers["x-factcheck-event"] == "claim.ruled"
    timestamp = got.headers["x-factcheck-timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    assert webhooks.verify(
        hook["secret"], timestamp, got.body, got.headers["x-factcheck-signature"]
    )
    assert not webhooks.verify(
        "wrong-secret", timestamp, got.body, got.headers["x-factcheck-signature"]
    )
    assert not webhooks.verify(
        hook["secret"], str(int(timestamp) + 1), got.body, got.headers["x-factcheck-signature"]
    )
    deliveries = as_alice.get(f"/api/webhooks/{hook['id']}/deliveries/").json()["results"]
    assert [(d["event"], d["status"], d["response_status"]) for d in deliveries] == [
        ("claim.ruled", "delivered", 200)
    ]
    assert "secret" not in as_alice.get(f"/api/webhooks/{hook['id']}/").json()


def test_failed_delivery_is_retried_with_backoff_until_it_lands(alice, corroborating, monkeypatch):
    from workers.tasks import deliver_webhook

    # Eager mode runs each retry at once (the countdown is for real workers); it must not
    # re-raise the Retry that schedules it.
    monkeypatch.setitem(deliver_webhook.app.conf, "task_eager_propagates", False)

    with receiver() as rx:
        rx.post_statuses = [503, 500]
        hook = Webhook.objects.create(url=rx.url("/in"), events=["claim.ruled"], owner=alice)
        workflow.rule(corroborating, user=alice, verdict="verified", rationale="ok")
        [delivery_id] = events.emit("claim.ruled", corroborating, key="manual")
        # The task retries the transient failures (eagerly here, with countdowns in production).
        result = deliver_webhook.apply(args=[delivery_id])
        delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert delivery.status == "delivered", (result.state, delivery.last_error)
    assert delivery.attempts == 3
    assert [r.headers["x-factcheck-delivery"] for r in rx.received] == [str(delivery_id)] * 3
    assert hook.deliveries.count() == 1


def test_backoff_grows_and_final_failure_is_recorded(alice, corroborating):
    from celery.utils.time import get_exponential_backoff_interval

    from workers.tasks import TryAgain, deliver_webhook

    # The declared policy: transient outcomes retried, waits doubling up to five minutes.
    assert TryAgain in deliver_webhook.autoretry_for
    waits = [
        get_exponential_backoff_interval(
            factor=deliver_webhook.retry_backoff,
            retries=n,
            maximum=deliver_webhook.retry_backoff_max,
            full_jitter=False,
        )
        for n in range(12)
    ]
    assert waits[:4] == [2, 4, 8, 16] and max(waits) == 300 and deliver_webhook.retry_jitter
    with receiver() as rx:
        rx.post_statuses = [500, 500]
        Webhook.objects.create(url=rx.url("/in"), events=["claim.ruled"], owner=alice)
        [delivery_id] = events.emit("claim.ruled", corroborating, key="k")
        assert webhooks.deliver(delivery_id).status == "retry"
        assert WebhookDelivery.objects.get(pk=delivery_id).status == "pending"
        final = webhooks.deliver(delivery_id, final_attempt=True)
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert final.status == "failed"
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 2, 500)
    assert "HTTP 500" in delivery.last_error


def test_client_errors_are_not_retried(alice, corroborating):
    with receiver() as rx:
        rx.post_statuses = [410]
        Webhook.objects.create(url=rx.url("/in"), events=["claim.ruled"], owner=alice)
        [delivery_id] = events.emit("claim.ruled", corroborating, key="k")
        assert webhooks.deliver(delivery_id).status == "failed"


def test_an_event_is_recorded_once_per_webhook(alice, corroborating):
    Webhook.objects.create(url="https://example.org/in", events=["claim.ruled"], owner=alice)
    Webhook.objects.create(url="https://example.org/other", events=["claim.flagged"], owner=alice)
    first = events.emit("claim.ruled", corroborating, key="transition:1")
    again = events.emit("claim.ruled", corroborating, key="transition:1")
    assert len(first) == 1 and again == []
    assert WebhookDelivery.objects.count() == 1


def test_reopen_and_new_flags_emit_events(alice, verified, django_capture_on_commit_callbacks):
    from analysis import types as t

    Webhook.objects.create(
        url="https://example.org/in", events=["claim.reopened", "claim.flagged"], owner=alice
    )
    with django_capture_on_commit_callbacks(execute=False):
        workflow.reopen(verified, reason="new evidence", user=alice)
    # Nothing is sent until the transition commits.
    assert not WebhookDelivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.dismiss(verified, user=alice)
        workflow.reopen(verified, reason="again", user=alice)
    for callback in callbacks:
        callback()
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["claim.reopened"]
    flag = t.ClaimFlag(kind=t.CONTRADICTED, message="a source denies it")
    with django_capture_on_commit_callbacks(execute=False):
        flags.raise_flags([(verified, flag, None, "test")])
        flags.raise_flags([(verified, flag, None, "test")])
    assert WebhookDelivery.objects.filter(event="claim.flagged").count() == 1
    assert verified.state == ClaimState.CORROBORATING


def test_bad_subscriptions_are_refused(as_alice):
    response = as_alice.post(
        "/api/webhooks/", {"url": "https://x.example/", "events": ["claim.eaten"]}, format="json"
    )
    assert response.status_code == 400 and "events.0" in response.json()["fields"]
    response = as_alice.post(
        "/api/webhooks/", {"url": "file:///etc/passwd", "events": ["claim.ruled"]}, format="json"
    )
    assert response.status_code == 400 and "url" in response.json()["fields"]
