"""Permissions beyond the matrix (tests/api/test_permission_matrix.py): what an outsider
sees, the challenge an anonymous caller gets, whose webhooks are whose, who may rule.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims.models import ClaimState, Webhook

pytestmark = pytest.mark.django_db

RULE = {"verdict": "verified", "rationale": "two independent sources agree"}


def test_outsider_sees_no_claim_text(as_charlie, corroborating):
    for url in (
        "/api/claims/",
        f"/api/claims/{corroborating.pk}/",
        f"/api/articles/{corroborating.article_id}/",
    ):
        response = as_charlie.get(url)
        assert response.status_code == 403
        assert corroborating.text.encode() not in response.content


def test_anonymous_gets_401_with_a_challenge(as_anon):
    response = as_anon.get("/api/claims/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")


def test_webhooks_of_others_are_invisible(as_alice, fiona):
    hook = Webhook.objects.create(url="https://example.org/f", events=["claim.ruled"], owner=fiona)
    assert as_alice.get(f"/api/webhooks/{hook.pk}/").status_code == 404
    assert as_alice.get("/api/webhooks/").json()["results"] == []


def test_reviewer_cannot_rule_a_claim(as_bob, corroborating):
    response = as_bob.post(f"/api/claims/{corroborating.pk}/rule/", RULE, format="json")
    assert response.status_code == 403
    corroborating.refresh_from_db()
    assert corroborating.state == ClaimState.CORROBORATING


def test_undeclared_methods_are_405_not_403(as_alice, corroborating):
    comment = as_alice.post(
        f"/api/claims/{corroborating.pk}/comments/", {"body": "x"}, format="json"
    ).json()
    response = as_alice.put(
        f"/api/claims/{corroborating.pk}/comments/{comment['id']}/", {"body": "y"}, format="json"
    )
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert as_alice.options("/api/claims/").status_code == 200
    assert as_alice.delete("/api/articles/").status_code == 405
    assert APIClient().delete("/api/articles/").status_code == 401
