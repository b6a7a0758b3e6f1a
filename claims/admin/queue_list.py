"""The claim list's parts: permissions, cells, counting, filters and the action form.

`claims.admin.claims.ClaimAdmin` assembles them into the fact-checkers' work queues.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db.models import Exists, Prefetch
from django.db.models.functions import Substr
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import cached_property

from claims import flags, queues, workflow
from claims.admin.html import html
from claims.admin.limits import parse_id
from claims.models import (
    Claim,
    ClaimState,
    Flag,
    FlagKind,
)

STATE_HELP = {
    ClaimState.EXTRACTED: "found in the article, not yet corroborated",
    ClaimState.CORROBORATING: "evidence gathered; awaiting a fact-checker's ruling",
    ClaimState.PROPOSED: "a ruling is proposed; awaiting a second fact-checker's sign-off",
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


def article_lead(claim: Claim) -> str:
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
            return queryset.exclude(Exists(flags.open_flags()))
        kinds = None if value == "any" else [value]
        return queryset.filter(Exists(flags.open_flags(kinds)))


class AnalysisFilter(admin.SimpleListFilter):
    """Claims whose analysis failed (or skipped a source): Claim.analysis_error."""

    title = "analysis"
    parameter_name = "analysis"

    def lookups(self, request, model_admin):
        return [("failed", "Analysis failed"), ("ok", "Analysis ran")]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.exclude(analysis_error="")
        if self.value() == "ok":
            return queryset.filter(analysis_error="")
        return queryset


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
        if value:
            return queryset.filter(assignee_id=parse_id(value))
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
