"""An optional client for Google's Fact Check Tools API (`claims:search`).

    GET {FACTCHECK_TOOLS_URL}?query=...&languageCode=...&pageSize=...&pageToken=...&key=KEY
    200 {"claims": [{"text", "claimant", "claimDate", "claimReview": [{"publisher":
         {"name", "site"}, "url", "title", "reviewDate", "textualRating", "languageCode"}]}],
         "nextPageToken": "..."}

`search` follows `nextPageToken` up to `max_pages` and returns one ParsedDocument of
every review found (`analysis.claimreview.parse_factcheck_tools` reads each page; a
malformed review is skipped with its reason). Requests go through the hardened client
like every other URL (no robots.txt: it is an API, not a page). Errors are
FactCheckToolsError with a readable reason and `transient` for retries; the API key is
never part of a reason or a log line.
"""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import urlencode

from django.conf import settings

from analysis.claimreview import ClaimReviewError, ParsedDocument, parse_factcheck_tools
from workers.fetching import FetchError, FetchPolicy, HTTPStatusError, fetch
from workers.fetchpolicy import fetch_policy

MAX_PAGE_SIZE = 100


class FactCheckToolsError(Exception):
    def __init__(self, reason: str, *, transient: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient

    def __str__(self) -> str:
        return self.reason


def search(
    query: str,
    *,
    language: str = "",
    max_age_days: int | None = None,
    publisher_site: str = "",
    page_size: int = 50,
    max_pages: int = 5,
    api_key: str | None = None,
    url: str | None = None,
    policy: FetchPolicy | None = None,
) -> ParsedDocument:
    """Every fact-check Fact Check Tools returns for `query`, over up to `max_pages` pages."""
    key = api_key if api_key is not None else settings.FACTCHECK_TOOLS_API_KEY
    if not key:
        raise FactCheckToolsError(
            "no API key: set FACTCHECK_TOOLS_API_KEY to a Google API key with the Fact Check "
            "Tools API enabled"
        )
    query = (query or "").strip()
    if not query and not publisher_site:
        raise FactCheckToolsError("give a query (or a publisher site) to search for")
    endpoint = url or settings.FACTCHECK_TOOLS_URL
    policy = policy or fetch_policy()
    policy = dataclasses.replace(policy, respect_robots=False)
    out = ParsedDocument("factchecktools")
    token = ""
    for page in range(1, max(1, max_pages) + 1):
        params = {"pageSize": str(max(1, min(page_size, MAX_PAGE_SIZE)))}
        if query:
            params["query"] = query
        if language:
            params["languageCode"] = language
        if max_age_days:
            params["maxAgeDays"] = str(max_age_days)
        if publisher_site:
            params["reviewPublisherSiteFilter"] = publisher_site
        if token:
            params["pageToken"] = token
        data = _get(f"{endpoint}?{urlencode({**params, 'key': key})}", policy, key, page)
        try:
            parsed = parse_factcheck_tools(data)
        except ClaimReviewError as exc:
            raise FactCheckToolsError(f"page {page}: {exc.message}") from None
        out.items += parsed.items
        out.skipped += [
            dataclasses.replace(s, position=f"page {page} {s.position}") for s in parsed.skipped
        ]
        token = parsed.next_page_token
        if not token:
            break
    out.next_page_token = token
    return out


def _get(address: str, policy: FetchPolicy, key: str, page: int) -> dict:
    try:
        result = fetch(address, policy, accept="application/json")
    except HTTPStatusError as exc:
        raise FactCheckToolsError(
            f"page {page}: {_status_reason(exc.status)}", transient=exc.transient
        ) from None
    except FetchError as exc:
        raise FactCheckToolsError(
            f"page {page}: {_redact(str(exc), key)}", transient=exc.transient
        ) from None
    try:
        data = json.loads(result.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise FactCheckToolsError(f"page {page}: the answer is not JSON") from None
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        error = data["error"]
        code = error.get("code")
        message = error.get("message") if isinstance(error.get("message"), str) else ""
        raise FactCheckToolsError(
            f"page {page}: the API answered an error ({code}): {_redact(message[:300], key)}",
            transient=code in (429, 500, 503),
        )
    return data


def _status_reason(status: int) -> str:
    if status == 400:
        return "the API refused the query (HTTP 400: a bad parameter)"
    if status in (401, 403):
        return (
            f"the API refused the key (HTTP {status}): check FACTCHECK_TOOLS_API_KEY and that "
            "the Fact Check Tools API is enabled for it"
        )
    if status == 429:
        return "the API is rate-limiting us (HTTP 429); will retry later"
    if status >= 500:
        return f"the API had a server error (HTTP {status}); will retry later"
    return f"the API answered HTTP {status}"


def _redact(text: str, key: str) -> str:
    return text.replace(key, "<key>") if key else text
