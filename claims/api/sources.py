"""Sources: add a document (or a URL to fetch) to the corpus, optionally attached to a claim.

A document is stored and indexed at once (201). A URL alone becomes a SourceRequest that
a worker fetches through the hardened client (202); its outcome, with the reason of a
failure, is at /api/source-requests/{id}/. Either way, with a `claim`, the source's
passages are judged for that claim and its corroboration re-runs.

A fetched source carries its archived copy: `archive_url` (a download: attachment,
text/plain, nosniff; `archive_warc_url` when a WARC record was written) and
`archive_sha256`, the SHA-256 of the bytes the server sent.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from analysis.extraction import ArticleError
from claims.api import serializers, shapes
from claims.api.base import APIViewMixin, OrderedViewMixin
from claims.models import Source, SourceRequest
from workers import archive as archives
from workers import ingest
from workers import sources as source_work

ERR = shapes.ErrorShape


def archive_fields(s: Source, request=None) -> dict:
    copy = s.archive if s.archive_id else None
    available = copy is not None and copy.available
    return {
        "archive_url": reverse("source-archive", args=[s.pk], request=request)
        if available
        else None,
        "archive_warc_url": reverse("source-archive-warc", args=[s.pk], request=request)
        if available and copy.warc_name
        else None,
        "archive_sha256": copy.sha256 if copy is not None else None,
        "archive_final_url": copy.final_url if copy is not None else None,
        "archived_at": copy.fetched_at.isoformat() if copy is not None else None,
    }


def source_dict(s: Source, request=None) -> dict:
    return {
        "id": s.pk,
        "title": s.title,
        "byline": s.byline,
        "outlet": s.outlet,
        "url": s.url,
        "published_at": s.published_at.isoformat() if s.published_at else None,
        "origin": s.origin,
        "relays": list(s.relays or []),
        "note": s.note,
        "created_at": s.created_at.isoformat(),
        **archive_fields(s, request),
    }


def request_dict(r: SourceRequest) -> dict:
    return {
        "id": r.pk,
        "url": r.url,
        "claim": r.claim_id,
        "status": r.status,
        "attempts": r.attempts,
        "last_error": r.last_error,
        "source": r.source_id,
        "created_at": r.created_at.isoformat(),
    }


@extend_schema_view(
    list=extend_schema(
        summary="Corpus documents, newest first", responses=shapes.SourceShape(many=True)
    ),
    retrieve=extend_schema(responses={200: shapes.SourceShape, 404: ERR}),
    create=extend_schema(
        summary="Add a document (201) or a URL to fetch (202) to the corpus, optionally for a claim",
        request=serializers.SourceInput,
        responses={
            201: shapes.SourceAddedShape,
            202: shapes.SourceAddedShape,
            400: ERR,
            403: ERR,
            413: ERR,
        },
    ),
)
class SourceViewSet(
    OrderedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    ordering_fields = ["created_at", "published_at", "id"]
    serializer_class = serializers.SourceInput
    # Reviewers may ask for a URL to be fetched; adding a document needs add_source.
    perms = {
        "list": "claims.view_source",
        "retrieve": "claims.view_source",
        "create": "claims.add_sourcerequest",
        "archive": "claims.view_source",
        "archive_warc": "claims.view_source",
    }

    def get_queryset(self):
        return Source.objects.filter(kind=Source.Kind.SOURCE).select_related("archive")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([source_dict(s, request) for s in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(source_dict(self.get_object(), request))

    @extend_schema(
        summary="The archived copy of a fetched source, as a download (never rendered)",
        responses={
            (200, "text/plain"): OpenApiResponse(OpenApiTypes.BINARY, description="the bytes"),
            404: ERR,
        },
    )
    @action(detail=True, methods=["get"], url_path="archive", url_name="archive")
    def archive(self, request, pk=None):
        return archives.download(self.get_object().archive)

    @extend_schema(
        summary="The archived copy of a fetched source as a WARC file (when one was written)",
        responses={
            (200, archives.WARC_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            404: ERR,
        },
    )
    @action(detail=True, methods=["get"], url_path="archive/warc", url_name="archive-warc")
    def archive_warc(self, request, pk=None):
        return archives.download(self.get_object().archive, warc=True)

    def create(self, request, *args, **kwargs):
        ser = serializers.SourceInput(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        claim = d.get("claim")
        if not (d.get("body") or "").strip():
            return self._request_fetch(d["url"], claim)
        if not request.user.has_perm("claims.add_source"):
            raise exceptions.PermissionDenied(
                "Adding a document needs the fact-checker role; reviewers can give a url."
            )
        try:
            source, created = ingest.add_source(
                body=d["body"],
                title=d.get("title", ""),
                outlet=d.get("outlet", ""),
                url=d.get("url", ""),
                published_at=d.get("published_at"),
                byline=d.get("byline", ""),
                relays=d.get("relays") or [],
                added_by=request.user,
            )
        except ArticleError as exc:
            raise exceptions.ValidationError({exc.field: [exc.message]}) from None
        if claim is not None:
            source_work.attach_source_to_claim(source.pk, claim.pk)
        return Response(
            {"source": source_dict(source, request), "created": created, "request": None},
            status=status.HTTP_201_CREATED,
        )

    def _request_fetch(self, url: str, claim) -> Response:
        with transaction.atomic():
            req = SourceRequest.objects.select_for_update().filter(url=url, claim=claim).first()
            if req is None:
                req = SourceRequest.objects.create(
                    url=url, claim=claim, requested_by=self.request.user
                )
                source_work.queue_fetch(req.pk)
            elif req.status == SourceRequest.Status.FAILED:
                # Asked again after a failure: try again from scratch.
                SourceRequest.objects.filter(pk=req.pk).update(
                    status=SourceRequest.Status.PENDING, attempts=0, last_error=""
                )
                source_work.queue_fetch(req.pk)
        req.refresh_from_db()
        return Response(
            {"source": None, "created": None, "request": request_dict(req)},
            status=status.HTTP_202_ACCEPTED,
        )


@extend_schema_view(
    list=extend_schema(
        summary="URLs asked for, with their fetch outcome",
        responses=shapes.SourceRequestShape(many=True),
    ),
    retrieve=extend_schema(responses={200: shapes.SourceRequestShape, 404: ERR}),
)
class SourceRequestViewSet(
    APIViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = shapes.SourceRequestShape
    perms = {"list": "claims.view_sourcerequest", "retrieve": "claims.view_sourcerequest"}

    def get_queryset(self):
        return SourceRequest.objects.all()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([request_dict(r) for r in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(request_dict(self.get_object()))
