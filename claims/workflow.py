"""The claim workflow: the only module that changes Claim.state.

Each function runs the declared FSM transition on the model inside one transaction,
saves it with a compare-and-swap on the state it was loaded in (django-fsm-2's
ConcurrentTransitionMixin adds `AND state = <loaded state>` to the UPDATE), and writes
the Transition row in the same transaction. Two concurrent transitions on one claim:
the second UPDATE matches no row and raises Conflict; nothing of it is written.

Legal moves (see ClaimState): extracted -> corroborating (worker) | dismissed;
corroborating -> verified | disputed (rule, rationale required) | dismissed;
verified | disputed | dismissed -> corroborating (reopen, reason required).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from claims import alerts, events, frozen
from claims.models import Claim, ClaimState, Transition

log = logging.getLogger(__name__)

RULING_VERDICTS = {
    str(ClaimState.VERIFIED): "rule_verified",
    str(ClaimState.DISPUTED): "rule_disputed",
}


class WorkflowError(Exception):
    """A transition that cannot happen; `message` is safe to show to the user."""

    code = "workflow_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Conflict(WorkflowError):
    """Another transition changed the claim first."""

    code = "conflict"


class NotAllowed(WorkflowError):
    """The claim's state does not allow this transition."""

    code = "not_allowed"


class Forbidden(WorkflowError):
    """The user may not make this transition."""

    code = "forbidden"


class Invalid(WorkflowError):
    """Missing or bad input (a rationale, a verdict, a reason)."""

    code = "invalid"


def can_rule(user) -> bool:
    return bool(user and user.is_active and user.has_perm("claims.rule_claim"))


def _transition(
    claim: Claim,
    method_name: str,
    *,
    actor=None,
    worker: str = "",
    reason: str = "",
    args: tuple = (),
    extra_fields: tuple[str, ...] = (),
    freeze_evidence: bool = False,
) -> Transition:
    from_state = claim.state
    # Reopening a ruling (not a dismissal) tells the person who ruled it.
    reopens_ruling = method_name == "reopen" and claim.is_ruled and claim.ruled_by_id
    ruled_by = claim.ruled_by if reopens_ruling else None
    method = getattr(claim, method_name)
    if not can_proceed(method):
        raise NotAllowed(
            f"A claim that is {ClaimState(from_state).label.lower()} cannot be "
            f"{method_name.replace('_', ' ').replace('rule ', 'ruled ')}."
        )
    try:
        with transaction.atomic():
            method(*args)
            claim.save(update_fields=["state", "updated_at", *extra_fields])
            tr = Transition.objects.create(
                claim=claim,
                from_state=from_state,
                to_state=claim.state,
                actor=actor if actor and actor.is_authenticated else None,
                worker=worker,
                reason=reason,
                # A ruling keeps the evidence it rested on (sources, hashes, archives).
                evidence=frozen.freeze(claim) if freeze_evidence else [],
            )
            if ruled_by is not None:
                # The person who ruled it hears, in this transaction (an alert row).
                alerts.claim_reopened(claim, tr, ruled_by)
            event = _EVENTS.get(method_name)
            if event:
                transaction.on_commit(lambda: _emit(event, claim, tr))
            return tr
    except ConcurrentTransition:
        # The in-memory instance moved; reload it so the caller sees what won.
        claim.refresh_from_db()
        raise Conflict(
            f"Claim {claim.pk} was changed by someone else (it is now {claim.state}); "
            "reload it and try again."
        ) from None


# Webhook events per transition method (claims.events records them; the workers deliver).
_EVENTS = {
    "rule_verified": "claim.ruled",
    "rule_disputed": "claim.ruled",
    "reopen": "claim.reopened",
}


def _emit(event: str, claim: Claim, tr: Transition) -> None:
    try:
        events.emit(event, claim, key=f"transition:{tr.pk}")
    except Exception:  # the transition is committed; a lost notification must not undo it
        log.exception("claim %s: could not record webhook event %s", claim.pk, event)


def start_corroboration(claim: Claim, *, worker: str) -> bool:
    """A worker takes an extracted claim. False when it was already taken (a redelivery)."""
    if claim.state != ClaimState.EXTRACTED:
        return False
    try:
        _transition(claim, "start_corroboration", worker=worker, reason="corroboration started")
    except Conflict:
        log.info("claim %s: another worker started corroboration first", claim.pk)
        return False
    return True


