"""The claim list's rows read in one statement (flags and evidence counts as written-out
subqueries, two attribution keys instead of the whole attribution) are the rows the
earlier code built, key order included: the oracle below is that code."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from claims import workflow
from claims.api.claims import NO_EVIDENCE, STANCES
from claims.models import Claim, ClaimState, Evidence, Flag
from tests.api.conftest import with_evidence
from tests.factories import ArticleFactory, claim_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _old_rows(detail_url: tuple[str, str]) -> list[dict]:
    """The first page as the list built it before (ORM annotations, a flags query)."""
    counts = (
        Evidence.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(counts=JSONObject(**{s: Count("pk", filter=Q(stance=s)) for s in STANCES}))
        .values("counts")
    )
    columns = {
        "id": "id",
        "article_id": "article_id",
        "text": "text",
        "start": "start",
        "end": "end",
        "state": "state",
        "claim_type": "claim_type",
        "checkworthiness": "checkworthiness",
        "attribution": "attribution",
        "recommended_verdict": "recommended_verdict",
        "created_at": "created_at",
        "updated_at": "updated_at",
        "article_title": "article__title",
        "article_outlet": "article__outlet",
        "article_published_at": "article__published_at",
        "assignee_name": "assignee__" + get_user_model().USERNAME_FIELD,
    }
    rows = list(
        Claim.objects.annotate(evidence_counts=Subquery(counts))
        .values(
            "evidence_counts",
            *(k for k, v in columns.items() if k == v),
            **{k: F(v) for k, v in columns.items() if k != v},
        )
        .order_by("-created_at", "-id")[:50]
    )
    flags: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    for claim_id, kind, message, resolved_at in Flag.objects.filter(
        claim_id__in=list(flags)
    ).values_list("claim_id", "kind", "message", "resolved_at"):
        flags[claim_id].append(
            {"kind": kind, "message": message, "resolved": resolved_at is not None}
        )
    out = []
    for row in rows:
        attribution = row["attribution"] if isinstance(row["attribution"], dict) else {}
        published = row["article_published_at"]
        out.append(
            {
                "id": row["id"],
                "url": f"{detail_url[0]}{row['id']}/{detail_url[1]}",
                "article": {
                    "id": row["article_id"],
                    "title": row["article_title"],
                    "outlet": row["article_outlet"],
                    "published_at": published.isoformat() if published else None,
                },
                "text": row["text"],
                "start": row["start"],
                "end": row["end"],
                "state": row["state"],
                "type": row["claim_type"],
                "checkworthiness": round(row["checkworthiness"], 3),
                "attribution": {
                    "speaker": attribution.get("speaker") or None,
                    "kind": attribution.get("kind") or None,
                },
                "recommended_verdict": row["recommended_verdict"] or None,
                "assignee": row["assignee_name"],
                "flags": flags[row["id"]],
                "evidence_counts": row["evidence_counts"] or NO_EVIDENCE,
                "created_at": row["created_at"].isoformat(),
                "updated_at": row["updated_at"].isoformat(),
            }
        )
    return out


def _ordered(value):
    """JSON with its key order kept, so the comparison sees a reordered object."""
    return json.loads(json.dumps(value), object_pairs_hook=list)


def test_the_list_rows_are_what_the_earlier_code_built(as_alice, alice):
    flagged = with_evidence(claim_in_state(ClaimState.CORROBORATING))
    with_evidence(flagged, n_flags=0)
    Evidence.objects.filter(claim=flagged).order_by("id").update(stance="contradicts")
    Flag.objects.filter(claim=flagged, kind="unconfirmed").update(resolved_at=timezone.now())
    workflow.assign(flagged, assignee=alice, by=alice)
    quoted = claim_in_state(ClaimState.EXTRACTED, article=ArticleFactory(published_at=None))
    Claim.objects.filter(pk=quoted.pk).update(
        attribution={"speaker": "the ministry", "kind": "direct", "chain": [{"speaker": "x"}]}
    )
    odd = claim_in_state(ClaimState.EXTRACTED)
    Claim.objects.filter(pk=odd.pk).update(attribution=["not", "an", "object"])
    empty = claim_in_state(ClaimState.EXTRACTED)
    Claim.objects.filter(pk=empty.pk).update(
        attribution={"speaker": "", "kind": None}, text="Zoë said\u2028“42” <b>&</b>\u2029"
    )

    page = as_alice.get("/api/claims/")
    assert page.status_code == 200
    served = json.loads(page.content, object_pairs_hook=list)
    results = dict(served)["results"]
    first = dict(results[0])
    path, sep, query = first["url"].partition("?")
    detail_url = (path[: -len(f"{first['id']}/")], sep + query)
    expected = _old_rows(detail_url)
    assert len(expected) == 4
    assert results == _ordered(expected)
    # orjson (claims.api.renderers) writes the bytes DRF's JSONRenderer writes.
    assert page.content == JSONRenderer().render(json.loads(page.content))
    assert b"\\u2028" in page.content and "Zoë".encode() in page.content
