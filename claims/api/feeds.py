"""Feeds: register, list, pause and resume RSS/Atom feeds (fact-checkers and editors write)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims.api import serializers, shapes
from claims.api.base import OrderedViewMixin
from claims.models import Feed

ERR = shapes.ErrorShape


@extend_schema_view(
    create=extend_schema(responses={201: serializers.FeedSerializer, 400: ERR}),
    partial_update=extend_schema(responses={200: serializers.FeedSerializer, 400: ERR, 404: ERR}),
    destroy=extend_schema(responses={204: None, 404: ERR}),
)
class FeedViewSet(
    OrderedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = serializers.FeedSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ["created_at", "url", "id"]
    perms = {
        "list": "claims.view_feed",
        "retrieve": "claims.view_feed",
        "create": "claims.add_feed",
        "partial_update": "claims.change_feed",
        "pause": "claims.change_feed",
        "resume": "claims.change_feed",
        "destroy": "claims.delete_feed",
    }

    def get_queryset(self):
        return Feed.objects.all()

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    @extend_schema(request=None, responses={200: serializers.FeedSerializer, 404: ERR})
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._set_active(False)

    @extend_schema(request=None, responses={200: serializers.FeedSerializer, 404: ERR})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._set_active(True)

    def _set_active(self, active: bool) -> Response:
        feed = self.get_object()
        Feed.objects.filter(pk=feed.pk).update(active=active)
        feed.active = active
        return Response(serializers.FeedSerializer(feed).data)
