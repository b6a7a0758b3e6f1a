"""The claim object, filters, search, ordering, ETag / If-Match, errors."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from claims import workflow
from claims.models import ClaimState, Comment, Flag
from claims.report import claim_dict
from tests.factories import ArticleFactory, claim_in_state

pytestmark = pytest.mark.django_db
RULE = {"verdict": "disputed", "rationale": "the wire service gives a different number"}


def test_claim_detail_is_the_check_article_object_plus_detail_keys(as_bob, corroborating, bob):
    Comment.objects.create(claim=corroborating, author=bob, body="see the wire copy")
    data = as_bob.get(f"/api/claims/{corroborating.pk}/").json()
    core = claim_dict(corroborating)
    assert {k: data[k] for k in core} == json.loads(json.dumps(core))
    assert [c["body"] for c in data["comments"]] == ["see the wire copy"]
    assert [t["to_state"] for t in data["transitions"]] == ["corroborating"]
    assert set(data) - set(core) == {"comments", "suggestions", "transitions", "similar"}


def test_check_article_json_prints_the_same_claim_objects(
    as_bob, seed_text, tmp_path, capsys, django_capture_on_commit_callbacks
):
    path = tmp_path / "a.txt"
    path.write_text(seed_text)
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "check_article", str(path), "--json", "--published", "2025-01-31T09:25:00+01:00"
        )
    capsys.readouterr()
    call_command("check_article", str(path), "--json", "--published", "2025-01-31T09:25:00+01:00")
    printed = json.loads(capsys.readouterr().out)
    claim = printed["claims"][0]
    served = as_bob.get(f"/api/claims/{claim['id']}/").json()
    assert {k: served[k] for k in claim} == claim


def test_similar_claims_are_listed(as_bob):
    first = claim_in_state(ClaimState.EXTRACTED)
    body = first.article.body.replace("Article number", "Copy number")
    again = claim_in_state(ClaimState.EXTRACTED, article=ArticleFactory(body=body))
    type(again).objects.filter(pk=again.pk).update(same_as=first, normalized=first.normalized)
    data = as_bob.get(f"/api/claims/{again.pk}/").json()
    assert [s["id"] for s in data["similar"]] == [first.pk]


def test_filters_search_and_ordering(as_alice, alice):
    low = claim_in_state(ClaimState.EXTRACTED, checkworthiness=0.2)
    high = claim_in_state(ClaimState.CORROBORATING, checkworthiness=0.9)
    Flag.objects.create(claim=high, kind="contradicted", message="denied", key="x")
    workflow.assign(high, assignee=alice, by=alice)

    def ids(query):
        response = as_alice.get("/api/claims/" + query)
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    assert ids("?state=corroborating") == [high.pk]
    assert set(ids("?state=corroborating&state=extracted")) == {low.pk, high.pk}
    assert ids("?flag=contradicted") == [high.pk]
    assert ids("?assignee=me") == [high.pk]
    assert ids("?assignee=none") == [low.pk]
    assert ids(f"?article={low.article_id}") == [low.pk]
    assert ids("?checkworthiness_min=0.5") == [high.pk]
    assert ids("?outlet=example%20outlet&ordering=checkworthiness") == [low.pk, high.pk]
    assert ids("?ordering=-checkworthiness") == [high.pk, low.pk]
    word = high.text.split()[-3]
    assert high.pk in ids(f"?search={word}")
    assert ids("?search=zzzunlikelyword") == []
    assert ids("?created_after=2000-01-01T00:00:00Z&page_size=1").__len__() == 1


@pytest.mark.parametrize(
    "query,field",
    [
        ("?colour=red", "colour"),
        ("?state=bogus", "state"),
        ("?ordering=text", "ordering"),
        ("?created_after=yesterday", "created_after"),
        ("?flag=nonsense", "flag"),
    ],
)
def test_unknown_or_bad_filters_are_rejected_not_ignored(as_alice, query, field):
    response = as_alice.get("/api/claims/" + query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]


def test_cursor_pagination_walks_every_claim(as_alice):
    made = {claim_in_state(ClaimState.EXTRACTED).pk for _ in range(5)}
    seen, url = [], "/api/claims/?page_size=2"
    while url:
        page = as_alice.get(url).json()
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(made)


def test_etag_and_if_match(as_alice, corroborating):
    etag = as_alice.get(f"/api/claims/{corroborating.pk}/").headers["ETag"]
    stale = as_alice.post(
        f"/api/claims/{corroborating.pk}/rule/", RULE, format="json", HTTP_IF_MATCH='"not-the-etag"'
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    ok = as_alice.post(
        f"/api/claims/{corroborating.pk}/rule/", RULE, format="json", HTTP_IF_MATCH=etag
    )
    assert ok.status_code == 200
    assert ok.json()["state"] == "disputed"
    assert ok.headers["ETag"] != etag
    # The same request again: the claim moved, so the ETag the client holds is stale.
    again = as_alice.post(
        f"/api/claims/{corroborating.pk}/rule/", RULE, format="json", HTTP_IF_MATCH=etag
    )
    assert again.status_code == 412


def test_a_transition_that_lost_the_race_gets_409(as_alice, fiona, corroborating):
    etag = as_alice.get(f"/api/claims/{corroborating.pk}/").headers["ETag"]
    workflow.rule(corroborating, user=fiona, verdict="verified", rationale="fiona was first")
    response = as_alice.post(f"/api/claims/{corroborating.pk}/rule/", RULE, format="json")
    assert response.status_code == 409
    assert "cannot be ruled" in response.json()["message"]
    assert (
        as_alice.post(
            f"/api/claims/{corroborating.pk}/rule/", RULE, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 412
    )


def test_concurrent_compare_and_swap_loss_is_409(as_alice, fiona, corroborating, monkeypatch):
    """Another transition commits between our read and our UPDATE: the CAS misses, 409."""
    real = workflow._transition

    def racing(claim, *args, **kwargs):
        from claims.models import Claim

        other = Claim.objects.get(pk=claim.pk)
        real(
            other,
            "rule_verified",
            actor=fiona,
            reason="fiona",
            args=(fiona, "fiona"),
            extra_fields=("rationale", "ruled_by", "ruled_at", "reopened"),
        )
        return real(claim, *args, **kwargs)

    monkeypatch.setattr(workflow, "_transition", racing)
    response = as_alice.post(f"/api/claims/{corroborating.pk}/rule/", RULE, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    corroborating.refresh_from_db()
    assert corroborating.rationale == "fiona"


def test_ruling_needs_a_rationale_named_in_the_error(as_alice, corroborating):
    response = as_alice.post(
        f"/api/claims/{corroborating.pk}/rule/", {"verdict": "verified"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["rationale"]
    response = as_alice.post(
        f"/api/claims/{corroborating.pk}/rule/",
        {"verdict": "true", "rationale": "x"},
        format="json",
    )
    assert list(response.json()["fields"]) == ["verdict"]


def test_assign_to_a_non_fact_checker_is_invalid(as_alice, bob, corroborating):
    response = as_alice.post(
        f"/api/claims/{corroborating.pk}/assign/", {"assignee": "bob"}, format="json"
    )
    assert response.status_code == 400
    assert "not a fact-checker" in response.json()["message"]


def test_reopen_and_dismiss(as_alice, verified):
    response = as_alice.post(
        f"/api/claims/{verified.pk}/reopen/", {"reason": "a later report"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "corroborating"
    assert response.json()["transitions"][-1]["reason"] == "a later report"
    response = as_alice.post(
        f"/api/claims/{verified.pk}/dismiss/", {"reason": "not a claim"}, format="json"
    )
    assert response.json()["state"] == "dismissed"


def test_suggested_similar_claims_carry_their_score(as_bob):
    first = claim_in_state(ClaimState.EXTRACTED)
    other = claim_in_state(ClaimState.EXTRACTED)
    type(other).objects.filter(pk=other.pk).update(similar=[{"claim": first.pk, "score": 0.7}])
    data = as_bob.get(f"/api/claims/{other.pk}/").json()
    assert [(s["id"], s["relation"], s["score"]) for s in data["similar"]] == [
        (first.pk, "suggested", 0.7)
    ]


def test_unknown_api_urls_answer_in_the_error_shape(as_bob):
    for url in ("/api/nothing-here/", "/api/claims/1.5/rule/", "/api/claims/x/comments/"):
        response = as_bob.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_bad_page_size_and_repeated_parameters_are_rejected(as_bob):
    assert as_bob.get("/api/claims/?page_size=0").status_code == 400
    assert as_bob.get("/api/claims/?page_size=abc").status_code == 400
    assert as_bob.get("/api/claims/?article=1&article=2").status_code == 400
    assert as_bob.get("/api/claims/?ordering=").status_code == 400
    assert as_bob.get("/api/claims/?published_after=").status_code == 400


def test_extreme_utc_offsets_are_normalised_not_a_server_error(as_bob):
    # ISO 8601 allows -17:07; PostgreSQL does not. Found by schemathesis.
    response = as_bob.get("/api/claims/?published_after=4306-11-13T17:07:25-17:07")
    assert response.status_code == 200
