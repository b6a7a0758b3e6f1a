"""The other registrations: the corpus, evidence, flags, comments, the log, feeds, archives.

Machine-made rows (sources' text, passages, evidence, flags, transitions, archived
fetches) are read-only for everyone; flags are resolved from the claim page, comments
added there. A source's page links its archived copy, which is only ever a download
(workers.archive.download), never rendered here.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.admin.limits import BoundedSearchMixin
from claims.models import Archive, Comment, Evidence, Feed, FeedItem, Flag, Source, Transition
from workers import archive as archives


class ReadOnlyAdmin(BoundedSearchMixin, admin.ModelAdmin):
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


def archive_links(archive: Archive | None):
    """The archived copy of a fetch: its download links and its hash, or why there is none."""
    if archive is None:
        return "none (not fetched from a URL)"
    if not archive.available:
        return format_html(
            "pruned on {} · SHA-256 <code>{}</code> · {}",
            f"{archive.pruned_at:%Y-%m-%d}",
            archive.sha256,
            archive.final_url,
        )
    warc = ""
    if archive.warc_name:
        warc = format_html(
            ' · <a href="{}" download>WARC</a>',
            reverse("admin:claims_archive_download_warc", args=[archive.pk]),
        )
    return format_html(
        '<a class="fc-archive-link" href="{}" download>archived copy</a>{} '
        '({} bytes, fetched {} from {}) · SHA-256 <code class="fc-archive-sha">{}</code>',
        reverse("admin:claims_archive_download", args=[archive.pk]),
        warc,
        f"{archive.size:,}",
        f"{archive.fetched_at:%Y-%m-%d %H:%M} UTC",
        archive.final_url,
        archive.sha256,
    )


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ("title", "outlet", "kind", "published_at", "origin")
    list_filter = ("kind", "outlet")
    search_fields = ("title", "body", "outlet")
    list_select_related = ("archive",)

    def get_readonly_fields(self, request, obj=None):
        return ["archived_copy", *super().get_readonly_fields(request, obj)]

    @admin.display(description="archived copy")
    def archived_copy(self, obj):
        return archive_links(obj.archive)


@admin.register(Archive)
class ArchiveAdmin(ReadOnlyAdmin):
    """Every archived fetch. Seeing one needs the right to see sources."""

    list_display = (
        "fetched_at",
        "final_url",
        "status",
        "content_type",
        "size",
        "pinned",
        "pruned_at",
        "download",
    )
    list_filter = ("pinned", ("pruned_at", admin.EmptyFieldListFilter), "content_type")
    search_fields = ("url", "final_url", "sha256")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("claims.view_source")

    def has_module_permission(self, request):
        return request.user.has_perm("claims.view_source")

    def get_readonly_fields(self, request, obj=None):
        return ["download", *super().get_readonly_fields(request, obj)]

    @admin.display(description="copy")
    def download(self, obj):
        return archive_links(obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/download/",
                view(self.download_view),
                name="claims_archive_download",
            ),
            path(
                "<int:pk>/download/warc/",
                view(self.download_view),
                {"warc": True},
                name="claims_archive_download_warc",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk, warc=False):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return archives.download(get_object_or_404(Archive, pk=pk), warc=warc)


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
        "purpose",
        "active",
        "poll_interval_minutes",
        "last_polled_at",
        "last_error",
    )
    list_filter = ("active", "purpose")
    readonly_fields = (
        "etag",
        "last_modified",
        "last_polled_at",
        "last_error",
        "created_by",
        "created_at",
    )
    fields = (
        "url",
        "title",
        "outlet",
        "purpose",
        "active",
        "poll_interval_minutes",
        *readonly_fields,
    )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(FeedItem)
class FeedItemAdmin(ReadOnlyAdmin):
    """What each feed brought: for a watched feed, the article or the fetch's failure."""

    list_display = ("created_at", "feed", "title", "status", "attempts", "last_error", "article")
    list_filter = ("status", "feed__purpose", "feed")
    list_select_related = ("feed", "article")
    search_fields = ("title", "link", "guid")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("claims.view_feed")

    def has_module_permission(self, request):
        return request.user.has_perm("claims.view_feed")
