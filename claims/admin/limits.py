"""Bounds on what an admin URL may ask of the database.

A search of 1,000 words is 1,000 ANDed ORs over every search field (a 500 on SQLite,
"Expression tree is too large"; minutes of ILIKE on PostgreSQL), and a number past the
column's range overflows in the database. Both are refused with 400 before a query runs.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest

MAX_SEARCH_WORDS = 32
MAX_SEARCH_CHARS = 1000
# The largest id a list filter takes (2**53 - 1, as the API's number filters).
MAX_ID = 2**53 - 1


def check_search_term(term: str) -> None:
    if len(term) > MAX_SEARCH_CHARS or len(term.split()) > MAX_SEARCH_WORDS:
        raise BadRequest(
            f"Search for at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_CHARS} characters."
        )


def parse_id(value: str) -> int:
    """A list filter's id: ASCII digits within range, else 400."""
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        raise BadRequest(f"{value[:40]!r} is not an id.")
    return int(value)


class BoundedSearchMixin:
    """For every ModelAdmin with search_fields."""

    def get_search_results(self, request, queryset, search_term):
        check_search_term(search_term or "")
        return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
