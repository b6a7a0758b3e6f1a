"""Webhooks: subscribe a URL to claim.flagged / claim.ruled / claim.reopened; list deliveries.

Each user sees and manages only their own webhooks. The signing secret is shown once, in
the create response; see workers/webhooks.py for the signature.

Capped: FACTCHECK_WEBHOOKS_PER_USER per user, and FACTCHECK_WEBHOOKS_PER_URL subscriptions
(of anyone) to one URL, so one event cannot be fanned out into a flood at one receiver.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
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


def check_caps(user, url: str | None, *, exclude: int | None = None) -> None:
    """Refuse (400) a webhook past the per-user or the per-URL cap."""
    mine = Webhook.objects.filter(owner=user).exclude(pk=exclude)
    if exclude is None and mine.count() >= settings.FACTCHECK_WEBHOOKS_PER_USER:
        raise exceptions.ValidationError(
            {
                "non_field_errors": [
                    f"You have {settings.FACTCHECK_WEBHOOKS_PER_USER} webhooks, the most one "
                    "user may have; delete one first."
                ]
            }
        )
    if url is None:
        return
    same_url = Webhook.objects.filter(url__iexact=url).exclude(pk=exclude)
    if same_url.count() >= settings.FACTCHECK_WEBHOOKS_PER_URL:
        raise exceptions.ValidationError(
            {
                "url": [
                    f"This URL already has {settings.FACTCHECK_WEBHOOKS_PER_URL} "
                    "subscriptions, the most one URL may have."
                ]
            }
        )


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
        with transaction.atomic():
            # One user's creates queue here, so two at once cannot both pass the cap.
            get_user_model().objects.select_for_update().filter(pk=request.user.pk).first()
            check_caps(request.user, ser.validated_data["url"])
            hook = ser.save(owner=request.user)
        return Response(
            serializers.WebhookCreatedSerializer(hook).data, status=status.HTTP_201_CREATED
        )

    def perform_update(self, serializer):
        url = serializer.validated_data.get("url")
        if url is not None and url.lower() != serializer.instance.url.lower():
            check_caps(self.request.user, url, exclude=serializer.instance.pk)
        serializer.save()

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
