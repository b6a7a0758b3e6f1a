"""Login throttling for the admin: too many failed logins for one username or one
address within a window and further attempts are refused, even with the right password.

Counts live in Django's cache (Redis when CACHE_URL is set, so every web process shares
them; per process otherwise).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache


def _keys(request, username: str) -> list[str]:
    address = (request.META.get("REMOTE_ADDR") or "unknown") if request else "unknown"
    return [f"login-fail:user:{(username or '').lower()}", f"login-fail:addr:{address}"]


def is_locked(request, username: str) -> bool:
    limit = settings.FACTCHECK_LOGIN_MAX_FAILURES
    return any((cache.get(k) or 0) >= limit for k in _keys(request, username))


def record_failure(request, username: str) -> None:
    window = settings.FACTCHECK_LOGIN_WINDOW_SECONDS
    for key in _keys(request, username):
        if cache.add(key, 1, timeout=window) is False:
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": "Too many failed logins. Wait a few minutes and try again.",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if is_locked(self.request, username):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            record_failure(self.request, username)
            raise
