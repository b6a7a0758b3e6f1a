"""API tokens for scripts: get one with your password, list yours, revoke them.

`POST auth/token/` exchanges a username and password for a new token (named, expiring);
its key is in that response only: the database keeps a digest (claims/tokens.py,
django-rest-knox). `GET auth/token/` describes the token the request was made with and
`DELETE auth/token/` revokes it; `auth/tokens/` lists all of yours (and `DELETE`
revokes them all), `auth/tokens/{id}/` is one of them. Someone else's token is a 404.
The password exchange is throttled (scope "token") against guessing, and shares the
login lockout of the admin and the session login (claims/lockout.py, django-axes).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema
from knox.settings import knox_settings
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from claims import lockout, tokens
from claims.api import shapes
from claims.api.serializers import StrictSerializer
from claims.models import ApiToken
from claims.models_tokens import NAME_MAX_LENGTH

ERR = shapes.ErrorShape


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The schema's `tokenAuth`: `Authorization: Token <key>`, as with DRF's tokens."""

    target_class = "claims.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )


class Credentials(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    name = serializers.CharField(
        max_length=NAME_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="What the token is for (a script, a machine), to tell yours apart",
    )
    expiry_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=settings.FACTCHECK_API_TOKEN_MAX_DAYS,
        help_text="Days the token lives (FACTCHECK_API_TOKEN_TTL_DAYS when left out)",
    )


def token_dict(token: ApiToken, request) -> dict:
    """What anyone may see of a token: never its key, never its digest."""
    return {
        "id": token.pk,
        "name": token.name,
        "token_key": token.token_key,
        "username": token.user.get_username(),
        "created": token.created.isoformat(),
        "expires": token.expiry.isoformat() if token.expiry else None,
        "expired": token.expiry is not None and token.expiry <= timezone.now(),
        "last_used": token.last_used.isoformat() if token.last_used else None,
        "current": isinstance(request.auth, ApiToken) and request.auth.pk == token.pk,
    }


def current_token(request) -> ApiToken:
    if not isinstance(request.auth, ApiToken):
        raise exceptions.NotFound(
            "This request was not made with an API token; GET /api/auth/tokens/ lists yours."
        )
    return request.auth


class TokenView(APIView):
    throttle_scope = "token"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        summary="Exchange a username and password for a new API token (its key shown once)",
        request=Credentials,
        responses={200: shapes.IssuedTokenShape, 400: ERR, 403: ERR, 429: ERR},
        auth=[],
    )
    def post(self, request):
        ser = Credentials(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        # The same lockout as every login form (claims/lockout.py), said as a 429 here.
        if lockout.is_locked(request, data["username"]):
            raise exceptions.Throttled(detail=lockout.LOCKED_MESSAGE)
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": ["Unknown username or wrong password."]}
            )
        try:
            token, key = tokens.issue(user, name=data["name"], days=data.get("expiry_days"))
        except tokens.TooManyTokens as exc:
            raise exceptions.PermissionDenied(exc.message, code="too_many_tokens") from None
        except tokens.TokenError as exc:
            raise exceptions.ValidationError({"expiry_days": [exc.message]}) from None
        # 200, as before knox: scripts that check for it keep working.
        return Response({"token": key, **token_dict(token, request)})

    @extend_schema(
        summary="The API token this request was made with (never its key)",
        responses={200: shapes.TokenShape, 404: ERR},
    )
    def get(self, request):
        return Response(token_dict(current_token(request), request))

    @extend_schema(
        summary="Revoke the API token this request was made with",
        responses={204: None, 404: ERR},
    )
    def delete(self, request):
        tokens.revoke(request.user, current_token(request).pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Your API tokens, newest first (never their keys)",
        responses={200: shapes.TokenShape(many=True)},
    )
    def get(self, request):
        mine = tokens.of(request.user).select_related("user")
        return Response([token_dict(token, request) for token in mine])

    @extend_schema(
        summary="Revoke all your API tokens",
        responses={204: None},
        operation_id="auth_tokens_revoke_all",
    )
    def delete(self, request):
        tokens.revoke_all(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def mine(self, request, pk: int) -> ApiToken:
        token = tokens.of(request.user).select_related("user").filter(pk=pk).first()
        if token is None:
            raise exceptions.NotFound("You have no API token with this id.")
        return token

    @extend_schema(summary="One of your API tokens", responses={200: shapes.TokenShape, 404: ERR})
    def get(self, request, pk: int):
        return Response(token_dict(self.mine(request, pk), request))

    @extend_schema(
        summary="Revoke one of your API tokens",
        responses={204: None, 404: ERR},
        operation_id="auth_tokens_revoke",
    )
    def delete(self, request, pk: int):
        if not tokens.revoke(request.user, pk):
            raise exceptions.NotFound("You have no API token with this id.")
        return Response(status=status.HTTP_204_NO_CONTENT)
