"""What every API view shares: permissions, strict filters, cursor pages, the ETag."""

from __future__ import annotations

import hashlib

from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from claims.api.errors import PreconditionFailed
from claims.api.filters import FilterBackend, Pagination, StrictOrderingFilter, StrictQueryParams
from claims.api.permissions import DEFAULT


class APIViewMixin:
    permission_classes = DEFAULT
    filter_backends = [StrictQueryParams, FilterBackend]
    pagination_class = Pagination
    perms: dict = {}


class OrderedViewMixin(APIViewMixin):
    """A list whose order the client may choose among `ordering_fields`."""

    filter_backends = [StrictQueryParams, FilterBackend, StrictOrderingFilter]


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Unknown /api/ URLs answer in the one error shape, not Django's HTML page."""
    from django.http import JsonResponse

    from claims.api.errors import error_body

    return JsonResponse(error_body("not_found", f"No API endpoint at {request.path}."), status=404)


def claim_etag(claim) -> str:
    """The claim's version: changes with every transition, ruling and assignment."""
    stamp = f"{claim.pk}|{claim.state}|{claim.updated_at.isoformat()}|{claim.assignee_id}|{claim.ruled_at}"
    return '"' + hashlib.sha256(stamp.encode()).hexdigest()[:20] + '"'


def detail_etag(claim, body_tag: str) -> str:
    """The claim object's ETag: the claim's version (what If-Match compares) and a hash of
    the response body (what If-None-Match compares: any change the object shows)."""
    return f'"{claim_etag(claim).strip(chr(34))}-{body_tag}"'


def check_if_match(request, claim) -> None:
    """412 when If-Match is given and names none of the claim's current ETag.

    A tag matches on its version part: a new flag or comment does not make a workflow
    action's precondition fail, a transition, ruling or assignment does."""
    header = request.headers.get("If-Match")
    if not header:
        return
    tags = [t.strip() for t in header.split(",") if t.strip()]
    current = claim_etag(claim)
    if "*" in tags:
        return
    # Weak tags never match for If-Match (RFC 9110 strong comparison).
    versions = {f'"{t.strip(chr(34)).split("-", 1)[0]}"' for t in tags if not t.startswith("W/")}
    if current not in versions:
        raise PreconditionFailed(
            f"Claim {claim.pk} changed since you read it (its ETag is now {current}); "
            "fetch it again and decide on what it says now."
        )


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The claim's ETag from a GET; the action is refused with 412 if the claim changed since.",
)
