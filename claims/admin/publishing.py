"""Publishing in the admin: sign off or return a proposed ruling, the claim page's ruling
versions and "Checked elsewhere" panels, the rating scale (editors edit it), published
fact-checks and their feeds.

Sign-off and return go through `claims.workflow` (the person who proposed cannot do
either); these views load the claim, call it, and show the outcome.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html, format_html_join

from claims import ratings, workflow
from claims.admin.others import ReadOnlyAdmin, claim_link
from claims.models import (
    RULED_STATES,
    Claim,
    ClaimState,
    FactCheck,
    FactCheckFeed,
    FactCheckMatch,
    Rating,
    Ruling,
)


class ClaimPublishingViews:
    """The views behind the sign-off buttons of the claim page (a ModelAdmin mixin)."""

    def signoff_view(self, request, pk):
        claim = self._claim_or_404(request, pk)
        if not workflow.can_rule(request.user):
            raise PermissionDenied("Only fact-checkers can sign off a ruling.")
        if request.method != "POST":
            return self._back(claim)
        try:
            workflow.sign_off(claim, user=request.user, note=request.POST.get("note", ""))
        except workflow.Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except workflow.WorkflowError as exc:
            claim.refresh_from_db()
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(
                request,
                f"Signed off and published: {ClaimState(claim.state).label.lower()} "
                f"(“{claim.ruling.rating_label if claim.ruling_id else ''}”).",
                messages.SUCCESS,
            )
        return self._back(claim)

    def return_view(self, request, pk):
        claim = self._claim_or_404(request, pk)
        if not workflow.can_rule(request.user):
            raise PermissionDenied("Only fact-checkers can return a ruling.")
        proposal = workflow.pending_proposal(claim)
        if proposal is not None and proposal.proposed_by_id == request.user.pk:
            raise PermissionDenied("You proposed this ruling; a second person must return it.")
        return self._reason_view(
            request,
            claim,
            title="Return the proposed ruling",
            verb="Return",
            required=True,
            do=lambda note: workflow.return_proposal(claim, user=request.user, note=note),
            done="Returned to the fact-checker who proposed it, with your note.",
        )


def publishing_context(request, claim: Claim) -> dict:
    """What the claim page and the ruling page show about publishing, in three queries."""
    user = request.user
    versions = list(
        Ruling.objects.filter(claim=claim).select_related(
            "proposed_by", "signed_off_by", "returned_by"
        )
    )
    proposal = next((r for r in versions if r.status == Ruling.Status.PROPOSED), None)
    matches = list(
        FactCheckMatch.objects.filter(claim=claim)
        .select_related("factcheck", "flag")
        .order_by("-score", "pk")
    )
    is_proposer = proposal is not None and proposal.proposed_by_id == user.pk
    may_review = (
        workflow.can_rule(user)
        and proposal is not None
        and claim.state == ClaimState.PROPOSED
        and not is_proposer
    )
    return {
        "rulings": versions,
        "published_ruling": next((r for r in versions if r.pk == claim.ruling_id), None),
        "corrections": max(0, sum(1 for r in versions if r.published_at) - 1),
        "proposal": proposal,
        "is_proposer": is_proposer,
        "can_signoff": may_review,
        "can_return": may_review,
        "can_correct": workflow.can_rule(user) and claim.state in RULED_STATES,
        "signoff_required": workflow.signoff_required(),
        "checked_elsewhere": matches,
        "scale": ratings.active_scale(),
    }


# --- the scale, fact-checks, feeds ----------------------------------------------------------


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """The newsroom's rating scale. Editors change it; a rating a ruling used is retired
    (unticked "active"), never deleted, so published history keeps its rating."""

    list_display = ("label", "slug", "verdict", "value", "is_default", "active", "description")
    list_filter = ("verdict", "active")
    ordering = ("-value", "slug")
    prepopulated_fields = {"slug": ("label",)}
    fields = ("label", "slug", "description", "verdict", "value", "is_default", "active")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ruling)
class RulingAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "claim_text",
        "number",
        "rating_label",
        "status",
        "proposed_by",
        "signed_off_by",
    )
    list_filter = ("status", "verdict")
    list_select_related = ("claim", "proposed_by", "signed_off_by")

    @admin.display(description="claim")
    def claim_text(self, obj):
        return claim_link(obj.claim_id, obj.claim.text)


@admin.register(FactCheck)
class FactCheckAdmin(ReadOnlyAdmin):
    list_display = ("claim_reviewed_text", "publisher", "rating_text", "review_date", "language")
    list_filter = ("language", "review_date")
    search_fields = ("claim_reviewed", "publisher", "review_url")
    readonly_fields = ("matched_claims", "raw_json_ld")
    exclude = ("raw",)

    def get_readonly_fields(self, request, obj=None):
        names = [f.name for f in self.model._meta.fields if f.name != "raw"]
        return [*names, "matched_claims", "raw_json_ld"]

    @admin.display(description="claim reviewed")
    def claim_reviewed_text(self, obj):
        text = obj.claim_reviewed
        return text if len(text) <= 120 else text[:119] + "…"

    @admin.display(description="matches our claims")
    def matched_claims(self, obj):
        rows = obj.matches.select_related("claim").order_by("-score")[:50]
        if not rows:
            return "none"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} ({}, {})</li>",
                (
                    (claim_link(m.claim_id, m.claim.text), f"{m.score:.2f}", m.get_kind_display())
                    for m in rows
                ),
            ),
        )

    @admin.display(description="JSON-LD as imported")
    def raw_json_ld(self, obj):
        # Shown as text (escaped by format_html): imported JSON-LD may carry markup.
        return format_html(
            '<pre class="fc-raw">{}</pre>', json.dumps(obj.raw, indent=2, ensure_ascii=False)
        )


@admin.register(FactCheckFeed)
class FactCheckFeedAdmin(admin.ModelAdmin):
    list_display = ("__str__", "active", "poll_interval_minutes", "last_polled_at", "last_error")
    list_filter = ("active",)
    readonly_fields = (
        "etag",
        "last_modified",
        "last_polled_at",
        "last_error",
        "last_result",
        "created_by",
        "created_at",
    )
    fields = ("url", "title", "active", "poll_interval_minutes", *readonly_fields)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
