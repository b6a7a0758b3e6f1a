"""Admin registrations. The fact-checker queues and workflow actions build on these."""

from django.contrib import admin

from claims.models import Article, Claim, Comment, Evidence, Feed, Flag, Source, Transition


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "published_at", "status", "created_at")
    list_filter = ("status", "outlet")
    search_fields = ("title", "body")
    readonly_fields = [f.name for f in Article._meta.fields]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("__str__", "article", "state", "checkworthiness", "recommended_verdict", "assignee")
    list_filter = ("state", "claim_type", "flags__kind")
    search_fields = ("text", "article__title")
    list_select_related = ("article", "assignee")
    readonly_fields = [f.name for f in Claim._meta.fields if f.name != "assignee"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "kind", "published_at", "origin")
    list_filter = ("kind",)
    search_fields = ("title", "body", "outlet")


admin.site.register([Evidence, Flag, Comment, Transition, Feed])
