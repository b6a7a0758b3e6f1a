"""Finding 11: every API token was readable in plain text in the admin (and the database).

Now a token is stored as a digest (django-rest-knox) and its key shown once, when it is
issued; tokens are named and expire; a user lists and revokes their own; the admin shows
who holds which, never a key. Alice is a fact-checker, Bob a reviewer, Erin an editor,
Root a superuser. DRF tokens issued before the upgrade are carried over by the migration.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from rest_framework.test import APIClient

from claims import tokens
from claims.models import ApiToken
from claims.roles import EDITORS, ensure_roles

pytestmark = pytest.mark.django_db

TOKEN_MIGRATION = importlib.import_module("claims.migrations.0016_api_tokens")


@pytest.fixture
def erin(django_user_model):
    ensure_roles()
    user = django_user_model.objects.create_user("erin", password="pw-erin", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-root")


def exchange(username: str, password: str, **extra):
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": password, **extra}, format="json"
    )


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def row_text(token: ApiToken) -> str:
    """Every column of the token's row as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table} WHERE id = %s", [token.pk])
        return " ".join(str(value) for value in cursor.fetchone())


def test_the_database_holds_a_digest_and_never_the_key(alice):
    key = exchange("alice", "pw-alice").json()["token"]
    token = ApiToken.objects.get(user=alice)
    assert key not in row_text(token)
    assert token.digest != key and len(token.digest) == 128
    assert key.startswith(token.token_key) and len(token.token_key) < len(key)


def test_the_admin_never_shows_a_key_nor_a_digest(client, root, alice):
    key = exchange("alice", "pw-alice", name="laptop").json()["token"]
    token = ApiToken.objects.get(user=alice)
    client.force_login(root)
    listing = client.get("/admin/claims/apitoken/").content.decode()
    page = client.get(f"/admin/claims/apitoken/{token.pk}/change/").content.decode()
    for html in (listing, page):
        assert "laptop" in html and token.token_key in html
        assert key not in html and token.digest not in html
    # Nothing to make a token with here: the key is shown once, by whoever issues it.
    assert client.get("/admin/claims/apitoken/add/").status_code == 403


def test_the_key_is_in_the_answer_that_issues_it_and_nowhere_after(alice):
    issued = exchange("alice", "pw-alice", name="nightly")
    assert issued.status_code == 200
    body = issued.json()
    key, token_id = body["token"], body["id"]
    api = with_key(key)
    assert body["username"] == "alice" and body["name"] == "nightly"
    for url in ("/api/auth/token/", "/api/auth/tokens/", f"/api/auth/tokens/{token_id}/"):
        response = api.get(url)
        assert response.status_code == 200, url
        assert key not in response.content.decode(), url
        assert ApiToken.objects.get(pk=token_id).digest not in response.content.decode(), url


def test_the_issued_token_works_with_the_token_header_and_says_it_is_current(alice):
    key = exchange("alice", "pw-alice").json()["token"]
    api = with_key(key)
    assert api.get("/api/claims/").status_code == 200
    current = api.get("/api/auth/token/").json()
    assert current["current"] is True and current["username"] == "alice"
    assert current["last_used"] is not None


def test_each_exchange_issues_a_new_token_and_both_work(alice):
    first = exchange("alice", "pw-alice", name="laptop").json()["token"]
    second = exchange("alice", "pw-alice", name="server").json()["token"]
    assert first != second
    assert with_key(first).get("/api/claims/").status_code == 200
    assert with_key(second).get("/api/claims/").status_code == 200


def test_name_and_expiry_round_trip(alice, settings):
    settings.FACTCHECK_API_TOKEN_TTL_DAYS = 30
    before = timezone.now()
    short = exchange("alice", "pw-alice", name="ci job", expiry_days=7).json()
    default = exchange("alice", "pw-alice").json()
    listed = {t["id"]: t for t in with_key(short["token"]).get("/api/auth/tokens/").json()}
    assert listed[short["id"]]["name"] == "ci job"
    assert listed[short["id"]]["expires"] == short["expires"]
    assert listed[default["id"]]["name"] == ""
    expires = ApiToken.objects.get(pk=short["id"]).expiry
    assert before + timedelta(days=7) <= expires <= timezone.now() + timedelta(days=7)
    default_expiry = ApiToken.objects.get(pk=default["id"]).expiry
    assert (
        default_expiry - before
        >= timedelta(days=30)
        > default_expiry - before - timedelta(minutes=1)
    )


