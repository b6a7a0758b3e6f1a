"""The claim list (the fact-checkers' work queues), the claim page and the workflow views.

Every state change goes through `claims.workflow`; these views only load the claim,
call it, and show its outcome (a WorkflowError's message is written for people).
The pages are read-only forms: machine-made fields are never edited here.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.urls import path
from django.utils.timesince import timesince
from django.utils.translation import gettext

from claims import queues, workflow
from claims.admin.claim_page import ClaimPageViews
from claims.admin.html import html, join
from claims.admin.limits import BoundedSearchMixin
from claims.admin.metrics import MetricsViews
from claims.admin.publishing import ClaimPublishingViews
from claims.admin.queue_list import (
    AnalysisFilter,
    AssigneeFilter,
    CappedPaginator,
    CheckworthinessFilter,
    ClaimActionForm,
    ClaimChangeList,
    FlagKindFilter,
    QueueFilter,
    article_lead,
    can_assign,
    can_rerun,
    change_url,
    clip,
    default_queue,
    flag_chip,
    state_badge,
)
from claims.models import (
    Claim,
    ClaimState,
)
from workers.corroborate import enqueue_claims

# --- the admin ------------------------------------------------------------------------------


@admin.register(Claim)
class ClaimAdmin(
    ClaimPublishingViews, ClaimPageViews, MetricsViews, BoundedSearchMixin, admin.ModelAdmin
):
    list_display = (
        "claim",
        "state_badge",
        "flag_chips",
        "evidence_counts",
        "assignee",
        "worth_age",
    )
    # The claim cell carries its own two links (the claim, its article).
    list_display_links = None
    list_filter = (
        QueueFilter,
        "state",
        FlagKindFilter,
        AssigneeFilter,
        "article__outlet",
        "article__published_at",
        CheckworthinessFilter,
        AnalysisFilter,
    )
    search_fields = ("text", "article__title", "article__body")
    search_help_text = "Search the claim text and its article's title and body."
    list_per_page = 100
    # The list counts its rows once, capped (CappedPaginator); no count of all claims.
    show_full_result_count = False
    paginator = CappedPaginator
    action_form = ClaimActionForm
    actions = [
        "assign_to_me",
        "assign_to_colleague",
        "unassign",
        "rerun_corroboration",
        "dismiss_claims",
        "follow_claims",
        "unfollow_claims",
        "export_csv",
    ]
    change_form_template = "admin/claims/claim/change_form.html"
    change_list_template = "admin/claims/claim/change_list.html"
    fieldsets = [
        (
            "Record",
            {
                "classes": ("collapse",),
                "fields": (
                    "text",
                    ("start", "end"),
                    "normalized",
                    ("claim_type", "certainty", "attribution_kind"),
                    ("recommended_verdict", "recommendation_confidence"),
                    "recommendation_reason",
                    "analysis_error",
                    ("ruled_by", "ruled_at"),
                    "rationale",
                    ("created_at", "corroborated_at", "updated_at"),
                    "recheck_after",
                ),
            },
        ),
    ]
    readonly_fields = [f.name for f in Claim._meta.fields]

    class Media:
        css = {"all": ("claims/admin.css",)}

    # Nobody edits a claim through a form: the state moves through the workflow views and
    # the rest is machine-made. View permission is enough to open the pages.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_assign_permission(self, request):
        return can_assign(request.user)

    def has_rerun_permission(self, request):
        return can_rerun(request.user)

    def has_dismiss_permission(self, request):
        return request.user.has_perm("claims.dismiss_claim")

    def get_queryset(self, request):
        # The open flags of the page are attached by ClaimChangeList (one query, always).
        qs = Claim._default_manager.select_related("article", "assignee")
        qs = queues.with_priority(qs)
        return qs.order_by(*self.get_ordering(request))

    def get_changelist(self, request, **kwargs):
        return ClaimChangeList

    def get_ordering(self, request):
        return list(queues.queue_order(request.GET.get("queue")))

    # cells

    def list_row(self, cl, obj) -> list[str]:
        """A row of the list: the cells `items_for_result` would render, in one pass.

        Every column is a cell method returning safe HTML, or the assignee; anything
        else added to list_display goes through the admin's own rendering.
        """
        if not set(cl.list_display) <= self._fast_columns:
            return list(items_for_result(cl, obj, None))
        cells = []
        for name in cl.list_display:
            if name == "action_checkbox":
                cells.append(html('<td class="action-checkbox">{}</td>', self.action_checkbox(obj)))
            elif name == "assignee":
                who = (
                    obj.assignee.get_username()
                    if obj.assignee_id
                    else self.get_empty_value_display()
                )
                cells.append(html('<td class="field-assignee nowrap">{}</td>', who))
            else:
                cells.append(html('<td class="field-{}">{}</td>', name, getattr(self, name)(obj)))
        return cells

    _fast_columns = frozenset(
        {
            "action_checkbox",
            "assignee",
            "claim",
            "state_badge",
            "flag_chips",
            "evidence_counts",
            "worth_age",
        }
    )

    def action_checkbox(self, obj):
        # The admin's own checkbox, the same markup, without a form-widget template render
        # for each of the 100 rows of a page.
        return html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            html(gettext("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description="claim · article", ordering="text")
    def claim(self, obj):
        return html(
            '<a class="fc-claim-link" href="{}">{}</a>'
            '<div class="fc-muted">in <a href="{}#claim-{}">{}</a> · {}</div>',
            change_url("admin:claims_claim_change", obj.pk),
            clip(obj.text, 140),
            change_url("admin:claims_article_change", obj.article_id),
            obj.pk,
            clip(obj.article.title or article_lead(obj), 60),
            obj.article.outlet or "no outlet",
        )

    @admin.display(description="state", ordering="state")
    def state_badge(self, obj):
        return state_badge(obj.state, reopened=obj.reopened)

    @admin.display(description="open flags", ordering="-priority")
    def flag_chips(self, obj):
        flags = getattr(obj, "open_flags", None)
        if flags is None:
            flags = list(obj.flags.filter(resolved_at__isnull=True))
        if not flags:
            return html('<span class="fc-muted">{}</span>', "none")
        return join(" ", (flag_chip(f) for f in sorted(flags, key=lambda f: -f.severity)))

    @admin.display(description="evid. ✓/✗")
    def evidence_counts(self, obj):
        return html(
            '<span class="fc-ev-sup" title="supporting">{} ✓</span> / '
            '<span class="fc-ev-con" title="contradicting">{} ✗</span>',
            getattr(obj, "n_supporting", 0),
            getattr(obj, "n_contradicting", 0),
        )

    @admin.display(description="worth · age", ordering="-checkworthiness")
    def worth_age(self, obj):
        return html(
            '<span title="check-worthiness">{}</span><div class="fc-muted" title="created {}">{}</div>',
            f"{obj.checkworthiness:.2f}",
            obj.created_at.isoformat(timespec="minutes"),
            timesince(obj.created_at, depth=1),
        )

    # the list

    def changelist_view(self, request, extra_context=None):
        current = request.GET.get("queue")
        if current not in queues.QUEUE_KEYS:
            current = default_queue(request)
        counts = queues.queue_counts(request.user)
        tabs = [
            {
                "key": q.key,
                "label": q.label,
                "help": q.help,
                "count": counts[q.key],
                "count_label": counts[q.key].label,
                "selected": q.key == current,
                "url": f"?queue={q.key}",
            }
            for q in queues.QUEUES
        ]
        extra = {
            "queue_tabs": tabs,
            "current_queue": next(q for q in queues.QUEUES if q.key == current),
            "title": "Claims",
            "subtitle": None,
        }
        return super().changelist_view(request, extra_context={**extra, **(extra_context or {})})

    # actions on the list

    def _each(self, request, queryset, do, done: str):
        ok, errors = 0, []
        for claim in queryset:
            try:
                do(claim)
                ok += 1
            except workflow.WorkflowError as exc:
                errors.append(f"claim {claim.pk}: {exc.message}")
        if ok:
            self.message_user(
                request, f"{done}: {ok} claim{'s' if ok != 1 else ''}.", messages.SUCCESS
            )
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(description="Assign to me", permissions=["assign"])
    def assign_to_me(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda c: workflow.assign(c, assignee=request.user, by=request.user),
            "Assigned to you",
        )

    @admin.action(description="Assign to the colleague chosen above", permissions=["assign"])
    def assign_to_colleague(self, request, queryset):
        colleague = (
            ClaimActionForm(request.POST).fields["colleague"].clean(request.POST.get("colleague"))
        )
        if colleague is None:
            self.message_user(request, "Choose a colleague first.", messages.WARNING)
            return
        self._each(
            request,
            queryset,
            lambda c: workflow.assign(c, assignee=colleague, by=request.user),
            f"Assigned to {colleague}",
        )

    @admin.action(description="Unassign", permissions=["assign"])
    def unassign(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda c: workflow.assign(c, assignee=None, by=request.user),
            "Unassigned",
        )

    @admin.action(description="Run corroboration again", permissions=["rerun"])
    def rerun_corroboration(self, request, queryset):
        ids = list(queryset.exclude(state=ClaimState.DISMISSED).values_list("pk", flat=True))
        enqueue_claims(ids)
        self.message_user(
            request, f"Corroboration queued again for {len(ids)} claim(s).", messages.SUCCESS
        )

    @admin.action(description="Dismiss as not a claim", permissions=["dismiss"])
    def dismiss_claims(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda c: workflow.dismiss(
                c, user=request.user, reason="dismissed from the queue: not a claim"
            ),
            "Dismissed",
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # the claim page

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("health/", view(self.health_view), name="claims_claim_health"),
            path("metrics/", view(self.metrics_view), name="claims_claim_metrics"),
            path("<int:pk>/rule/", view(self.rule_view), name="claims_claim_rule"),
            path("<int:pk>/signoff/", view(self.signoff_view), name="claims_claim_signoff"),
            path("<int:pk>/return/", view(self.return_view), name="claims_claim_return"),
            path("<int:pk>/reopen/", view(self.reopen_view), name="claims_claim_reopen"),
            path("<int:pk>/dismiss/", view(self.dismiss_view), name="claims_claim_dismiss"),
            path("<int:pk>/assign/", view(self.assign_view), name="claims_claim_assign"),
            path("<int:pk>/rerun/", view(self.rerun_view), name="claims_claim_rerun"),
            path("<int:pk>/comment/", view(self.comment_view), name="claims_claim_comment"),
            path(
                "flag/<int:pk>/resolve/", view(self.resolve_flag_view), name="claims_flag_resolve"
            ),
            *super().get_urls(),
        ]