def start_corroboration_many(claim_ids, *, worker: str) -> set[int]:
    """`start_corroboration` for a batch of claims (an article's), in three statements.

    The same compare-and-swap as the FSM transition, for many rows at once: the claims
    still extracted are locked, moved to corroborating and given their Transition rows in
    one transaction. Returns the ids this call moved; the others were already taken (a
    redelivery, a concurrent worker) or are in another state, and are left as they are.
    """
    ids = sorted({int(i) for i in claim_ids})
    if not ids:
        return set()
    with transaction.atomic():
        taken = list(
            Claim.objects.select_for_update()
            .filter(pk__in=ids, state=ClaimState.EXTRACTED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not taken:
            return set()
        now = timezone.now()
        # A queryset update writes the state the declared transition would
        # (extracted -> corroborating); the lock above makes it the same compare-and-swap.
        Claim.objects.filter(pk__in=taken, state=ClaimState.EXTRACTED).update(
            state=ClaimState.CORROBORATING, updated_at=now
        )
        Transition.objects.bulk_create(
            Transition(
                claim_id=pk,
                from_state=ClaimState.EXTRACTED,
                to_state=ClaimState.CORROBORATING,
                worker=worker,
                reason="corroboration started",
                created_at=now,
            )
            for pk in taken
        )
    return set(taken)


def rule(claim: Claim, *, user, verdict: str, rationale: str) -> Transition:
    if not can_rule(user):
        raise Forbidden("Only fact-checkers can rule a claim.")
    method_name = RULING_VERDICTS.get(verdict)
    if method_name is None:
        raise Invalid(f"verdict must be one of {', '.join(RULING_VERDICTS)}; got {verdict!r}.")
    rationale = (rationale or "").strip()
    if not rationale:
        raise Invalid("A ruling needs a written rationale.")
    return _transition(
        claim,
        method_name,
        actor=user,
        reason=rationale,
        args=(user, rationale),
        extra_fields=("rationale", "ruled_by", "ruled_at", "reopened"),
        freeze_evidence=True,
    )


def reopen(claim: Claim, *, reason: str, user=None, worker: str = "") -> Transition:
    """Send a ruled (or dismissed) claim back to corroborating. A user needs reopen_claim."""
    if user is not None and not user.has_perm("claims.reopen_claim"):
        raise Forbidden("Only fact-checkers can reopen a claim.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Reopening a claim needs a reason.")
    return _transition(
        claim, "reopen", actor=user, worker=worker, reason=reason, extra_fields=("reopened",)
    )


def dismiss(claim: Claim, *, user, reason: str = "") -> Transition:
    if not user.has_perm("claims.dismiss_claim"):
        raise Forbidden("Only fact-checkers can dismiss a claim.")
    return _transition(claim, "dismiss", actor=user, reason=(reason or "").strip() or "not a claim")


def assign(claim: Claim, *, assignee, by) -> Claim:
    """Assign (or, with assignee=None, unassign). Not a state change, so no Transition row.

    Keeps `assigned_at` (when the current assignee got it: the stale reminder counts from
    there) and `first_assigned_at` (turnaround metrics), and records the `assigned` alert
    for the new assignee in the same transaction.
    """
    if not by.has_perm("claims.assign_claim"):
        raise Forbidden("Only fact-checkers can assign claims.")
    if assignee is not None and not assignee.has_perm("claims.rule_claim"):
        raise Invalid(f"{assignee} is not a fact-checker and cannot be assigned claims.")
    now = timezone.now()
    with transaction.atomic():
        current = (
            Claim.objects.select_for_update()
            .filter(pk=claim.pk)
            .values_list("assignee_id", "assigned_at", "first_assigned_at")
            .first()
        )
        if current is None:
            raise NotAllowed(f"Claim {claim.pk} no longer exists.")
        previous, assigned_at, first_assigned_at = current
        changed = (assignee.pk if assignee is not None else None) != previous
        if changed:
            assigned_at = now if assignee is not None else None
        if assignee is not None and first_assigned_at is None:
            first_assigned_at = now
        Claim.objects.filter(pk=claim.pk).update(
            assignee=assignee,
            updated_at=now,
            assigned_at=assigned_at,
            first_assigned_at=first_assigned_at,
        )
        claim.assignee = assignee
        claim.assigned_at, claim.first_assigned_at = assigned_at, first_assigned_at
        if changed and assignee is not None:
            alerts.claim_assigned(claim, assignee, by=by, at=now)
    return claim
