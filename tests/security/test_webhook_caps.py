"""Finding 14: webhooks per user were uncapped; one ruling fanned out to 25 deliveries to
one URL."""

from __future__ import annotations

import pytest

from claims.models import Webhook

pytestmark = pytest.mark.django_db


def subscribe(api, url):
    return api.post("/api/webhooks/", {"url": url, "events": ["claim.ruled"]}, format="json")


def test_one_url_takes_a_bounded_number_of_subscriptions(as_alice, settings):
    settings.FACTCHECK_WEBHOOKS_PER_URL = 3
    statuses = [subscribe(as_alice, "https://victim.example/hook").status_code for _ in range(25)]
    assert statuses[:3] == [201, 201, 201] and set(statuses[3:]) == {400}
    assert Webhook.objects.filter(url="https://victim.example/hook").count() == 3
    # The same URL spelt in other case is the same URL.
    assert subscribe(as_alice, "https://VICTIM.example/hook").status_code == 400


def test_one_user_has_a_bounded_number_of_webhooks(as_alice, alice, settings):
    settings.FACTCHECK_WEBHOOKS_PER_USER = 5
    for i in range(5):
        assert subscribe(as_alice, f"https://receiver.example/{i}").status_code == 201
    response = subscribe(as_alice, "https://receiver.example/6")
    assert response.status_code == 400 and "most one user" in response.json()["message"]
    assert Webhook.objects.filter(owner=alice).count() == 5


def test_moving_a_webhook_onto_a_full_url_is_refused(as_alice, settings):
    settings.FACTCHECK_WEBHOOKS_PER_URL = 1
    subscribe(as_alice, "https://full.example/hook")
    other = subscribe(as_alice, "https://other.example/hook").json()["id"]
    response = as_alice.patch(
        f"/api/webhooks/{other}/", {"url": "https://full.example/hook"}, format="json"
    )
    assert response.status_code == 400
    # Changing something else of a webhook at the cap still works.
    response = as_alice.patch(f"/api/webhooks/{other}/", {"active": False}, format="json")
    assert response.status_code == 200
