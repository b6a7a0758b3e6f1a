"""The article page: the body with every claim marked in its state's colour, and every
sentence the extractor scored below the check-worthiness threshold greyed out with its
score, for a fact-checker to promote to a claim in one click."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims import workflow
from claims.admin.highlight import Mark, highlight
from claims.admin.limits import BoundedSearchMixin
from claims.admin.queue_list import can_rule, open_flags_prefetch, state_badge
from claims.models import Article, Claim, ClaimState
from workers.ingest import promote_sentence

STATUS_CSS = {
    Article.Status.RECEIVED: "fc-status-waiting",
    Article.Status.PROCESSING: "fc-status-waiting",
    Article.Status.PROCESSED: "fc-status-ok",
    Article.Status.FAILED: "fc-status-failed",
}


def article_marks(article: Article, claims: list[Claim]) -> list[Mark]:
    marks = []
    for claim in claims:
        flags = claim.open_flags
        kinds = ", ".join(sorted({f.get_kind_display() for f in flags}))
        title = f"{ClaimState(claim.state).label}" + (f"; flagged: {kinds}" if kinds else "")
        marks.append(
            Mark(
                claim.start,
                claim.end,
                f"fc-state-{claim.state}" + (" fc-flagged" if flags else ""),
                title=title,
                href=reverse("admin:claims_claim_change", args=[claim.pk]),
                anchor=f"claim-{claim.pk}",
                badge=f"⚑{len(flags)}" if flags else "",
            )
        )
    # Sentences below the check-worthiness threshold: greyed, with their score.
    for start, end, score, *_ in below_threshold(article, claims):
        marks.append(
            Mark(
                start,
                end,
                "fc-below",
                title=f"check-worthiness {score:.2f}, below the threshold: not a claim",
                anchor=f"sentence-{start}",
            )
        )
    # Boilerplate (captions, "Trending Now") is greyed out where no claim sits on it.
    for start, end in article.boilerplate or []:
        marks.append(Mark(start, end, "fc-boilerplate", title="boilerplate, not part of the story"))
    return marks


def below_threshold(article: Article, claims: list[Claim]) -> list[list]:
    """The article's scored sentences that are not claims: [start, end, score], body order."""
    spans = {(c.start, c.end) for c in claims}
    for c in claims:
        spans.update((a, b) for a, b in c.appearances or [])
    return [s for s in article.sentences or [] if (s[0], s[1]) not in spans]


def sentence_rows(article: Article, claims: list[Claim]) -> list[dict]:
    body = article.body
    return [
        {"start": start, "end": end, "score": score, "text": body[start:end]}
        for start, end, score, *_ in below_threshold(article, claims)
    ]


@admin.register(Article)
class ArticleAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = (
        "title_link",
        "outlet",
        "published_at",
        "status_badge",
        "claim_counts",
        "created_at",
    )
    list_display_links = ("title_link",)
    list_filter = ("status", "outlet", "published_at")
    search_fields = ("title", "body")
    readonly_fields = [f.name for f in Article._meta.fields]
    change_form_template = "admin/claims/article/change_form.html"
    fieldsets = [
        (
            "Record",
            {
                "classes": ("collapse",),
                "fields": (
                    "title",
                    ("byline", "outlet"),
                    "url",
                    ("published_at", "created_at", "processed_at"),
                    ("status", "attempts"),
                    "last_error",
                    "content_hash",
                ),
            },
        )
    ]

    class Media:
        css = {"all": ("claims/admin.css",)}

    # Articles arrive through the API, the CLI and feeds, which parse and queue them; the
    # admin shows them. Editors may still correct metadata through change_article.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_claims=Count("claims", distinct=True),
                n_open=Count(
                    "claims",
                    filter=Q(claims__state__in=["extracted", "corroborating"]),
                    distinct=True,
                ),
            )
        )

    @admin.display(description="title", ordering="title")
    def title_link(self, obj):
        return Truncator(obj.title or obj.body).chars(90)

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="fc-badge {}" title="{}">{}</span>',
            STATUS_CSS.get(obj.status, ""),
            obj.last_error,
            obj.get_status_display(),
        )

    @admin.display(description="claims (open)")
    def claim_counts(self, obj):
        return f"{getattr(obj, 'n_claims', 0)} ({getattr(obj, 'n_open', 0)})"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra = {}
        if article is not None:
            claims = list(
                Claim.objects.filter(article=article)
                .select_related("assignee")
                .prefetch_related(open_flags_prefetch())
                .order_by("start")
            )
            extra = {
                "article": article,
                "highlighted_body": highlight(article.body, article_marks(article, claims)),
                "claims": [
                    {
                        "claim": c,
                        "badge": state_badge(c.state, reopened=c.reopened),
                        "flags": c.open_flags,
                    }
                    for c in claims
                ],
                "status_css": STATUS_CSS.get(article.status, ""),
                "below": sentence_rows(article, claims),
                "can_promote": can_rule(request.user),
                "states": [(s.value, s.label) for s in ClaimState],
                "n_flagged": sum(1 for c in claims if c.open_flags),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/promote/", view(self.promote_view), name="claims_article_promote"),
            *super().get_urls(),
        ]

    def promote_view(self, request, pk):
        """POST start and end of a scored sentence: it becomes a claim."""
        article = get_object_or_404(Article, pk=pk)
        if not can_rule(request.user):
            raise PermissionDenied("Only fact-checkers can promote a sentence to a claim.")
        back = reverse("admin:claims_article_change", args=[article.pk])
        if request.method != "POST":
            return HttpResponseRedirect(back)
        try:
            start, end = int(request.POST["start"]), int(request.POST["end"])
            claim = promote_sentence(article, start, end, user=request.user)
        except (KeyError, ValueError):
            self.message_user(request, "Choose a sentence to promote.", messages.ERROR)
            return HttpResponseRedirect(back + "#sentences")
        except workflow.WorkflowError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(back + "#sentences")
        self.message_user(
            request,
            f"Promoted to a claim; corroboration is queued: {claim}",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
