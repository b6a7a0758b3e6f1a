"""The domain people touch: articles, the source corpus, claims and what hangs off them.

Claim.state is a protected FSM field: only the transition methods declared here can
move it, and only `claims.workflow` calls them (inside a transaction that also writes
the Transition row). Flags are raised and resolved only through `claims.flags`.
Machine-made fields (spans, attribution, quantities, ...) are written by the worker
services (`workers.ingest`, `workers.corroborate`) with idempotent upserts keyed by the
unique constraints below, because Celery on Redis delivers at least once.

The choices (claim types, flag kinds, stances, recommendations) are built from the one
vocabulary in `analysis.types`.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from analysis import types as t
from claims.publishing import (  # noqa: F401 (Django finds the app's models here)
    FactCheck,
    FactCheckFeed,
    FactCheckMatch,
    FactCheckTerm,
    Rating,
    Ruling,
)


def content_hash(text: str) -> str:
    """Hash of a text with whitespace folded, so re-pasted copies of one text collide."""
    folded = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


class Source(models.Model):
    """One document of the corpus: every article and every fetched or submitted source."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article under check"
        SOURCE = "source", "Source document"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SOURCE)
    title = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    canonical_url = models.CharField(max_length=2000, blank=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField()
    content_hash = models.CharField(max_length=64, unique=True)
    # Origins this document relays ("The New York Times"); with the outlet they give the
    # origin key that independence is counted by.
    relays = models.JSONField(default=list, blank=True)
    origin = models.CharField(max_length=300, blank=True, db_index=True)
    note = models.TextField(
        blank=True, help_text="Provenance note, e.g. 'paraphrase for demonstration'."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    indexed_at = models.DateTimeField(null=True, blank=True)
    # The archived copy of the fetch this document came from (none for text submitted
    # as it is): raw bytes, headers, final URL and their SHA-256 (claims.models_archive).
    archive = models.ForeignKey(
        "claims.Archive", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "created_at"])]

    def __str__(self) -> str:
        label = self.title or self.body[:60]
        return f"{self.outlet}: {label}" if self.outlet else label


