"""Turnaround metrics as JSON (`GET /api/metrics/?weeks=12`): the Metrics page's figures.

The figures are `claims.metrics.compute` (see its docstring for what each one counts).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from claims import metrics
from claims.api import shapes
from claims.api.base import APIViewMixin

WEEKS = OpenApiParameter(
    "weeks",
    {"type": "integer", "minimum": 1, "maximum": metrics.MAX_WEEKS},
    description=f"How many weeks back, this one included (default {metrics.DEFAULT_WEEKS})",
)


class MetricsView(APIViewMixin, GenericAPIView):
    perms = {"get": "claims.view_claim"}
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        summary="Turnaround per week, load per fact-checker, the oldest claim waiting",
        parameters=[WEEKS],
        responses={200: shapes.MetricsShape, 400: shapes.ErrorShape},
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"weeks", "format"})
        if unknown:
            raise exceptions.ValidationError(
                {name: ["Unknown query parameter; use: weeks."] for name in unknown}
            )
        raw = request.query_params.get("weeks", str(metrics.DEFAULT_WEEKS))
        try:
            weeks = int(raw)
        except ValueError:
            weeks = 0
        if not 1 <= weeks <= metrics.MAX_WEEKS:
            raise exceptions.ValidationError(
                {"weeks": [f"A whole number from 1 to {metrics.MAX_WEEKS}."]}
            )
        return Response(metrics.compute(weeks).as_dict())
