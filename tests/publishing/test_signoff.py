"""A second pair of eyes: propose, sign off, return; who may do what; what is published;
what the history says; and two sign-offs at once on PostgreSQL."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from django.db import close_old_connections, connection

from claims import workflow
from claims.models import Claim, ClaimState, Ruling, Transition, Webhook, WebhookDelivery
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db

S = ClaimState
RATIONALE = "Two agencies deny it."


def _post(client, claim, verb, **body):
    return client.post(f"/api/claims/{claim.pk}/{verb}/", body, format="json")


@pytest.fixture
def events(django_capture_on_commit_callbacks):
    """Run what the request left for after commit (recording webhook deliveries, which
    are then queued for after a commit that never comes: nothing is sent)."""

    @contextmanager
    def committed():
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            yield
        for callback in callbacks:
            callback()

    return committed


@pytest.fixture
def hook(alice):
    return Webhook.objects.create(url="https://example.org/in", events=["claim.ruled"], owner=alice)


@pytest.fixture
def proposed(signoff, as_alice):
    """Alice has proposed "disputed" on a corroborating claim."""
    claim = claim_in_state(S.CORROBORATING)
    response = _post(as_alice, claim, "rule", verdict="disputed", rationale=RATIONALE)
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    return claim


def test_with_signoff_required_a_ruling_is_a_proposal_and_nothing_is_published(
    proposed, as_bob, hook
):
    assert proposed.state == S.PROPOSED
    assert (proposed.ruled_at, proposed.ruling_id, proposed.rationale) == (None, None, "")
    proposal = Ruling.objects.get(claim=proposed)
    assert (proposal.status, proposal.rating_label, proposal.proposed_by.username) == (
        "proposed",
        "Disputed",
        "alice",
    )
    body = as_bob.get(f"/api/claims/{proposed.pk}/").json()
    assert body["state"] == "proposed" and body["rating"] is None
    assert body["proposal"]["rating"]["label"] == "Disputed"
    assert as_bob.get(f"/api/claims/{proposed.pk}/claimreview/").status_code == 404
    assert as_bob.get("/api/claimreviews/").json()["results"] == []
    assert not WebhookDelivery.objects.exists()  # claim.ruled waits for the sign-off


# The matrix: who may sign off Alice's proposal.
@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 403), ("bob", 403), ("charlie", 403), ("fiona", 200), ("erin", 200)],
)
def test_signoff_matrix(proposed, who, status, request, hook, events):
    client = request.getfixturevalue(f"as_{who}")
    with events():
        response = _post(client, proposed, "signoff", note="Read it twice.")
    assert response.status_code == status, response.content
    proposed.refresh_from_db()
    if status == 200:
        assert proposed.state == S.DISPUTED
        ruling = proposed.ruling
        assert (ruling.status, ruling.signed_off_by.username, ruling.proposed_by.username) == (
            "published",
            who,
            "alice",
        )
        # The author of the ruling is the proposer; the sign-off is recorded beside it.
        assert proposed.ruled_by.username == "alice" and proposed.rationale == RATIONALE
        assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["claim.ruled"]
    else:
        assert proposed.state == S.PROPOSED
        assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 403), ("bob", 403), ("charlie", 403), ("fiona", 200), ("erin", 200)],
)
def test_return_matrix(proposed, who, status, request):
    client = request.getfixturevalue(f"as_{who}")
    response = _post(client, proposed, "return", note="Which agencies? Name them.")
    assert response.status_code == status, response.content
    proposed.refresh_from_db()
    assert proposed.state == (S.CORROBORATING if status == 200 else S.PROPOSED)


def test_the_proposer_is_told_why(proposed, as_alice):
    body = _post(as_alice, proposed, "signoff").json()
    assert body["code"] == "permission_denied"
    assert "second person" in body["message"]


def test_returning_needs_a_note(proposed, as_fiona):
    response = _post(as_fiona, proposed, "return", note="  ")
    assert response.status_code == 400
    assert Claim.objects.get(pk=proposed.pk).state == S.PROPOSED


def test_signoff_of_a_claim_with_no_proposal_is_a_conflict(signoff, as_fiona):
    claim = claim_in_state(S.CORROBORATING)
    response = _post(as_fiona, claim, "signoff")
    assert response.status_code == 409
    assert "no proposed ruling" in response.json()["message"]


def test_propose_return_propose_signoff_every_step_is_in_the_history(
    proposed, as_alice, as_fiona, as_erin, as_bob, hook, events
):
    with events():
        assert _post(as_fiona, proposed, "return", note="Name the agencies.").status_code == 200
        again = _post(
            as_alice, proposed, "rule", rating="disputed", rationale="Reuters and AP deny it."
        )
        assert again.status_code == 200, again.content
    assert not WebhookDelivery.objects.exists()
    with events():
        assert _post(as_erin, proposed, "signoff").status_code == 200
    moves = [
        (t.from_state, t.to_state, t.actor.username if t.actor else t.worker)
        for t in Transition.objects.filter(claim=proposed).order_by("id")
    ]
    assert moves == [
        ("extracted", "corroborating", "test"),
        ("corroborating", "proposed", "alice"),
        ("proposed", "corroborating", "fiona"),
        ("corroborating", "proposed", "alice"),
        ("proposed", "disputed", "erin"),
    ]
    reasons = [t.reason for t in Transition.objects.filter(claim=proposed).order_by("id")]
    assert "Name the agencies." in reasons[2] and "Reuters and AP deny it." in reasons[3]
    versions = as_bob.get(f"/api/claims/{proposed.pk}/rulings/").json()
    assert [(v["number"], v["status"], v["current"]) for v in versions] == [
        (1, "returned", False),
        (2, "published", True),
    ]
    assert versions[0]["return_note"] == "Name the agencies."
    assert versions[1]["signed_off_by"] == "erin"
    assert as_bob.get(f"/api/claims/{proposed.pk}/claimreview/").json()["reviewBody"] == (
        "Reuters and AP deny it."
    )
    assert WebhookDelivery.objects.filter(event="claim.ruled").count() == 1


def test_without_the_setting_a_ruling_is_published_at_once(as_alice, hook, events):
    claim = claim_in_state(S.CORROBORATING)
    with events():
        response = _post(as_alice, claim, "rule", verdict="verified", rationale="two wires")
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.state == S.VERIFIED and claim.ruling.signed_off_by is None
    assert WebhookDelivery.objects.filter(event="claim.ruled").count() == 1


def test_a_correction_awaiting_signoff_leaves_the_published_version_out_there(
    signoff, alice, fiona, as_alice, as_bob
):
    settings = signoff
    settings.FACTCHECK_SIGNOFF_REQUIRED = False
    claim = claim_in_state(S.VERIFIED, ruler=alice)
    settings.FACTCHECK_SIGNOFF_REQUIRED = True
    response = _post(
        as_alice,
        claim,
        "rule",
        verdict="disputed",
        rationale="A later report contradicts it.",
        correction="New reporting shows the troops returned.",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "proposed"
    review = as_bob.get(f"/api/claims/{claim.pk}/claimreview/").json()
    assert review["reviewRating"]["alternateName"] == "Verified" and "dateModified" not in review
    assert len(as_bob.get("/api/claimreviews/").json()["results"]) == 1
    # Returned: back to the verdict still published, not to corroborating.
    claim.refresh_from_db()
    workflow.return_proposal(claim, user=fiona, note="Wait for a second source.")
    claim.refresh_from_db()
    assert claim.state == S.VERIFIED and claim.ruling.number == 1


def test_a_proposal_on_a_stale_copy_loses_with_a_conflict(signoff, alice, fiona):
    claim = claim_in_state(S.CORROBORATING)
    stale = Claim.objects.get(pk=claim.pk)
    workflow.rule(claim, user=alice, verdict="verified", rationale="two sources")
    with pytest.raises(workflow.Conflict):
        workflow.rule(stale, user=fiona, verdict="disputed", rationale="a denial")
    assert Ruling.objects.filter(claim=claim).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_concurrent_signoffs_exactly_one_wins(settings, alice, fiona, erin, round_):
    """Fiona and Erin sign off Alice's proposal at the same moment: one publishes it, the
    other gets a conflict, and there is one sign-off in the log and one published version."""
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is a PostgreSQL behaviour")
    settings.FACTCHECK_SIGNOFF_REQUIRED = True
    claim = claim_in_state(S.PROPOSED, ruler=alice)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def sign(user):
        try:
            mine = Claim.objects.get(pk=claim.pk)
            barrier.wait(timeout=10)
            workflow.sign_off(mine, user=user, note=f"{user} read it")
            outcomes[user.username] = "won"
        except workflow.Conflict:
            outcomes[user.username] = "conflict"
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=sign, args=(u,)) for u in (fiona, erin)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "won"], outcomes
    winner = next(name for name, result in outcomes.items() if result == "won")
    claim.refresh_from_db()
    assert claim.state == S.VERIFIED
    assert Transition.objects.filter(claim=claim, from_state=S.PROPOSED).count() == 1
    published = Ruling.objects.get(claim=claim, status="published")
    assert published.signed_off_by.username == winner and claim.ruling_id == published.pk
