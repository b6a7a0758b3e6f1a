"""Findings 2 and 3: one lockout policy for every login, and no trust in a client's
X-Forwarded-For.

Before: /api/session/login/ had no throttle and ignored the admin's lockout (after 30 wrong
passwords the right one logged in, and that session opened /admin/), and the token
throttle keyed on whatever X-Forwarded-For the client sent.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def session_login(client, username, password, **extra):
    return client.post("/api/session/login/", {"username": username, "password": password}, **extra)


def token_login(api, username, password, **extra):
    return api.post(
        "/api/auth/token/", {"username": username, "password": password}, format="json", **extra
    )


def test_session_login_locks_out_after_too_many_wrong_passwords(client, alice, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 5
    for _ in range(30):
        session_login(client, "alice", "wrong")
    response = session_login(client, "alice", "pw-alice")
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still the login page


def test_session_login_below_the_limit_works(client, alice, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 5
    session_login(client, "alice", "wrong")
    response = session_login(client, "alice", "pw-alice")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_failures_on_one_login_form_lock_the_others(client, alice, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        session_login(client, "alice", "wrong")
    admin = client.post("/admin/login/?next=/admin/", {"username": "alice", "password": "pw-alice"})
    assert "Too many failed logins" in admin.content.decode()
    assert "_auth_user_id" not in client.session
    api = APIClient()
    assert token_login(api, "alice", "pw-alice").status_code == 429


def test_token_failures_lock_the_session_login(client, alice, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 3
    api = APIClient()
    for _ in range(3):
        assert token_login(api, "alice", "wrong").status_code == 400
    session_login(client, "alice", "pw-alice")
    assert "_auth_user_id" not in client.session


def test_token_throttle_ignores_a_client_sent_forwarded_for(alice, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 1000
    api = APIClient()
    statuses = [
        token_login(api, f"guess{i}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(30)
    ]
    assert 429 in statuses  # the default 20/minute, keyed on REMOTE_ADDR


def test_lockout_ignores_a_client_sent_forwarded_for(client, alice, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 3
    for i in range(3):
        session_login(client, "alice", "x", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    session_login(client, "alice", "pw-alice", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert "_auth_user_id" not in client.session


def test_forwarded_for_is_read_behind_a_named_proxy(settings):
    from django.test import RequestFactory

    from claims.lockout import client_address

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.FACTCHECK_NUM_PROXIES = 0
    assert client_address(request) == "10.0.0.1"
    settings.FACTCHECK_NUM_PROXIES = 1
    assert client_address(request) == "203.0.113.9"  # the address our one proxy saw
