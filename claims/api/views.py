"""Minimal read API over the report shape; the reviewers' API (issue 6) builds on it."""

from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from claims.models import Article, Claim
from claims.report import article_dict, claim_dict
from workers import intake, pipeline
from workers.extraction import ArticleError


class ArticleSubmitSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    html = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    url = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)
    outlet = serializers.CharField(required=False, allow_blank=True)
    byline = serializers.CharField(required=False, allow_blank=True)
    published_at = serializers.CharField(required=False, allow_blank=True)


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Article.objects.order_by("-created_at")

    def get_serializer_class(self):
        return ArticleSubmitSerializer

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_article_summary(a) for a in page])

    def retrieve(self, request, pk=None):
        article = self.get_object()
        data = article_dict(article)
        data["claims"] = [claim_dict(c) for c in _claims().filter(article=article)]
        return Response(data)

    def create(self, request):
        ser = ArticleSubmitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        try:
            if d.get("html"):
                raw, fmt = d["html"], "html"
            elif d.get("body"):
                raw, fmt = d["body"], "text"
            elif d.get("url"):
                raw, fmt, _ = intake.fetch_url(d["url"])
            else:
                raise ArticleError("body", "give the article as body, html or url")
            parsed = intake.parse_article(
                raw,
                fmt=fmt,
                url=d.get("url", ""),
                title=d.get("title", ""),
                outlet=d.get("outlet", ""),
                byline=d.get("byline", ""),
                published=d.get("published_at") or None,
            )
            article, created = pipeline.ingest_article(parsed, submitted_by=request.user)
        except ArticleError as exc:
            return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        url = request.build_absolute_uri(f"/api/articles/{article.pk}/")
        return Response(
            {"id": article.pk, "status": article.status, "created": created, "url": url},
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": url},
        )


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return _claims().order_by("-created_at", "-id")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([claim_dict(c) for c in page])

    def retrieve(self, request, pk=None):
        return Response(claim_dict(self.get_object()))


def _claims():
    return Claim.objects.select_related("assignee").prefetch_related(
        "flags", "evidence__passage", "evidence__source"
    )


def _article_summary(a: Article) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "outlet": a.outlet,
        "published_at": a.published_at.isoformat() if a.published_at else None,
        "status": a.status,
    }
