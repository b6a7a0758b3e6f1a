"""Claims: list with filters and search, the claim object, workflow actions, ClaimReview.

The claim object is `claims.report.claim_dict` (what `check_article --json` prints);
workflow actions call `claims.workflow` and nothing else changes a claim's state.
"""

from __future__ import annotations

from functools import cache

import orjson
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery, TextField
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import JSONObject
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from claims import alerts, claim_object, ratings, workflow
from claims.api import claimreview, conditional, serializers, shapes
from claims.api.base import IF_MATCH, APIViewMixin, OrderedViewMixin, check_if_match, detail_etag
from claims.api.filters import ClaimFilter, RuledRangeFilter
from claims.api.renderers import ListJSONRenderer
from claims.models import Claim, ClaimState, Evidence, Flag, Ruling
from claims.report import claim_dict, claims_for_detail, ruling_dict

STANCES = tuple(Evidence.Stance.values)  # supports, contradicts, mentions
NO_EVIDENCE = dict.fromkeys(STANCES, 0)
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
        summary="Claims, newest first: a summary per claim (flags, evidence counts, `url` of the claim object)",
        responses={
            200: shapes.ClaimSummaryShape(many=True),
            304: conditional.NOT_MODIFIED,
        },
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
        responses={
            200: shapes.ClaimDetailShape,
            304: conditional.NOT_MODIFIED,
            404: shapes.ErrorShape,
        },
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
        "claimreview_snippet": "claims.view_claim",
        "assign": "claims.assign_claim",
        "rule": "claims.rule_claim",
        "signoff": "claims.rule_claim",
        "return_proposal": "claims.rule_claim",
        "rulings": "claims.view_claim",
        "reopen": "claims.reopen_claim",
        "dismiss": "claims.dismiss_claim",
        "follow": "claims.view_claim",
        "unfollow": "claims.view_claim",
    }

    def get_serializer_class(self):
        # The browsable API's forms; responses are claim_dict (see shapes.ClaimShape).
        return {
            "assign": serializers.AssignInput,
            "rule": serializers.RuleInput,
            "signoff": serializers.SignoffInput,
            "return_proposal": serializers.ReturnInput,
            "reopen": serializers.ReasonInput,
            "dismiss": serializers.DismissInput,
            "list": shapes.ClaimSummaryShape,
        }.get(self.action, shapes.ClaimShape)

    def get_queryset(self):
        if self.action == "list":
            return list_queryset()
        if self.action in ("claimreview", "claimreview_snippet"):
            return claimreview.review_queryset()
        if self.action == "retrieve":
            return claims_for_detail()
        # Workflow actions: the bare claim (they re-read it for the response, see _detail).
        return Claim.objects.all()

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action != "list":
            return renderers
        # orjson for the list page, byte for byte DRF's (claims.api.renderers).
        return [ListJSONRenderer() if type(r) is JSONRenderer else r for r in renderers]

    def list(self, request, *args, **kwargs):
        rows = unpack_extras(
            self.paginate_queryset(list_values(self.filter_queryset(self.get_queryset())))
        )
        flags = page_flags(rows)
        # One reverse() for the page, not one per row. DRF keeps ?format= on the URL, so
        # the id goes before the query string, not at the end of it.
        path, sep, query = reverse("claim-detail", args=[0], request=request).partition("?")
        detail_url = (path[: -len("0/")], sep + query)
        return self.get_paginated_response(
            [summary_dict(row, flags[row["id"]], detail_url) for row in rows]
        )

    def retrieve(self, request, *args, **kwargs):
        if claim_object.available():
            # One statement instead of claims_for_detail()'s nine (claims.claim_object).
            claim = claim_object.fetch(_claim_pk(kwargs["pk"]))
            if claim is None:
                raise Http404("No Claim matches the given query.")
            self.check_object_permissions(request, claim)
            return self._response(claim)
        # get_object() already ran claims_for_detail(): no second read.
        return self._response(self.get_object())

    def _detail(self, claim: Claim) -> Response:
        """The claim object after a workflow action, read fresh."""
        return self._response(claims_for_detail().get(pk=claim.pk))

    def _response(self, claim: Claim) -> Response:
        self.etag_claim = claim  # the version part of the ETag (finalize_response)
        return Response(claim_dict(claim, detail=True))

    def finalize_response(self, request, response, *args, **kwargs):
        """The list and the claim object carry an ETag of their body; a GET whose
        If-None-Match names it is answered 304 (claims.api.conditional)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        claim = getattr(self, "etag_claim", None)
        if response.status_code != 200 or (claim is None and self.action != "list"):
            return response
        response.render()
        tag = conditional.body_tag(response.content, response.accepted_media_type)
        etag = detail_etag(claim, tag) if claim is not None else f'"{tag}"'
        if request.method not in ("GET", "HEAD"):
            response["ETag"] = etag  # a workflow action's answer: the If-Match for the next
            return response
        return conditional.conditional(request, response, etag)

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

    @_action_schema(
        serializers.RuleInput,
        "Rule a claim on the rating scale (a proposal when sign-off is required); "
        "with a correction note, correct a published ruling",
    )
    @action(detail=True, methods=["post"])
    def rule(self, request, pk=None):
        data = _valid(serializers.RuleInput, request)
        claim = self._checked(request)
        workflow.rule(
            claim,
            user=request.user,
            rating=data.get("rating"),
            verdict=data.get("verdict"),
            rationale=data["rationale"],
            correction=data.get("correction", ""),
        )
        return self._detail(claim)

    @_action_schema(serializers.SignoffInput, "Sign off a proposed ruling (not your own)")
    @action(detail=True, methods=["post"])
    def signoff(self, request, pk=None):
        data = _valid(serializers.SignoffInput, request)
        claim = self._checked(request)
        workflow.sign_off(claim, user=request.user, note=data.get("note", ""))
        return self._detail(claim)

    @_action_schema(serializers.ReturnInput, "Send a proposed ruling back, with a note")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_proposal(self, request, pk=None):
        data = _valid(serializers.ReturnInput, request)
        claim = self._checked(request)
        workflow.return_proposal(claim, user=request.user, note=data["note"])
        return self._detail(claim)

    @extend_schema(
        summary="Every version of the claim's ruling, first first: proposals, returns, "
        "published versions and corrections",
        responses={200: shapes.RulingShape(many=True), 404: shapes.ErrorShape},
        filters=False,  # a list response, but of one claim: the claim filters do not apply
    )
    @action(detail=True, methods=["get"])
    def rulings(self, request, pk=None):
        claim = self.get_object()
        versions = Ruling.objects.filter(claim=claim).select_related(
            "rating", "proposed_by", "signed_off_by", "returned_by"
        )
        return Response([ruling_dict(r, current=claim.ruling_id) for r in versions])

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
        summary="Follow a claim: its new flags become alerts for you (if you want those)",
        request=None,
        responses={200: shapes.FollowShape, 404: shapes.ErrorShape},
    )
    @action(detail=True, methods=["post"])
    def follow(self, request, pk=None):
        claim = self.get_object()
        alerts.follow(request.user, claim)
        return Response({"claim": claim.pk, "following": True})

    @extend_schema(
        summary="Stop following a claim",
        request=None,
        responses={200: shapes.FollowShape, 404: shapes.ErrorShape},
    )
    @action(detail=True, methods=["post"])
    def unfollow(self, request, pk=None):
        claim = self.get_object()
        alerts.unfollow(request.user, claim)
        return Response({"claim": claim.pk, "following": alerts.is_following(request.user, claim)})

    @extend_schema(
        summary="schema.org ClaimReview JSON-LD of a ruled claim",
        responses={200: OpenApiTypes.OBJECT, 404: shapes.ErrorShape},
    )
    @action(detail=True, methods=["get"], renderer_classes=claimreview.RENDERERS)
    def claimreview(self, request, pk=None):
        return Response(claimreview.claim_review(self._published()))

    @extend_schema(
        summary='The ClaimReview as a ready-to-paste <script type="application/ld+json"> element',
        responses={(200, "text/plain"): OpenApiTypes.STR, 404: shapes.ErrorShape},
    )
    @action(detail=True, methods=["get"], url_path="claimreview/snippet")
    def claimreview_snippet(self, request, pk=None):
        # Plain text (with nosniff): the element is for pasting, never run on our origin.
        # Errors keep the API's JSON shape.
        text = claimreview.snippet(claimreview.claim_review(self._published()))
        return HttpResponse(text, content_type="text/plain; charset=utf-8")

    def handle_exception(self, exc):
        if self.action == "claimreview":
            claimreview.errors_as_json(self.request)
        return super().handle_exception(exc)

    def _published(self) -> Claim:
        claim = self.get_object()
        if not claimreview.is_published(claim):
            raise exceptions.NotFound(
                f"Claim {claim.pk} is {ClaimState(claim.state).label.lower()}; only ruled "
                "claims (signed off, when sign-off is required) have a ClaimReview."
            )
        return claim


@extend_schema_view(
    list=extend_schema(
        summary="ClaimReview export: claims ruled in [since, until), oldest ruling first",
        responses=OpenApiTypes.OBJECT,
    )
)
class ClaimReviewExportViewSet(APIViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    filterset_class = RuledRangeFilter
    serializer_class = shapes.ClaimShape  # unused: responses are ClaimReview JSON-LD
    renderer_classes = claimreview.RENDERERS

    def handle_exception(self, exc):
        claimreview.errors_as_json(self.request)
        return super().handle_exception(exc)

    perms = {"list": "claims.view_claim"}

    def get_queryset(self):
        return claimreview.review_queryset().filter(
            claimreview.published_q(), ruled_at__isnull=False
        )

    def paginate_queryset(self, queryset):
        self.paginator.ordering = ("ruled_at", "id")
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        bounds = ratings.bounds()  # once for the page, not per review
        return self.get_paginated_response(
            [claimreview.claim_review(c, bounds=bounds) for c in page]
        )


# The columns of a list row: plain values, no model instances (building 50 claims, their
# articles, assignees and flags as objects cost more than the queries).
def _list_columns() -> dict[str, str]:
    return {
        "id": "id",
        "article_id": "article_id",
        "text": "text",
        "start": "start",
        "end": "end",
        "state": "state",
        "claim_type": "claim_type",
        "checkworthiness": "checkworthiness",
        "recommended_verdict": "recommended_verdict",
        "created_at": "created_at",
        "updated_at": "updated_at",
        "article_title": "article__title",
        "article_outlet": "article__outlet",
        "article_published_at": "article__published_at",
        "assignee_name": "assignee__" + get_user_model().USERNAME_FIELD,
    }


def list_queryset():
    """The claim list page: the claims with their article's heading, assignee, evidence
    counts by stance and (on PostgreSQL) their flags, in one query; elsewhere the flags
    are a second (`page_flags`). No evidence rows, passages or document bodies are read.
    A clone of one annotated queryset, built once: resolving the annotations cost a
    list request more than cloning."""
    return _list_base().all()


@cache
def _list_base():
    if connection.vendor == "postgresql":
        return _list_base_postgres()
    # The counts are a correlated subquery (one index scan of the claim's evidence per
    # row, which the database runs after ORDER BY ... LIMIT), not a JOIN + GROUP BY: that
    # would aggregate the evidence of every claim matching the filters before paging.
    counts = (
        Evidence.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(counts=JSONObject(**{s: Count("pk", filter=Q(stance=s)) for s in STANCES}))
        .values("counts")
    )
    return Claim.objects.annotate(evidence_counts=Subquery(counts))


def _list_base_postgres():
    """The same correlated subquery written out, plus the flags (as `page_flags` reads
    them, in their model order) and the two attribution keys a row shows, all in one
    JSON array per row (`row_extras`): compiling the ORM's expressions cost a list request
    more than PostgreSQL's running them, the flags' own query was a round trip, and one
    decode a row is cheaper than four. The counts stay jsonb, whose keys come shortest
    first as the ORM's JSONObject gives them; the flags are json, keys in the order
    written, as page_flags writes them."""
    q = connection.ops.quote_name
    claim = q(Claim._meta.db_table)
    counts = ", ".join("%s, count(*) FILTER (WHERE e.stance = %s)" for _ in STANCES)
    extras = RawSQL(
        f"""json_build_array(
            (SELECT jsonb_build_object({counts}) FROM {q(Evidence._meta.db_table)} e
             WHERE e.claim_id = {claim}.id GROUP BY e.claim_id),
            (SELECT json_agg(json_build_object('kind', f.kind, 'message', f.message,
                'resolved', f.resolved_at IS NOT NULL) ORDER BY f.created_at, f.id)
             FROM {q(Flag._meta.db_table)} f WHERE f.claim_id = {claim}.id),
            {claim}.attribution -> 'speaker', {claim}.attribution -> 'kind')::text""",
        [x for s in STANCES for x in (s, s)],
        output_field=TextField(),
    )
    return Claim.objects.annotate(row_extras=extras)


def list_values(queryset):
    """The filtered, ordered list as row dicts (what the cursor pages and `summary_dict`
    read, after `unpack_extras`)."""
    columns = _list_columns()
    if "row_extras" in queryset.query.annotations:
        extra: dict = {}
        annotated = ["row_extras"]
    else:
        # The two keys a row shows, not the whole attribution (its chain, its spans)
        # decoded per row; a non-object attribution gives None for both, as before.
        extra = {
            "attribution_speaker": KeyTransform("speaker", "attribution"),
            "attribution_of_kind": KeyTransform("kind", "attribution"),
        }
        annotated = ["evidence_counts"]
    return queryset.values(
        *annotated,
        *(k for k, v in columns.items() if k == v),
        **{k: F(v) for k, v in columns.items() if k != v},
        **extra,
    )


def unpack_extras(rows: list[dict]) -> list[dict]:
    """Rows read on PostgreSQL carry their counts, flags and attribution keys in one
    JSON array; give them the keys the other rows have."""
    for row in rows:
        if "row_extras" in row:
            (
                row["evidence_counts"],
                row["flag_list"],
                row["attribution_speaker"],
                row["attribution_of_kind"],
            ) = orjson.loads(row.pop("row_extras"))
    return rows


def page_flags(rows: list[dict]) -> dict[int, list[dict]]:
    """Every flag of the page's claims, open and resolved: read with the rows on
    PostgreSQL (`flag_list`), else in one query."""
    if rows and "flag_list" in rows[0]:
        return {row["id"]: row["flag_list"] or [] for row in rows}
    by_claim: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    if rows:
        for claim_id, kind, message, resolved_at in Flag.objects.filter(
            claim_id__in=list(by_claim)
        ).values_list("claim_id", "kind", "message", "resolved_at"):
            by_claim[claim_id].append(
                {"kind": kind, "message": message, "resolved": resolved_at is not None}
            )
    return by_claim


def summary_dict(row: dict, flags: list[dict], detail_url: tuple[str, str]) -> dict:
    """A claim list row (shapes.ClaimSummaryShape) from a `list_values` row."""
    published = row["article_published_at"]
    return {
        "id": row["id"],
        "url": f"{detail_url[0]}{row['id']}/{detail_url[1]}",
        "article": {
            "id": row["article_id"],
            "title": row["article_title"],
            "outlet": row["article_outlet"],
            "published_at": published.isoformat() if published else None,
        },
        "text": row["text"],
        "start": row["start"],
        "end": row["end"],
        "state": row["state"],
        "type": row["claim_type"],
        "checkworthiness": round(row["checkworthiness"], 3),
        "attribution": {
            "speaker": row["attribution_speaker"] or None,
            "kind": row["attribution_of_kind"] or None,
        },
        "recommended_verdict": row["recommended_verdict"] or None,
        "assignee": row["assignee_name"],
        "flags": flags,
        "evidence_counts": row["evidence_counts"] or NO_EVIDENCE,
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def _claim_pk(raw: str) -> int:
    """A claim id from the URL; anything that cannot be one is a 404, as get_object has it."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise Http404("No Claim matches the given query.") from None
    if not 0 < pk < 2**63:
        raise Http404("No Claim matches the given query.")
    return pk


def _valid(serializer_class, request) -> dict:
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data
