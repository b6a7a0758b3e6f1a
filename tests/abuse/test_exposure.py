"""Nothing secret leaves the service, and hostile text stays inert, wherever it is shown."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from claims import tokens
from claims.models import Comment
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db

XSS = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world(alice, bob):
    claim = claim_in_state("corroborating")
    Comment.objects.create(claim=claim, author=bob, body=XSS)
    return claim


def test_script_in_a_comment_is_inert_on_the_admin_claim_page(client, alice, world):
    client.force_login(alice)
    html = client.get(f"/admin/claims/claim/{world.pk}/change/").content.decode()
    assert '<script>alert("pwned")</script>' not in html
    assert "<img src=x onerror" not in html
    assert "&lt;script&gt;" in html


def test_tokens_and_password_hashes_never_appear_in_responses(client, alice, bob, world):
    bob_token = tokens.issue(bob)[1]
    alice_token = tokens.issue(alice)[1]
    hashes = [u.password for u in User.objects.all()]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    urls = [
        "/api/claims/",
        f"/api/claims/{world.pk}/",
        f"/api/claims/{world.pk}/comments/",
        f"/api/claims/{world.pk}/suggestions/",
        "/api/articles/",
        f"/api/articles/{world.article_id}/",
        "/api/sources/",
        "/api/feeds/",
        "/api/webhooks/",
        "/api/schema/",
        "/api/auth/token/",
        "/api/auth/tokens/",
    ]
    for url in urls:
        body = api.get(url).content.decode()
        assert bob_token not in body and alice_token not in body, url
        assert not any(h in body for h in hashes), url
    client.force_login(alice)
    for url in (
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{world.pk}/change/",
        f"/admin/claims/article/{world.article_id}/change/",
        "/admin/claims/comment/",
    ):
        body = client.get(url).content.decode()
        assert bob_token not in body and alice_token not in body, url
        assert not any(h in body for h in hashes), url


def test_a_form_with_too_many_fields_is_refused(client, alice):
    client.force_login(alice)
    fields = {f"f{i}": "x" for i in range(1000)}
    response = client.post("/admin/login/", fields)
    assert response.status_code == 400
