"""claims.bulk.update_rows: many rows' fields in one statement, as bulk_update would."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import bulk
from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

FIELDS = [
    "recommended_verdict",
    "recommendation_confidence",
    "recommendation_reason",
    "corroborated_at",
    "analysis_error",
    "same_as",
    "similar",
]


def _values(claim: Claim) -> dict:
    claim.refresh_from_db()
    return {f: getattr(claim, Claim._meta.get_field(f).attname) for f in FIELDS}


def test_every_kind_of_field_is_written_as_save_would():
    first, second, untouched = ClaimFactory(), ClaimFactory(), ClaimFactory()
    before = _values(untouched)
    at = datetime(2025, 1, 31, 8, 25, 0, 123456, tzinfo=UTC)
    first.recommended_verdict, first.recommendation_confidence = "verified", 0.875
    first.recommendation_reason = 'two independent origins, it\'s "quoted" \\ and all'
    first.corroborated_at, first.analysis_error = at, "1 of 3 sources not judged: x"
    first.same_as_id, first.similar = untouched.pk, [{"claim": untouched.pk, "score": 0.91}]
    second.recommended_verdict, second.recommendation_confidence = "disputed", 0.0
    second.recommendation_reason, second.corroborated_at = "", None
    second.same_as_id, second.similar = None, []
    with CaptureQueriesContext(connection) as ctx:
        assert bulk.update_rows(Claim, [first, second], FIELDS) == 2
    assert len(ctx.captured_queries) == 1
    got_first, got_second = _values(first), _values(second)
    assert got_first["recommendation_reason"].endswith('"quoted" \\ and all')
    assert got_first["corroborated_at"] == at and got_first["same_as"] == untouched.pk
    assert got_first["similar"] == [{"claim": untouched.pk, "score": 0.91}]
    assert got_first["recommendation_confidence"] == 0.875
    assert got_second["corroborated_at"] is None and got_second["same_as"] is None
    assert got_second["similar"] == [] and got_second["recommended_verdict"] == "disputed"
    assert _values(untouched) == before


def test_it_writes_what_bulk_update_writes():
    a, b = ClaimFactory(), ClaimFactory()
    for claim, verdict in ((a, "verified"), (b, "unclear")):
        claim.recommended_verdict, claim.similar = verdict, [{"claim": 1, "score": 0.5}]
    bulk.update_rows(Claim, [a, b], ["recommended_verdict", "similar"])
    ours = [_values(a), _values(b)]
    for claim, verdict in ((a, "disputed"), (b, "no_evidence")):
        claim.recommended_verdict = verdict
    Claim.objects.bulk_update([a, b], ["recommended_verdict"])
    for claim, verdict in ((a, "verified"), (b, "unclear")):
        claim.recommended_verdict = verdict
    Claim.objects.bulk_update([a, b], ["recommended_verdict", "similar"])
    assert [_values(a), _values(b)] == ours


def test_nothing_to_write_sends_nothing():
    with CaptureQueriesContext(connection) as ctx:
        assert bulk.update_rows(Claim, [], FIELDS) == 0
        assert bulk.update_rows(Claim, [Claim(text="unsaved")], FIELDS) == 0
    assert ctx.captured_queries == []
