"""Webhooks: subscribe a URL to claim.flagged / claim.ruled / claim.reopened; list deliveries.

Each user sees and manages only their own webhooks. The signing secret is shown once, in
the create response; see workers/webhooks.py for the signature.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims.api import serializers, shapes
from claims.api.base import APIViewMixin
from claims.models import Webhook, WebhookDelivery

ERR = shapes.ErrorShape


def delivery_dict(d: WebhookDelivery) -> dict:
    return {
        "id": d.pk,
        "webhook": d.webhook_id,
        "event": d.event,
        "event_key": d.event_key,
        "status": d.status,
        "attempts": d.attempts,
        "response_status": d.response_status,
        "last_error": d.last_error,
        "created_at": d.created_at.isoformat(),
        "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
    }


@extend_schema_view(
    create=extend_schema(
        request=serializers.WebhookSerializer,
        responses={201: serializers.WebhookCreatedSerializer, 400: ERR},
        summary="Subscribe a URL; the response carries the signing secret (shown only here)",
    ),
    partial_update=extend_schema(
        responses={200: serializers.WebhookSerializer, 400: ERR, 404: ERR}
    ),
    destroy=extend_schema(responses={204: None, 404: ERR}),
)
class WebhookViewSet(
    APIViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = serializers.WebhookSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    perms = {
        "list": "claims.view_webhook",
        "retrieve": "claims.view_webhook",
        "deliveries": "claims.view_webhookdelivery",
        "create": "claims.add_webhook",
        "partial_update": "claims.change_webhook",
        "destroy": "claims.delete_webhook",
    }

    queryset = Webhook.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return Webhook.objects.filter(owner=self.request.user)

    def create(self, request, *args, **kwargs):
        ser = serializers.WebhookSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        hook = ser.save(owner=request.user)
        return Response(
            serializers.WebhookCreatedSerializer(hook).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Deliveries of this webhook, newest first, with their outcome",
        responses=shapes.DeliveryShape(many=True),
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        hook = self.get_object()
        qs = WebhookDelivery.objects.filter(webhook=hook)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([delivery_dict(d) for d in page])
