"""Turning raw input (a file, a URL, an API body) into a ParsedArticle, with clear errors.

Shared by the CLI and the API so both refuse the same things with the same messages:
oversized, empty, binary or non-UTF-8 input, a malformed date or URL (naming the field).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from workers import types as t
from workers.extraction import ArticleError, read_article

_url_validator = URLValidator(schemes=["http", "https"])


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def validate_url(value: str, field: str = "url") -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        _url_validator(value)
    except ValidationError:
        raise ArticleError(field, f"{value!r} is not a valid http(s) URL") from None
    return value


def parse_published(value: str | datetime | None, field: str = "published_at") -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(value.strip())
            if parsed is None:
                parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ArticleError(
                field,
                f"{value!r} is not an ISO 8601 date or date-time (e.g. 2025-01-31T09:25:00+01:00)",
            ) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def check_size(raw: bytes | str, field: str = "body") -> None:
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    limit = settings.FACTCHECK_MAX_ARTICLE_BYTES
    if size > limit:
        raise ArticleError(field, f"the input is {size:,} bytes; the limit is {limit:,} bytes")
    if size == 0:
        raise ArticleError(field, "the input is empty")


def fmt_for(name: str, content_type: str = "") -> str:
    lowered = name.lower()
    if "html" in content_type or lowered.endswith((".html", ".htm")):
        return "html"
    if "json" in content_type or lowered.endswith(".json"):
        return "json"
    if content_type.startswith("text/plain") or lowered.endswith((".txt", ".md")):
        return "text"
    return "auto"


def read_path(path: str) -> tuple[bytes, str]:
    p = Path(path)
    if not p.is_file():
        raise ArticleError("path", f"{path}: no such file")
    limit = settings.FACTCHECK_MAX_ARTICLE_BYTES
    with p.open("rb") as fh:
        raw = fh.read(limit + 1)
    check_size(raw, "path")
    return raw, fmt_for(p.name)


def fetch_url(url: str) -> tuple[bytes, str, str]:
    """Fetch an article URL through the hardened client: (body, fmt, final url)."""
    from workers.fetching import FetchError, fetch
    from workers.fetchpolicy import fetch_policy

    validate_url(url, "url")
    try:
        result = fetch(url, fetch_policy(max_bytes=settings.FACTCHECK_MAX_ARTICLE_BYTES))
    except FetchError as exc:
        raise ArticleError("url", f"could not fetch {url}: {exc}") from None
    return result.body, fmt_for(result.final_url, result.content_type or ""), result.final_url


def parse_article(
    raw: bytes | str,
    *,
    fmt: str = "auto",
    url: str = "",
    title: str = "",
    outlet: str = "",
    byline: str = "",
    published: str | datetime | None = None,
) -> t.ParsedArticle:
    """Read an article and apply explicit metadata over what the reader found."""
    check_size(raw)
    url = validate_url(url)
    published_at = parse_published(published, "published") if published else None
    parsed = read_article(raw, fmt=fmt, url=url)
    if title:
        parsed.title = title
    if outlet:
        parsed.outlet = outlet
    if byline:
        parsed.byline = byline
    if url:
        parsed.url = url
    if published_at:
        parsed.published_at = published_at
    elif parsed.published_at is not None and timezone.is_naive(parsed.published_at):
        parsed.published_at = timezone.make_aware(
            parsed.published_at, timezone.get_default_timezone()
        )
    if parsed.url:
        parsed.url = validate_url(parsed.url)
    return parsed
