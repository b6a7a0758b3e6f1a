"""Users in the admin: who may grant what.

Editors hold `auth.change_user` so that they can add people and deactivate them, and give
them the fact-checker and reviewer roles. Nothing more: superuser status, raw permissions,
the editors group, staff status of others, other people's passwords and the accounts of
superusers and other editors are for superusers only. The fields are hidden or read-only
for editors, and because a hidden field is not a control, `save_model` and
`save_related` check the same rules on the server and refuse (403) a change that breaks
them.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as StockUserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied

from claims.admin.limits import BoundedSearchMixin
from claims.roles import FACT_CHECKERS, REVIEWERS

# The roles an editor may give or take away.
EDITOR_ASSIGNABLE_GROUPS = (FACT_CHECKERS, REVIEWERS)

EDITOR_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    ("Personal info", {"fields": ("first_name", "last_name", "email")}),
    ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    ("Important dates", {"fields": ("last_login", "date_joined")}),
)
# Never writable by an editor, whatever the form posts.
EDITOR_READONLY = ("is_superuser", "last_login", "date_joined")


def is_privileged(user: User) -> bool:
    """A superuser, an editor or an account with raw permissions: only superusers edit it."""
    return (
        user.is_superuser
        or user.user_permissions.exists()
        or user.groups.exclude(name__in=EDITOR_ASSIGNABLE_GROUPS).exists()
    )


class UserAdmin(BoundedSearchMixin, StockUserAdmin):
    def _full(self, request) -> bool:
        return bool(request.user.is_superuser)

    def get_fieldsets(self, request, obj=None):
        if obj is None or self._full(request):
            return super().get_fieldsets(request, obj)
        return EDITOR_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if self._full(request) or obj is None:
            return super().get_readonly_fields(request, obj)
        return EDITOR_READONLY

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self._full(request):
            return True
        # An editor changes only plain accounts: no superuser, no other editor, and not
        # their own (which would let them drop or keep roles past what they may give).
        return obj.pk != request.user.pk and not is_privileged(obj)

    def has_delete_permission(self, request, obj=None):
        # Editors deactivate; deleting would also delete the history of what a user did.
        return self._full(request) and super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not self._full(request):
            kwargs["queryset"] = Group.objects.filter(name__in=EDITOR_ASSIGNABLE_GROUPS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        # Setting someone else's password takes over their account.
        if not self._full(request) and str(id) != str(request.user.pk):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not self._full(request):
            if obj.is_superuser:
                raise PermissionDenied("Only a superuser may grant superuser status.")
            if change:
                before = User.objects.get(pk=obj.pk)
                if is_privileged(before) or before.pk == request.user.pk:
                    raise PermissionDenied("Only a superuser may change this account.")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not self._full(request):
            posted = form.cleaned_data.get("groups")
            if posted is not None and posted.exclude(name__in=EDITOR_ASSIGNABLE_GROUPS).exists():
                raise PermissionDenied("Only a superuser may grant that group.")
            if form.cleaned_data.get("user_permissions"):
                raise PermissionDenied("Only a superuser may grant permissions.")
        super().save_related(request, form, formsets, change)


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