@pytest.mark.parametrize("days", [0, -1, 366])
def test_expiry_is_bounded(alice, days):
    response = exchange("alice", "pw-alice", expiry_days=days)
    assert response.status_code == 400
    assert "expiry_days" in response.json()["fields"]
    assert not ApiToken.objects.exists()


def test_a_token_past_its_expiry_is_refused_with_a_clear_401(alice):
    key = exchange("alice", "pw-alice").json()["token"]
    ApiToken.objects.update(expiry=timezone.now() - timedelta(minutes=1))
    api = with_key(key)
    for _ in range(2):  # and still says so the second time
        response = api.get("/api/claims/")
        assert response.status_code == 401
        assert "expired" in response.json()["message"]
        assert "POST /api/auth/token/" in response.json()["message"]


def test_expired_tokens_are_deleted_when_their_owner_gets_a_new_one(alice):
    tokens.issue(alice, name="old")
    ApiToken.objects.update(expiry=timezone.now() - timedelta(days=1))
    exchange("alice", "pw-alice", name="new")
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["new"]


def test_a_user_lists_only_their_own_tokens(alice, bob):
    tokens.issue(bob, name="bob's script")
    key = exchange("alice", "pw-alice", name="alice's script").json()["token"]
    listed = with_key(key).get("/api/auth/tokens/").json()
    assert [t["name"] for t in listed] == ["alice's script"]
    assert all("token" not in t and "digest" not in t for t in listed)


def test_a_user_revokes_one_of_their_own_tokens(alice):
    keep = exchange("alice", "pw-alice", name="keep").json()
    drop = exchange("alice", "pw-alice", name="drop").json()
    api = with_key(keep["token"])
    assert api.delete(f"/api/auth/tokens/{drop['id']}/").status_code == 204
    assert with_key(drop["token"]).get("/api/claims/").status_code == 401
    assert api.get("/api/claims/").status_code == 200


def test_nobody_revokes_or_reads_someone_elses_token(alice, bob):
    bobs_token, bobs_key = tokens.issue(bob, name="bob's")
    api = with_key(exchange("alice", "pw-alice").json()["token"])
    assert api.get(f"/api/auth/tokens/{bobs_token.pk}/").status_code == 404
    assert api.delete(f"/api/auth/tokens/{bobs_token.pk}/").status_code == 404
    assert with_key(bobs_key).get("/api/claims/").status_code == 200


def test_delete_auth_token_revokes_the_token_it_was_sent_with_only(alice):
    used = exchange("alice", "pw-alice").json()["token"]
    other = exchange("alice", "pw-alice").json()["token"]
    assert with_key(used).delete("/api/auth/token/").status_code == 204
    assert with_key(used).get("/api/claims/").status_code == 401
    assert with_key(other).get("/api/claims/").status_code == 200


def test_revoking_all_of_mine_revokes_every_one(alice, bob):
    keys = [exchange("alice", "pw-alice").json()["token"] for _ in range(3)]
    _, bobs_key = tokens.issue(bob)
    assert with_key(keys[0]).delete("/api/auth/tokens/").status_code == 204
    assert all(with_key(k).get("/api/claims/").status_code == 401 for k in keys)
    assert with_key(bobs_key).get("/api/claims/").status_code == 200


def test_a_session_lists_tokens_but_has_no_current_one(client, alice):
    tokens.issue(alice, name="script")
    api = APIClient()
    api.force_login(alice)
    assert [t["name"] for t in api.get("/api/auth/tokens/").json()] == ["script"]
    response = api.get("/api/auth/token/")
    assert response.status_code == 404
    assert "/api/auth/tokens/" in response.json()["message"]


