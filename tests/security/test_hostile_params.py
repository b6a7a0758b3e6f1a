"""Finding 7: tampered cursors and oversized parameters gave a 500.

A cursor is base64 a client can rewrite (`p=abc`, `r=1&p=abc`); an id past the column's
range overflows in the database (SQLite: OverflowError); a 50,000-character word is past
SQLite's LIKE limit; an admin search of 1,000 words is past its expression depth (and
minutes of ILIKE on PostgreSQL). Each is refused before a query runs.
"""

from __future__ import annotations

import base64

import pytest

from claims.models import ClaimState, Comment
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db

TAMPERED = [b"p=abc", b"r=1&p=abc", b"p=99999999999999999999999", b"o=1&p=2025-13-45"]


def cursor(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.fixture
def lists(alice):
    claim = claim_in_state(ClaimState.VERIFIED, ruler=alice)
    Comment.objects.create(claim=claim, author=alice, body="a note")
    return [
        "/api/claims/",
        f"/api/claims/{claim.pk}/comments/",
        "/api/claimreviews/",
        "/api/factchecks/",
    ]


@pytest.mark.parametrize("raw", TAMPERED)
def test_a_tampered_cursor_is_refused_like_any_invalid_cursor(as_alice, lists, raw):
    as_alice.raise_request_exception = False
    for url in lists:
        response = as_alice.get(url, {"cursor": cursor(raw)})
        assert response.status_code == 404, (url, response.status_code)
        assert response.json()["message"] == "Invalid cursor"


def test_a_tampered_cursor_on_a_number_ordering_is_refused(as_alice, lists):
    as_alice.raise_request_exception = False
    response = as_alice.get("/api/claims/", {"ordering": "id", "cursor": cursor(b"p=1e999999")})
    assert response.status_code == 404


def test_real_cursors_still_page(as_alice):
    for _ in range(3):
        claim_in_state(ClaimState.CORROBORATING)
    first = as_alice.get("/api/claims/", {"page_size": 2}).json()
    second = as_alice.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1


@pytest.mark.parametrize("url,param", [("/api/claims/", "article"), ("/api/factchecks/", "claim")])
def test_an_integer_filter_that_overflows_is_a_400(as_alice, url, param):
    as_alice.raise_request_exception = False
    response = as_alice.get(url, {param: "99999999999999999999999"})
    assert response.status_code == 400
    assert param in response.json()["fields"]


def test_an_integer_filter_in_range_still_filters(as_alice):
    claim = claim_in_state(ClaimState.CORROBORATING)
    rows = as_alice.get("/api/claims/", {"article": claim.article_id}).json()["results"]
    assert [r["id"] for r in rows] == [claim.pk]


def test_the_schema_states_the_bounds_it_enforces(as_alice):
    import yaml

    doc = yaml.safe_load(as_alice.get("/api/schema/").content)
    params = {p["name"]: p["schema"] for p in doc["paths"]["/api/claims/"]["get"]["parameters"]}
    assert params["article"]["maximum"] == 2**53 - 1
    assert params["search"]["maxLength"] == 1000


def test_a_search_word_over_50000_characters_is_a_400(as_alice):
    as_alice.raise_request_exception = False
    response = as_alice.get("/api/claims/", {"search": "a" * 50_001})
    assert response.status_code == 400 and "search" in response.json()["fields"]
    response = as_alice.get("/api/claims/export.csv", {"search": "a" * 50_001})
    assert response.status_code == 400


def test_an_admin_search_of_1000_words_is_a_400(client, alice):
    claim_in_state(ClaimState.CORROBORATING)
    client.force_login(alice)
    client.raise_request_exception = False
    words = " ".join(f"w{i}" for i in range(1000))
    for url in ("/admin/claims/claim/", "/admin/claims/article/", "/admin/claims/source/"):
        assert client.get(url, {"q": words}).status_code == 400, url
    assert client.get("/admin/claims/claim/", {"q": "troops Monday"}).status_code == 200


@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "-1"])
def test_an_admin_assignee_overflow_is_a_400(client, alice, value):
    client.force_login(alice)
    client.raise_request_exception = False
    assert client.get("/admin/claims/claim/", {"assignee": value}).status_code == 400
    assert client.get("/admin/claims/claim/", {"assignee": str(alice.pk)}).status_code == 200
