"""Filtering, search, ordering and pagination for the list endpoints.

Unknown query parameters are refused with 400 (a mistyped filter silently ignored would
return everything and look like an answer).
"""

from __future__ import annotations

from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.pagination import CursorPagination

from claims.models import Article, ClaimState, ClaimType, Flag, FlagKind, Recommendation

GLOBAL_PARAMS = {"cursor", "page_size", "format"}


def check_in_range(field, value, error) -> None:
    """Refuse an integer the column cannot hold: the database would raise, not answer."""
    if value is None or not isinstance(field, models.IntegerField | models.ForeignKey):
        return
    internal = (
        field.target_field.get_internal_type()
        if isinstance(field, models.ForeignKey)
        else field.get_internal_type()
    )
    low, high = connection.ops.integer_field_range(internal)
    if (low is not None and value < low) or (high is not None and value > high):
        raise error()


class _UTCDateTimeField(django_filters.fields.IsoDateTimeField):
    """ISO 8601 in, UTC out: PostgreSQL refuses offsets past ±15:59 that ISO allows."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("This date-time is out of range.") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _UTCDateTimeField


# The largest id a JSON number states exactly (2**53 - 1, as NUMBER_BOUND below): no id
# gets near it, and asking for one past it is a bad request.
MAX_ID = 2**53 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A primary key: a whole number from 1 to MAX_ID, else 400 (never a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class Pagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-created_at", "-id")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        if request.query_params.get(self.cursor_query_param) == "":
            return None  # an empty cursor is the first page
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            self.check_position(cursor.position)
        return cursor

    def invalid_cursor(self) -> exceptions.NotFound:
        # DRF's answer to a cursor it cannot decode; a rewritten one is no different.
        return exceptions.NotFound(self.invalid_cursor_message)

    def check_position(self, position: str) -> None:
        """A cursor is base64 a client can rewrite: its position must be a value of the
        ordering field (a date for created_at, an integer in range for id), or the query
        fails in the database (a 500) instead of answering as for any invalid cursor."""
        name = self.ordering[0].lstrip("-")
        try:
            field = self.model._meta.get_field(name)
            value = field.to_python(position)
        except FieldDoesNotExist:
            return
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise self.invalid_cursor() from None
        check_in_range(field, value, self.invalid_cursor)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for p in params:
            if p["name"] == self.page_size_query_param:
                p["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        return params


class StrictQueryParams(BaseFilterBackend):
    """Refuse query parameters the view does not define (filters, search, ordering, paging)."""

    def filter_queryset(self, request, queryset, view):
        allowed = set(GLOBAL_PARAMS) | set(getattr(view, "extra_query_params", ()))
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        if getattr(view, "ordering_fields", None):
            allowed.add("ordering")
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise exceptions.ValidationError(
                {
                    name: [f"Unknown query parameter; use one of: {', '.join(sorted(allowed))}."]
                    for name in unknown
                }
            )
        filters = filterset_class.base_filters if filterset_class is not None else {}
        errors = {}
        for name in request.query_params:
            values = request.query_params.getlist(name)
            flt = filters.get(name)
            if len(values) > 1 and not isinstance(flt, django_filters.MultipleChoiceFilter):
                errors[name] = ["Give this parameter once."]
            elif "" in values and (
                name == "format"  # DRF would ignore it; the schema lists the formats
                or (flt is not None and not isinstance(flt, django_filters.CharFilter))
            ):
                errors[name] = ["This parameter needs a value."]
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the view's filters.

    Building a FilterSet deep-copies every declared filter and binds a form; with no filter
    parameter that work filters nothing and cost a list request a quarter of its time.
    (Unknown parameters never get here: StrictQueryParams refuses them first.)
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and not any(
            name in filterset_class.base_filters for name in request.query_params
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(OrderingFilter):
    """Ordering by an unknown field is an error, not silently the default order."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params is not None:
            fields = [p.strip() for p in params.split(",") if p.strip()]
            valid = {f for f, _ in self.get_valid_fields(queryset, view, {"request": request})}
            bad = [f for f in fields if f.lstrip("-") not in valid]
            if bad or not fields:
                raise exceptions.ValidationError(
                    {
                        "ordering": [
                            f"Order by one of: {', '.join(sorted(valid))} (prefix - for descending)."
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        fields = list(getattr(view, "ordering_fields", None) or [])
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Order by this field; prefix - for descending.",
                "schema": {"type": "string", "enum": [p + f for f in fields for p in ("", "-")]},
            }
        ]


# A search longer than this is refused (400): SQLite refuses LIKE patterns past 50,000
# characters (a 500), and no claim sentence needs more.
MAX_SEARCH_CHARS = 1000


@extend_schema_field({"type": "string", "maxLength": MAX_SEARCH_CHARS})
class SearchFilter(django_filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_SEARCH_CHARS)
        super().__init__(*args, **kwargs)


# The widest integer both databases take that a JSON number states exactly (2**53 - 1).
NUMBER_BOUND = 2**53 - 1


class BoundedFilterSet(django_filters.FilterSet):
    """Every number filter is bounded: one without its own bounds gets +-NUMBER_BOUND.

    An id past the column's range (`article=99999999999999999999999`) overflowed in the
    database, a 500 (SQLite: OverflowError); bounded, it is a 400 like any bad value, and
    the schema states the bounds, so a schema-valid value is always accepted.
    """

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for flt in filters.values():
            if isinstance(flt, django_filters.NumberFilter):
                flt.extra.setdefault("min_value", -NUMBER_BOUND)
                flt.extra.setdefault("max_value", NUMBER_BOUND)
        return filters


class ClaimFilter(BoundedFilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ClaimState.choices)
    flag = django_filters.ChoiceFilter(
        choices=FlagKind.choices, method="filter_flag", label="Has a flag of this kind"
    )
    open_flag = django_filters.ChoiceFilter(
        choices=FlagKind.choices,
        method="filter_open_flag",
        label="Has an unresolved flag of this kind",
    )
    assignee = django_filters.CharFilter(
        method="filter_assignee",
        label="Assignee's username; 'me' for yourself, 'none' for unassigned",
    )
    article = IdFilter(field_name="article_id", label="Article id")
    outlet = django_filters.CharFilter(field_name="article__outlet", lookup_expr="iexact")
    type = django_filters.ChoiceFilter(field_name="claim_type", choices=ClaimType.choices)
    recommended = django_filters.ChoiceFilter(
        field_name="recommended_verdict", choices=Recommendation.choices
    )
    checkworthiness_min = django_filters.NumberFilter(
        field_name="checkworthiness", lookup_expr="gte", min_value=0, max_value=1
    )
    checkworthiness_max = django_filters.NumberFilter(
        field_name="checkworthiness", lookup_expr="lte", min_value=0, max_value=1
    )
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    published_after = DateTimeFilter(field_name="article__published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="article__published_at", lookup_expr="lt")
    ruled_after = DateTimeFilter(field_name="ruled_at", lookup_expr="gte")
    ruled_before = DateTimeFilter(field_name="ruled_at", lookup_expr="lt")
    search = SearchFilter(method="filter_search", label="Full-text search in the claim text")

    def filter_flag(self, queryset, name, value):
        return queryset.filter(Exists(Flag.objects.filter(claim=OuterRef("pk"), kind=value)))

    def filter_open_flag(self, queryset, name, value):
        return queryset.filter(
            Exists(Flag.objects.filter(claim=OuterRef("pk"), kind=value, resolved_at__isnull=True))
        )

    def filter_assignee(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        return queryset.filter(assignee__username=value)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            return queryset.annotate(_sv=SearchVector("text", config="english")).filter(
                _sv=SearchQuery(value, config="english", search_type="websearch")
            )
        q = Q()
        for word in value.split()[:16]:
            q &= Q(text__icontains=word)
        return queryset.filter(q)


class ArticleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)
    outlet = django_filters.CharFilter(field_name="outlet", lookup_expr="iexact")
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")


class RuledRangeFilter(django_filters.FilterSet):
    """The ClaimReview export: claims ruled in [since, until)."""

    since = DateTimeFilter(field_name="ruled_at", lookup_expr="gte")
    until = DateTimeFilter(field_name="ruled_at", lookup_expr="lt")
