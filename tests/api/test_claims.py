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


def test_claim_list_is_a_summary_per_claim(as_bob, corroborating, alice):
    Flag.objects.filter(claim=corroborating, kind="anonymous_source").update(
        resolved_at=corroborating.created_at
    )
    workflow.assign(corroborating, assignee=alice, by=alice)
    corroborating.refresh_from_db()
    page = as_bob.get("/api/claims/").json()
    [row] = page["results"]
    assert set(row) == {
        "id",
        "url",
        "article",
        "text",
        "start",
        "end",
        "state",
        "type",
        "checkworthiness",
        "attribution",
        "recommended_verdict",
        "assignee",
        "flags",
        "evidence_counts",
        "created_at",
        "updated_at",
    }
    article = corroborating.article
    assert row["id"] == corroborating.pk
    assert row["url"] == f"http://testserver/api/claims/{corroborating.pk}/"
    assert as_bob.get(row["url"]).json()["id"] == corroborating.pk
    assert row["article"] == {
        "id": article.pk,
        "title": article.title,
        "outlet": article.outlet,
        "published_at": article.published_at.isoformat() if article.published_at else None,
    }
    assert row["text"] == corroborating.text
    assert (row["start"], row["end"]) == (corroborating.start, corroborating.end)
    assert row["state"] == "corroborating"
    assert row["type"] == corroborating.claim_type
    assert row["checkworthiness"] == round(corroborating.checkworthiness, 3)
    attribution = corroborating.attribution or {}
    assert row["attribution"] == {
        "speaker": attribution.get("speaker") or None,
        "kind": attribution.get("kind") or None,
    }
    assert row["recommended_verdict"] == (corroborating.recommended_verdict or None)
    assert row["assignee"] == "alice"
    assert row["flags"] == [
        {"kind": "unconfirmed", "message": "flag 0", "resolved": False},
        {"kind": "anonymous_source", "message": "flag 1", "resolved": True},
    ]
    assert row["evidence_counts"] == {"supports": 1, "contradicts": 0, "mentions": 0}
    assert row["created_at"] == corroborating.created_at.isoformat()
    assert row["updated_at"] == corroborating.updated_at.isoformat()


def test_claim_list_counts_evidence_by_stance_and_reads_no_bodies(as_bob, corroborating):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.models import Evidence
    from tests.factories import SourceFactory
    from workers import corpus

    for stance in ("contradicts", "mentions", "mentions"):
        source = SourceFactory()
        corpus.index_source(source)
        Evidence.objects.create(
            claim=corroborating,
            source=source,
            passage=source.passages.first(),
            stance=stance,
            reason="r",
        )
    bare = claim_in_state(ClaimState.EXTRACTED)
    expected = {"supports": 1, "contradicts": 1, "mentions": 2}
    with CaptureQueriesContext(connection) as ctx:
        rows = {r["id"]: r for r in as_bob.get("/api/claims/").json()["results"]}
    assert rows[corroborating.pk]["evidence_counts"] == expected
    assert rows[bare.pk]["evidence_counts"] == {"supports": 0, "contradicts": 0, "mentions": 0}
    assert rows[bare.pk]["flags"] == []
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "claims_passage" not in sql
    assert '"claims_source"."body"' not in sql and '"claims_article"."body"' not in sql


def test_claim_list_filters_search_and_ordering_with_counts(as_alice, corroborating):
    """The annotation must not change what the filters and the cursor select."""
    other = claim_in_state(ClaimState.EXTRACTED)
    response = as_alice.get(
        f"/api/claims/?state=corroborating&flag=unconfirmed&outlet={corroborating.article.outlet}"
        "&ordering=-updated_at&page_size=1"
    )
    assert response.status_code == 200, response.json()
    assert [r["id"] for r in response.json()["results"]] == [corroborating.pk]
    word = corroborating.text.split()[-3]
    rows = as_alice.get(f"/api/claims/?search={word}").json()["results"]
    assert corroborating.pk in [r["id"] for r in rows]
    everything = as_alice.get("/api/claims/?ordering=checkworthiness").json()["results"]
    assert sorted(r["id"] for r in everything) == sorted([corroborating.pk, other.pk])


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
        # an id: a whole number within bigint, as the schema says (never a 500)
        ("?article=99999999999999999999999", "article"),
        ("?article=1.8725195651426103e%2B130", "article"),
        ("?article=1.5", "article"),
        ("?article=0", "article"),
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
