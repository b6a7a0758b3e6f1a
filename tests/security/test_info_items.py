"""Finding 15, the info items (the ClaimReview one is in test_jsonld_escaping.py)."""

from __future__ import annotations

import pytest

from claims.models import ClaimState, Feed
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db


def test_claim_list_urls_survive_format_json(as_alice):
    claim = claim_in_state(ClaimState.CORROBORATING)
    row = as_alice.get("/api/claims/?format=json").json()["results"][0]
    assert row["url"] == f"http://testserver/api/claims/{claim.pk}/?format=json"
    assert as_alice.get(row["url"]).json()["id"] == claim.pk
    plain = as_alice.get("/api/claims/").json()["results"][0]
    assert plain["url"] == f"http://testserver/api/claims/{claim.pk}/"


def test_the_feed_admin_refuses_a_poll_interval_of_zero(client, alice):
    client.force_login(alice)
    response = client.post(
        "/admin/claims/feed/add/",
        {
            "url": "https://outlet.example/rss",
            "title": "",
            "outlet": "Outlet",
            "purpose": "sources",
            "active": "on",
            "poll_interval_minutes": "0",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "greater than or equal to 1" in response.content.decode()
    assert not Feed.objects.exists()


def test_a_login_with_no_next_lands_on_the_api_root(client, alice):
    response = client.post("/api/session/login/", {"username": "alice", "password": "pw-alice"})
    assert response.status_code == 302 and response["Location"] == "/api/"
    assert client.get(response["Location"]).status_code == 200
