"""Conditional GET for the claim list and the claim object: an ETag of the response's own
bytes, and 304 Not Modified when the client already holds them.

The tag is a hash of the rendered body, not a version counter kept beside the data. A
claim page shows the claim, its article, its assignee, its flags, its evidence (passages
and sources), rulings, comments, suggestions, transitions and similar claims; the
workers write flags and evidence in bulk upserts and raw statements. A stamp that had
to be bumped by every one of those writes could miss one and serve a stale flag list;
a hash of what the response says cannot. The work saved on a 304 is the body on the
wire and the client's parse of it, not the server's queries.

`Cache-Control: private, no-cache`: a cache may keep the response but must revalidate it
(If-None-Match) every time before showing it, and a shared cache never keeps it.
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import OpenApiResponse

CACHE_CONTROL = "private, no-cache"
NOT_MODIFIED = OpenApiResponse(
    description="Not Modified: If-None-Match names the current ETag (no body)"
)


def body_tag(content: bytes, media_type: str) -> str:
    """A short hash of the rendered body and its media type (JSON and the Browsable
    API's HTML of the same data are different representations)."""
    h = hashlib.blake2b(content, digest_size=12)
    h.update(media_type.encode())
    return h.hexdigest()


def matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 If-None-Match: `*` or any listed tag equal under weak comparison."""
    tags = [t.strip() for t in if_none_match.split(",") if t.strip()]
    bare = etag.removeprefix("W/")
    return "*" in tags or any(t.removeprefix("W/") == bare for t in tags)


def conditional(request, response: HttpResponse, etag: str) -> HttpResponse:
    """`response` with its ETag, or 304 Not Modified when If-None-Match names it."""
    header = request.headers.get("If-None-Match")
    if header and matches(header, etag):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        not_modified["Cache-Control"] = CACHE_CONTROL
        if response.has_header("Vary"):
            not_modified["Vary"] = response["Vary"]
        patch_vary_headers(not_modified, ("Authorization", "Cookie"))
        return not_modified
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response
