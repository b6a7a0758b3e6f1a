"""The claim list (the fact-checkers' work queues), the claim page and the workflow views.

Every state change goes through `claims.workflow`; these views only load the claim,
call it, and show its outcome (a WorkflowError's message is written for people).
The pages are read-only forms: machine-made fields are never edited here.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, Prefetch, Q
from django.db.models.functions import Substr
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, get_urlconf, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext

from claims import queues, workflow
from claims.admin.highlight import Mark, highlight, paragraph_bounds
from claims.admin.html import html, join
from claims.models import (
    RULED_STATES,
    Claim,
    ClaimState,
    Comment,
    Evidence,
    Flag,
    FlagKind,
    Recommendation,
    Transition,
    refresh_priority,
)

STATE_HELP = {
    ClaimState.EXTRACTED: "found in the article, not yet corroborated",
    ClaimState.CORROBORATING: "evidence gathered; awaiting a fact-checker's ruling",
    ClaimState.VERIFIED: "ruled verified",
    ClaimState.DISPUTED: "ruled disputed",
    ClaimState.DISMISSED: "dismissed: not a checkable claim",
}


# --- permissions ----------------------------------------------------------------------------


def can_rule(user) -> bool:
    return workflow.can_rule(user)


def can_assign(user) -> bool:
    return user.has_perm("claims.assign_claim")


def can_rerun(user) -> bool:
    # Re-running corroboration rewrites evidence and flags: fact-checkers' work.
    return user.has_perm("claims.change_claim")


# --- the list: cells ------------------------------------------------------------------------


STATE_LABELS = dict(ClaimState.choices)
FLAG_LABELS = dict(FlagKind.choices)


def state_badge(state: str, *, reopened: bool = False) -> str:
    label = STATE_LABELS[state]
    return html(
        '<span class="fc-badge fc-state-{}" title="{}">{}{}</span>',
        state,
        STATE_HELP.get(state, ""),
        label,
        " (reopened)" if reopened and state == ClaimState.CORROBORATING else "",
    )


def flag_chip(flag: Flag) -> str:
    return html(
        '<span class="fc-chip fc-sev-{}" title="{}">{}</span>',
        flag.severity,
        flag.message,
        FLAG_LABELS.get(flag.kind, flag.kind),
    )


def open_flags_prefetch() -> Prefetch:
    return Prefetch(
        "flags",
        queryset=Flag.objects.filter(resolved_at__isnull=True).order_by(
            "claim_id", "created_at", "pk"
        ),
        to_attr="open_flags",
    )


def attach_open_flags(claims: list[Claim]) -> None:
    """Set `open_flags` on each claim of a page with one query, even for an empty page.

    A prefetch_related skips its query when there are no rows, which made the list cost
    one query less when a queue is empty; the page costs the same whatever it shows.
    """
    ids = [c.pk for c in claims]
    # `claim_id IN ()` would not reach the database; an id no claim has keeps the query.
    flags = Flag.objects.filter(claim_id__in=ids or [0], resolved_at__isnull=True).order_by(
        "claim_id", "created_at", "pk"
    )
    by_claim: dict[int, list[Flag]] = {c.pk: [] for c in claims}
    for flag in flags:
        by_claim[flag.claim_id].append(flag)
    for claim in claims:
        claim.open_flags = by_claim[claim.pk]


# --- the list: counting ---------------------------------------------------------------------


class CappedPaginator(Paginator):
    """Counts up to queues.LIST_COUNT_CAP: a big list is "1,000+ claims", not a scan.

    The count reads at most LIST_COUNT_CAP + 1 index entries; the pages go as far as the
    count (10 pages of 100). Further down a queue, narrow it with a filter or a search.
    """

    @cached_property
    def count(self) -> queues.QueueCount:
        return queues.capped_count(self.object_list)


# Claim and article columns the list never shows: not read for the 100 rows of a page
# (an article body is kilobytes; the list shows its first words when it has no title).
LIST_DEFERRED = (
    "normalized",
    "appearances",
    "attribution",
    "hedges",
    "quantities",
    "times",
    "similar",
    "recommendation_reason",
    "rationale",
    "article__body",
    "article__boilerplate",
)


class ClaimChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        qs = super().get_queryset(request, exclude_parameters)
        return qs.defer(*LIST_DEFERRED).annotate(article_lead=Substr("article__body", 1, 80))

    def get_results(self, request):
        super().get_results(request)
        # Evaluate the page here so its flags load in one query (see attach_open_flags).
        self.result_list = list(self.result_list)
        attach_open_flags(self.result_list)
        self.result_count_label = self.paginator.count.label
        self.result_count_capped = self.paginator.count.capped


def _article_lead(claim: Claim) -> str:
    # The list's querysets annotate the first words; elsewhere, read the body.
    lead = getattr(claim, "article_lead", None)
    return lead if lead is not None else claim.article.body


def clip(text: str, n: int) -> str:
    """Truncator(text).chars(n) for the list's cells, without its per-character pass."""
    return text if len(text) <= n else text[: n - 1] + "…"


_PK = "__pk__"


@functools.lru_cache(maxsize=32)
def _change_url_template(name: str, prefix: str, urlconf) -> str:
    return reverse(name, args=[_PK], urlconf=urlconf)