class Passage(models.Model):
    """A sentence window of a Source: the unit the full-text index searches and evidence quotes.

    The search index itself is created by migration 0002: a stored tsvector column with a
    GIN index on PostgreSQL, an FTS5 external-content table on SQLite. The ORM never
    touches it; `workers.corpus` does.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    # The source's kind, copied at indexing (a source's kind never changes): seen-before
    # search reads article passages only, through a partial index (migration 0015).
    source_kind = models.CharField(
        max_length=16, choices=Source.Kind.choices, db_default=Source.Kind.SOURCE, editable=False
    )
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["source_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="passage_unique_position"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Article(models.Model):
    """An article submitted for checking. Ingest is idempotent on content_hash."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSING = "processing", "Processing"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField()
    content_hash = models.CharField(max_length=64, unique=True)
    # Spans of `body` recognised as boilerplate (captions, "Trending Now"), kept so the
    # admin can grey them out.
    boilerplate = models.JSONField(default=list, blank=True)
    source = models.OneToOneField(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="article"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The watched feed (purpose "articles") that brought it in, if one did: the
    # "New from watched outlets" queue is the claims of these articles.
    feed = models.ForeignKey(
        "claims.Feed", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    archive = models.ForeignKey(
        "claims.Archive", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Every sentence the extractor scored: [[start, end, checkworthiness], ...] in body
    # order, so the admin can show the ones below the threshold for a person to promote.
    sentences = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.title or self.body[:60]


class ClaimState(models.TextChoices):
    """The claim workflow.

    extracted     -> corroborating (a worker starts corroboration), dismissed
    corroborating -> verified | disputed (a fact-checker rules, rationale required), dismissed
    verified | disputed | dismissed -> corroborating (reopened, with a reason)
    verified | disputed -> verified | disputed (a correction, with a note)

    With sign-off required (FACTCHECK_SIGNOFF_REQUIRED), a ruling or a correction is a
    proposal first:
    corroborating | verified | disputed -> proposed (a fact-checker proposes)
    proposed -> verified | disputed (another fact-checker signs it off)
    proposed -> corroborating, or back to the published verdict (returned, with a note)
    """

    EXTRACTED = "extracted", "Extracted"
    CORROBORATING = "corroborating", "Corroborating"
    PROPOSED = "proposed", "Awaiting sign-off"
    VERIFIED = "verified", "Verified"
    DISPUTED = "disputed", "Disputed"
    DISMISSED = "dismissed", "Dismissed"


RULED_STATES = (ClaimState.VERIFIED, ClaimState.DISPUTED)
TERMINAL_STATES = (ClaimState.VERIFIED, ClaimState.DISPUTED, ClaimState.DISMISSED)
OPEN_STATES = (ClaimState.EXTRACTED, ClaimState.CORROBORATING)


def _choices(name: str, labels: dict[str, str]) -> type[models.TextChoices]:
    """TextChoices from one of analysis.types' tables: member NAME is the value upper-cased."""
    return models.TextChoices(
        name, [(value.upper(), (value, label)) for value, label in labels.items()]
    )


ClaimType = _choices("ClaimType", t.CLAIM_TYPE_LABELS)
Recommendation = _choices("Recommendation", t.RECOMMENDATION_LABELS)


NORMALIZED_MAX = 500  # characters; 2,000 bytes at most, under PostgreSQL's btree entry limit


class Claim(ConcurrentTransitionMixin, models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    text = models.TextField()
    start = models.PositiveIntegerField(help_text="Offset of the claim in the article body.")
    end = models.PositiveIntegerField()
    appearances = models.JSONField(default=list, blank=True)
    normalized = models.TextField(blank=True)
    checkworthiness = models.FloatField(default=0.0)
    claim_type = models.CharField(max_length=16, choices=ClaimType.choices, default=ClaimType.EVENT)
    attribution = models.JSONField(default=dict, blank=True)
    attribution_kind = models.CharField(max_length=16, blank=True, db_index=True)
    hedges = models.JSONField(default=list, blank=True)
    certainty = models.CharField(max_length=16, blank=True)
    quantities = models.JSONField(default=list, blank=True)
    times = models.JSONField(default=list, blank=True)
    recheck_after = models.DateField(null=True, blank=True)

    state = FSMField(default=ClaimState.EXTRACTED, choices=ClaimState.choices, protected=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    # When the current assignee got it (the stale-assignment reminder counts from here),
    # and when anyone first did (turnaround metrics); kept by claims.workflow.assign.
    assigned_at = models.DateTimeField(null=True, blank=True)
    first_assigned_at = models.DateTimeField(null=True, blank=True)
    recommended_verdict = models.CharField(
        max_length=16, choices=Recommendation.choices, blank=True
    )
    recommendation_confidence = models.FloatField(null=True, blank=True)
    recommendation_reason = models.TextField(blank=True)
    # Why the claim's corroboration (or the judging of one of its sources) failed: the
    # exception type and message, set by workers.corroborate and cleared by a later run
    # that succeeds. Blank when the analysis ran; never a silently empty claim.
    analysis_error = models.TextField(blank=True, default="")
    # The ruling as it stands (the full history is in Transition).
    rationale = models.TextField(blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ruled_at = models.DateTimeField(null=True, blank=True)
    reopened = models.BooleanField(default=False)
    # The published version (claims.publishing.Ruling) that the ClaimReview shows; null
    # while nothing is published (never ruled, reopened). A correction awaiting sign-off
    # keeps the published version here, and public, until it is signed off.
    ruling = models.ForeignKey(
        "claims.Ruling", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Claims seen before: the earlier claim with the same truth conditions.
    same_as = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    # Earlier claims that may say the same thing, above the suggestion threshold but below
    # the link threshold: [{"claim": id, "score": 0.7}], best first.
    similar = models.JSONField(default=list, blank=True)
    corroborated_at = models.DateTimeField(null=True, blank=True)
    # A sentence below the check-worthiness threshold that a fact-checker made a claim.
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The worst open flag's severity (FLAG_SEVERITY), 0 with no open flag: what the work
    # queues sort by first. Derived from the flags, never set by hand: claims.flags
    # refreshes it whenever it raises or resolves a flag.
    priority = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article_id", "start"]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="claim_unique_span"),
            models.CheckConstraint(
                condition=models.Q(checkworthiness__gte=0) & models.Q(checkworthiness__lte=1),
                name="claim_checkworthiness_0_1",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["assignee", "state"]),
            # The work queues in their priority order (claims.queues.PRIORITY_ORDER): the
            # open claims (every queue but "ruled today" and "all"), and all claims.
            models.Index(
                fields=["-priority", "-checkworthiness", "created_at", "id"],
                condition=models.Q(state__in=[s.value for s in OPEN_STATES]),
                name="claim_open_queue_idx",
            ),
            models.Index(
                fields=["-priority", "-checkworthiness", "created_at", "id"],
                name="claim_queue_idx",
            ),
            # The "reopened" and "ruled today" queues and their counts.
            models.Index(
                fields=["state"], condition=models.Q(reopened=True), name="claim_reopened_idx"
            ),
            models.Index(fields=["ruled_at", "state"], name="claim_ruled_at_idx"),
            # The API's default list order (newest first) and claims seen before
            # (exact normalized text). `normalized` is capped at NORMALIZED_MAX so every
            # value fits a btree entry.
            models.Index(fields=["-created_at", "-id"], name="claim_newest_idx"),
            models.Index(fields=["normalized"], name="claim_normalized_idx"),
        ]
        permissions = [
            ("rule_claim", "Can rule a claim verified or disputed"),
            ("assign_claim", "Can assign claims"),
            ("reopen_claim", "Can reopen a ruled claim"),
            ("dismiss_claim", "Can dismiss a non-claim"),
            ("suggest_verdict", "Can suggest a verdict"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    @property
    def is_ruled(self) -> bool:
        return self.state in RULED_STATES

    # The declared transitions. Only claims.workflow calls these, inside a transaction that
    # also records the Transition row; they change nothing but fields on this instance.

    @transition(field=state, source=ClaimState.EXTRACTED, target=ClaimState.CORROBORATING)
    def start_corroboration(self) -> None:
        pass

    @transition(field=state, source=ClaimState.CORROBORATING, target=ClaimState.VERIFIED)
    def rule_verified(self, user, rationale: str) -> None:
        self._record_ruling(user, rationale)

    @transition(field=state, source=ClaimState.CORROBORATING, target=ClaimState.DISPUTED)
    def rule_disputed(self, user, rationale: str) -> None:
        self._record_ruling(user, rationale)

    @transition(field=state, source=list(RULED_STATES), target=ClaimState.VERIFIED)
    def correct_verified(self, user, rationale: str) -> None:
        self._record_ruling(user, rationale)

    @transition(field=state, source=list(RULED_STATES), target=ClaimState.DISPUTED)
    def correct_disputed(self, user, rationale: str) -> None:
        self._record_ruling(user, rationale)

    @transition(
        field=state,
        source=[ClaimState.CORROBORATING, *RULED_STATES],
        target=ClaimState.PROPOSED,
    )
    def propose(self) -> None:
        pass

    @transition(field=state, source=ClaimState.PROPOSED, target=ClaimState.VERIFIED)
    def sign_off_verified(self, author, rationale: str) -> None:
        self._record_ruling(author, rationale)

    @transition(field=state, source=ClaimState.PROPOSED, target=ClaimState.DISPUTED)
    def sign_off_disputed(self, author, rationale: str) -> None:
        self._record_ruling(author, rationale)

    @transition(
        field=state,
        source=ClaimState.PROPOSED,
        target=RETURN_VALUE(ClaimState.CORROBORATING, *RULED_STATES),
    )
    def return_proposal(self, back_to: str) -> str:
        # Back to corroborating, or to the verdict still published (a returned correction).
        return back_to

    @transition(field=state, source=list(TERMINAL_STATES), target=ClaimState.CORROBORATING)
    def reopen(self) -> None:
        self.reopened = True
        self.ruling = None  # no longer published: the ClaimReview goes until it is ruled again

    @transition(
        field=state,
        source=[ClaimState.EXTRACTED, ClaimState.CORROBORATING],
        target=ClaimState.DISMISSED,
    )
    def dismiss(self) -> None:
        pass

    def _record_ruling(self, user, rationale: str) -> None:
        self.rationale = rationale
        self.ruled_by = user
        self.ruled_at = timezone.now()
        self.reopened = False


class Evidence(models.Model):
    Stance = _choices("Stance", t.STANCE_LABELS)

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="evidence")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="evidence")
    stance = models.CharField(max_length=16, choices=Stance.choices)
    reason = models.TextField()
    strength = models.FloatField(default=0.5)
    origin = models.CharField(max_length=300, blank=True)
    rank = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim_id", "-rank", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "passage"], name="evidence_unique_claim_passage"
            ),
        ]
        indexes = [models.Index(fields=["claim", "stance"])]

    def __str__(self) -> str:
        return f"{self.stance}: {self.passage.text[:60]}"


FlagKind = _choices("FlagKind", t.FLAG_LABELS)
# How much a flag kind pushes a claim up the queue (analysis.types; claims.flags uses it).
FLAG_SEVERITY = t.FLAG_SEVERITY


class Flag(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=32, choices=FlagKind.choices)
    message = models.TextField()
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    # For flags raised from the article itself: the span of the sentence behind it.
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    # What makes this flag the same flag when a worker raises it again.
    key = models.CharField(max_length=200, default="", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "kind", "key"], name="flag_unique_claim_kind_key"
            ),
        ]
        indexes = [models.Index(fields=["kind", "resolved_at"])]
        permissions = [("resolve_flag", "Can resolve a flag")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.message[:60]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def severity(self) -> int:
        return FLAG_SEVERITY.get(self.kind, 1)


class Transition(models.Model):
    """One row per claim state change, written in the same transaction as the change."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=ClaimState.choices)
    to_state = models.CharField(max_length=16, choices=ClaimState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker = models.CharField(
        max_length=100, blank=True, help_text="Task name when a worker moved it."
    )
    reason = models.TextField(blank=True)
    # A ruling's evidence, frozen when it was made: each source with its content hash and
    # archived copy (claims.frozen), so a published verdict shows what it rested on.
    evidence = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["to_state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"

    @property
    def by(self) -> str:
        if self.actor_id:
            return str(self.actor)
        return f"worker {self.worker}" if self.worker else "system"


class SourceRequest(models.Model):
    """A URL someone asked the workers to fetch into the corpus, with the outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        FETCHED = "fetched", "Fetched"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=2000)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="source_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["url", "claim"], name="source_request_unique_url_claim"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.status})"


class Feed(models.Model):
    """An RSS/Atom feed polled on a schedule; what its new items become is its purpose."""

    class Purpose(models.TextChoices):
        SOURCES = "sources", "Sources: items join the evidence corpus"
        ARTICLES = "articles", "Articles: items are articles to check (a watched outlet)"

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(
        max_length=16,
        choices=Purpose.choices,
        default=Purpose.SOURCES,
        help_text="sources: new items are fetched into the corpus as evidence; "
        "articles: new items are fetched, read and queued as articles to check.",
    )
    active = models.BooleanField(default=True)
    # 1 minute to a week, in the admin as in the API (0 would poll on every beat tick).
    poll_interval_minutes = models.PositiveIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(10080)]
    )
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.title or self.url


