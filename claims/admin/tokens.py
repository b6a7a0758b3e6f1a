"""API tokens in the admin: who holds which, named, with their expiry; never a key.

Only the digest and the key's first characters are stored (claims/tokens.py), so there is
nothing here to read a key from, and nothing to make one: tokens are issued by `POST
/api/auth/token/` or `manage.py create_api_token`, which show the key once. Editors see
every token and revoke those of the users they manage (and their own); a superuser's or
another editor's token is for superusers, as their accounts are (claims/admin/users.py).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from claims.admin.limits import BoundedSearchMixin
from claims.admin.users import is_privileged
from claims.models import ApiToken

SHOWN = ("name", "user", "token_key", "created", "expiry", "last_used")


class ExpiredFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", "live"), ("expired", "expired")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.filter(expiry__gt=now)
        if self.value() == "expired":
            return queryset.filter(expiry__lte=now)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = SHOWN
    list_select_related = ("user",)
    search_fields = ("name", "token_key", "user__username")
    list_filter = (ExpiredFilter,)
    fields = SHOWN
    readonly_fields = SHOWN

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser or obj.user_id == request.user.pk:
            return True
        return not is_privileged(obj.user)
