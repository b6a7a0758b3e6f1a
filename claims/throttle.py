"""One lockout policy for every login: the admin form, the API's session login and the
token exchange. Too many failed logins for one username or one address within a window
and further attempts are refused, even with the right password.

The policy sits in an authentication backend (`LockoutBackend`), so whatever calls
`authenticate()` with a request is covered, and failures are counted from Django's
`user_login_failed` signal, which every login path sends. Counts live in Django's cache
(Redis when CACHE_URL is set, so every web process shares them; per process otherwise).

The client's address is REMOTE_ADDR unless FACTCHECK_NUM_PROXIES names how many proxies
in front of the service append to X-Forwarded-For (the same rule as DRF's NUM_PROXIES):
a header a client sends itself is never trusted.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

LOCKED_MESSAGE = "Too many failed logins. Wait a few minutes and try again."


def client_address(request) -> str:
    """The caller's address, trusting X-Forwarded-For only behind the configured proxies."""
    if request is None:
        return "unknown"
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.FACTCHECK_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    hops = [h.strip() for h in forwarded.split(",")]
    return hops[-min(proxies, len(hops))] or remote


def _keys(request, username: str) -> list[str]:
    return [
        f"login-fail:user:{(username or '').lower()}",
        f"login-fail:addr:{client_address(request)}",
    ]


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


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """`user_login_failed` receiver (connected in ClaimsConfig.ready)."""
    record_failure(request, str(credentials.get("username") or ""))


class LockoutBackend(ModelBackend):
    """ModelBackend that refuses, while locked out, even the right password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if is_locked(request, username or ""):
            # PermissionDenied stops authenticate() trying the other backends.
            raise PermissionDenied(LOCKED_MESSAGE)
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


class _Throttled:
    error_messages = {"throttled": LOCKED_MESSAGE}

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if is_locked(self.request, username):
            # Counted as a failure too: hammering a locked account keeps it locked.
            record_failure(self.request, username)
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        return super().clean()


class ThrottledAdminAuthenticationForm(_Throttled, AdminAuthenticationForm):
    error_messages = {**AdminAuthenticationForm.error_messages, **_Throttled.error_messages}


class ThrottledAuthenticationForm(_Throttled, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, **_Throttled.error_messages}
