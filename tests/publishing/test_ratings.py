"""The newsroom's rating scale end to end: the default scale, the API, the admin, and the
values ClaimReview carries."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from claims import ratings, workflow
from claims.models import Claim, ClaimState, Rating, Ruling
from claims.roles import EDITORS, FACT_CHECKERS, REVIEWERS
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db

S = ClaimState


def test_the_default_scale_is_the_two_verdicts_we_had(db):
    ratings.ensure_default_scale()
    scale = {r.slug: (r.label, r.verdict, r.value, r.is_default) for r in ratings.active_scale()}
    assert scale == {
        "verified": ("Verified", "verified", 5, True),
        "disputed": ("Disputed", "disputed", 1, True),
    }
    assert ratings.bounds() == (5, 1)


def test_the_migration_installs_the_scale_and_backfills_earlier_rulings(alice):
    migration = importlib.import_module("claims.migrations.0012_publish_default_scale")
    ruled = claim_in_state(S.DISPUTED, ruler=alice)
    reopened = claim_in_state(S.VERIFIED, ruler=alice)
    workflow.reopen(reopened, user=alice, reason="new evidence")
    # As the database stood before migration 0009: rulings on the claims only.
    Claim.objects.update(ruling=None)
    Ruling.objects.all().delete()
    by_verdict = migration.install_default_scale(django_apps)
    assert migration.backfill_rulings(django_apps, by_verdict) == 2
    ruled.refresh_from_db()
    reopened.refresh_from_db()
    v1 = Ruling.objects.get(claim=ruled)
    assert (v1.number, v1.status, v1.rating_label, v1.rationale) == (
        1,
        "published",
        "Disputed",
        ruled.rationale,
    )
    assert ruled.ruling == v1 and v1.published_at == ruled.ruled_at
    # The reopened claim keeps its history (the verdict from its log) but is not published.
    assert reopened.ruling is None
    assert Ruling.objects.get(claim=reopened).rating_label == "Verified"
    assert migration.backfill_rulings(django_apps, by_verdict) == 0  # idempotent


def test_roles_carry_the_publishing_permissions(alice, bob, erin):
    def perms(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert {"view_factcheck", "view_rating", "view_ruling"} <= perms(REVIEWERS)
    assert "add_factcheck" not in perms(REVIEWERS)
    assert {"add_factcheck", "add_factcheckfeed", "rule_claim"} <= perms(FACT_CHECKERS)
    assert "change_rating" not in perms(FACT_CHECKERS)
    assert {"change_rating", "add_rating"} <= perms(EDITORS)


# --- the API ------------------------------------------------------------------------------


def _rule(client, claim, **body):
    return client.post(
        f"/api/claims/{claim.pk}/rule/",
        {"rationale": "Checked with two agencies.", **body},
        format="json",
    )


def test_ruling_on_the_scale_sets_state_rating_and_claimreview(as_alice, as_bob, five_point):
    claim = claim_in_state(S.CORROBORATING)
    response = _rule(as_alice, claim, rating="missing-context")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "disputed"
    assert body["rating"] == {"slug": "missing-context", "label": "Missing context", "value": 3}
    review = as_bob.get(f"/api/claims/{claim.pk}/claimreview/").json()
    rating = review["reviewRating"]
    assert (rating["alternateName"], rating["ratingValue"]) == ("Missing context", 3)
    assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
    export = as_bob.get("/api/claimreviews/").json()["results"]
    assert [r["reviewRating"]["alternateName"] for r in export] == ["Missing context"]


@pytest.mark.parametrize(("verdict", "label"), [("verified", "True"), ("disputed", "False")])
def test_a_bare_verdict_keeps_working_mapped_to_its_default_rating(
    as_alice, five_point, verdict, label
):
    claim = claim_in_state(S.CORROBORATING)
    response = _rule(as_alice, claim, verdict=verdict)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == verdict
    assert response.json()["rating"]["label"] == label


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": "pants-on-fire"}, "rating"),  # not on the scale
        ({"rating": "verified"}, "rating"),  # retired by the five-point scale
        ({"rating": "mostly-true", "verdict": "disputed"}, "rating"),  # they disagree
        ({}, "rating"),  # neither
    ],
)
def test_a_rating_off_the_scale_is_refused_with_the_field_named(as_alice, five_point, body, field):
    claim = claim_in_state(S.CORROBORATING)
    response = _rule(as_alice, claim, **body)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    claim.refresh_from_db()
    assert claim.state == S.CORROBORATING and not Ruling.objects.filter(claim=claim).exists()


def test_the_export_bounds_follow_the_scale_and_a_relabel_keeps_what_was_published(
    as_alice, as_bob, five_point
):
    claim = claim_in_state(S.CORROBORATING)
    _rule(as_alice, claim, rating="mostly-false")
    Rating.objects.create(slug="pants-on-fire", label="Pants on fire", verdict="disputed", value=0)
    Rating.objects.filter(slug="mostly-false").update(label="Largely false")
    rating = as_bob.get(f"/api/claims/{claim.pk}/claimreview/").json()["reviewRating"]
    # Published as "Mostly false" (the label then); the scale now reaches down to 0.
    assert (rating["alternateName"], rating["ratingValue"]) == ("Mostly false", 2)
    assert (rating["bestRating"], rating["worstRating"]) == (5, 0)


# --- the admin ----------------------------------------------------------------------------


def test_the_admin_rule_form_offers_the_scale_and_rules_on_it(client, alice, five_point):
    claim = claim_in_state(S.CORROBORATING)
    client.force_login(alice)
    url = f"/admin/claims/claim/{claim.pk}/rule/"
    page = client.get(url + "?verdict=disputed").content.decode()
    for label in ("True", "Mostly true", "Missing context", "Mostly false", "False"):
        assert f'<span class="fc-rating">{label}</span>' in page
    assert 'value="false" checked' in page  # the verdict's default rating is preselected
    response = client.post(
        url,
        {
            "rating": "mostly-true",
            "rationale": "Right, but the date is off.",
            "loaded_state": "corroborating",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == S.VERIFIED and claim.ruling.rating_label == "Mostly true"
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "Mostly true" in page and 'id="rulings"' in page


def test_editors_edit_the_scale_in_the_admin_and_fact_checkers_cannot(client, alice, erin):
    ratings.ensure_default_scale()
    verified = Rating.objects.get(slug="verified")
    url = f"/admin/claims/rating/{verified.pk}/change/"
    client.force_login(alice)
    assert client.post(url, {"label": "Correct"}).status_code == 403
    client.force_login(erin)
    response = client.post(
        url,
        {
            "label": "Accurate",
            "slug": "verified",
            "description": "Supported by independent evidence.",
            "verdict": "verified",
            "value": 5,
            "is_default": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Rating.objects.get(pk=verified.pk).label == "Accurate"
    # A second default for one verdict is refused by the form, with the constraint's reason.
    response = client.post(
        "/admin/claims/rating/add/",
        {
            "label": "Also true",
            "slug": "also-true",
            "verdict": "verified",
            "value": 4,
            "is_default": "on",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert Rating.objects.filter(slug="also-true").count() == 0
