"""Publishing rows: the newsroom's rating scale, every version of a ruling, and the
fact-checks published elsewhere (their lookup keys, their matches with our claims, and
the feeds they are polled from).

`claims.models` imports these so Django finds them; this module never imports it back
(relations to Claim and Flag are by name), so the two stay one way. The rules that move
these rows live elsewhere: rulings only through `claims.workflow` (in the transaction of
the claim's transition), the scale through `claims.ratings`, fact-checks and matches
through the worker services (`workers.factchecks`, `workers.matching`), with writes
keyed on the unique constraints below because a task may run twice.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Verdict(models.TextChoices):
    """The terminal claim states a rating can put a claim in (ClaimState's values)."""

    VERIFIED = "verified", "Verified"
    DISPUTED = "disputed", "Disputed"


class Rating(models.Model):
    """One step of the newsroom's rating scale ("Missing context"), editable in the admin.

    A rating maps to one of the two terminal states and to a ClaimReview `ratingValue`;
    the scale's highest and lowest values among the active ratings are `bestRating` and
    `worstRating`. Each verdict has one default rating: what `{"verdict": ...}` means.
    Ratings are retired (inactive), never deleted, once a ruling used one.
    """

    slug = models.SlugField(max_length=50, unique=True)
    label = models.CharField(
        max_length=100, help_text="Shown to readers (ClaimReview alternateName)."
    )
    description = models.TextField(blank=True, help_text="When to use this rating.")
    verdict = models.CharField(
        max_length=16,
        choices=Verdict.choices,
        help_text="The state a claim ruled with this rating ends in.",
    )
    value = models.PositiveSmallIntegerField(help_text="ClaimReview ratingValue (higher is truer).")
    is_default = models.BooleanField(
        default=False, help_text="The rating a bare verdict (verified / disputed) maps to."
    )
    active = models.BooleanField(
        default=True, help_text="Offered for new rulings. Retired ratings stay on old rulings."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-value", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["verdict"],
                condition=models.Q(is_default=True),
                name="rating_one_default_per_verdict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.value}, {self.verdict})"


class Ruling(models.Model):
    """One version of a claim's ruling: proposed, returned, published or superseded.

    Written by `claims.workflow` only, in the transaction of the claim's transition, so
    the history of ratings, rationales, who proposed, who signed off, when, and each
    correction note is complete. The rating's label and value are copied: editing the
    scale later does not rewrite what was published.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting sign-off"
        RETURNED = "returned", "Returned"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded by a correction"

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="rulings")
    number = models.PositiveIntegerField(help_text="1 for the first ruling of the claim, then 2…")
    status = models.CharField(max_length=16, choices=Status.choices)
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="rulings")
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    rating_label = models.CharField(max_length=100)
    rating_value = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    correction_note = models.TextField(
        blank=True, help_text="What changed since the version published before (corrections)."
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signoff_note = models.TextField(blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="ruling_unique_number"),
            # The backstop behind the compare-and-swap: one open proposal per claim.
            models.UniqueConstraint(
                fields=["claim"],
                condition=models.Q(status="proposed"),
                name="ruling_one_proposal_per_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} v{self.number}: {self.rating_label} ({self.status})"


def review_url_key(url: str) -> str:
    """The idempotency key of a fact-check: its review URL without fragment or trailing
    slash, scheme and host lower-cased, hashed (URLs may be longer than a btree entry)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    canonical = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
    return hashlib.sha256(canonical.encode("utf-8", "replace")).hexdigest()


class FactCheckFeed(models.Model):
    """A published fact-check feed (DataFeed JSON, JSON lines, or a page with ClaimReview
    JSON-LD) polled on a schedule; new and changed fact-checks are imported and matched."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    # 5 minutes to a week, in the admin as in the API (0 would poll on every beat tick).
    poll_interval_minutes = models.PositiveIntegerField(
        default=360, validators=[MinValueValidator(5), MaxValueValidator(10080)]
    )
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        verbose_name = "fact-check feed"

    def __str__(self) -> str:
        return self.title or self.url


class FactCheck(models.Model):
    """A fact-check published elsewhere, one row per review URL (imports are idempotent)."""

    review_url = models.URLField(max_length=2000)
    url_key = models.CharField(max_length=64, unique=True, editable=False)
    publisher = models.CharField(max_length=300, blank=True)
    publisher_url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=300, blank=True)
    claim_reviewed = models.TextField()
    normalized = models.TextField(blank=True)
    rating_text = models.CharField(max_length=300, blank=True)
    rating_value = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True)
    claimant = models.CharField(max_length=300, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    appearances = models.JSONField(default=list, blank=True)
    raw = models.JSONField(default=dict, blank=True, help_text="The JSON-LD as imported.")
    # A digest of what was read, so a re-import of the same item writes nothing.
    content_hash = models.CharField(max_length=64, editable=False)
    origin = models.CharField(max_length=2000, blank=True, help_text="Where it was imported from.")
    feed = models.ForeignKey(
        FactCheckFeed, null=True, blank=True, on_delete=models.SET_NULL, related_name="factchecks"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-review_date", "-id"]
        verbose_name = "published fact-check"
        indexes = [models.Index(fields=["-review_date", "-id"], name="factcheck_newest_idx")]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.claim_reviewed[:60]} ({self.rating_text})"


class FactCheckTerm(models.Model):
    """A lookup key of a fact-check's claim (`analysis.matching.match_keys`): claims find
    their candidate fact-checks by shared keys, so matching never scans every fact-check."""

    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "factcheck"], name="factcheck_term_unique"),
        ]

    def __str__(self) -> str:
        return self.term


class FactCheckMatch(models.Model):
    """A claim of ours that a published fact-check may have reviewed, with the score."""

    class Kind(models.TextChoices):
        AUTO = "auto", "Matching claim"
        SUGGESTED = "suggested", "Possible match"

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="factcheck_matches"
    )
    factcheck = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    flag = models.ForeignKey(
        "claims.Flag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim_id", "-score", "id"]
        verbose_name_plural = "fact-check matches"
        constraints = [
            models.UniqueConstraint(fields=["claim", "factcheck"], name="factcheck_match_unique"),
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} ~ {self.factcheck_id} ({self.score:.2f})"
