"""`Authorization: Token <key>`: knox's header handling, our lookup (claims.tokens.check).

Knox's own lookup deletes an expired token and answers "Invalid token."; this one
keeps the row until its owner issues a new one, so a script is told what happened.
Kept free of DRF's views (DRF imports authentication classes while it builds APIView).
"""

from __future__ import annotations

from datetime import UTC

from knox.auth import TokenAuthentication
from rest_framework import exceptions

from claims import tokens


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token):
        try:
            key = token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        try:
            found = tokens.check(key)
        except tokens.Expired as exc:
            raise exceptions.AuthenticationFailed(
                f"This token expired on {exc.token.expiry.astimezone(UTC):%Y-%m-%d %H:%M} UTC. "
                "Get a new one with POST /api/auth/token/."
            ) from None
        if found is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return self.validate_user(found)
