"""The one error shape, and the request-body limit.

Every error the API returns is `{"code": ..., "message": ..., "fields": {name: [msg, ...]}}`:
`message` is one readable sentence, `fields` names each bad input (empty when the error is
not about a field). Workflow errors map to statuses here: Invalid 400, Forbidden 403,
NotAllowed and Conflict 409.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims import workflow


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The claim changed since you read it; fetch it again for its current ETag."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The claim's state does not allow this."
    default_code = "conflict"


WORKFLOW_STATUS = {
    workflow.Invalid: (status.HTTP_400_BAD_REQUEST, "invalid"),
    workflow.Forbidden: (status.HTTP_403_FORBIDDEN, "permission_denied"),
    workflow.NotAllowed: (status.HTTP_409_CONFLICT, "not_allowed"),
    workflow.Conflict: (status.HTTP_409_CONFLICT, "conflict"),
}


def max_body_bytes() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def check_body_size(request) -> None:
    """Refuse a declared-oversized body before a byte of it is read or anything written."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw)
    except ValueError:
        raise exceptions.ParseError("Content-Length is not a number.") from None
    limit = max_body_bytes()
    if length > limit:
        raise PayloadTooLarge(
            f"The request body is {length:,} bytes; the limit is {limit:,} bytes."
        )


class _Limited:
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            check_body_size(request)
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            raise PayloadTooLarge() from None


# Deeper than any document the API takes (a ClaimReview DataFeed is about 8 levels); a
# body nested past it is refused before a serializer, or anything recursive, walks it.
MAX_JSON_DEPTH = 64


def json_depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (iteratively: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                break
            stack.extend((child, depth + 1) for child in item)
    return deepest


class JSONParser(_Limited, parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The json module recurses once per bracket: 100,000 of them is a 500 otherwise.
            raise exceptions.ParseError(
                f"The JSON is nested too deeply (the limit is {MAX_JSON_DEPTH} levels)."
            ) from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                f"The JSON is nested too deeply (the limit is {MAX_JSON_DEPTH} levels)."
            )
        return data


class FormParser(_Limited, parsers.FormParser):
    pass


class MultiPartParser(_Limited, parsers.MultiPartParser):
    pass


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors" and not prefix:
                name = "non_field_errors"
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        for i, item in enumerate(detail):
            if isinstance(item, (dict, list)):
                for k, v in _flatten(item, f"{prefix}.{i}" if prefix else str(i)).items():
                    out.setdefault(k, []).extend(v)
            else:
                out.setdefault(prefix or "non_field_errors", []).append(str(item))
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return out


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def exception_handler(exc, context):
    if isinstance(exc, workflow.WorkflowError):
        code_status, code = WORKFLOW_STATUS.get(type(exc), (status.HTTP_400_BAD_REQUEST, exc.code))
        fields = {}
        if isinstance(exc, workflow.Invalid):
            field = getattr(exc, "field", None) or "non_field_errors"
            fields = {field: [exc.message]}
        return Response(error_body(code, exc.message, fields), status=code_status)
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(detail)
        first = next(iter(fields.items()), ("", ["Invalid input."]))
        message = (
            f"{first[0]}: {first[1][0]}"
            if first[0] not in ("", "non_field_errors")
            else first[1][0]
        )
        response.data = error_body("invalid", message, fields)
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        if not isinstance(code, str):
            code = "error"
        response.data = error_body(
            code, str(detail) if not isinstance(detail, (dict, list)) else "Error."
        )
    return response
