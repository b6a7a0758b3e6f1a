"""The other registrations: the corpus, evidence, flags, comments, the log, feeds.

Machine-made rows (sources' text, passages, evidence, flags, transitions) are read-only
for everyone; flags are resolved from the claim page, comments added there.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.models import Comment, Evidence, Feed, Flag, Source, Transition


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


def claim_link(claim_id: int, text: str):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:claims_claim_change", args=[claim_id]),
        Truncator(text).chars(70),
    )


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ("title", "outlet", "kind", "published_at", "origin")
    list_filter = ("kind", "outlet")
    search_fields = ("title", "body", "outlet")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("claim_text", "stance", "source", "reason")
    list_filter = ("stance",)
    list_select_related = ("claim", "source")

    @admin.display(description="claim")
    def claim_text(self, obj):
        return claim_link(obj.claim_id, obj.claim.text)


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("kind", "claim_text", "message", "resolved_at", "resolved_by")
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter))
    list_select_related = ("claim", "resolved_by")
    search_fields = ("message",)

    @admin.display(description="claim")
    def claim_text(self, obj):
        return claim_link(obj.claim_id, obj.claim.text)


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "claim_text", "from_state", "to_state", "by", "reason")
    list_filter = ("to_state",)
    list_select_related = ("claim", "actor")

    @admin.display(description="claim")
    def claim_text(self, obj):
        return claim_link(obj.claim_id, obj.claim.text)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "author", "claim_text", "body")
    list_select_related = ("claim", "author")
    search_fields = ("body",)

    @admin.display(description="claim")
    def claim_text(self, obj):
        return claim_link(obj.claim_id, obj.claim.text)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("claims.delete_comment")


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "outlet",
        "active",
        "poll_interval_minutes",
        "last_polled_at",
        "last_error",
    )
    list_filter = ("active",)
    readonly_fields = (
        "etag",
        "last_modified",
        "last_polled_at",
        "last_error",
        "created_by",
        "created_at",
    )
    fields = ("url", "title", "outlet", "active", "poll_interval_minutes", *readonly_fields)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
