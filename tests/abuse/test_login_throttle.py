"""Admin login is throttled: past the limit even the right password is refused for a while.

The lockout (django-axes, claims/lockout.py) is keyed per username and address together:
failures for one account from one address do not lock the others behind that address.
"""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_admin_login_is_refused_after_too_many_failures(client, alice, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        response = _login(client, "alice", "wrong")
        assert (
            response.status_code == 200
            and "correct username and password" in response.content.decode()
        )
    # The failure that reaches the limit is answered with the lockout already.
    assert _login(client, "alice", "wrong").status_code == 429
    response = _login(client, "alice", "pw-alice")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_login_below_the_limit_goes_through(client, alice, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 3
    _login(client, "alice", "wrong")
    response = _login(client, "alice", "pw-alice")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_failures_for_one_account_do_not_lock_the_others_behind_an_address(
    client, alice, bob, settings
):
    # Issue 15, finding 10: five bad logins from one address locked every account behind
    # it (a newsroom's proxy: the whole newsroom).
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 2
    for _ in range(5):
        _login(client, "alice", "wrong")
    response = _login(client, "bob", "pw-bob")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(bob.pk)


def test_a_locked_account_is_locked_from_that_address_only(alice, settings):
    from django.test import Client

    settings.FACTCHECK_LOGIN_MAX_FAILURES = 2
    here, elsewhere = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(2):
        _login(here, "alice", "wrong")
    assert _login(here, "alice", "pw-alice").status_code == 429
    assert _login(elsewhere, "alice", "pw-alice").status_code == 302