def test_a_user_holds_a_bounded_number_of_live_tokens(alice, settings):
    settings.FACTCHECK_API_TOKENS_PER_USER = 2
    first = exchange("alice", "pw-alice").json()
    exchange("alice", "pw-alice")
    refused = exchange("alice", "pw-alice")
    assert refused.status_code == 403
    assert refused.json()["code"] == "too_many_tokens"
    assert ApiToken.objects.count() == 2
    with_key(first["token"]).delete("/api/auth/token/")
    assert exchange("alice", "pw-alice").status_code == 200


def test_a_deactivated_users_token_stops_working(alice):
    key = exchange("alice", "pw-alice").json()["token"]
    alice.is_active = False
    alice.save()
    assert with_key(key).get("/api/claims/").status_code == 401


def test_a_made_up_or_malformed_token_is_a_401_never_a_500(alice):
    key = exchange("alice", "pw-alice").json()["token"]
    for bad in (key[:15] + "0" * 49, key + "0", "x" * 5000, "é"):
        response = APIClient().get("/api/claims/", HTTP_AUTHORIZATION=f"Token {bad}")
        assert response.status_code == 401, bad[:20]


def test_editor_sees_tokens_and_revokes_only_those_of_users_they_manage(client, erin, root, bob):
    bobs, _ = tokens.issue(bob, name="bob's")
    roots, _ = tokens.issue(root, name="root's")
    client.force_login(erin)
    listing = client.get("/admin/claims/apitoken/")
    assert listing.status_code == 200
    assert "bob&#x27;s" in listing.content.decode() and "root&#x27;s" in listing.content.decode()
    assert (
        client.post(f"/admin/claims/apitoken/{roots.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(f"/admin/claims/apitoken/{bobs.pk}/delete/", {"post": "yes"}).status_code == 302
    )
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["root's"]


def test_the_admin_filters_live_and_expired_tokens(client, root, alice):
    tokens.issue(alice, name="still-live")
    gone, _ = tokens.issue(alice, name="long-gone")
    ApiToken.objects.filter(pk=gone.pk).update(expiry=timezone.now() - timedelta(days=1))
    client.force_login(root)
    live = client.get("/admin/claims/apitoken/?state=live").content.decode()
    expired = client.get("/admin/claims/apitoken/?state=expired").content.decode()
    assert "still-live" in live and "long-gone" not in live
    assert "long-gone" in expired and "still-live" not in expired


def test_reviewers_do_not_see_tokens_in_the_admin(client, bob):
    tokens.issue(bob)
    client.force_login(bob)
    assert client.get("/admin/claims/apitoken/").status_code == 403


@pytest.mark.postgres
def test_a_drf_token_from_before_the_upgrade_keeps_working_as_a_digest(alice, settings):
    """The migration imports each DRF key as its knox digest and drops DRF's table."""
    settings.FACTCHECK_API_TOKEN_TTL_DAYS = 30
    legacy = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's 40 hex characters
    issued = timezone.now() - timedelta(days=400)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id integer NOT NULL UNIQUE)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", [legacy, issued, alice.pk]
        )
    MigrationRecorder.Migration.objects.create(app="authtoken", name="0001_initial")
    ContentType.objects.create(app_label="authtoken", model="token")
    with connection.schema_editor() as editor:
        assert TOKEN_MIGRATION.import_drf_tokens(apps, editor) == 1

    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder.Migration.objects.filter(app="authtoken").exists()
    assert not ContentType.objects.filter(app_label="authtoken").exists()
    token = ApiToken.objects.get(user=alice)
    assert token.name == TOKEN_MIGRATION.LEGACY_NAME and token.created == issued
    assert timezone.now() + timedelta(days=29) < token.expiry
    assert legacy not in row_text(token)
    api = with_key(legacy)
    assert api.get("/api/claims/").status_code == 200
    assert api.get("/api/auth/token/").json()["id"] == token.pk


@pytest.mark.postgres
def test_the_migration_does_nothing_without_drf_tokens(alice):
    with connection.schema_editor() as editor:
        assert TOKEN_MIGRATION.import_drf_tokens(apps, editor) == 0
