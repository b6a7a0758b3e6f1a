"""Comments and suggested verdicts on a claim (`/api/claims/{claim_pk}/comments/`, `/suggestions/`).

Reviewers and fact-checkers read and add; authors edit or delete their own (editors may
delete any). `body_html` is the body escaped and sanitised for display.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from claims.api import serializers, shapes
from claims.api.base import APIViewMixin
from claims.models import Claim, Comment, Suggestion
from claims.report import comment_dict, suggestion_dict

CLAIM_PK = OpenApiParameter(
    "claim_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The claim's id"
)
ERR = shapes.ErrorShape


class _OnClaim(APIViewMixin):
    def claim(self) -> Claim:
        if not hasattr(self, "_claim"):
            self._claim = get_object_or_404(Claim.objects.only("id"), pk=self.kwargs["claim_pk"])
        return self._claim


@extend_schema(parameters=[CLAIM_PK])
@extend_schema_view(
    list=extend_schema(
        summary="Comments on a claim, oldest first", responses=shapes.CommentShape(many=True)
    ),
    create=extend_schema(
        summary="Comment on a claim",
        request=serializers.CommentInput,
        responses={201: shapes.CommentShape, 400: ERR, 404: ERR},
    ),
    retrieve=extend_schema(responses={200: shapes.CommentShape, 404: ERR}),
    partial_update=extend_schema(
        summary="Edit your comment",
        request=serializers.CommentInput,
        responses={200: shapes.CommentShape, 400: ERR, 403: ERR, 404: ERR},
    ),
    destroy=extend_schema(summary="Delete your comment", responses={204: None, 403: ERR, 404: ERR}),
)
class CommentViewSet(
    _OnClaim,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    serializer_class = serializers.CommentInput  # the browsable API's form
    perms = {
        "list": "claims.view_comment",
        "retrieve": "claims.view_comment",
        "create": "claims.add_comment",
        "partial_update": "claims.add_comment",
        "destroy": "claims.add_comment",
    }

    queryset = Comment.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return Comment.objects.filter(claim_id=self.claim().pk).select_related("author")

    def paginate_queryset(self, queryset):
        self.paginator.ordering = ("created_at", "id")
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([comment_dict(c) for c in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(comment_dict(self.get_object()))

    def create(self, request, *args, **kwargs):
        data = _valid(serializers.CommentInput, request)
        comment = Comment.objects.create(claim=self.claim(), author=request.user, body=data["body"])
        return Response(comment_dict(comment), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        comment = self._own(self.get_object(), "edit")
        data = _valid(serializers.CommentInput, request)
        comment.body = data["body"]
        comment.save(update_fields=["body", "updated_at"])
        return Response(comment_dict(comment))

    def destroy(self, request, *args, **kwargs):
        comment = self.get_object()
        if not request.user.has_perm("claims.delete_comment"):
            self._own(comment, "delete")
        comment.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _own(self, comment: Comment, verb: str) -> Comment:
        if comment.author_id != self.request.user.pk:
            raise exceptions.PermissionDenied(f"You can only {verb} your own comments.")
        return comment


@extend_schema(parameters=[CLAIM_PK])
@extend_schema_view(
    list=extend_schema(
        summary="Suggested verdicts on a claim", responses=shapes.SuggestionShape(many=True)
    ),
    create=extend_schema(
        summary="Suggest a verdict (advisory; only fact-checkers rule)",
        request=serializers.SuggestionInput,
        responses={201: shapes.SuggestionShape, 400: ERR, 404: ERR},
    ),
)
class SuggestionViewSet(
    _OnClaim, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = serializers.SuggestionInput
    perms = {"list": "claims.view_suggestion", "create": "claims.suggest_verdict"}

    queryset = Suggestion.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Suggestion.objects.none()
        return Suggestion.objects.filter(claim_id=self.claim().pk).select_related("author")

    def paginate_queryset(self, queryset):
        self.paginator.ordering = ("created_at", "id")
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([suggestion_dict(s) for s in page])

    def create(self, request, *args, **kwargs):
        data = _valid(serializers.SuggestionInput, request)
        suggestion = Suggestion.objects.create(
            claim=self.claim(),
            author=request.user,
            verdict=data["verdict"],
            note=data.get("note", ""),
        )
        return Response(suggestion_dict(suggestion), status=status.HTTP_201_CREATED)


def _valid(serializer_class, request) -> dict:
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data