class FeedItem(models.Model):
    """One item seen in a feed; unique per feed and guid so a re-poll adds nothing twice.

    An item of a `sources` feed is fetched through its SourceRequest; an item of an
    `articles` feed carries its own fetch outcome (status, attempts, last_error) and the
    article it became.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        FETCHED = "fetched", "Fetched"
        FAILED = "failed", "Failed"

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=1000)
    link = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    # What the feed says about the item (an article's byline and date come from here).
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    request = models.ForeignKey(
        SourceRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="feed_item_unique_guid"),
        ]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return self.title or self.guid


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    class Event(models.TextChoices):
        FLAGGED = "claim.flagged", "claim.flagged"
        RULED = "claim.ruled", "claim.ruled"
        REOPENED = "claim.reopened", "claim.reopened"

    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=128, default=new_webhook_secret)
    active = models.BooleanField(default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"


class WebhookDelivery(models.Model):
    """One event for one webhook; unique per (webhook, event key) so a redelivered task sends once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=32)
    event_key = models.CharField(max_length=200)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_key"], name="delivery_unique_event"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook.url} ({self.status})"


# Alerts to people, archived fetches and reviewers' comments and suggestions live in
# their own modules (registered here, as models of this app).
from claims.models_alerts import Alert, AlertPreference, Follow  # noqa: E402, F401
from claims.models_archive import Archive  # noqa: E402, F401
from claims.models_review import Comment, Suggestion  # noqa: E402, F401
from claims.models_tokens import ApiToken  # noqa: E402, F401
