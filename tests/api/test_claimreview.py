"""ClaimReview JSON-LD: the required and recommended fields, the rating mapping, repeats."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.models import ClaimState
from tests.factories import ArticleFactory, claim_in_state

pytestmark = pytest.mark.django_db


def validate_claim_review(doc: dict) -> None:
    """Google's required fields plus the ones the issue names as recommended."""
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == "ClaimReview"
    assert doc["@id"].startswith("http")
    assert doc["url"].startswith("http")
    assert isinstance(doc["claimReviewed"], str) and doc["claimReviewed"]
    datetime.fromisoformat(doc["datePublished"])
    assert doc["author"]["@type"] in ("Organization", "Person") and doc["author"]["name"]
    rating = doc["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] in ("Verified", "Disputed")
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    item = doc["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["appearance"] and all(w["@type"] == "CreativeWork" for w in item["appearance"])
    assert item["firstAppearance"] == item["appearance"][0]
    assert item["author"]["@type"] in ("Organization", "Person") and item["author"]["name"]
    datetime.fromisoformat(item["datePublished"])


@pytest.mark.parametrize(
    "state,value,name", [("verified", 5, "Verified"), ("disputed", 1, "Disputed")]
)
def test_ruled_claim_has_a_valid_claimreview(as_bob, alice, state, value, name):
    article = ArticleFactory(
        url="https://news.example/a",
        byline="A. Writer",
        published_at=datetime(2025, 1, 31, 8, 25, tzinfo=UTC),
    )
    claim = claim_in_state(state, ruler=alice, article=article)
    type(claim).objects.filter(pk=claim.pk).update(
        attribution={"speaker": "Yonhap", "kind": "named_outlet"}
    )
    response = as_bob.get(f"/api/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    doc = response.json()
    validate_claim_review(doc)
    assert doc["reviewRating"]["ratingValue"] == value
    assert doc["reviewRating"]["alternateName"] == name
    assert doc["reviewRating"]["bestRating"] == 5 and doc["reviewRating"]["worstRating"] == 1
    assert doc["claimReviewed"] == claim.text
    assert doc["reviewBody"] == "checked against two sources"
    item = doc["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Yonhap"}
    assert item["datePublished"] == "2025-01-31"
    assert item["appearance"][0]["url"] == "https://news.example/a"


def test_repeats_link_to_one_check(as_bob, alice):
    first = claim_in_state(
        ClaimState.VERIFIED,
        ruler=alice,
        article=ArticleFactory(
            url="https://a.example/1", published_at=datetime(2025, 1, 1, tzinfo=UTC)
        ),
    )
    later = ArticleFactory(url="https://b.example/2", published_at=datetime(2025, 2, 1, tzinfo=UTC))
    repeat = claim_in_state(ClaimState.VERIFIED, ruler=alice, article=later)
    type(repeat).objects.filter(pk=repeat.pk).update(same_as=first)
    a = as_bob.get(f"/api/claims/{first.pk}/claimreview/").json()
    b = as_bob.get(f"/api/claims/{repeat.pk}/claimreview/").json()
    validate_claim_review(a)
    validate_claim_review(b)
    assert a["@id"] == b["@id"]
    assert a["itemReviewed"]["@id"] == b["itemReviewed"]["@id"]
    assert [w["url"] for w in b["itemReviewed"]["appearance"]] == [
        "https://a.example/1",
        "https://b.example/2",
    ]
    assert b["itemReviewed"]["firstAppearance"]["url"] == "https://a.example/1"


def test_unruled_claim_has_no_claimreview(as_bob, corroborating):
    response = as_bob.get(f"/api/claims/{corroborating.pk}/claimreview/")
    assert response.status_code == 404
    assert "only ruled claims" in response.json()["message"]


def test_bulk_export_by_ruling_date(as_bob, alice):
    ruled = [claim_in_state(ClaimState.VERIFIED, ruler=alice) for _ in range(3)]
    type(ruled[0]).objects.filter(pk=ruled[0].pk).update(ruled_at=datetime(2024, 6, 1, tzinfo=UTC))
    claim_in_state(ClaimState.CORROBORATING)
    response = as_bob.get(
        "/api/claimreviews/?since=2025-01-01T00:00:00Z&until=2100-01-01T00:00:00Z"
    )
    assert response.status_code == 200
    docs = response.json()["results"]
    assert sorted(d["claimReviewed"] for d in docs) == sorted(c.text for c in ruled[1:])
    for doc in docs:
        validate_claim_review(doc)
    assert len(as_bob.get("/api/claimreviews/").json()["results"]) == 3
    assert as_bob.get("/api/claimreviews/?since=junk").status_code == 400
