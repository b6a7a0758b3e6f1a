"""Admin login is throttled: past the limit even the right password is refused for a while."""

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
    for _ in range(3):
        response = _login(client, "alice", "wrong")
        assert (
            response.status_code == 200
            and "correct username and password" in response.content.decode()
        )
    response = _login(client, "alice", "pw-alice")
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_login_below_the_limit_goes_through(client, alice, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 3
    _login(client, "alice", "wrong")
    response = _login(client, "alice", "pw-alice")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_failures_from_one_address_count_across_usernames(client, alice, bob, settings):
    settings.FACTCHECK_LOGIN_MAX_FAILURES = 2
    _login(client, "nobody1", "x")
    _login(client, "nobody2", "x")
    response = _login(client, "bob", "pw-bob")
    assert "Too many failed logins" in response.content.decode()
