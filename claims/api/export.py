"""`GET /api/claims/export.csv`: claims and their rulings as CSV, with the list's filters.

Streamed (`claims.export`), so 100,000 rows never sit in memory; safe against formula
injection; the columns are `claims.export.COLUMNS` (and the README). The filters are the
claim list's (`state`, `assignee`, `outlet`, `ruled_after`, `search`, ...); an unknown or
empty one is a 400, as on the list. The export is not paged and is ordered by claim id.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView

from claims import export
from claims.api import shapes
from claims.api.base import APIViewMixin
from claims.api.filters import ClaimFilter, FilterBackend, StrictQueryParams
from claims.models import Claim


class ClaimExportView(APIViewMixin, GenericAPIView):
    perms = {"get": "claims.view_claim"}
    filterset_class = ClaimFilter
    filter_backends = [StrictQueryParams, FilterBackend]
    pagination_class = None

    def get_queryset(self):
        return Claim.objects.all()

    @extend_schema(
        summary="Claims and rulings as CSV (streamed), with the claim list's filters",
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="One row per claim; columns in the README"
            ),
            400: shapes.ErrorShape,
        },
    )
    def get(self, request):
        paged = sorted({"cursor", "page_size"} & set(request.query_params))
        if paged:
            raise exceptions.ValidationError(
                {
                    name: ["The export is not paged: it streams every matching claim."]
                    for name in paged
                }
            )
        return export.response(self.filter_queryset(self.get_queryset()))