def change_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for the list's two links a row, from one reverse per name."""
    return _change_url_template(name, get_script_prefix(), get_urlconf()).replace(_PK, str(pk))


# --- the list: filters ----------------------------------------------------------------------


class QueueFilter(admin.SimpleListFilter):
    """The work queues as one filter; with no other filter or search, the user's own queue."""

    title = "queue"
    parameter_name = "queue"

    def __init__(self, request, params, model, model_admin):
        self._request = request
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [(q.key, q.label) for q in queues.QUEUES]

    def value(self):
        value = super().value()
        if value in queues.QUEUE_KEYS:
            return value
        return default_queue(self._request)

    def queryset(self, request, queryset):
        return queryset.filter(queues.queue_q(self.value(), request.user))

    def choices(self, changelist):
        current = self.value()
        for key, label in self.lookup_choices:
            yield {
                "selected": current == key,
                "query_string": changelist.get_query_string({self.parameter_name: key}),
                "display": label,
            }


def default_queue(request) -> str:
    """The list opens on the fact-checker's queue; a search or a filter looks at all claims."""
    ignored = {"o", "p", "e", "_changelist_filters", "_to_field", "_popup", "q"}
    narrowed = any(k not in ignored for k in request.GET) or request.GET.get("q")
    if narrowed or not can_rule(request.user):
        return "all"
    return queues.DEFAULT_QUEUE


class FlagKindFilter(admin.SimpleListFilter):
    title = "open flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [("any", "Any open flag"), ("none", "No open flag"), *FlagKind.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value == "none":
            return queryset.exclude(Exists(queues._open_flags()))
        kinds = None if value == "any" else [value]
        return queryset.filter(Exists(queues._open_flags(kinds)))


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return [("me", "Me"), ("none", "Nobody")] + [
            (str(u.pk), u.get_username()) for u in queues.fact_checkers()
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset


class CheckworthinessFilter(admin.SimpleListFilter):
    title = "check-worthiness"
    parameter_name = "worth"
    BANDS = {"high": (0.7, 1.01), "medium": (0.4, 0.7), "low": (0.0, 0.4)}

    def lookups(self, request, model_admin):
        return [("high", "High (≥ 0.7)"), ("medium", "Medium (0.4–0.7)"), ("low", "Low (< 0.4)")]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        return queryset.filter(checkworthiness__gte=band[0], checkworthiness__lt=band[1])


class ClaimActionForm(ActionForm):
    colleague = forms.ModelChoiceField(
        queryset=queues.fact_checkers(),
        required=False,
        label="Colleague",
        empty_label="(colleague)",
    )


# --- the admin ------------------------------------------------------------------------------


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
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
        return list(queues.PRIORITY_ORDER)

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
            clip(obj.article.title or _article_lead(obj), 60),
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
        enqueue_corroboration(ids)
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
            path("<int:pk>/rule/", view(self.rule_view), name="claims_claim_rule"),
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
        verdict = request.POST.get("verdict") or request.GET.get("verdict") or ""
        if (
            verdict not in workflow.RULING_VERDICTS
            and claim.recommended_verdict in workflow.RULING_VERDICTS
        ):
            verdict = claim.recommended_verdict
        rationale = request.POST.get("rationale", "")
        loaded_state = request.POST.get("loaded_state") or claim.state
        error, status = "", 200
        if request.method == "POST":
            if claim.state != loaded_state and claim.state in RULED_STATES:
                error, status = ruled_first_message(claim), 409
            else:
                try:
                    workflow.rule(claim, user=request.user, verdict=verdict, rationale=rationale)
                except workflow.Conflict:
                    claim.refresh_from_db()
                    error, status = ruled_first_message(claim), 409
                except workflow.WorkflowError as exc:
                    error, status = exc.message, 400
                else:
                    self.message_user(
                        request,
                        format_html(
                            'Ruled {}: “{}”. <a href="{}">Back to the queue</a>',
                            ClaimState(claim.state).label.lower(),
                            Truncator(claim.text).chars(80),
                            reverse("admin:claims_claim_changelist"),
                        ),
                        messages.SUCCESS,
                    )
                    return self._back(claim)
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
                "title": "Rule this claim",
                "verdict": verdict,
                "rationale": rationale,
                "loaded_state": loaded_state,
                "error": error,
                "can_still_rule": claim.state == ClaimState.CORROBORATING,
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
            enqueue_corroboration([claim.pk])
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
        # Compare-and-swap on "still open" so two people resolving at once keep the first note.
        with transaction.atomic():
            resolved = Flag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
                resolved_at=timezone.now(), resolved_by=request.user, resolution_note=note
            )
            if resolved:
                # The claim's worst open flag may have been this one: its queue position.
                refresh_priority([flag.claim_id])
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


def ruled_first_message(claim: Claim) -> str:
    who = f" by {claim.ruled_by}" if claim.ruled_by_id else ""
    return (
        f"Someone else ruled this claim first: it is now {ClaimState(claim.state).label.lower()}"
        f"{who}. Your ruling was not saved and nothing was overwritten."
    )


def enqueue_corroboration(claim_ids: list[int]) -> None:
    from workers.tasks import corroborate_claim

    for claim_id in claim_ids:
        transaction.on_commit(lambda claim_id=claim_id: corroborate_claim.delay(claim_id))


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
