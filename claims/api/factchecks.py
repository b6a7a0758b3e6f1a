"""Fact-checks published elsewhere: list, read, import (POST), and the feeds polled for them.

`POST /api/factchecks/` takes ClaimReview JSON-LD as the body: one ClaimReview object, an
array of them, or a schema.org DataFeed. Each item is stored once per review URL
(`workers.factchecks`); malformed items are skipped and listed with their reason, and
the new and changed fact-checks are matched against the open claims by a worker.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from analysis.extraction import ArticleError
from claims.api import shapes
from claims.api.base import APIViewMixin, OrderedViewMixin
from claims.api.filters import BoundedFilterSet
from claims.api.serializers import StrictInputMixin
from claims.models import FactCheck, FactCheckFeed, FactCheckMatch
from workers import factchecks, ingest

ERR = shapes.ErrorShape
S = serializers

BODY = {
    "description": "ClaimReview JSON-LD: one object, an array of them, or a schema.org DataFeed",
    "oneOf": [{"type": "object"}, {"type": "array", "items": {}}],
}


class FactCheckFilter(BoundedFilterSet):
    publisher = django_filters.CharFilter(field_name="publisher", lookup_expr="iexact")
    language = django_filters.CharFilter(field_name="language", lookup_expr="iexact")
    reviewed_after = django_filters.DateFilter(field_name="review_date", lookup_expr="gte")
    reviewed_before = django_filters.DateFilter(field_name="review_date", lookup_expr="lt")
    claim = django_filters.NumberFilter(
        method="filter_claim", help_text="Fact-checks that match this claim"
    )

    class Meta:
        model = FactCheck
        fields: list[str] = []

    def filter_claim(self, queryset, name, value):
        return queryset.filter(matches__claim_id=value)


class FactCheckMatchShape(S.Serializer):
    claim = S.IntegerField()
    score = S.FloatField()
    match = S.CharField()
    flag = S.IntegerField(allow_null=True)


class FactCheckShape(S.Serializer):
    id = S.IntegerField()
    review_url = S.CharField()
    publisher = S.CharField(allow_blank=True)
    publisher_url = S.CharField(allow_blank=True)
    title = S.CharField(allow_blank=True)
    claim_reviewed = S.CharField()
    rating = S.CharField(allow_blank=True)
    rating_value = S.FloatField(allow_null=True)
    best_rating = S.FloatField(allow_null=True)
    worst_rating = S.FloatField(allow_null=True)
    review_date = S.DateField(allow_null=True)
    language = S.CharField(allow_blank=True)
    claimant = S.CharField(allow_blank=True)
    claim_date = S.DateField(allow_null=True)
    appearances = S.ListField(child=S.DictField())
    raw = S.DictField(help_text="The JSON-LD as imported")
    origin = S.CharField(allow_blank=True)
    matches = FactCheckMatchShape(many=True)
    created_at = S.DateTimeField()
    updated_at = S.DateTimeField()


class SkippedShape(S.Serializer):
    position = S.CharField()
    reason = S.CharField()


class ImportReportShape(S.Serializer):
    origin = S.CharField()
    format = S.CharField()
    imported = S.IntegerField()
    updated = S.IntegerField()
    unchanged = S.IntegerField()
    skipped = S.IntegerField()
    skipped_items = SkippedShape(many=True)
    matched = S.IntegerField(allow_null=True, help_text="Claim matches found; null when queued")
    matching = S.ChoiceField(
        choices=[(m, m) for m in ("inline", "queue", "none")],
        help_text="queue: a worker matches the new and changed fact-checks against open claims",
    )
    factchecks = S.ListField(child=S.IntegerField(), help_text="New and changed fact-checks")


def factcheck_dict(fc: FactCheck) -> dict:
    return {
        "id": fc.pk,
        "review_url": fc.review_url,
        "publisher": fc.publisher,
        "publisher_url": fc.publisher_url,
        "title": fc.title,
        "claim_reviewed": fc.claim_reviewed,
        "rating": fc.rating_text,
        "rating_value": fc.rating_value,
        "best_rating": fc.best_rating,
        "worst_rating": fc.worst_rating,
        "review_date": fc.review_date.isoformat() if fc.review_date else None,
        "language": fc.language,
        "claimant": fc.claimant,
        "claim_date": fc.claim_date.isoformat() if fc.claim_date else None,
        "appearances": fc.appearances if isinstance(fc.appearances, list) else [],
        "raw": fc.raw if isinstance(fc.raw, dict) else {},
        "origin": fc.origin,
        "matches": [
            {"claim": m.claim_id, "score": round(m.score, 3), "match": m.kind, "flag": m.flag_id}
            for m in fc.matches.all()
        ],
        "created_at": fc.created_at.isoformat(),
        "updated_at": fc.updated_at.isoformat(),
    }


@extend_schema_view(
    list=extend_schema(
        summary="Fact-checks published elsewhere, newest imported first",
        responses=FactCheckShape(many=True),
    ),
    retrieve=extend_schema(
        summary="A published fact-check, with the claims it matches",
        responses={200: FactCheckShape, 404: ERR},
    ),
    create=extend_schema(
        summary="Import ClaimReview JSON-LD (idempotent on the review URL)",
        request={"application/json": BODY},
        responses={
            201: OpenApiResponse(ImportReportShape, description="Something new or changed"),
            200: OpenApiResponse(ImportReportShape, description="Everything already known"),
            400: ERR,
        },
    ),
)
class FactCheckViewSet(
    APIViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = FactCheckFilter
    serializer_class = FactCheckShape
    perms = {
        "list": "claims.view_factcheck",
        "retrieve": "claims.view_factcheck",
        "create": "claims.add_factcheck",
    }

    def get_queryset(self):
        matches = Prefetch("matches", queryset=FactCheckMatch.objects.order_by("-score", "id"))
        return FactCheck.objects.prefetch_related(matches).order_by("-created_at", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([factcheck_dict(fc) for fc in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(factcheck_dict(self.get_object()))

    def create(self, request, *args, **kwargs):
        if not isinstance(request.data, (dict, list)):
            raise exceptions.ValidationError(
                {"body": ["Send ClaimReview JSON-LD: an object, an array, or a DataFeed."]}
            )
        try:
            report = factchecks.import_value(request.data, origin="api", user=request.user)
        except factchecks.FactCheckImportError as exc:
            raise exceptions.ValidationError({"body": [exc.message]}) from None
        body = report.as_dict()
        if not (report.imported or report.updated or report.unchanged):
            reasons = [f"{s.position}: {s.reason}" for s in report.skipped] or [
                "the body holds no ClaimReview"
            ]
            raise exceptions.ValidationError({"items": reasons})
        fresh = report.imported or report.updated
        return Response(body, status=status.HTTP_201_CREATED if fresh else status.HTTP_200_OK)


class FactCheckFeedSerializer(StrictInputMixin, S.ModelSerializer):
    class Meta:
        model = FactCheckFeed
        fields = [
            "id",
            "url",
            "title",
            "active",
            "poll_interval_minutes",
            "last_polled_at",
            "last_error",
            "last_result",
            "created_at",
        ]
        read_only_fields = ["last_polled_at", "last_error", "last_result", "created_at"]
        extra_kwargs = {"poll_interval_minutes": {"min_value": 5, "max_value": 10080}}

    def validate_url(self, value):
        try:
            return ingest.validate_url(value)
        except ArticleError as exc:
            raise S.ValidationError(exc.message) from None


@extend_schema_view(
    create=extend_schema(responses={201: FactCheckFeedSerializer, 400: ERR}),
    partial_update=extend_schema(responses={200: FactCheckFeedSerializer, 400: ERR, 404: ERR}),
    destroy=extend_schema(responses={204: None, 404: ERR}),
)
class FactCheckFeedViewSet(
    OrderedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Fact-check feeds (DataFeed JSON, JSON lines, or a page with ClaimReview JSON-LD),
    polled by beat every `poll_interval_minutes`."""

    serializer_class = FactCheckFeedSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = ["created_at", "url", "id"]
    perms = {
        "list": "claims.view_factcheckfeed",
        "retrieve": "claims.view_factcheckfeed",
        "create": "claims.add_factcheckfeed",
        "partial_update": "claims.change_factcheckfeed",
        "destroy": "claims.delete_factcheckfeed",
    }

    def get_queryset(self):
        return FactCheckFeed.objects.all()

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)
