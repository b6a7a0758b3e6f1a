"""API tokens: issue, check, list and revoke them (the one owner of ApiToken rows).

A token is 64 random hex characters. Only its SHA-512 digest and its first 15 characters
(`token_key`, the lookup key and the part people see) are stored (django-rest-knox's
scheme), so the key is shown once, by whoever issues it, and never again. Every token
expires: FACTCHECK_API_TOKEN_TTL_DAYS unless asked otherwise, at most
FACTCHECK_API_TOKEN_MAX_DAYS. An expired token is refused with its own message and
deleted when its owner next issues one (or with `delete_expired()`); a user holds at
most FACTCHECK_API_TOKENS_PER_USER live tokens, so the lookup stays small and a script
that asks for a new token on every run is told to keep or revoke one instead.
"""

from __future__ import annotations

import binascii
from datetime import datetime, timedelta
from hmac import compare_digest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS

from claims.models_tokens import ApiToken

# last_used is a convenience, not an audit log: one write a minute per token at most.
LAST_USED_EVERY = timedelta(minutes=1)
# Longer than any key issued (64) or imported (DRF's 40); nothing longer is hashed.
MAX_KEY_LENGTH = 128


class TokenError(Exception):
    """A token request refused; `message` says why, for the caller."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TooManyTokens(TokenError):
    pass


class Expired(Exception):
    def __init__(self, token: ApiToken):
        super().__init__(f"token {token.token_key} expired at {token.expiry}")
        self.token = token


def default_days() -> int:
    return settings.FACTCHECK_API_TOKEN_TTL_DAYS


def max_days() -> int:
    return settings.FACTCHECK_API_TOKEN_MAX_DAYS


def live(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now())


def of(user) -> QuerySet[ApiToken]:
    """Every token of the user, expired ones included (until they are deleted)."""
    return ApiToken.objects.filter(user=user)


def issue(user, *, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for the user: the row and the key, which nothing can show again."""
    days = default_days() if days is None else days
    if not 1 <= days <= max_days():
        raise TokenError(f"A token lives from 1 to {max_days()} days.")
    limit = settings.FACTCHECK_API_TOKENS_PER_USER
    with transaction.atomic():
        # One issuer at a time per user, so two requests at once cannot pass the limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        delete_expired(user)
        if live(user).count() >= limit:
            raise TooManyTokens(
                f"You have {limit} live API tokens, the most one account may hold. Keep the "
                "token you have, or revoke one (DELETE /api/auth/tokens/{id}/) first."
            )
        return ApiToken.objects.create(user=user, expiry=timedelta(days=days), name=name.strip())


def check(key: str, now: datetime | None = None) -> ApiToken | None:
    """The token this key is, with its user; None for no token. Expired when it has."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    try:
        digest = hash_token(key)
    except (TypeError, ValueError, binascii.Error):
        return None
    now = now or timezone.now()
    candidates = ApiToken.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
    for token in candidates.select_related("user"):
        if not compare_digest(digest, token.digest):
            continue
        if token.expiry is not None and token.expiry <= now:
            raise Expired(token)
        if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return token
    return None


def revoke(user, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when they have none with that id."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def revoke_all(user) -> int:
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def delete_expired(user=None) -> int:
    """Delete expired tokens (one user's, or everyone's); the count."""
    rows = ApiToken.objects.filter(expiry__lte=timezone.now())
    if user is not None:
        rows = rows.filter(user=user)
    deleted, _ = rows.delete()
    return deleted
