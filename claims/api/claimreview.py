"""schema.org ClaimReview JSON-LD for ruled claims.

Rating scale (documented in the README): ratingValue 5 "Verified" (supported by
independent evidence), 1 "Disputed" (contradicted or not supported); bestRating 5,
worstRating 1. `alternateName` carries the verdict in words, which is what readers see.

Repeats: a claim with `same_as` points at the first claim with the same truth
conditions. Its review's `@id` is that first claim's, so repeats of one claim across
articles link to one check, and `appearance` lists every article the claim appeared in.
"""

from __future__ import annotations

from django.conf import settings

from claims.models import Claim, ClaimState

RATING = {
    ClaimState.VERIFIED.value: (5, "Verified"),
    ClaimState.DISPUTED.value: (1, "Disputed"),
}
BEST, WORST = 5, 1
PERSON_KINDS = {"named_person"}
ORG_KINDS = {"named_body", "named_outlet"}


def base_url() -> str:
    return settings.FACTCHECK_PUBLIC_URL.rstrip("/")


def review_queryset():
    return Claim.objects.select_related("article", "same_as__article").prefetch_related(
        "repeats__article", "same_as__repeats__article"
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


def claim_review(claim: Claim) -> dict:
    """The ClaimReview of a ruled claim (expects `review_queryset()`'s joins)."""
    if claim.state not in RATING:
        raise ValueError(f"claim {claim.pk} is not ruled")
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
    value, name = RATING[claim.state]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "@id": f"{base}/api/claims/{root.pk}/claimreview/#review",
        "url": f"{base}/api/claims/{claim.pk}/claimreview/",
        "claimReviewed": claim.text,
        "datePublished": _date(claim.ruled_at),
        "author": {
            "@type": "Organization",
            "name": getattr(settings, "FACTCHECK_ORG_NAME", "") or "Fact-check desk",
            "url": base,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": name,
            "ratingExplanation": claim.rationale,
        },
        "reviewBody": claim.rationale,
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
    return review
