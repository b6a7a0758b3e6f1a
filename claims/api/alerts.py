"""`GET / PATCH /api/me/alerts/`: the signed-in user's own alert preferences.

No row yet means the defaults (assignment and reopen alerts by email); the first PATCH
saves a row. The Slack-compatible URL is checked here for its form only; every delivery
goes through the hardened client, which refuses non-public addresses.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from claims import alerts
from claims.api import serializers, shapes
from claims.api.base import APIViewMixin


class MyAlertsView(APIViewMixin, GenericAPIView):
    perms = {"get": "claims.view_claim", "patch": "claims.view_claim"}
    serializer_class = serializers.AlertPreferenceSerializer
    filter_backends: list = []
    pagination_class = None
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(summary="Your alert preferences (the defaults until you change one)")
    def get(self, request):
        return Response(self.get_serializer(alerts.preferences(request.user)).data)

    @extend_schema(
        summary="Change your alert preferences",
        responses={200: serializers.AlertPreferenceSerializer, 400: shapes.ErrorShape},
    )
    def patch(self, request):
        ser = self.get_serializer(alerts.preferences(request.user), data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        ser.save(user=request.user)
        return Response(ser.data)
