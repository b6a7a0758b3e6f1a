"""Corrections in public: every earlier version kept (rating, rationale, who, when, the
correction note), ClaimReview's dateModified and correction, the versions in the API and
the admin."""

from __future__ import annotations

import pytest

from claims import workflow
from claims.models import ClaimState, Ruling, Transition
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db

S = ClaimState


def _rule(client, claim, **body):
    return client.post(f"/api/claims/{claim.pk}/rule/", body, format="json")


def test_correcting_a_published_ruling_keeps_every_version(as_alice, as_bob, five_point):
    claim = claim_in_state(S.CORROBORATING)
    first = _rule(as_alice, claim, rating="true", rationale="Two wires confirm it.")
    assert first.status_code == 200
    # Without a note, a published ruling is not ruled again.
    again = _rule(as_alice, claim, rating="missing-context", rationale="Needs context.")
    assert again.status_code == 409
    assert "correction note" in again.json()["message"]
    corrected = _rule(
        as_alice,
        claim,
        rating="missing-context",
        rationale="True for November, not for the whole period.",
        correction="We first rated this True; the figure covers one month only.",
    )
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["state"] == "disputed"
    versions = as_bob.get(f"/api/claims/{claim.pk}/rulings/").json()
    assert [(v["number"], v["rating"]["label"], v["status"], v["current"]) for v in versions] == [
        (1, "True", "superseded", False),
        (2, "Missing context", "published", True),
    ]
    assert versions[0]["rationale"] == "Two wires confirm it."
    assert versions[0]["proposed_by"] == "alice" and versions[0]["published_at"]
    assert versions[1]["correction_note"].startswith("We first rated this True")
    review = as_bob.get(f"/api/claims/{claim.pk}/claimreview/").json()
    assert review["reviewRating"]["alternateName"] == "Missing context"
    assert review["datePublished"] == versions[0]["published_at"][:10]
    assert review["dateModified"] == versions[1]["published_at"]
    assert review["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "We first rated this True; the figure covers one month only.",
            "datePublished": versions[1]["published_at"][:10],
        }
    ]
    last = Transition.objects.filter(claim=claim).order_by("id").last()
    assert (last.from_state, last.to_state) == ("verified", "disputed")
    assert "the figure covers one month only" in last.reason


def test_reopening_and_ruling_again_is_a_correction_and_needs_its_note(alice, as_alice, as_bob):
    claim = claim_in_state(S.VERIFIED, ruler=alice)
    workflow.reopen(claim, user=alice, reason="A later report says the troops returned.")
    # While reopened nothing is published.
    assert as_bob.get(f"/api/claims/{claim.pk}/claimreview/").status_code == 404
    response = _rule(as_alice, claim, verdict="disputed", rationale="The troops returned.")
    assert response.status_code == 400
    assert "correction" in response.json()["fields"]
    response = _rule(
        as_alice,
        claim,
        verdict="disputed",
        rationale="The troops returned.",
        correction="Rated Verified on the first reports; they were overtaken.",
    )
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert [(r.number, r.rating_label, r.status) for r in Ruling.objects.filter(claim=claim)] == [
        (1, "Verified", "superseded"),
        (2, "Disputed", "published"),
    ]
    review = as_bob.get(f"/api/claims/{claim.pk}/claimreview/").json()
    assert "dateModified" in review and review["correction"][0]["text"].startswith("Rated")


def test_the_admin_shows_the_versions_and_asks_for_the_correction_note(client, alice):
    claim = claim_in_state(S.VERIFIED, ruler=alice)
    client.force_login(alice)
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'id="correct-button"' in page and 'id="rulings"' in page
    form = client.get(f"/admin/claims/claim/{claim.pk}/rule/").content.decode()
    assert 'name="correction"' in form and "Publish correction" in form
    response = client.post(
        f"/admin/claims/claim/{claim.pk}/rule/",
        {
            "rating": "disputed",
            "rationale": "A denial came later.",
            "correction": "Changed after the army's denial.",
            "loaded_state": "verified",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert page.count('class="fc-version ') == 2
    assert "Superseded by a correction" in page and "Changed after the army&#x27;s denial." in page
