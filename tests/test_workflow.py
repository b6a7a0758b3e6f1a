"""The claim workflow: legal and illegal moves, permissions, the log, and races."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django_fsm import TransitionNotAllowed

from claims import workflow
from claims.models import Claim, ClaimState, Transition
from tests.factories import ClaimFactory, claim_in_state

pytestmark = pytest.mark.django_db

S = ClaimState
LEGAL = [
    (S.EXTRACTED, "start", S.CORROBORATING),
    (S.EXTRACTED, "dismiss", S.DISMISSED),
    (S.CORROBORATING, "verify", S.VERIFIED),
    (S.CORROBORATING, "dispute", S.DISPUTED),
    (S.CORROBORATING, "dismiss", S.DISMISSED),
    (S.VERIFIED, "reopen", S.CORROBORATING),
    (S.DISPUTED, "reopen", S.CORROBORATING),
    (S.DISMISSED, "reopen", S.CORROBORATING),
]
MOVES = ("start", "dismiss", "verify", "dispute", "reopen")


def _do(move: str, claim: Claim, user):
    if move == "start":
        if not workflow.start_corroboration(claim, worker="test"):
            raise workflow.NotAllowed("not extracted")
    elif move == "dismiss":
        workflow.dismiss(claim, user=user)
    elif move == "verify":
        workflow.rule(claim, user=user, verdict="verified", rationale="two independent sources")
    elif move == "dispute":
        workflow.rule(claim, user=user, verdict="disputed", rationale="the army denied it")
    elif move == "reopen":
        workflow.reopen(claim, user=user, reason="new evidence arrived")


@pytest.mark.parametrize(("from_state", "move", "to_state"), LEGAL)
def test_every_legal_transition_moves_the_state_and_logs_one_row(alice, from_state, move, to_state):
    claim = claim_in_state(from_state, ruler=alice)
    before = Transition.objects.filter(claim=claim).count()
    _do(move, claim, alice)
    claim.refresh_from_db()
    assert claim.state == to_state
    rows = list(Transition.objects.filter(claim=claim).order_by("id"))
    assert len(rows) == before + 1
    assert (rows[-1].from_state, rows[-1].to_state) == (from_state, to_state)
    assert rows[-1].actor == (None if move == "start" else alice)
    assert rows[-1].reason


ILLEGAL = [
    (state, move)
    for state in S.values
    for move in MOVES
    if not any(f == state and m == move for f, m, _ in LEGAL)
]


@pytest.mark.parametrize(("from_state", "move"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_writes_nothing(alice, from_state, move):
    claim = claim_in_state(from_state, ruler=alice)
    before = Transition.objects.filter(claim=claim).count()
    with pytest.raises(workflow.NotAllowed):
        _do(move, claim, alice)
    claim.refresh_from_db()
    assert claim.state == from_state
    assert Transition.objects.filter(claim=claim).count() == before


def test_the_state_field_cannot_be_assigned_directly():
    claim = ClaimFactory()
    with pytest.raises(AttributeError):
        claim.state = S.VERIFIED


def test_fsm_method_refuses_a_move_its_declaration_does_not_allow():
    claim = ClaimFactory()
    with pytest.raises(TransitionNotAllowed):
        claim.rule_verified(None, "x")


@pytest.mark.parametrize("rationale", ["", "   ", None])
def test_ruling_needs_a_rationale(alice, rationale):
    claim = claim_in_state(S.CORROBORATING)
    with pytest.raises(workflow.Invalid, match="rationale"):
        workflow.rule(claim, user=alice, verdict="verified", rationale=rationale)
    claim.refresh_from_db()
    assert claim.state == S.CORROBORATING


def test_ruling_records_who_why_and_when(alice):
    claim = claim_in_state(S.CORROBORATING)
    workflow.rule(
        claim, user=alice, verdict="disputed", rationale="The army says the report is wrong."
    )
    claim.refresh_from_db()
    assert (claim.ruled_by, claim.rationale) == (alice, "The army says the report is wrong.")
    assert claim.ruled_at is not None


def test_unknown_verdict_is_refused(alice):
    claim = claim_in_state(S.CORROBORATING)
    with pytest.raises(workflow.Invalid, match="verdict"):
        workflow.rule(claim, user=alice, verdict="true", rationale="x")


def test_reviewer_cannot_rule_a_claim(bob):
    claim = claim_in_state(S.CORROBORATING)
    with pytest.raises(workflow.Forbidden):
        workflow.rule(claim, user=bob, verdict="verified", rationale="looks right")
    claim.refresh_from_db()
    assert claim.state == S.CORROBORATING


def test_outsider_cannot_rule_reopen_dismiss_or_assign(alice, charlie):
    claim = claim_in_state(S.VERIFIED, ruler=alice)
    with pytest.raises(workflow.Forbidden):
        workflow.reopen(claim, user=charlie, reason="x")
    with pytest.raises(workflow.Forbidden):
        workflow.assign(claim, assignee=charlie, by=charlie)
    other = claim_in_state(S.CORROBORATING)
    with pytest.raises(workflow.Forbidden):
        workflow.dismiss(other, user=charlie)


def test_reopen_needs_a_reason(alice):
    claim = claim_in_state(S.VERIFIED, ruler=alice)
    with pytest.raises(workflow.Invalid, match="reason"):
        workflow.reopen(claim, user=alice, reason=" ")


def test_worker_can_reopen_a_ruled_claim_with_the_reason_logged(alice):
    claim = claim_in_state(S.VERIFIED, ruler=alice)
    workflow.reopen(claim, worker="corroborate_claim", reason="new evidence: the army denied it")
    claim.refresh_from_db()
    assert claim.state == S.CORROBORATING and claim.reopened
    last = claim.transitions.last()
    assert last.worker == "corroborate_claim" and last.actor is None
    assert "denied" in last.reason


def test_worker_start_is_idempotent():
    claim = ClaimFactory()
    assert workflow.start_corroboration(claim, worker="w") is True
    again = Claim.objects.get(pk=claim.pk)
    assert workflow.start_corroboration(again, worker="w") is False
    assert Transition.objects.filter(claim=claim).count() == 1


def test_a_stale_copy_loses_with_a_conflict(alice, fiona):
    claim = claim_in_state(S.CORROBORATING)
    stale = Claim.objects.get(pk=claim.pk)
    workflow.rule(claim, user=alice, verdict="verified", rationale="two sources")
    with pytest.raises(workflow.Conflict, match="changed by someone else"):
        workflow.rule(stale, user=fiona, verdict="disputed", rationale="a denial")
    claim.refresh_from_db()
    assert claim.state == S.VERIFIED and claim.ruled_by == alice
    assert (
        Transition.objects.filter(claim=claim, to_state__in=[S.VERIFIED, S.DISPUTED]).count() == 1
    )


def test_assign_only_to_fact_checkers(alice, bob, fiona):
    claim = claim_in_state(S.CORROBORATING)
    workflow.assign(claim, assignee=fiona, by=alice)
    assert Claim.objects.get(pk=claim.pk).assignee == fiona
    with pytest.raises(workflow.Invalid):
        workflow.assign(claim, assignee=bob, by=alice)
    workflow.assign(claim, assignee=None, by=alice)
    assert Claim.objects.get(pk=claim.pk).assignee is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_rulings_exactly_one_wins(alice, fiona):
    """Two threads, two connections, one claim: one commits, the other gets Conflict."""
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is a PostgreSQL behaviour")
    claim = claim_in_state(S.CORROBORATING)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def rule(user, verdict):
        try:
            mine = Claim.objects.get(pk=claim.pk)
            barrier.wait(timeout=10)
            workflow.rule(mine, user=user, verdict=verdict, rationale=f"{user} says {verdict}")
            outcomes[user.username] = "won"
        except workflow.Conflict:
            outcomes[user.username] = "conflict"
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=rule, args=(alice, "verified")),
        threading.Thread(target=rule, args=(fiona, "disputed")),
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "won"]
    claim.refresh_from_db()
    winner = next(name for name, result in outcomes.items() if result == "won")
    assert claim.ruled_by.username == winner
    assert (
        Transition.objects.filter(claim=claim, to_state__in=[S.VERIFIED, S.DISPUTED]).count() == 1
    )
