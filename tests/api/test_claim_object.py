"""The claim object read in one statement (claims.claim_object, on PostgreSQL) is the
object the ORM path builds (`claim_dict` over `claims_for_detail`), byte for byte, with
every part filled in: flags open and resolved, evidence, comments, suggestions,
transitions by people and workers, a published rating, an open proposal, fact-checks
published elsewhere, similar claims and an assignee."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db.models import Q
from django.utils import timezone

from claims import claim_object, workflow
from claims.models import Claim, ClaimState, Comment, Flag, Suggestion
from claims.publishing import FactCheck, FactCheckMatch
from claims.report import claim_dict, claims_for_detail, similar_claims
from tests.api.conftest import with_evidence
from tests.factories import ArticleFactory, claim_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _orm(pk: int) -> bytes:
    return json.dumps(claim_dict(claims_for_detail().get(pk=pk), detail=True)).encode()


def _one_statement(pk: int) -> bytes:
    return json.dumps(claim_dict(claim_object.fetch(pk), detail=True)).encode()


def _old_similar_claims(claim, limit=10):
    """similar_claims as it was before it read plain values (the oracle)."""
    suggested = {
        int(s["claim"]): s.get("score")
        for s in (getattr(claim, "similar", None) or [])
        if isinstance(s, dict) and str(s.get("claim", "")).isdigit()
    }
    q = Q(same_as_id=claim.pk) | Q(pk__in=list(suggested))
    if claim.normalized:
        q |= Q(normalized=claim.normalized)
    if claim.same_as_id:
        q |= Q(pk=claim.same_as_id) | Q(same_as_id=claim.same_as_id)
    rows = (
        Claim.objects.filter(q)
        .exclude(pk=claim.pk)
        .select_related("article")
        .defer("article__body")
        .order_by("created_at", "id")[:limit]
    )
    out = []
    for c in rows:
        linked = c.pk == claim.same_as_id or c.same_as_id in (claim.pk, claim.same_as_id or -1)
        if linked:
            relation = "same_as"
        elif claim.normalized and c.normalized == claim.normalized:
            relation = "same_text"
        else:
            relation = "suggested"
        out.append(
            {
                "id": c.pk,
                "article": c.article_id,
                "outlet": c.article.outlet,
                "text": c.text,
                "state": c.state,
                "relation": relation,
                "score": suggested.get(c.pk),
            }
        )
    return out


@pytest.fixture
def full_claim(alice, bob, fiona, settings):
    claim = with_evidence(claim_in_state(ClaimState.CORROBORATING))
    with_evidence(claim, n_flags=0)  # a second source
    claim.evidence.update(strength=1.0)  # a whole float: 1.0 in JSON, not 1
    Flag.objects.filter(claim=claim, kind="unconfirmed").update(
        resolved_at=timezone.now(), resolution_note="called the ministry", span_start=3, span_end=9
    )
    Comment.objects.create(claim=claim, author=bob, body="see <b>the</b> wire copy\n\nand this")
    Suggestion.objects.create(claim=claim, author=bob, verdict="disputed", note="n")
    workflow.assign(claim, assignee=alice, by=alice)
    workflow.rule(claim, user=alice, verdict="disputed", rationale="a wire report")
    claim.refresh_from_db()
    settings.FACTCHECK_SIGNOFF_REQUIRED = True
    workflow.reopen(claim, reason="a later report", user=alice)
    claim.refresh_from_db()
    workflow.rule(
        claim, user=alice, verdict="verified", rationale="new", correction="the figure"
    )  # a proposal
    factcheck = FactCheck.objects.create(
        review_url="https://checks.example/1",
        url_key="checks.example/1",
        publisher="Checks",
        claim_reviewed=claim.text,
        rating_text="False",
        rating_value=1.0,
        review_date=date(2025, 2, 1),
    )
    FactCheckMatch.objects.create(claim=claim, factcheck=factcheck, score=1.0, kind="text")
    twin = claim_in_state(
        ClaimState.EXTRACTED,
        article=ArticleFactory(body=claim.article.body.replace("Article number", "Copy number")),
    )
    Claim.objects.filter(pk=twin.pk).update(same_as=claim, normalized=claim.normalized)
    other = claim_in_state(ClaimState.EXTRACTED)
    Claim.objects.filter(pk=claim.pk).update(
        similar=[{"claim": other.pk, "score": 0.75}, {"claim": "x"}, "junk"]
    )
    return claim


def test_the_one_statement_object_is_the_orm_object(full_claim):
    data = json.loads(_orm(full_claim.pk))
    # Every part is there, so the comparison covers it.
    for key in ("flags", "evidence", "comments", "suggestions", "transitions", "similar"):
        assert data[key], key
    assert data["proposal"] and data["checked_elsewhere"] and data["assignee"] == "alice"
    assert any(f["resolved"] for f in data["flags"])
    assert {t["by"] for t in data["transitions"]} >= {"alice"}
    assert _one_statement(full_claim.pk) == _orm(full_claim.pk)


def test_a_bare_claim_is_the_same_too(db):
    claim = claim_in_state(ClaimState.EXTRACTED)
    assert _one_statement(claim.pk) == _orm(claim.pk)


def test_a_worker_transition_reads_the_same(db):
    claim = claim_in_state(ClaimState.EXTRACTED)
    workflow.start_corroboration(claim, worker="corroborate")
    assert '"worker corroborate"' in _orm(claim.pk).decode()
    assert _one_statement(claim.pk) == _orm(claim.pk)


def test_similar_claims_read_as_values_are_what_they_were(full_claim):
    claim = Claim.objects.get(pk=full_claim.pk)
    assert similar_claims(claim) == _old_similar_claims(claim)
    assert [s["relation"] for s in similar_claims(claim)] == ["same_as", "suggested"]


def test_the_api_serves_the_one_statement_object(as_alice, full_claim):
    served = as_alice.get(f"/api/claims/{full_claim.pk}/")
    assert served.json() == json.loads(_orm(full_claim.pk))


def test_a_missing_or_impossible_claim_is_404(as_alice):
    for pk in ("999999", "0", str(2**70), "abc"):
        response = as_alice.get(f"/api/claims/{pk}/")
        assert response.status_code == 404, pk
        assert response.json()["code"] == "not_found"
