"""The rating scale: what is offered, what a bare verdict means, and the bounds
ClaimReview shows.

Editors change the scale in the admin (`claims.publishing.Rating`). The default scale is
the two verdicts the service always had (Verified 5, Disputed 1, each its verdict's
default), installed by migration 0009 and re-installed here if a flushed test database
lost it; `seed_demo` installs the five-point example (FIVE_POINT_SCALE).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from claims.publishing import Rating, Verdict


@dataclass(frozen=True)
class ScaleEntry:
    slug: str
    label: str
    verdict: str
    value: int
    description: str
    is_default: bool = False


DEFAULT_SCALE = (
    ScaleEntry(
        "verified", "Verified", Verdict.VERIFIED, 5, "Supported by independent evidence.", True
    ),
    ScaleEntry(
        "disputed",
        "Disputed",
        Verdict.DISPUTED,
        1,
        "Contradicted, or the evidence does not hold it up.",
        True,
    ),
)

# An example of a newsroom's own scale (seed_demo installs it): "Missing context" is the
# most common MediaReview rating, which a two-value scale cannot say.
FIVE_POINT_SCALE = (
    ScaleEntry("true", "True", Verdict.VERIFIED, 5, "Accurate, nothing significant missing.", True),
    ScaleEntry(
        "mostly-true",
        "Mostly true",
        Verdict.VERIFIED,
        4,
        "Accurate but needs clarification or a detail is off.",
    ),
    ScaleEntry(
        "missing-context",
        "Missing context",
        Verdict.DISPUTED,
        3,
        "Accurate in part, misleading without what it leaves out.",
    ),
    ScaleEntry(
        "mostly-false",
        "Mostly false",
        Verdict.DISPUTED,
        2,
        "An element of truth, but the claim as made is wrong.",
    ),
    ScaleEntry("false", "False", Verdict.DISPUTED, 1, "Not accurate.", True),
)

# bestRating / worstRating when there is no scale at all (never in a migrated database).
FALLBACK_BOUNDS = (5, 1)


class RatingError(ValueError):
    """A rating that cannot be used; `message` is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def active_scale() -> list[Rating]:
    """The ratings offered for new rulings, best first."""
    return list(Rating.objects.filter(active=True).order_by("-value", "slug"))


def default_rating(verdict: str) -> Rating:
    """The rating a bare verdict means (installing the default scale if none is set)."""
    if verdict not in Verdict.values:
        raise RatingError(f"verdict must be one of {', '.join(Verdict.values)}; got {verdict!r}.")
    rating = Rating.objects.filter(verdict=verdict, is_default=True, active=True).first()
    if rating is None:
        ensure_default_scale()
        rating = Rating.objects.filter(verdict=verdict, is_default=True, active=True).first()
    if rating is None:
        raise RatingError(f"The scale has no active default rating for {verdict}.")
    return rating


def resolve(*, rating: str | None = None, verdict: str | None = None) -> Rating:
    """The rating a ruling asks for: a slug of the scale, or a bare verdict's default."""
    if rating:
        found = Rating.objects.filter(slug=rating).first()
        if found is None or not found.active:
            offered = ", ".join(r.slug for r in active_scale())
            why = "is retired" if found is not None else "is not on the scale"
            raise RatingError(f"rating {rating!r} {why}; the scale is: {offered}.")
        if verdict and verdict != found.verdict:
            raise RatingError(
                f"rating {rating!r} puts a claim in {found.verdict}, not {verdict}; "
                "give one of them, or both in agreement."
            )
        return found
    if verdict:
        return default_rating(verdict)
    raise RatingError("Give a rating from the scale (or a verdict: verified or disputed).")


def bounds() -> tuple[int, int]:
    """(bestRating, worstRating): the highest and lowest values of the active scale."""
    values = list(Rating.objects.filter(active=True).values_list("value", flat=True))
    if not values:
        return FALLBACK_BOUNDS
    return max(values), min(values)


def install_scale(entries=DEFAULT_SCALE, *, retire_others: bool = False) -> list[Rating]:
    """Make the scale `entries` (upserted by slug, idempotent); optionally retire the rest.

    The defaults move in one transaction: the old default of a verdict stops being its
    default before the new one starts (one default per verdict is a constraint).
    """
    with transaction.atomic():
        defaults = {e.verdict for e in entries if e.is_default}
        Rating.objects.filter(verdict__in=defaults, is_default=True).exclude(
            slug__in=[e.slug for e in entries if e.is_default]
        ).update(is_default=False)
        out = []
        for e in entries:
            rating, _ = Rating.objects.update_or_create(
                slug=e.slug,
                defaults={
                    "label": e.label,
                    "verdict": str(e.verdict),
                    "value": e.value,
                    "description": e.description,
                    "is_default": e.is_default,
                    "active": True,
                },
            )
            out.append(rating)
        if retire_others:
            Rating.objects.exclude(slug__in=[e.slug for e in entries]).update(
                active=False, is_default=False
            )
    return out


def ensure_default_scale() -> None:
    """The two-value scale, if the database has no ratings at all (a flushed test database)."""
    if Rating.objects.exists():
        # A scale exists: fill in only a missing default, never overwrite an editor's work.
        for e in DEFAULT_SCALE:
            if not Rating.objects.filter(verdict=e.verdict, is_default=True).exists():
                Rating.objects.filter(slug=e.slug).update(is_default=True, active=True)
        return
    try:
        install_scale(DEFAULT_SCALE)
    except IntegrityError:  # installed concurrently
        pass
