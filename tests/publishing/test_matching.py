"""Matching claims against fact-checks published elsewhere: a paraphrase above the
threshold raises already_checked, an unrelated claim stays below it; both directions
(a new claim, a new fact-check); idempotent; shown in the API and the admin."""

from __future__ import annotations

import pytest

from analysis import matching as text_matching
from analysis import types as t
from claims.models import ClaimState, FactCheckMatch, Flag
from tests.publishing.conftest import CLAIM, article_claim, claim_review
from workers import corroborate, factchecks, matching

pytestmark = pytest.mark.django_db

PARAPHRASE = (
    "Reports say over 50% of the artillery shells and ammunition Russia uses come from North Korea."
)
UNRELATED = "Drinking two litres of water a day cures migraines."


def _import(*reviews):
    return factchecks.import_value(list(reviews), origin="test", match="inline")


def test_the_scores_either_side_of_the_thresholds():
    claim = text_matching.normalize_claim(CLAIM)
    assert text_matching.match_score(claim, text_matching.normalize_claim(PARAPHRASE)) >= 0.8
    assert text_matching.match_score(claim, text_matching.normalize_claim(UNRELATED)) < 0.55


def test_the_candidate_floor_never_drops_a_pair_that_could_reach_the_threshold():
    keys = text_matching.match_keys(text_matching.normalize_claim(CLAIM))
    floor = text_matching.min_shared_keys(len(keys), 0.55)
    # A candidate sharing one key fewer than the floor scores below 0.55 even when it has
    # nothing else (the best case for Dice).
    shared = floor - 1
    assert 2 * shared / (len(keys) + max(shared, 1)) < 0.55


def test_a_new_fact_check_matches_an_open_claim_and_raises_already_checked():
    claim = article_claim()
    report = _import(
        claim_review("https://politifact.example/shells", PARAPHRASE, rating="False"),
        claim_review("https://politifact.example/water", UNRELATED, rating="False"),
    )
    assert (report.imported, report.matched) == (2, 1)
    (flag,) = Flag.objects.filter(claim=claim, kind=t.ALREADY_CHECKED)
    assert flag.message.startswith(
        "PolitiFact rated a matching claim “False” on 2024-05-01: "
        "https://politifact.example/shells (similarity 0."
    )
    (match,) = FactCheckMatch.objects.filter(claim=claim)
    assert match.kind == "auto" and match.flag == flag and match.score >= 0.8
    claim.refresh_from_db()
    assert claim.priority == t.FLAG_SEVERITY[t.ALREADY_CHECKED]


def test_an_unrelated_claim_gets_no_match():
    claim = article_claim()
    _import(claim_review("https://politifact.example/water", UNRELATED))
    assert not FactCheckMatch.objects.filter(claim=claim).exists()
    assert not Flag.objects.filter(claim=claim, kind=t.ALREADY_CHECKED).exists()


def test_a_possible_match_is_flagged_as_one(settings):
    settings.FACTCHECK_MATCH_AUTO = 0.99
    claim = article_claim()
    _import(claim_review("https://politifact.example/shells", PARAPHRASE))
    flag = Flag.objects.get(claim=claim, kind=t.ALREADY_CHECKED)
    assert "rated a possibly matching claim" in flag.message
    assert "below 0.99: check that it is the same claim" in flag.message
    assert FactCheckMatch.objects.get(claim=claim).kind == "suggested"


def test_a_new_claim_is_matched_against_stored_fact_checks_when_corroborated():
    _import(claim_review("https://politifact.example/shells", PARAPHRASE))
    claim = article_claim(ClaimState.EXTRACTED)
    assert not Flag.objects.filter(claim=claim, kind=t.ALREADY_CHECKED).exists()
    corroborate.corroborate_claim(claim.pk)
    assert Flag.objects.filter(claim=claim, kind=t.ALREADY_CHECKED).count() == 1
    # Corroborated again, matched again: nothing twice.
    corroborate.corroborate_claim(claim.pk)
    assert Flag.objects.filter(claim=claim, kind=t.ALREADY_CHECKED).count() == 1
    assert FactCheckMatch.objects.filter(claim=claim).count() == 1


def test_the_reverse_match_leaves_ruled_claims_alone(alice):
    ruled = article_claim()
    from claims import workflow

    workflow.rule(ruled, user=alice, verdict="disputed", rationale="checked")
    _import(claim_review("https://politifact.example/shells", PARAPHRASE))
    assert not FactCheckMatch.objects.filter(claim=ruled).exists()


def test_matching_twice_records_one_match_and_one_flag():
    claim = article_claim()
    report = _import(claim_review("https://politifact.example/shells", PARAPHRASE))
    assert matching.match_factchecks(report.factcheck_ids) == 1
    assert matching.match_claims([claim.pk]) == 1
    assert FactCheckMatch.objects.filter(claim=claim).count() == 1
    assert Flag.objects.filter(claim=claim, kind=t.ALREADY_CHECKED).count() == 1


def test_the_claim_object_and_the_claim_page_show_checked_elsewhere(as_bob, client, alice):
    claim = article_claim()
    hostile = "</script><script>alert('x')</script> " + PARAPHRASE
    _import(claim_review("https://politifact.example/shells", hostile))
    body = as_bob.get(f"/api/claims/{claim.pk}/").json()
    (entry,) = body["checked_elsewhere"]
    assert (entry["publisher"], entry["rating"], entry["review_date"]) == (
        "PolitiFact",
        "False",
        "2024-05-01",
    )
    assert entry["claim_reviewed"] == hostile  # JSON carries it as a string
    assert entry["flag"] == Flag.objects.get(claim=claim, kind=t.ALREADY_CHECKED).pk
    client.force_login(alice)
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'id="checked-elsewhere"' in page and "PolitiFact" in page
    assert "<script>alert" not in page and "&lt;/script&gt;&lt;script&gt;alert" in page
    record = FactCheckMatch.objects.get(claim=claim).factcheck
    page = client.get(f"/admin/claims/factcheck/{record.pk}/change/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_thresholds_come_from_the_settings(settings):
    settings.FACTCHECK_MATCH_SUGGEST = 0.99
    settings.FACTCHECK_MATCH_AUTO = 0.99
    claim = article_claim()
    _import(claim_review("https://politifact.example/shells", PARAPHRASE))
    assert not FactCheckMatch.objects.filter(claim=claim).exists()


def test_a_dismissed_claim_is_never_matched(alice):
    from claims import workflow

    dismissed = article_claim()
    workflow.dismiss(dismissed, user=alice)
    _import(claim_review("https://politifact.example/shells", PARAPHRASE))
    assert matching.match_claims([dismissed.pk]) == 0
