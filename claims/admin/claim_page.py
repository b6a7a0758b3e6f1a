"""The claim page and its workflow views: rule, reopen, dismiss, assign, re-run, comment,
resolve a flag, and the queue-health page.

Every state change goes through `claims.workflow` and every flag resolution through
`claims.flags`; these views only load the claim, call them, and show the outcome (a
WorkflowError's message is written for people). `ClaimAdmin` mixes them in.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims import flags, queues, ratings, workflow
from claims.admin.highlight import Mark, highlight, paragraph_bounds
from claims.admin.publishing import publishing_context
from claims.admin.queue_list import (
    can_assign,
    can_rerun,
    can_rule,
    state_badge,
)
from claims.models import (
    RULED_STATES,
    Claim,
    ClaimState,
    Comment,
    Evidence,
    Flag,
    Recommendation,
    Transition,
)
from workers.corroborate import enqueue_claims


class ClaimPageViews:
    """The claim page and the views behind its buttons (a ModelAdmin mixin)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra = {}
        if claim is not None and self.has_view_permission(request, claim):
            extra = claim_context(request, claim)
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def _claim_or_404(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            Claim.objects.select_related("article", "assignee", "ruled_by"), pk=pk
        )

    def _back(self, claim):
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def rule_view(self, request, pk):
        claim = self._claim_or_404(request, pk)
        if not can_rule(request.user):
            raise PermissionDenied("Only fact-checkers can rule a claim.")
        # A rating of the scale (the form's radios), or a bare verdict (the claim page's
        # buttons, scripts): the verdict's default rating.
        rating = request.POST.get("rating") or request.GET.get("rating") or ""
        verdict = request.POST.get("verdict") or request.GET.get("verdict") or ""
        if (
            not rating
            and verdict not in workflow.RULING_VERDICTS
            and claim.recommended_verdict in workflow.RULING_VERDICTS
        ):
            verdict = claim.recommended_verdict
        rationale = request.POST.get("rationale", "")
        correction = request.POST.get("correction", "")
        loaded_state = request.POST.get("loaded_state") or claim.state
        error, status, conflict = "", 200, False
        if request.method == "POST":
            if claim.state != loaded_state and claim.state in RULED_STATES:
                error, status, conflict = ruled_first_message(claim), 409, True
            else:
                try:
                    workflow.rule(
                        claim,
                        user=request.user,
                        rating=rating or None,
                        verdict=None if rating else verdict,
                        rationale=rationale,
                        correction=correction,
                    )
                except workflow.Conflict:
                    claim.refresh_from_db()
                    error, status, conflict = ruled_first_message(claim), 409, True
                except workflow.WorkflowError as exc:
                    error, status = exc.message, 400
                else:
                    self.message_user(request, ruled_message(claim), messages.SUCCESS)
                    return self._back(claim)
        if not rating and verdict in workflow.RULING_VERDICTS:
            try:
                rating = ratings.default_rating(verdict).slug
            except ratings.RatingError:
                rating = ""
        context = claim_context(request, claim)
        return TemplateResponse(
            request,
            "admin/claims/claim/rule.html",
            {
                **self.admin_site.each_context(request),
                **context,
                "opts": self.model._meta,
                "original": claim,
                "media": self.media,
                "title": (
                    "Correct the published ruling"
                    if claim.state in RULED_STATES
                    else "Rule this claim"
                ),
                "verdict": verdict,
                "rating": rating,
                "rationale": rationale,
                "correction": correction,
                # Published before: a new ruling is a correction and needs its note.
                "needs_correction": claim.ruled_at is not None,
                "loaded_state": loaded_state,
                "error": error,
                "can_still_rule": not conflict
                and (claim.state == ClaimState.CORROBORATING or claim.state in RULED_STATES),
                "verdicts": [(v, ClaimState(v).label) for v in workflow.RULING_VERDICTS],
            },
            status=status,
        )

    def _reason_view(self, request, claim, *, title, verb, required, do, done):
        error, status = "", 200
        reason = request.POST.get("reason", "")
        if request.method == "POST":
            try:
                do(reason)
            except workflow.WorkflowError as exc:
                error, status = exc.message, (409 if isinstance(exc, workflow.Conflict) else 400)
                claim.refresh_from_db()
            else:
                self.message_user(request, done, messages.SUCCESS)
                return self._back(claim)
        return TemplateResponse(
            request,
            "admin/claims/claim/reason.html",
            {
                **self.admin_site.each_context(request),
                **claim_context(request, claim),
                "opts": self.model._meta,
                "original": claim,
                "media": self.media,
                "title": title,
                "verb": verb,
                "required": required,
                "reason": reason,
                "error": error,
            },
            status=status,
        )

    def reopen_view(self, request, pk):
        claim = self._claim_or_404(request, pk)
        if not request.user.has_perm("claims.reopen_claim"):
            raise PermissionDenied
        return self._reason_view(
            request,
            claim,
            title="Reopen this claim",
            verb="Reopen",
            required=True,
            do=lambda reason: workflow.reopen(claim, user=request.user, reason=reason),
            done="Reopened: the claim is back in corroboration.",
        )

    def dismiss_view(self, request, pk):
        claim = self._claim_or_404(request, pk)
        if not request.user.has_perm("claims.dismiss_claim"):
            raise PermissionDenied
        return self._reason_view(
            request,
            claim,
            title="Dismiss this claim",
            verb="Dismiss",
            required=False,
            do=lambda reason: workflow.dismiss(claim, user=request.user, reason=reason),
            done="Dismissed as not a claim.",
        )

    def assign_view(self, request, pk):
        claim = self._claim_or_404(request, pk)
        if request.method != "POST":
            return self._back(claim)
        value = request.POST.get("assignee", "")
        if value == "me":
            assignee = request.user
        elif value.isdigit():
            assignee = queues.fact_checkers().filter(pk=int(value)).first()
            if assignee is None:
                self.message_user(request, "That user is not a fact-checker.", messages.ERROR)
                return self._back(claim)
        else:
            assignee = None
        try:
            workflow.assign(claim, assignee=assignee, by=request.user)
        except workflow.Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except workflow.WorkflowError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(
                request, f"Assigned to {assignee}." if assignee else "Unassigned.", messages.SUCCESS
            )
        return self._back(claim)

    def rerun_view(self, request, pk):
        claim = self._claim_or_404(request, pk)
        if not can_rerun(request.user):
            raise PermissionDenied
        if request.method == "POST":
            enqueue_claims([claim.pk])
            self.message_user(
                request,
                "Corroboration queued again; new evidence and flags appear here when it ran.",
                messages.SUCCESS,
            )
        return self._back(claim)

    def comment_view(self, request, pk):
        claim = self._claim_or_404(request, pk)
        if not request.user.has_perm("claims.add_comment"):
            raise PermissionDenied
        body = request.POST.get("body", "").strip() if request.method == "POST" else ""
        if body:
            Comment.objects.create(claim=claim, author=request.user, body=body)
            self.message_user(request, "Comment added.", messages.SUCCESS)
        elif request.method == "POST":
            self.message_user(request, "A comment needs some text.", messages.ERROR)
        return HttpResponseRedirect(
            reverse("admin:claims_claim_change", args=[claim.pk]) + "#comments"
        )

    def resolve_flag_view(self, request, pk):
        flag = get_object_or_404(Flag.objects.select_related("claim"), pk=pk)
        if not request.user.has_perm("claims.resolve_flag"):
            raise PermissionDenied
        back = HttpResponseRedirect(
            reverse("admin:claims_claim_change", args=[flag.claim_id]) + "#flags"
        )
        if request.method != "POST":
            return back
        note = request.POST.get("note", "").strip()
        if not note:
            self.message_user(request, "Resolving a flag needs a note saying why.", messages.ERROR)
            return back
        resolved = flags.resolve_by_hand(flag, user=request.user, note=note)
        if resolved:
            self.message_user(
                request, f"Flag resolved: {flag.get_kind_display()}.", messages.SUCCESS
            )
        else:
            flag.refresh_from_db()
            self.message_user(
                request,
                f"This flag was already resolved by {flag.resolved_by or 'a worker'}: {flag.resolution_note}",
                messages.WARNING,
            )
        return back

    def health_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        health = queues.queue_health()
        peak = max([n for _, n in health.ruled_per_day] + [1])
        return TemplateResponse(
            request,
            "admin/claims/claim/health.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Queue health",
                "health": health,
                "bars": [
                    {"day": day, "n": n, "height": round(80 * n / peak)}
                    for day, n in health.ruled_per_day
                ],
                "total_ruled": sum(n for _, n in health.ruled_per_day),
                "media": self.media,
            },
        )


