"""Read an article from plain text, HTML or JSON into a `ParsedArticle`.

Owns input validation (empty, binary, non-UTF-8, malformed JSON fields and URLs) and the
split of an article into metadata and the body that claims point into. Plain text in
the seed style has a header block: the title on the first line, then optional byline
("Written by X" / "By X") and date lines ("Jan.31 - 2025 9:25 AM CET"); the body is
everything after the lines consumed as metadata, with section labels, photo credits,
"Trending Now" widgets, headings and rhetorical questions left in place and reported
as `boilerplate` spans. HTML goes through trafilatura (main text plus title, author,
date, sitename -> outlet); JSON is {"title","byline","outlet","url","published_at","body"}.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from urllib.parse import urlsplit

from analysis.types import ParsedArticle

from .boilerplate import boilerplate_spans
from .errors import ArticleError

# The caller enforces the product's size limit; this cap only keeps the reader bounded
# when it is called directly.
MAX_INPUT_CHARS = 12_000_000
MAX_URL_CHARS = 2048
_SNIFF_CHARS = 65_536

_HTML_SNIFF = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|div|p|main|section|meta|title)\b", re.I
)
_BYLINE = re.compile(
    r"^(?:written\s+by|by|words\s+by|reporting\s+by|author:?)\s+(?P<name>[^\n]{2,120})$", re.I
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december"
_DATE_PREFIX = r"(?:(?:first\s+)?published|updated|posted|last updated|last modified|modified)(?:\s+on)?\s*:?\s*"
# A clock time written before the date: "Updated 14:05 GMT, 3 March 2025".
_LEAD_TIME = r"(?:\d{1,2}[:.]\d{2}\s?(?:[ap]\.?m\.?)?\s?(?:[A-Z]{2,4})?,?\s+(?:on\s+)?)?"
_DATE_LINE = re.compile(
    rf"^(?:{_DATE_PREFIX})?{_LEAD_TIME}(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    rf"(?:(?:{_MONTHS})\.?\s*\d{{1,2}}|\d{{1,2}}\.?\s*(?:{_MONTHS})|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})"
    rf"[^\n]{{0,60}}$",
    re.I,
)
_DATE_CLEAN_MONTH_DOT = re.compile(rf"\b({_MONTHS})\.(?=\s*\d)", re.I)
_DATE_CLEAN_DASH = re.compile(r"(\d)\s*[-\u2013\u2014|,]\s*(\d{4})")
_ZONE = re.compile(
    r"(?:(?<=\d)Z\b|\b(?:UTC|GMT|[ECMP][SD]T|CES?T|EES?T|WES?T|BST|IST|JST|KST|MSK|AES[DT])\b|[+-]\d{2}:?\d{2}\s*$)"
)
_META_DATE = re.compile(
    r"<meta\b[^>]{0,400}?(?:property|name|itemprop)\s*=\s*[\"']?(?:article:published_time|datePublished|"
    r"og:published_time|pubdate|publish-date|date)[\"']?[^>]{0,400}?>",
    re.I,
)
_META_CONTENT = re.compile(r"content\s*=\s*[\"']([^\"'<>]{4,64})[\"']", re.I)
_JSON_LD_DATE = re.compile(r"\"datePublished\"\s*:\s*\"([^\"]{4,64})\"")


def read_article(raw: str | bytes, *, fmt: str = "auto", url: str = "") -> ParsedArticle:
    """Parse `raw` as text, HTML or JSON (or sniff it with fmt="auto")."""
    if fmt not in ("auto", "text", "html", "json"):
        raise ArticleError("format", f"unknown format {fmt!r}; use auto, text, html or json")
    text = _decode(raw)
    url = _check_url(url, "url") if url else ""
    if fmt == "auto":
        fmt = _sniff(text)
    if fmt == "json":
        article = _read_json(text)
    elif fmt == "html":
        article = _read_html(text, url)
    else:
        article = _read_text(text)
    if url and not article.url:
        article.url = url
    if not article.boilerplate:
        article.boilerplate = boilerplate_spans(article.body)
    if not _has_content(article.body, article.boilerplate):
        raise ArticleError("body", "nothing is left of the article after removing boilerplate")
    return article


def _decode(raw: str | bytes) -> str:
    if raw is None:
        raise ArticleError("body", "the article is empty")
    if isinstance(raw, (bytes, bytearray, memoryview)):
        data = bytes(raw)
        if len(data) > MAX_INPUT_CHARS * 4:
            raise ArticleError("body", "the article is too large")
        if b"\x00" in data[:_SNIFF_CHARS] or b"\x00" in data:
            raise ArticleError("body", "the article looks binary (it contains NUL bytes)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArticleError(
                "body", f"the article is not valid UTF-8 (byte {exc.start})"
            ) from None
    elif isinstance(raw, str):
        text = raw.lstrip("\ufeff")
    else:
        raise ArticleError("body", f"expected text or bytes, got {type(raw).__name__}")
    if len(text) > MAX_INPUT_CHARS:
        raise ArticleError("body", "the article is too large")
    if "\x00" in text:
        raise ArticleError("body", "the article looks binary (it contains NUL bytes)")
    if not text.strip():
        raise ArticleError("body", "the article is empty")
    sample = text[:_SNIFF_CHARS]
    bad = sum(1 for ch in sample if _is_binaryish(ch))
    if bad > 0.05 * len(sample):
        raise ArticleError("body", "the article looks binary (mostly control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_binaryish(ch: str) -> bool:
    if ch in "\n\r\t\f":
        return False
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cs", "Co", "Cn")


def _check_url(url: str, field: str) -> str:
    if not isinstance(url, str):
        raise ArticleError(field, "the URL must be a string")
    url = url.strip()
    if not url:
        return ""
    if len(url) > MAX_URL_CHARS or any(c.isspace() or ord(c) < 32 for c in url):
        raise ArticleError(
            field, "malformed URL (too long or contains whitespace/control characters)"
        )
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a bad port
    except ValueError as exc:
        raise ArticleError(field, f"malformed URL: {exc}") from None
    del port
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ArticleError(field, "malformed URL: need an absolute http(s) URL with a host")
    return url


def _sniff(text: str) -> str:
    head = text[:4096].lstrip()
    if head.startswith("{"):
        return "json"
    if head.startswith("<") or _HTML_SNIFF.search(head[:2048]):
        return "html"
    return "text"


def _has_content(body: str, spans: list[tuple[int, int]]) -> bool:
    """Some letters outside the boilerplate spans (checked on a bounded prefix)."""
    limit = min(len(body), 4 * _SNIFF_CHARS)
    pos = 0
    for s, e in sorted(spans):
        if s >= limit:
            break
        if any(ch.isalpha() for ch in body[pos:s]):
            return True
        pos = max(pos, e)
    return any(ch.isalpha() for ch in body[pos:limit])


# -- plain text -----------------------------------------------------------------------


def _read_text(text: str) -> ParsedArticle:
    title = byline = ""
    published: datetime | None = None
    pos = 0
    n = len(text)
    body_start = 0
    consumed = 0
    while pos < n and consumed < 8:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line = text[pos:end].strip() if end - pos <= 400 else None
        if line == "":
            pos = end + 1
            continue
        if line is None:
            break
        if not title and consumed == 0 and _looks_like_title(line, text, end):
            title = line
        elif not byline and (m := _BYLINE.match(line)):
            byline = m.group("name").strip()
        elif published is None and _DATE_LINE.match(line) and (d := parse_date_line(line)):
            published = d
        elif (
            not byline
            and title
            and published is None
            and _BARE_BYLINE.match(line)
            and _next_is_date(text, end)
        ):
            # Guardian style: "Jane Doe in Maputo" with no "By", then the date line.
            byline = re.sub(r"\s(?:in|at)\s[A-Z][^,]{0,60}$", "", line)
        else:
            break
        consumed += 1
        pos = end + 1
        body_start = min(pos, n)
    if not title and not byline and published is None:
        body_start = 0
    body = text[body_start:]
    if not body.strip():
        raise ArticleError("body", "the article has a header but no body")
    return ParsedArticle(body=body, title=title, byline=byline, published_at=published)


_BARE_BYLINE = re.compile(
    r"^[A-Z][\w\u00c0-\u017f'\u2019\-]+(?:\s[A-Z][\w\u00c0-\u017f'\u2019.\-]+){1,3}"
    r"(?:(?:,\s|\s(?:and|in|at)\s)[A-Z][\w\u00c0-\u017f'\u2019.\-]*(?:\s[A-Z][\w\u00c0-\u017f'\u2019.\-]*){0,3}){0,3}$"
)


def _next_is_date(text: str, end: int) -> bool:
    """The next non-empty line (within a short window) is a publication date line."""
    window = text[end : end + 400]
    for line in window.split("\n")[:4]:
        line = line.strip()
        if line:
            return bool(_DATE_LINE.match(line)) and parse_date_line(line) is not None
    return False


def _looks_like_title(line: str, text: str, end: int) -> bool:
    if len(line) > 250 or end >= len(text):
        return False
    return len(line.split()) <= 30 and not line.endswith((".", ",", ";", ":"))


def parse_date_line(line: str) -> datetime | None:
    """Parse a dateline such as "Jan.31 - 2025 9:25 AM CET", keeping its time zone."""
    import dateparser  # slow import; only needed for text datelines

    s = re.sub(rf"^{_DATE_PREFIX}", "", line.strip(), flags=re.I)
    s = re.sub(r"(?<=\d)\s+at\s+(?=\d)", " ", s)  # "March 3, 2025 at 2:05 p.m."
    s = re.sub(r"\b([ap])\.m\.", lambda m: m.group(1).upper() + "M", s, flags=re.I)
    s = re.sub(r"(?<=\d)T(?=\d{2}:)", " ", s)  # ISO "2025-03-03T14:05:00Z"
    s = re.sub(r"(?<=\d{2}:\d{2}:\d{2})Z\b", " UTC", s)
    s = re.sub(r"(?<=\d{2}:\d{2})Z\b", " UTC", s)
    s = _DATE_CLEAN_MONTH_DOT.sub(r"\1 ", s)
    s = _DATE_CLEAN_DASH.sub(r"\1 \2", s)
    # Only ask for an aware datetime when the line names a zone; otherwise dateparser
    # would silently stamp the machine's local zone on it.
    has_zone = bool(_ZONE.search(s))
    try:
        d = dateparser.parse(
            s[:80],
            languages=["en"],
            settings={
                "RETURN_AS_TIMEZONE_AWARE": has_zone,
                "PREFER_DAY_OF_MONTH": "first",
                "STRICT_PARSING": False,
            },
        )
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if d is None or not (1900 <= d.year <= 2100):
        return None
    return d


# -- JSON -----------------------------------------------------------------------------


def _read_json(text: str) -> ParsedArticle:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ArticleError("body", f"malformed JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ArticleError("body", "JSON article must be an object")
    body = data.get("body")
    if body is None:
        raise ArticleError("body", 'the JSON article has no "body" field')
    if not isinstance(body, str) or not body.strip():
        raise ArticleError("body", '"body" must be a non-empty string')
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in body:
        raise ArticleError("body", "the article looks binary (it contains NUL bytes)")
    fields: dict[str, str] = {}
    for name in ("title", "byline", "outlet", "url"):
        value = data.get(name) or ""
        if not isinstance(value, str):
            raise ArticleError(name, f'"{name}" must be a string')
        fields[name] = value.strip()[:1000]
    if fields["url"]:
        fields["url"] = _check_url(fields["url"], "url")
    published = parse_iso_datetime(data.get("published_at"), "published_at")
    return ParsedArticle(
        body=body,
        published_at=published,
        title=fields["title"],
        byline=fields["byline"],
        outlet=fields["outlet"],
        url=fields["url"],
    )


def parse_iso_datetime(value: object, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise ArticleError(field, "must be an ISO 8601 date or datetime string")
    s = value.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    try:
        d = datetime.fromisoformat(s)
    except ValueError:
        raise ArticleError(
            field, f"malformed date {value!r}; expected ISO 8601 like 2025-01-31T09:25:00+01:00"
        ) from None
    if not (1900 <= d.year <= 2100):
        raise ArticleError(field, f"date {value!r} is out of range")
    return d


# -- HTML -----------------------------------------------------------------------------


def _read_html(text: str, url: str) -> ParsedArticle:
    import trafilatura

    try:
        result = trafilatura.extract(
            text,
            url=url or None,
            output_format="json",
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise ArticleError("body", f"could not parse the HTML: {exc}") from None
    if not result:
        raise ArticleError("body", "no article text found in the HTML")
    meta = json.loads(result)
    body = (meta.get("text") or "").strip()
    if not body:
        raise ArticleError("body", "no article text found in the HTML")
    published = _html_published(text) or _date_only(meta.get("date"))
    page_url = meta.get("source") or meta.get("url") or ""
    try:
        page_url = _check_url(page_url, "url") if page_url else ""
    except ArticleError:
        page_url = ""
    return ParsedArticle(
        body=body,
        title=(meta.get("title") or "").strip(),
        byline=(meta.get("author") or "").strip(),
        # trafilatura's JSON names the site name "source-hostname" (sitename in its
        # Python API); the bare hostname is the last resort.
        outlet=(
            meta.get("sitename") or meta.get("source-hostname") or meta.get("hostname") or ""
        ).strip(),
        url=url or page_url,
        published_at=published,
    )


def _html_published(html: str) -> datetime | None:
    """The full publication datetime (with zone) from meta tags, which trafilatura
    reduces to a bare date."""
    head = html[:200_000]
    candidates = []
    for m in _META_DATE.finditer(head):
        content = _META_CONTENT.search(m.group(0))
        if content:
            candidates.append(content.group(1))
    candidates += _JSON_LD_DATE.findall(head)
    for c in candidates:
        try:
            return parse_iso_datetime(c, "published_at")
        except ArticleError:
            continue
    return None


def _date_only(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
    except ValueError:
        return None
