"""API tokens for scripts: stored as a digest, named, expiring (django-rest-knox).

Knox keeps only the SHA-512 digest of a token and its first 15 characters
(`token_key`, what lookups use and what people see to tell their tokens apart); the key
itself is shown once, when it is issued, and cannot be read back from the database or
the admin. This is knox's swappable token model (`KNOX_TOKEN_MODEL`) with a name and a
last-use time, and an integer id, so that URLs (the admin's, `DELETE
/api/auth/tokens/{id}/`) never carry the digest. Issuing and revoking is
`claims.tokens`. Registered as a model of the claims app by `claims.models`.
"""

from __future__ import annotations

from django.db import models
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

NAME_MAX_LENGTH = 100


class ApiToken(AbstractAuthToken):
    # knox's own primary key is the digest; an id keeps it out of URLs and pages.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    # Written at most once a minute per token (claims.tokens.LAST_USED_EVERY).
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name or 'unnamed'} ({self.token_key}…)"
