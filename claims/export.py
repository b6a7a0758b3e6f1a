"""CSV export of claims and their rulings, streamed and safe to open in a spreadsheet.

Used by `GET /api/claims/export.csv` (with the claim list's filters) and the claim list's
admin action. The rows are read in keyset pages of `CHUNK` claims (by id), each page with
one query for its claims, one for their open flags and one for their evidence counts, and
written out as they are read: memory stays flat however many rows there are (the test
streams 100,000).

Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and
some also after a tab or carriage return) as a formula. Every cell that starts with one of
those is prefixed with an apostrophe, which spreadsheets show as text (OWASP's advice).
Claim text comes from articles anyone can publish, so this matters.

The columns, in order, are `COLUMNS` (name and meaning; the README lists them too).
Times are ISO 8601 in UTC; empty cells are empty strings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from claims.models import RULED_STATES, Evidence, Flag

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: list[tuple[str, str]] = [
    ("claim_id", "the claim's id"),
    ("claim_url", "the claim object in the API"),
    ("text", "the claim's sentence, as in the article"),
    ("state", "extracted, corroborating, verified, disputed or dismissed"),
    ("claim_type", "statistical, event, quote, prediction or opinion"),
    ("checkworthiness", "0 to 1"),
    ("recommended_verdict", "what the workers recommend (verified, disputed, unverified, ...)"),
    ("verdict", "the ruling (verified or disputed); empty until ruled"),
    ("rationale", "the ruling's written rationale"),
    ("ruled_by", "username of the fact-checker who ruled"),
    ("ruled_at", "when the ruling standing now was made"),
    ("reopened", "true when the claim was ruled and sent back by new evidence"),
    ("assignee", "username of the fact-checker it is assigned to"),
    ("extracted_at", "when the claim was extracted"),
    ("first_assigned_at", "when anyone was first assigned it"),
    ("speaker", "who makes the claim, as attributed in the article"),
    ("attribution_kind", "named, outlet, anonymous, vague or none"),
    ("open_flags", "kinds of the open flags, separated by ';'"),
    ("evidence_supports", "evidence passages that support it"),
    ("evidence_contradicts", "evidence passages that contradict it"),
    ("evidence_mentions", "related passages that neither support nor contradict"),
    ("article_id", "the article's id"),
    ("article_title", ""),
    ("article_outlet", ""),
    ("article_url", ""),
    ("article_published_at", ""),
    ("watched_feed_id", "the watched feed that brought the article in, if any"),
]
HEADER = [name for name, _ in COLUMNS]


def safe_cell(value: object) -> str:
    """The cell as text, prefixed with an apostrophe if a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _values(qs: QuerySet) -> QuerySet:
    username = get_user_model().USERNAME_FIELD
    return qs.values(
        "id",
        "text",
        "state",
        "claim_type",
        "checkworthiness",
        "recommended_verdict",
        "rationale",
        "ruled_at",
        "reopened",
        "created_at",
        "first_assigned_at",
        "attribution",
        "attribution_kind",
        "article_id",
        ruled_by_name=F(f"ruled_by__{username}"),
        assignee_name=F(f"assignee__{username}"),
        article_title=F("article__title"),
        article_outlet=F("article__outlet"),
        article_url=F("article__url"),
        article_published_at=F("article__published_at"),
        article_feed_id=F("article__feed_id"),
    )


def rows(qs: QuerySet, chunk: int = CHUNK) -> Iterator[list[str]]:
    """The export rows of `qs` (any claim queryset), by id, `chunk` claims per read."""
    base = _values(qs.order_by("pk"))
    api = settings.FACTCHECK_PUBLIC_URL.rstrip("/") + "/api/claims/"
    last = 0
    while True:
        page = list(base.filter(pk__gt=last)[:chunk])
        if not page:
            return
        ids = [r["id"] for r in page]
        kinds: dict[int, list[str]] = {}
        for claim_id, kind in (
            Flag.objects.filter(claim_id__in=ids, resolved_at__isnull=True)
            .order_by("claim_id", "kind")
            .values_list("claim_id", "kind")
            .distinct()
        ):
            kinds.setdefault(claim_id, []).append(kind)
        counts: dict[tuple[int, str], int] = {
            (claim_id, stance): n
            for claim_id, stance, n in Evidence.objects.filter(claim_id__in=ids)
            .order_by()
            .values_list("claim_id", "stance")
            .annotate(n=Count("pk"))
        }
        for r in page:
            pk = r["id"]
            attribution = r["attribution"] if isinstance(r["attribution"], dict) else {}
            yield [
                safe_cell(v)
                for v in (
                    pk,
                    f"{api}{pk}/",
                    r["text"],
                    r["state"],
                    r["claim_type"],
                    f"{r['checkworthiness']:.3f}",
                    r["recommended_verdict"],
                    r["state"] if r["state"] in RULED_STATES else "",
                    r["rationale"],
                    r["ruled_by_name"],
                    r["ruled_at"],
                    r["reopened"],
                    r["assignee_name"],
                    r["created_at"],
                    r["first_assigned_at"],
                    attribution.get("speaker") or "",
                    r["attribution_kind"],
                    ";".join(kinds.get(pk, [])),
                    counts.get((pk, "supports"), 0),
                    counts.get((pk, "contradicts"), 0),
                    counts.get((pk, "mentions"), 0),
                    r["article_id"],
                    r["article_title"],
                    r["article_outlet"],
                    r["article_url"],
                    r["article_published_at"],
                    r["article_feed_id"],
                )
            ]
        last = ids[-1]


def encode(lines: Iterable[list[str]], *, header: bool = True, batch: int = 500) -> Iterator[bytes]:
    """CSV bytes (UTF-8, CRLF line ends as RFC 4180 says), a batch of rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(HEADER)
    n = 0
    for line in lines:
        writer.writerow(line)
        n += 1
        if n % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def response(qs: QuerySet, *, filename: str | None = None) -> StreamingHttpResponse:
    """The export of `qs` as a streamed attachment."""
    filename = filename or f"claims-{timezone.now():%Y%m%d-%H%M%S}.csv"
    resp = StreamingHttpResponse(encode(rows(qs)), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    return resp
