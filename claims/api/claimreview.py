"""schema.org ClaimReview JSON-LD for ruled claims: `claim_review` is the one builder.

Rating scale (documented in the README): the newsroom's own (`claims.ratings`), each
rating with its `ratingValue`; `bestRating` and `worstRating` are the highest and lowest
values of the active scale; `alternateName` carries the rating's label, which is what
readers see. The default scale is ratingValue 5 "Verified" (supported by independent
evidence), 1 "Disputed" (contradicted or not supported).

Only published rulings appear: with sign-off required, a proposal is not published until
it is signed off, and a correction awaiting sign-off leaves the published version out
there until then. A corrected review carries `dateModified` and, per correction, a
`correction` (CorrectionComment) with its note and date.

Repeats: a claim with `same_as` points at the first claim with the same truth
conditions. Its review's `@id` is that first claim's, so repeats of one claim across
articles link to one check, and `appearance` lists every article the claim appeared in.

Script-safe: ClaimReview is published inside `<script type="application/ld+json">`, and the
claim text, headline, byline, outlet and rationale are text an outlet or a user controls.
Every JSON-LD the service emits goes through `script_safe_json`, which writes `<`, `>` and
`&` as `\\u003c`, `\\u003e` and `\\u0026` (as Django's `json_script` does), so no text
can close the script element; `snippet` is the ready-to-paste element.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from rest_framework.renderers import JSONRenderer
from rest_framework.utils import encoders

from claims import ratings
from claims.models import RULED_STATES, Claim, ClaimState, Ruling

# For a ruled claim without a Ruling row (none since migration 0010 backfilled them).
RATING = {
    ClaimState.VERIFIED.value: (5, "Verified"),
    ClaimState.DISPUTED.value: (1, "Disputed"),
}
PERSON_KINDS = {"named_person"}
ORG_KINDS = {"named_body", "named_outlet"}


_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_safe_json(value: Any, *, indent: int | None = None) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>` or `&` survives."""
    text = json.dumps(
        value, cls=encoders.JSONEncoder, ensure_ascii=False, indent=indent, allow_nan=False
    )
    return text.translate(_SCRIPT_ESCAPES)


def snippet(review: dict) -> str:
    """The `<script type="application/ld+json">` element to paste into a published page."""
    return (
        '<script type="application/ld+json">\n'
        + script_safe_json(review, indent=2)
        + "\n</script>\n"
    )


class ScriptSafeJSONRenderer(JSONRenderer):
    """JSON with `<`, `>` and `&` escaped, for every response that carries JSON-LD."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return script_safe_json(data).encode("utf-8")


class JSONLDRenderer(ScriptSafeJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


# The ClaimReview views answer JSON-LD, to browsers too (never the Browsable API's HTML).
RENDERERS = [JSONLDRenderer, ScriptSafeJSONRenderer]


def errors_as_json(request) -> None:
    """Errors keep the API's one shape as application/json, whatever JSON-LD was asked for."""
    request.accepted_renderer = ScriptSafeJSONRenderer()
    request.accepted_media_type = ScriptSafeJSONRenderer.media_type


def base_url() -> str:
    return settings.FACTCHECK_PUBLIC_URL.rstrip("/")


def review_queryset():
    return Claim.objects.select_related("article", "same_as__article", "ruling").prefetch_related(
        "repeats__article",
        "same_as__repeats__article",
        Prefetch(
            "rulings",
            queryset=Ruling.objects.filter(published_at__isnull=False).order_by("number"),
            to_attr="published_versions",
        ),
    )


def published_q() -> Q:
    """Claims with a published ruling: ruled ones, and ones whose correction awaits sign-off."""
    return Q(state__in=RULED_STATES) | Q(state=ClaimState.PROPOSED, ruling__isnull=False)


def is_published(claim: Claim) -> bool:
    return claim.state in RULED_STATES or (
        claim.state == ClaimState.PROPOSED and claim.ruling_id is not None
    )


def _date(dt) -> str | None:
    return dt.date().isoformat() if dt else None


def _creative_work(claim: Claim) -> dict:
    article = claim.article
    work = {"@type": "CreativeWork", "headline": article.title or claim.text[:110]}
    if article.url:
        work["url"] = article.url
    if article.published_at:
        work["datePublished"] = _date(article.published_at)
    if article.outlet:
        work["publisher"] = {"@type": "Organization", "name": article.outlet}
    if article.byline:
        work["author"] = {"@type": "Person", "name": article.byline}
    return work


def _claim_author(claim: Claim) -> dict:
    attribution = claim.attribution or {}
    kind = attribution.get("kind") or ""
    speaker = (attribution.get("speaker") or "").strip()
    if speaker and kind in PERSON_KINDS:
        return {"@type": "Person", "name": speaker}
    if speaker and kind in ORG_KINDS:
        return {"@type": "Organization", "name": speaker}
    # Anonymous, vague or no attribution: the outlet that published the claim made it.
    return {"@type": "Organization", "name": claim.article.outlet or "unknown"}


def claim_review(claim: Claim, *, bounds: tuple[int, int] | None = None) -> dict:
    """The ClaimReview of a published ruling (expects `review_queryset()`'s joins).

    `bounds`: the scale's (best, worst), read once by a caller building many reviews.
    """
    if not is_published(claim):
        raise ValueError(f"claim {claim.pk} has no published ruling")
    ruling = claim.ruling if claim.ruling_id else None
    if ruling is not None:
        value, name, rationale = ruling.rating_value, ruling.rating_label, ruling.rationale
    else:
        (value, name), rationale = RATING[claim.state], claim.rationale
    best, worst = bounds or ratings.bounds()
    best, worst = max(best, value), min(worst, value)  # a retired rating's value still fits
    versions = getattr(claim, "published_versions", None)
    if versions is None:
        versions = list(
            Ruling.objects.filter(claim=claim, published_at__isnull=False).order_by("number")
        )
    if ruling is not None:
        versions = [v for v in versions if v.number <= ruling.number]
    base = base_url()
    root = claim.same_as if claim.same_as_id else claim
    family = sorted(
        [root, *root.repeats.all()],
        key=lambda c: (
            c.article.published_at is None,
            c.article.published_at or c.created_at,
            c.pk,
        ),
    )
    appearances = [_creative_work(c) for c in family]
    first = family[0]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "@id": f"{base}/api/claims/{root.pk}/claimreview/#review",
        "url": f"{base}/api/claims/{claim.pk}/claimreview/",
        "claimReviewed": claim.text,
        "datePublished": _date(versions[0].published_at if versions else claim.ruled_at),
        "author": {
            "@type": "Organization",
            "name": getattr(settings, "FACTCHECK_ORG_NAME", "") or "Fact-check desk",
            "url": base,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": best,
            "worstRating": worst,
            "alternateName": name,
            "ratingExplanation": rationale,
        },
        "reviewBody": rationale,
        "itemReviewed": {
            "@type": "Claim",
            "@id": f"{base}/api/claims/{root.pk}/#claim",
            "text": root.text,
            "author": _claim_author(first),
            "datePublished": _date(first.article.published_at) or _date(first.created_at),
            "appearance": appearances,
            "firstAppearance": appearances[0],
        },
    }
    if len(versions) > 1:
        # Corrected in public: when, and what changed each time.
        review["dateModified"] = versions[-1].published_at.isoformat()
        review["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": v.correction_note,
                "datePublished": _date(v.published_at),
            }
            for v in versions[1:]
            if v.correction_note
        ]
    return review
