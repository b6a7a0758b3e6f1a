"""Tokens for scripts: get one with your password, see it, revoke it.

DRF's own Token model, so `manage.py drf_create_token USER` issues the same tokens.
The password exchange is throttled (scope "token") against guessing, and shares the
login lockout of the admin and the session login (claims/lockout.py, django-axes).
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from claims import lockout
from claims.api import shapes
from claims.api.serializers import StrictSerializer

ERR = shapes.ErrorShape


class Credentials(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


def token_dict(token: Token) -> dict:
    return {
        "token": token.key,
        "username": token.user.get_username(),
        "created": token.created.isoformat(),
    }


class TokenView(APIView):
    throttle_scope = "token"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        summary="Exchange a username and password for your API token",
        request=Credentials,
        responses={200: shapes.TokenShape, 400: ERR, 429: ERR},
        auth=[],
    )
    def post(self, request):
        ser = Credentials(data=request.data)
        ser.is_valid(raise_exception=True)
        # The same lockout as every login form (claims/lockout.py), said as a 429 here.
        if lockout.is_locked(request, ser.validated_data["username"]):
            raise exceptions.Throttled(detail=lockout.LOCKED_MESSAGE)
        user = authenticate(
            request,
            username=ser.validated_data["username"],
            password=ser.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": ["Unknown username or wrong password."]}
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response(token_dict(token))

    @extend_schema(
        summary="Your API token (issued now if you had none)", responses={200: shapes.TokenShape}
    )
    def get(self, request):
        token, _ = Token.objects.get_or_create(user=request.user)
        return Response(token_dict(token))

    @extend_schema(summary="Revoke your API token", responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
