"""The claim workflow: the only module that changes Claim.state.

Each function runs the declared FSM transition on the model inside one transaction,
saves it with a compare-and-swap on the state it was loaded in (django-fsm-2's
ConcurrentTransitionMixin adds `AND state = <loaded state>` to the UPDATE), and writes
the Transition row in the same transaction. Two concurrent transitions on one claim:
the second UPDATE matches no row and raises Conflict; nothing of it is written.

Legal moves (see ClaimState): extracted -> corroborating (worker) | dismissed;
corroborating -> verified | disputed (rule, rationale required) | dismissed;
verified | disputed | dismissed -> corroborating (reopen, reason required);
verified | disputed -> verified | disputed (a correction: rule with a correction note).

Rulings are on the newsroom's scale (`claims.ratings`) and every version is a Ruling
row written in the transaction of its transition, so corrections keep their history.
With FACTCHECK_SIGNOFF_REQUIRED a ruling is a proposal (-> proposed) until another
person with the right to rule signs it off (-> verified | disputed, `claim.ruled` fires
then) or returns it with a note (-> corroborating, or back to the verdict still
published when the proposal was a correction). Two sign-offs at once: the claim's
compare-and-swap lets exactly one through; the other gets Conflict.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from claims import alerts, events, frozen, ratings
from claims.models import RULED_STATES, Claim, ClaimState, Rating, Ruling, Transition

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
    """Missing or bad input (a rationale, a verdict, a reason); `field` names it."""

    code = "invalid"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def can_rule(user) -> bool:
    return bool(user and user.is_active and user.has_perm("claims.rule_claim"))


def signoff_required() -> bool:
    return bool(getattr(settings, "FACTCHECK_SIGNOFF_REQUIRED", False))


# How a refused move reads ("A claim that is verified cannot be ruled verified.").
_VERBS = {
    "propose": "proposed for sign-off",
    "sign_off_verified": "signed off",
    "sign_off_disputed": "signed off",
    "return_proposal": "returned",
    "correct_verified": "corrected",
    "correct_disputed": "corrected",
}


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
    after: Callable[[Transition], object] | None = None,
) -> Transition:
    """Run one declared transition with its compare-and-swap and its Transition row;
    `after(transition)` writes what goes with it (the Ruling rows) in the same transaction."""
    from_state = claim.state
    # Reopening a ruling (not a dismissal) tells the person who ruled it.
    reopens_ruling = method_name == "reopen" and claim.is_ruled and claim.ruled_by_id
    ruled_by = claim.ruled_by if reopens_ruling else None
    method = getattr(claim, method_name)
    if not can_proceed(method):
        verb = _VERBS.get(method_name) or method_name.replace("_", " ").replace("rule ", "ruled ")
        raise NotAllowed(
            f"A claim that is {ClaimState(from_state).label.lower()} cannot be {verb}."
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
            if after is not None:
                after(tr)
            event = _EVENTS.get(method_name)
            if event:
                transaction.on_commit(lambda: _emit(event, claim, tr))
            return tr
    except Conflict:  # raised by `after`: the claim's row was not changed either
        claim.refresh_from_db()
        raise
    except ConcurrentTransition:
        # The in-memory instance moved; reload it so the caller sees what won.
        claim.refresh_from_db()
        raise Conflict(
            f"Claim {claim.pk} was changed by someone else (it is now {claim.state}); "
            "reload it and try again."
        ) from None


# Webhook events per transition method (claims.events records them; the workers deliver).
# A proposal or a returned one is not published: no claim.ruled until the sign-off.
_EVENTS = {
    "rule_verified": "claim.ruled",
    "rule_disputed": "claim.ruled",
    "correct_verified": "claim.ruled",
    "correct_disputed": "claim.ruled",
    "sign_off_verified": "claim.ruled",
    "sign_off_disputed": "claim.ruled",
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


def rule(
    claim: Claim,
    *,
    user,
    verdict: str | None = None,
    rationale: str,
    rating: str | Rating | None = None,
    correction: str = "",
) -> Transition:
    """Rule a claim on the scale: `rating` (a slug), or a bare `verdict` (its default rating).

    A claim that was published before (a ruled claim corrected, or reopened and ruled
    again) needs a `correction` note saying what changed; every earlier version stays.
    With sign-off required this only proposes the ruling (`propose`).
    """
    if not can_rule(user):
        raise Forbidden("Only fact-checkers can rule a claim.")
    chosen, rationale, correction = _ruling_input(claim, rating, verdict, rationale, correction)
    if signoff_required():
        return _propose(claim, user, chosen, rationale, correction)
    correcting = claim.state in RULED_STATES
    return _transition(
        claim,
        f"{'correct' if correcting else 'rule'}_{chosen.verdict}",
        actor=user,
        reason=f"correction: {correction}" if correcting else rationale,
        args=(user, rationale),
        extra_fields=("rationale", "ruled_by", "ruled_at", "reopened"),
        freeze_evidence=True,
        after=lambda tr: _publish(claim, _new_ruling(claim, chosen, rationale, correction, user)),
    )


def propose(
    claim: Claim,
    *,
    user,
    rationale: str,
    verdict: str | None = None,
    rating: str | Rating | None = None,
    correction: str = "",
) -> Transition:
    """Propose a ruling (or a correction) for another fact-checker to sign off."""
    if not can_rule(user):
        raise Forbidden("Only fact-checkers can propose a ruling.")
    chosen, rationale, correction = _ruling_input(claim, rating, verdict, rationale, correction)
    return _propose(claim, user, chosen, rationale, correction)


def _propose(claim: Claim, user, chosen: Rating, rationale: str, correction: str) -> Transition:
    what = "correction" if claim.state in RULED_STATES else "ruling"
    # The claim's compare-and-swap comes first: a concurrent proposal loses there, before
    # it could write a Ruling row.
    return _transition(
        claim,
        "propose",
        actor=user,
        reason=f"proposed {what} “{chosen.label}”: {correction or rationale}",
        after=lambda tr: _new_ruling(
            claim, chosen, rationale, correction, user, status=Ruling.Status.PROPOSED
        ),
    )


def sign_off(claim: Claim, *, user, note: str = "") -> Transition:
    """Another fact-checker approves the proposal: it is published (claim.ruled fires)."""
    proposal = _proposal_for_review(claim, user, "sign off")
    note = (note or "").strip()

    def publish(tr: Transition) -> None:
        done = Ruling.objects.filter(pk=proposal.pk, status=Ruling.Status.PROPOSED).update(
            signed_off_by=user, signed_off_at=tr.created_at, signoff_note=note
        )
        if not done:
            raise Conflict(f"The proposal on claim {claim.pk} was handled by someone else first.")
        _publish(claim, proposal)

    return _transition(
        claim,
        f"sign_off_{proposal.verdict}",
        actor=user,
        reason=(
            f"signed off “{proposal.rating_label}” proposed by {proposal.proposed_by or '?'}"
            + (f": {note}" if note else "")
        ),
        args=(proposal.proposed_by, proposal.rationale),
        extra_fields=("rationale", "ruled_by", "ruled_at", "reopened"),
        # The published verdict keeps the evidence it rested on.
        freeze_evidence=True,
        after=publish,
    )


def return_proposal(claim: Claim, *, user, note: str) -> Transition:
    """Send a proposal back with a note: the claim returns to corroborating, or to the
    verdict still published when the proposal was a correction."""
    note = (note or "").strip()
    if not note:
        raise Invalid("Returning a proposed ruling needs a note saying why.", field="note")
    proposal = _proposal_for_review(claim, user, "return")
    published = Ruling.objects.filter(pk=claim.ruling_id).first() if claim.ruling_id else None
    back_to = published.verdict if published else ClaimState.CORROBORATING

    def mark_returned(tr: Transition) -> None:
        done = Ruling.objects.filter(pk=proposal.pk, status=Ruling.Status.PROPOSED).update(
            status=Ruling.Status.RETURNED,
            returned_by=user,
            returned_at=tr.created_at,
            return_note=note,
        )
        if not done:
            raise Conflict(f"The proposal on claim {claim.pk} was handled by someone else first.")

    return _transition(
        claim,
        "return_proposal",
        actor=user,
        reason=f"returned “{proposal.rating_label}” to {proposal.proposed_by or '?'}: {note}",
        args=(back_to,),
        after=mark_returned,
    )


def pending_proposal(claim: Claim) -> Ruling | None:
    return Ruling.objects.filter(claim=claim, status=Ruling.Status.PROPOSED).first()


def _proposal_for_review(claim: Claim, user, verb: str) -> Ruling:
    if not can_rule(user):
        raise Forbidden(f"Only fact-checkers can {verb} a proposed ruling.")
    if claim.state != ClaimState.PROPOSED:
        raise NotAllowed(
            f"Claim {claim.pk} is {ClaimState(claim.state).label.lower()}; there is no "
            f"proposed ruling to {verb}."
        )
    proposal = pending_proposal(claim)
    if proposal is None:
        raise NotAllowed(f"Claim {claim.pk} has no proposed ruling to {verb}.")
    if proposal.proposed_by_id == user.pk:
        raise Forbidden(
            f"You proposed this ruling; a second person must {verb} it (that is the point)."
        )
    return proposal


def _ruling_input(claim, rating, verdict, rationale, correction) -> tuple[Rating, str, str]:
    if isinstance(rating, Rating):
        chosen = rating
    else:
        try:
            chosen = ratings.resolve(rating=rating, verdict=verdict)
        except ratings.RatingError as exc:
            raise Invalid(exc.message, field="rating" if rating else "verdict") from None
    rationale = (rationale or "").strip()
    if not rationale:
        raise Invalid("A ruling needs a written rationale.", field="rationale")
    correction = (correction or "").strip()
    if claim.state in RULED_STATES and not correction:
        raise NotAllowed(
            f"A claim that is {ClaimState(claim.state).label.lower()} cannot be ruled again "
            "without a correction note (what changed, published with the correction)."
        )
    # Published before (reopened since): the claim as loaded says so, so a stale copy goes
    # on to lose its compare-and-swap rather than be told about a ruling it never saw.
    if not correction and claim.state == ClaimState.CORROBORATING and claim.ruled_at:
        earlier = (
            Ruling.objects.filter(claim=claim, published_at__isnull=False)
            .order_by("-number")
            .first()
        )
        label = f" as “{earlier.rating_label}”" if earlier else ""
        raise Invalid(
            f"This claim was published{label} before; a new ruling is a correction and "
            "needs a correction note saying what changed.",
            field="correction",
        )
    return chosen, rationale, correction


def _new_ruling(claim, chosen: Rating, rationale, correction, user, *, status=None) -> Ruling:
    number = (Ruling.objects.filter(claim=claim).aggregate(n=Max("number"))["n"] or 0) + 1
    return Ruling.objects.create(
        claim=claim,
        number=number,
        status=status or Ruling.Status.PUBLISHED,
        rating=chosen,
        verdict=chosen.verdict,
        rating_label=chosen.label,
        rating_value=chosen.value,
        rationale=rationale,
        correction_note=correction,
        proposed_by=user if user and user.is_authenticated else None,
    )


def _publish(claim: Claim, ruling: Ruling) -> None:
    """`ruling` becomes the claim's published version (at the claim's `ruled_at`, set by
    the transition); earlier published ones are superseded."""
    when = claim.ruled_at
    Ruling.objects.filter(claim=claim, status=Ruling.Status.PUBLISHED).exclude(pk=ruling.pk).update(
        status=Ruling.Status.SUPERSEDED
    )
    Ruling.objects.filter(pk=ruling.pk).update(status=Ruling.Status.PUBLISHED, published_at=when)
    ruling.status, ruling.published_at = Ruling.Status.PUBLISHED, when
    Claim.objects.filter(pk=claim.pk).update(ruling=ruling)
    claim.ruling = ruling


def reopen(claim: Claim, *, reason: str, user=None, worker: str = "") -> Transition:
    """Send a ruled (or dismissed) claim back to corroborating. A user needs reopen_claim."""
    if user is not None and not user.has_perm("claims.reopen_claim"):
        raise Forbidden("Only fact-checkers can reopen a claim.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Reopening a claim needs a reason.")
    return _transition(
        claim,
        "reopen",
        actor=user,
        worker=worker,
        reason=reason,
        extra_fields=("reopened", "ruling"),
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
