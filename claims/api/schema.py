"""OpenAPI post-processing: every operation documents the one error shape as its default,
and every number query parameter its bounds."""

from __future__ import annotations

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message", "fields"],
}


def add_error_responses(result, generator, request, public):
    from claims.api.filters import NUMBER_BOUND

    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, op in operations.items():
            responses = op.setdefault("responses", {})
            for param in op.get("parameters", []):
                schema = param.get("schema") or {}
                if param.get("in") == "query" and schema.get("type") in ("number", "integer"):
                    # Number filters are bounded (claims.api.filters.BoundedFilterSet).
                    schema.setdefault("minimum", -NUMBER_BOUND)
                    schema.setdefault("maximum", NUMBER_BOUND)
            for code, response in responses.items():
                content = response.get("content") or {}
                schema = (content.get("application/json") or {}).get("schema") or {}
                if schema.get("$ref") == "#/components/schemas/Error":
                    continue
                if code.startswith(("4", "5")) and "ErrorShape" in str(schema):
                    content["application/json"]["schema"] = ERROR_REF
            responses.setdefault(
                "default",
                {"description": "An error", "content": {"application/json": {"schema": ERROR_REF}}},
            )
            if path.endswith("/claimreview/") and method == "get" and "200" in responses:
                # JSON-LD is served as application/ld+json.
                content = responses["200"].get("content", {})
                if "application/json" in content and "application/ld+json" not in content:
                    content["application/ld+json"] = content.pop("application/json")
    result["components"]["schemas"].pop("ErrorShape", None)
    return result