def ruled_message(claim: Claim):
    back = reverse("admin:claims_claim_changelist")
    if claim.state == ClaimState.PROPOSED:
        proposal = workflow.pending_proposal(claim)
        return format_html(
            "Proposed “{}” for sign-off: “{}”. Another fact-checker signs it off before it is "
            'published. <a href="{}">Back to the queue</a>',
            proposal.rating_label if proposal else "",
            Truncator(claim.text).chars(80),
            back,
        )
    return format_html(
        'Ruled {} (“{}”): “{}”. <a href="{}">Back to the queue</a>',
        ClaimState(claim.state).label.lower(),
        claim.ruling.rating_label if claim.ruling_id else "",
        Truncator(claim.text).chars(80),
        back,
    )


def ruled_first_message(claim: Claim) -> str:
    who = f" by {claim.ruled_by}" if claim.ruled_by_id else ""
    return (
        f"Someone else ruled this claim first: it is now {ClaimState(claim.state).label.lower()}"
        f"{who}. Your ruling was not saved and nothing was overwritten."
    )


def claim_marks(claim: Claim) -> list[Mark]:
    marks = [
        Mark(
            claim.start,
            claim.end,
            f"fc-state-{claim.state} fc-this",
            "this claim",
            anchor="claim-here",
        )
    ]
    for a_start, a_end in claim.appearances or []:
        if (a_start, a_end) != (claim.start, claim.end):
            marks.append(Mark(a_start, a_end, "fc-appearance", "the same claim, said again"))
    return marks


