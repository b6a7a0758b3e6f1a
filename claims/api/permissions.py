"""Roles to API actions.

Each view names the permission an action needs (`perms = {action: "claims.codename"}`,
with "*" as the default for its other actions); the role groups in claims/roles.py grant
them. Anonymous requests get 401 (IsAuthenticated runs first); an account without the
permission gets 403 before any object is loaded, so it never learns what exists.
"""

from __future__ import annotations

from rest_framework import permissions


class RolePermission(permissions.BasePermission):
    message = "Your account does not have the role for this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        unmapped = hasattr(view, "action_map") and request.method.lower() not in view.action_map
        if unmapped or request.method.lower() not in view.http_method_names:
            return True  # no handler: the view answers 405 Method Not Allowed
        perms = getattr(view, "perms", {})
        action = getattr(view, "action", None) or request.method.lower()
        if action == "metadata":
            return True  # OPTIONS describes the endpoint, no data
        needed = perms.get(action, perms.get("*"))
        if needed is None:
            return False  # an action nobody declared is closed, not open
        if needed == "authenticated":
            return True
        needed = (needed,) if isinstance(needed, str) else needed
        return user.has_perms(needed)


DEFAULT = [permissions.IsAuthenticated, RolePermission]
