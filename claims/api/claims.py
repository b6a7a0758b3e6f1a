"""Claims: list with filters and search, the claim object, workflow actions, ClaimReview.

The claim object is `claims.report.claim_dict` (what `check_article --json` prints);
workflow actions call `claims.workflow` and nothing else changes a claim's state.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import workflow
from claims.api import claimreview, serializers, shapes
from claims.api.base import IF_MATCH, APIViewMixin, OrderedViewMixin, check_if_match, claim_etag
from claims.api.filters import ClaimFilter, RuledRangeFilter
from claims.models import RULED_STATES, Claim
from claims.report import claim_dict, claims_for_detail

LIST_PREFETCH = ("flags", "evidence__passage", "evidence__source")
ERRORS = {
    400: shapes.ErrorShape,
    403: shapes.ErrorShape,
    404: shapes.ErrorShape,
    409: shapes.ErrorShape,
    412: shapes.ErrorShape,
}


def _action_schema(request, summary: str):
    return extend_schema(
        summary=summary,
        request=request,
        parameters=[IF_MATCH],
        responses={200: shapes.ClaimDetailShape, **ERRORS},
    )


@extend_schema_view(
    list=extend_schema(
        summary="Claims, newest first",
        responses=shapes.ClaimShape(many=True),
        parameters=[
            OpenApiParameter(
                name,
                {"type": "number", "minimum": 0, "maximum": 1},
                description=f"Check-worthiness {op} this",
            )
            for name, op in (
                ("checkworthiness_min", "at least"),
                ("checkworthiness_max", "at most"),
            )
        ],
    ),
    retrieve=extend_schema(
        summary="The claim object (same as check_article --json), with comments, transitions, similar claims",
        responses={200: shapes.ClaimDetailShape, 404: shapes.ErrorShape},
    ),
)
class ClaimViewSet(
    OrderedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    filterset_class = ClaimFilter
    ordering_fields = ["created_at", "updated_at", "checkworthiness", "id"]
    perms = {
        "list": "claims.view_claim",
        "retrieve": "claims.view_claim",
        "claimreview": "claims.view_claim",
        "assign": "claims.assign_claim",
        "rule": "claims.rule_claim",
        "reopen": "claims.reopen_claim",
        "dismiss": "claims.dismiss_claim",
    }

    def get_serializer_class(self):
        # The browsable API's forms; responses are claim_dict (see shapes.ClaimShape).
        return {
            "assign": serializers.AssignInput,
            "rule": serializers.RuleInput,
            "reopen": serializers.ReasonInput,
            "dismiss": serializers.DismissInput,
        }.get(self.action, shapes.ClaimShape)

    def get_queryset(self):
        if self.action == "list":
            return Claim.objects.select_related("assignee").prefetch_related(*LIST_PREFETCH)
        if self.action == "claimreview":
            return claimreview.review_queryset()
        return claims_for_detail()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([claim_dict(c) for c in page])

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def _detail(self, claim: Claim) -> Response:
        claim = claims_for_detail().get(pk=claim.pk)
        return Response(claim_dict(claim, detail=True), headers={"ETag": claim_etag(claim)})

    def _checked(self, request) -> Claim:
        claim = self.get_object()
        check_if_match(request, claim)
        return claim

    @_action_schema(serializers.AssignInput, "Assign a claim to a fact-checker (null unassigns)")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        data = _valid(serializers.AssignInput, request)
        claim = self._checked(request)
        assignee = None
        if data["assignee"]:
            assignee = (
                get_user_model().objects.filter(username=data["assignee"], is_active=True).first()
            )
            if assignee is None:
                raise exceptions.ValidationError(
                    {"assignee": [f"No active user {data['assignee']!r}."]}
                )
        workflow.assign(claim, assignee=assignee, by=request.user)
        return self._detail(claim)

    @_action_schema(serializers.RuleInput, "Rule a corroborating claim verified or disputed")
    @action(detail=True, methods=["post"])
    def rule(self, request, pk=None):
        data = _valid(serializers.RuleInput, request)
        claim = self._checked(request)
        workflow.rule(
            claim, user=request.user, verdict=data["verdict"], rationale=data["rationale"]
        )
        return self._detail(claim)

    @_action_schema(serializers.ReasonInput, "Reopen a ruled or dismissed claim, with the reason")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = _valid(serializers.ReasonInput, request)
        claim = self._checked(request)
        workflow.reopen(claim, reason=data["reason"], user=request.user)
        return self._detail(claim)

    @_action_schema(serializers.DismissInput, "Dismiss a sentence that is not a claim")
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        data = _valid(serializers.DismissInput, request)
        claim = self._checked(request)
        workflow.dismiss(claim, user=request.user, reason=data.get("reason", ""))
        return self._detail(claim)

    @extend_schema(
        summary="schema.org ClaimReview JSON-LD of a ruled claim",
        responses={200: OpenApiTypes.OBJECT, 404: shapes.ErrorShape},
    )
    @action(detail=True, methods=["get"])
    def claimreview(self, request, pk=None):
        claim = self.get_object()
        if claim.state not in RULED_STATES:
            raise exceptions.NotFound(
                f"Claim {claim.pk} is {claim.state}; only ruled claims have a ClaimReview."
            )
        return Response(claimreview.claim_review(claim), content_type="application/ld+json")


@extend_schema_view(
    list=extend_schema(
        summary="ClaimReview export: claims ruled in [since, until), oldest ruling first",
        responses=OpenApiTypes.OBJECT,
    )
)
class ClaimReviewExportViewSet(APIViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    filterset_class = RuledRangeFilter
    serializer_class = shapes.ClaimShape  # unused: responses are ClaimReview JSON-LD
    perms = {"list": "claims.view_claim"}

    def get_queryset(self):
        return claimreview.review_queryset().filter(state__in=RULED_STATES, ruled_at__isnull=False)

    def paginate_queryset(self, queryset):
        self.paginator.ordering = ("ruled_at", "id")
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([claimreview.claim_review(c) for c in page])


def _valid(serializer_class, request) -> dict:
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data
