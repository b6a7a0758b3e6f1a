"""The article page: the body with every claim marked in its state's colour."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.admin.highlight import Mark, highlight
from claims.admin.queue_list import open_flags_prefetch, state_badge
from claims.models import Article, Claim, ClaimState

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
    # Boilerplate (captions, "Trending Now") is greyed out where no claim sits on it.
    for start, end in article.boilerplate or []:
        marks.append(Mark(start, end, "fc-boilerplate", title="boilerplate, not part of the story"))
    return marks


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
                "states": [(s.value, s.label) for s in ClaimState],
                "n_flagged": sum(1 for c in claims if c.open_flags),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})