def claim_context(request, claim: Claim) -> dict:
    """Everything the claim page and the ruling page show, in a fixed number of queries."""
    article = claim.article
    body = article.body
    p_start, p_end = paragraph_bounds(body, claim.start, claim.end)
    in_context = highlight(body[p_start:p_end], [claim_marks(claim)[0]], offset=p_start)
    evidence = list(
        Evidence.objects.filter(claim=claim)
        .select_related("source", "passage")
        .order_by("stance", "-rank", "pk")
    )
    stance_order = {
        Evidence.Stance.CONTRADICTS: 0,
        Evidence.Stance.SUPPORTS: 1,
        Evidence.Stance.MENTIONS: 2,
    }
    evidence.sort(key=lambda e: (stance_order.get(e.stance, 3), -e.rank, e.pk))
    flags = list(Flag.objects.filter(claim=claim).select_related("evidence__source", "resolved_by"))
    flags.sort(key=lambda f: (f.resolved_at is not None, -f.severity, f.pk))
    comments = list(Comment.objects.filter(claim=claim).select_related("author"))
    history = list(
        Transition.objects.filter(claim=claim).select_related("actor").order_by("created_at", "pk")
    )
    similar_ids = [
        s.get("claim") for s in (getattr(claim, "similar", None) or []) if isinstance(s, dict)
    ]
    scores = {
        s.get("claim"): s.get("score")
        for s in (getattr(claim, "similar", None) or [])
        if isinstance(s, dict)
    }
    related = (
        Claim.objects.filter(
            Q(pk__in=[i for i in similar_ids if isinstance(i, int)])
            | Q(pk=claim.same_as_id or 0)
            | Q(same_as=claim)
            | (Q(normalized=claim.normalized) if claim.normalized else Q(pk=0))
        )
        .exclude(pk=claim.pk)
        .select_related("article", "ruled_by")
    )
    similar = [
        {
            "claim": other,
            "relation": (
                "same claim, seen earlier"
                if other.pk == claim.same_as_id or other.normalized == claim.normalized
                else "repeats this claim"
                if other.same_as_id == claim.pk
                else "similar"
            ),
            "score": scores.get(other.pk),
            "badge": state_badge(other.state, reopened=other.reopened),
        }
        for other in related
    ]
    user = request.user
    attribution = claim.attribution or {}
    parts = [
        Mark(h["start"], h["end"], "fc-hedge", "hedge") for h in claim.hedges or [] if "start" in h
    ]
    parts += [
        Mark(q["start"], q["end"], "fc-quantity", "quantity")
        for q in claim.quantities or []
        if "start" in q
    ]
    parts += [
        Mark(x["start"], x["end"], "fc-time", "time reference")
        for x in claim.times or []
        if "start" in x
    ]
    return {
        "claim": claim,
        "article": article,
        "in_context": in_context,
        "claim_parts": highlight(claim.text, parts, offset=claim.start),
        "paragraph_starts_body": p_start == 0,
        "paragraph_ends_body": p_end == len(body),
        "state_badge": state_badge(claim.state, reopened=claim.reopened),
        "recommended": (
            Recommendation(claim.recommended_verdict).label
            if claim.recommended_verdict in Recommendation.values
            else ""
        ),
        "evidence": evidence,
        "n_supporting": sum(1 for e in evidence if e.stance == Evidence.Stance.SUPPORTS),
        "n_contradicting": sum(1 for e in evidence if e.stance == Evidence.Stance.CONTRADICTS),
        "n_mentions": sum(1 for e in evidence if e.stance == Evidence.Stance.MENTIONS),
        "flags": flags,
        "open_flags": [f for f in flags if f.resolved_at is None],
        "comments": comments,
        "history": history,
        "similar": similar,
        "attribution": attribution,
        "attribution_chain": attribution.get("chain") or [],
        "colleagues": [u for u in queues.fact_checkers() if u.pk != user.pk]
        if can_assign(user)
        else [],
        **publishing_context(request, claim),
        "can_rule": can_rule(user) and claim.state == ClaimState.CORROBORATING,
        "can_reopen": user.has_perm("claims.reopen_claim")
        and claim.state != ClaimState.CORROBORATING
        and claim.state != ClaimState.EXTRACTED,
        "can_dismiss": user.has_perm("claims.dismiss_claim")
        and claim.state in (ClaimState.EXTRACTED, ClaimState.CORROBORATING),
        "can_assign": can_assign(user),
        "can_rerun": can_rerun(user) and claim.state != ClaimState.DISMISSED,
        "can_comment": user.has_perm("claims.add_comment"),
        "can_resolve": user.has_perm("claims.resolve_flag"),
        "is_assigned_to_me": claim.assignee_id == user.pk,
    }
