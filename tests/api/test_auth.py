"""Tokens for scripts, sessions with CSRF for the browser."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from claims.models import ApiToken

pytestmark = pytest.mark.django_db


def test_password_exchange_gives_a_token_that_works(alice):
    client = APIClient()
    response = client.post(
        "/api/auth/token/", {"username": "alice", "password": "pw-alice"}, format="json"
    )
    assert response.status_code == 200
    key = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/claims/").status_code == 200


def test_wrong_password_gives_no_token(alice):
    response = APIClient().post(
        "/api/auth/token/", {"username": "alice", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "non_field_errors": ["Unknown username or wrong password."]
    }
    assert not ApiToken.objects.exists()


def test_revoked_token_stops_working(as_alice):
    assert as_alice.delete("/api/auth/token/").status_code == 204
    assert as_alice.get("/api/claims/").status_code == 401


def test_create_api_token_prints_a_key_that_works_and_stores_only_its_digest(alice, capsys):
    call_command("create_api_token", "alice", "--name", "nightly import", "--days", "7")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=alice)
    assert token.name == "nightly import" and key.startswith(token.token_key)
    assert key not in {token.digest, token.token_key}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    mine = client.get("/api/auth/token/").json()
    assert mine["id"] == token.pk and mine["current"] is True and "token" not in mine


def test_session_write_without_csrf_token_is_refused(bob, corroborating):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="bob", password="pw-bob")
    response = client.post(
        f"/api/claims/{corroborating.pk}/comments/", {"body": "hi"}, format="json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    assert not corroborating.comments.exists()


def test_session_write_with_csrf_token_is_accepted(bob, corroborating):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="bob", password="pw-bob")
    # Any page that renders a form sets the cookie; the login page is one.
    client.get("/api/session/login/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/claims/{corroborating.pk}/comments/",
        {"body": "hi"},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201


def test_session_reads_need_no_csrf_token(bob, corroborating):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="bob", password="pw-bob")
    assert client.get(f"/api/claims/{corroborating.pk}/").status_code == 200
