"""Alerts in the admin: each user edits their own preferences and sees their own alerts.

Anyone with a role reaches "My alerts" from the admin index (/admin/claims/alertpreference/
mine/): their preferences row is created with the defaults on first visit. Nobody but a
superuser sees or edits another person's preferences or alerts, so no role permission is
needed: the object is the user's own.
"""

from __future__ import annotations

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse

from claims.admin.limits import BoundedSearchMixin
from claims.models import Alert, AlertPreference


def _has_role(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.has_perm("claims.view_claim"))


class OwnRowsMixin:
    """Rows of the signed-in user only (all of them for a superuser)."""

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user")
        return qs if request.user.is_superuser else qs.filter(user=request.user)

    def has_module_permission(self, request):
        return _has_role(request)

    def has_view_permission(self, request, obj=None):
        if not _has_role(request):
            return False
        return obj is None or request.user.is_superuser or obj.user_id == request.user.pk

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AlertPreference)
class AlertPreferenceAdmin(OwnRowsMixin, admin.ModelAdmin):
    list_display = (
        "user",
        "by_email",
        "slack_webhook_url",
        "on_assigned",
        "on_reopened",
        "on_flagged",
        "on_stale",
        "daily_digest",
    )
    readonly_fields = ("user", "updated_at")
    fieldsets = [
        (None, {"fields": ("user",)}),
        ("Channels", {"fields": ("by_email", "slack_webhook_url")}),
        (
            "Tell me when",
            {"fields": ("on_assigned", "on_reopened", "on_flagged", "on_stale", "daily_digest")},
        ),
        (None, {"fields": ("updated_at",)}),
    ]

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("mine/", view(self.mine_view), name="claims_alertpreference_mine"),
            *super().get_urls(),
        ]

    def mine_view(self, request):
        """The signed-in user's own preferences (created with the defaults if need be)."""
        if not _has_role(request):
            return redirect(reverse("admin:index"))
        pref, _ = AlertPreference.objects.get_or_create(user=request.user)
        return redirect(reverse("admin:claims_alertpreference_change", args=[pref.pk]))


@admin.register(Alert)
class AlertAdmin(OwnRowsMixin, BoundedSearchMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "event", "subject", "status", "attempts", "last_error")
    list_filter = ("event", "status")
    search_fields = ("subject", "body")

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Alert._meta.fields]
