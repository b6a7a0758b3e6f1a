"""A list page costs the same number of queries at 10 and at 100 items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import ClaimState, Comment
from tests.api.conftest import with_evidence
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db

# Filled in by the tests and printed at the end, for the closing note.
MEASURED: dict[str, tuple[int, int]] = {}


def _warm(client) -> None:
    """A token's first request in a minute also records its last use (claims/tokens.py);
    that one write is the token's, not the page's, so it is made before counting."""
    assert client.get("/api/auth/token/").status_code == 200


def _queries(client, url: str, expect_items: int) -> int:
    _warm(client)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()["results"]) == expect_items
    return len(ctx.captured_queries)


def _grow_claims(n: int, **kwargs) -> list:
    return [with_evidence(claim_in_state(ClaimState.EXTRACTED, **kwargs)) for _ in range(n)]


def test_claim_list_queries_do_not_grow(as_bob):
    _grow_claims(10)
    at_10 = _queries(as_bob, "/api/claims/?page_size=200", 10)
    _grow_claims(90)
    at_100 = _queries(as_bob, "/api/claims/?page_size=200", 100)
    MEASURED["claims"] = (at_10, at_100)
    assert at_10 == at_100


def test_claim_detail_queries_do_not_grow(as_bob, alice, bob):
    """The claim object costs the same with one or many evidence rows, flags, comments."""
    from claims.models import Suggestion

    claim = with_evidence(claim_in_state(ClaimState.CORROBORATING), n_flags=1)
    at_1 = _detail_queries(as_bob, claim.pk)
    for _ in range(4):  # more evidence (other sources), comments and suggestions
        with_evidence(claim, n_flags=0)
    Comment.objects.bulk_create(
        [Comment(claim=claim, author=[alice, bob][i % 2], body=f"c{i}") for i in range(6)]
    )
    Suggestion.objects.create(claim=claim, author=bob, verdict="disputed", note="n")
    Suggestion.objects.create(claim=claim, author=alice, verdict="verified", note="m")
    at_n = _detail_queries(as_bob, claim.pk)
    MEASURED["claim detail"] = (at_1, at_n)
    assert at_1 == at_n


def _detail_queries(client, pk: int) -> int:
    _warm(client)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/claims/{pk}/")
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def test_article_list_queries_do_not_grow(as_bob):
    _grow_claims(10)
    at_10 = _queries(as_bob, "/api/articles/?page_size=200", 10)
    _grow_claims(90)
    at_100 = _queries(as_bob, "/api/articles/?page_size=200", 100)
    MEASURED["articles"] = (at_10, at_100)
    assert at_10 == at_100


def test_comment_list_queries_do_not_grow(as_bob, alice, bob, fiona):
    claim = claim_in_state(ClaimState.EXTRACTED)
    authors = [alice, bob, fiona]

    def comment(n):
        Comment.objects.bulk_create(
            [Comment(claim=claim, author=authors[i % 3], body=f"note {i}") for i in range(n)]
        )

    comment(10)
    at_10 = _queries(as_bob, f"/api/claims/{claim.pk}/comments/?page_size=200", 10)
    comment(90)
    at_100 = _queries(as_bob, f"/api/claims/{claim.pk}/comments/?page_size=200", 100)
    MEASURED["comments"] = (at_10, at_100)
    assert at_10 == at_100


def test_claimreview_export_queries_do_not_grow(as_bob, alice):
    def rule(n):
        for _ in range(n):
            claim_in_state(ClaimState.VERIFIED, ruler=alice)

    rule(10)
    at_10 = _queries(as_bob, "/api/claimreviews/?page_size=200", 10)
    rule(90)
    at_100 = _queries(as_bob, "/api/claimreviews/?page_size=200", 100)
    MEASURED["claimreviews"] = (at_10, at_100)
    assert at_10 == at_100


def teardown_module(module):
    for name, (a, b) in MEASURED.items():
        unit = "(few / many related rows)" if name == "claim detail" else "at 10 / 100 items"
        print(f"\nquery count {name}: {a} / {b} {unit}")
