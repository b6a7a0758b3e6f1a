"""Articles: submit (text, HTML or a URL to fetch) -> 202 and where to watch; list; detail with claims."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from analysis.extraction import ArticleError
from claims.api import serializers, shapes
from claims.api.base import OrderedViewMixin
from claims.api.filters import ArticleFilter
from claims.models import Article, Claim
from claims.report import article_dict, claim_dict, publishing_prefetch
from workers import ingest

ERR = shapes.ErrorShape


@extend_schema_view(
    list=extend_schema(
        summary="Articles, newest first", responses=shapes.ArticleSummaryShape(many=True)
    ),
    retrieve=extend_schema(
        summary="An article with its claims (poll it to watch processing)",
        responses={200: shapes.ArticleDetailShape, 404: ERR},
    ),
    create=extend_schema(
        summary="Submit an article as text, HTML or a URL to fetch",
        request=serializers.ArticleSubmit,
        responses={202: shapes.ArticleAcceptedShape, 400: ERR, 413: ERR},
    ),
)
class ArticleViewSet(
    OrderedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = ArticleFilter
    serializer_class = serializers.ArticleSubmit  # the browsable API's form
    ordering_fields = ["created_at", "published_at", "id"]
    perms = {
        "list": "claims.view_article",
        "retrieve": "claims.view_article",
        "create": "claims.add_article",
        "promote": "claims.rule_claim",
    }

    def get_queryset(self):
        return Article.objects.annotate(claim_count=Count("claims"))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([_summary(a) for a in page])

    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        data = article_dict(article)
        claims = (
            Claim.objects.filter(article=article)
            .select_related("assignee", "ruling__rating")
            .prefetch_related("flags", "evidence__passage", "evidence__source")
            .prefetch_related(*publishing_prefetch())
            .order_by("start")
        )
        data["claims"] = [claim_dict(c) for c in claims]
        claimed = {tuple(a) for c in claims for a in (c.appearances or [(c.start, c.end)])}
        claimed |= {(c.start, c.end) for c in claims}
        data["sentences"] = [
            {"start": a, "end": b, "checkworthiness": score, "claim": (a, b) in claimed}
            for a, b, score, *_ in article.sentences or []
        ]
        return Response(data)

    @extend_schema(
        summary="Promote a sentence scored below the threshold to a claim",
        request=serializers.PromoteInput,
        responses={201: shapes.ClaimShape, 400: ERR, 403: ERR, 404: ERR},
    )
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        ser = serializers.PromoteInput(data=request.data)
        ser.is_valid(raise_exception=True)
        article = self.get_object()
        claim = ingest.promote_sentence(
            article, ser.validated_data["start"], ser.validated_data["end"], user=request.user
        )
        claim = (
            Claim.objects.select_related("assignee")
            .prefetch_related("flags", "evidence__passage", "evidence__source")
            .get(pk=claim.pk)
        )
        return Response(claim_dict(claim), status=status.HTTP_201_CREATED)

    def create(self, request, *args, **kwargs):
        ser = serializers.ArticleSubmit(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            parsed = ingest.read_submission(
                None if d.get("html") or d.get("body") else d["url"],
                text=d.get("body") or None,
                html=d.get("html") or None,
                url=d.get("url", ""),
                title=d.get("title", ""),
                outlet=d.get("outlet", ""),
                byline=d.get("byline", ""),
                published=d.get("published_at"),
            )
            article, created = ingest.ingest_article(parsed, submitted_by=request.user)
        except ArticleError as exc:
            field = {"published": "published_at", "path": "body"}.get(exc.field, exc.field)
            raise exceptions.ValidationError({field: [exc.message]}) from None
        article.refresh_from_db(fields=["status"])
        url = reverse("article-detail", args=[article.pk], request=request)
        claims_url = reverse("claim-list", request=request) + f"?article={article.pk}"
        return Response(
            {
                "id": article.pk,
                "status": article.status,
                "created": created,
                "url": url,
                "claims_url": claims_url,
            },
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": url},
        )


def _summary(a: Article) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "outlet": a.outlet,
        "url": a.url,
        "published_at": a.published_at.isoformat() if a.published_at else None,
        "status": a.status,
        "claims": a.claim_count,
        "created_at": a.created_at.isoformat(),
    }
