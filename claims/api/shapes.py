"""Response shapes for the OpenAPI schema.

The claim object itself is built by `claims.report.claim_dict` (the same object
`check_article --json` prints); these serializers only *describe* it, plus the other
responses, so the generated schema is exact and schemathesis can hold the API to it.
"""

from __future__ import annotations

from rest_framework import serializers

from claims.models import (
    Article,
    ClaimState,
    ClaimType,
    Evidence,
    FlagKind,
    Recommendation,
    SourceRequest,
    Suggestion,
    WebhookDelivery,
)

S = serializers


class ErrorShape(S.Serializer):
    code = S.CharField()
    message = S.CharField()
    fields = S.DictField(child=S.ListField(child=S.CharField()))


class FlagShape(S.Serializer):
    id = S.IntegerField()
    kind = S.ChoiceField(choices=FlagKind.choices)
    message = S.CharField()
    evidence = S.IntegerField(allow_null=True)
    span = S.ListField(child=S.IntegerField(allow_null=True), allow_null=True)
    resolved = S.BooleanField()
    resolved_at = S.DateTimeField(allow_null=True)
    resolution_note = S.CharField(allow_blank=True)


class EvidenceSourceShape(S.Serializer):
    id = S.IntegerField()
    title = S.CharField(allow_blank=True)
    outlet = S.CharField(allow_blank=True)
    url = S.CharField(allow_blank=True)
    published_at = S.DateTimeField(allow_null=True)
    relays = S.ListField(child=S.CharField())


class EvidenceShape(S.Serializer):
    id = S.IntegerField()
    stance = S.ChoiceField(choices=Evidence.Stance.choices)
    reason = S.CharField(allow_blank=True)
    strength = S.FloatField()
    passage = S.CharField()
    passage_start = S.IntegerField()
    passage_end = S.IntegerField()
    origin = S.CharField(allow_blank=True)
    source = EvidenceSourceShape()


class RecommendationShape(S.Serializer):
    verdict = S.ChoiceField(choices=Recommendation.choices, allow_null=True)
    confidence = S.FloatField(allow_null=True)
    reason = S.CharField(allow_blank=True)


class RatingShape(S.Serializer):
    slug = S.CharField()
    label = S.CharField(help_text="As published (ClaimReview alternateName)")
    value = S.IntegerField(help_text="ClaimReview ratingValue")


class RulingShape(S.Serializer):
    number = S.IntegerField(help_text="1 for the claim's first ruling, then 2…")
    status = S.ChoiceField(
        choices=[(s, s) for s in ("proposed", "returned", "published", "superseded")]
    )
    current = S.BooleanField(help_text="The version the ClaimReview shows")
    rating = RatingShape()
    verdict = S.ChoiceField(choices=Suggestion.Verdict.choices)
    rationale = S.CharField()
    correction_note = S.CharField(allow_blank=True)
    proposed_by = S.CharField(allow_null=True)
    proposed_at = S.DateTimeField()
    signed_off_by = S.CharField(allow_null=True)
    signed_off_at = S.DateTimeField(allow_null=True)
    signoff_note = S.CharField(allow_blank=True)
    returned_by = S.CharField(allow_null=True)
    returned_at = S.DateTimeField(allow_null=True)
    return_note = S.CharField(allow_blank=True)
    published_at = S.DateTimeField(allow_null=True)


class CheckedElsewhereShape(S.Serializer):
    factcheck = S.IntegerField()
    publisher = S.CharField(allow_blank=True)
    review_url = S.CharField()
    claim_reviewed = S.CharField()
    rating = S.CharField(allow_blank=True)
    rating_value = S.FloatField(allow_null=True)
    review_date = S.DateField(allow_null=True)
    language = S.CharField(allow_blank=True)
    score = S.FloatField(help_text="The claim similarity")
    match = S.ChoiceField(choices=[("auto", "auto"), ("suggested", "suggested")])
    flag = S.IntegerField(allow_null=True, help_text="The already_checked flag it raised")


class ClaimShape(S.Serializer):
    id = S.IntegerField()
    article = S.IntegerField()
    text = S.CharField()
    start = S.IntegerField()
    end = S.IntegerField()
    appearances = S.ListField(child=S.ListField(child=S.IntegerField()))
    normalized = S.CharField(allow_blank=True)
    state = S.ChoiceField(choices=ClaimState.choices)
    checkworthiness = S.FloatField()
    type = S.ChoiceField(choices=ClaimType.choices)
    attribution = S.DictField(help_text="speaker, kind, cue, chain (outlet citing others)")
    hedges = S.ListField(child=S.DictField())
    certainty = S.CharField(allow_blank=True)
    quantities = S.ListField(child=S.DictField())
    times = S.ListField(child=S.DictField())
    recheck_after = S.DateField(allow_null=True)
    flags = FlagShape(many=True)
    evidence = EvidenceShape(many=True)
    recommended_verdict = S.ChoiceField(choices=Recommendation.choices, allow_null=True)
    analysis_error = S.CharField(
        allow_blank=True,
        read_only=True,
        help_text="Why the claim's analysis failed or skipped a source (exception type and "
        "message); empty when it ran",
    )
    recommendation = RecommendationShape()
    assignee = S.CharField(allow_null=True)
    rationale = S.CharField(allow_blank=True)
    same_as = S.IntegerField(allow_null=True)
    rating = RatingShape(allow_null=True, help_text="The published rating; null when unpublished")
    proposal = RulingShape(allow_null=True, help_text="A ruling awaiting sign-off")
    checked_elsewhere = CheckedElsewhereShape(
        many=True, help_text="Fact-checks published elsewhere that match this claim"
    )


class ClaimArticleShape(S.Serializer):
    id = S.IntegerField()
    title = S.CharField(allow_blank=True)
    outlet = S.CharField(allow_blank=True)
    published_at = S.DateTimeField(allow_null=True)


class AttributionSummaryShape(S.Serializer):
    speaker = S.CharField(allow_null=True, help_text="Who makes the claim; null when unattributed")
    kind = S.CharField(
        allow_null=True,
        help_text="named_person, named_body, named_outlet, anonymous, vague or none; null if unknown",
    )


class FlagSummaryShape(S.Serializer):
    kind = S.ChoiceField(choices=FlagKind.choices)
    message = S.CharField()
    resolved = S.BooleanField()


class EvidenceCountsShape(S.Serializer):
    supports = S.IntegerField()
    contradicts = S.IntegerField()
    mentions = S.IntegerField()


class ClaimSummaryShape(S.Serializer):
    """One row of the claim list: no evidence rows or passages; the full claim is at `url`."""

    id = S.IntegerField()
    url = S.CharField(help_text="The claim object (GET claims/{id}/)")
    article = ClaimArticleShape()
    text = S.CharField()
    start = S.IntegerField()
    end = S.IntegerField()
    state = S.ChoiceField(choices=ClaimState.choices)
    type = S.ChoiceField(choices=ClaimType.choices)
    checkworthiness = S.FloatField()
    attribution = AttributionSummaryShape()
    recommended_verdict = S.ChoiceField(choices=Recommendation.choices, allow_null=True)
    assignee = S.CharField(allow_null=True)
    flags = FlagSummaryShape(many=True, help_text="All the claim's flags, open and resolved")
    evidence_counts = EvidenceCountsShape(help_text="Evidence rows by stance")
    created_at = S.DateTimeField()
    updated_at = S.DateTimeField()


class CommentShape(S.Serializer):
    id = S.IntegerField()
    claim = S.IntegerField()
    author = S.CharField()
    body = S.CharField()
    body_html = S.CharField(help_text="The body escaped and sanitised for display.")
    created_at = S.DateTimeField()
    updated_at = S.DateTimeField()


class SuggestionShape(S.Serializer):
    id = S.IntegerField()
    claim = S.IntegerField()
    author = S.CharField()
    verdict = S.ChoiceField(choices=Suggestion.Verdict.choices)
    note = S.CharField(allow_blank=True)
    created_at = S.DateTimeField()


class TransitionShape(S.Serializer):
    id = S.IntegerField()
    from_state = S.ChoiceField(choices=ClaimState.choices)
    to_state = S.ChoiceField(choices=ClaimState.choices)
    by = S.CharField()
    actor = S.CharField(allow_null=True)
    worker = S.CharField(allow_null=True)
    reason = S.CharField(allow_blank=True)
    at = S.DateTimeField()
    evidence = S.ListField(
        child=S.DictField(),
        help_text="A ruling's evidence frozen when it was made: stance, reason, passage and "
        "the source (title, outlet, url, content_hash, archive {id, sha256, final_url, "
        "fetched_at}); empty for other transitions",
    )


class SimilarShape(S.Serializer):
    id = S.IntegerField()
    article = S.IntegerField()
    outlet = S.CharField(allow_blank=True)
    text = S.CharField()
    state = S.ChoiceField(choices=ClaimState.choices)
    relation = S.ChoiceField(choices=[(r, r) for r in ("same_as", "same_text", "suggested")])
    score = S.FloatField(allow_null=True, help_text="The similarity score of a suggestion")


class ClaimDetailShape(ClaimShape):
    comments = CommentShape(many=True)
    suggestions = SuggestionShape(many=True)
    transitions = TransitionShape(many=True)
    similar = SimilarShape(many=True)


class ArticleSummaryShape(S.Serializer):
    id = S.IntegerField()
    title = S.CharField(allow_blank=True)
    outlet = S.CharField(allow_blank=True)
    url = S.CharField(allow_blank=True)
    published_at = S.DateTimeField(allow_null=True)
    status = S.ChoiceField(choices=Article.Status.choices)
    claims = S.IntegerField(help_text="Number of claims extracted so far")
    created_at = S.DateTimeField()


class ScoredSentenceShape(S.Serializer):
    start = S.IntegerField()
    end = S.IntegerField()
    checkworthiness = S.FloatField()
    claim = S.BooleanField(help_text="True when the sentence is (or appears in) a claim")


class ArticleDetailShape(S.Serializer):
    id = S.IntegerField()
    title = S.CharField(allow_blank=True)
    byline = S.CharField(allow_blank=True)
    outlet = S.CharField(allow_blank=True)
    url = S.CharField(allow_blank=True)
    published_at = S.DateTimeField(allow_null=True)
    status = S.ChoiceField(choices=Article.Status.choices)
    last_error = S.CharField(allow_blank=True)
    content_hash = S.CharField()
    body = S.CharField()
    claims = ClaimShape(many=True)
    sentences = ScoredSentenceShape(
        many=True,
        help_text="Every sentence the extractor scored; those below the threshold can be "
        "promoted to claims (POST promote/)",
    )


class ArticleAcceptedShape(S.Serializer):
    id = S.IntegerField()
    status = S.ChoiceField(choices=Article.Status.choices)
    created = S.BooleanField(help_text="False when the same text was submitted before")
    url = S.CharField(help_text="The article: poll it to watch its status and claims")
    claims_url = S.CharField(help_text="Its claims as they appear")


class SourceShape(S.Serializer):
    id = S.IntegerField()
    title = S.CharField(allow_blank=True)
    byline = S.CharField(allow_blank=True)
    outlet = S.CharField(allow_blank=True)
    url = S.CharField(allow_blank=True)
    published_at = S.DateTimeField(allow_null=True)
    origin = S.CharField(allow_blank=True)
    relays = S.ListField(child=S.CharField())
    note = S.CharField(allow_blank=True)
    created_at = S.DateTimeField()
    archive_url = S.CharField(
        allow_null=True,
        help_text="The archived copy as a download; null if never fetched or pruned",
    )
    archive_warc_url = S.CharField(allow_null=True, help_text="The WARC file, when one was written")
    archive_sha256 = S.CharField(allow_null=True, help_text="SHA-256 of the bytes served")
    archive_final_url = S.CharField(allow_null=True, help_text="The URL after redirects")
    archived_at = S.DateTimeField(allow_null=True)


class SourceRequestShape(S.Serializer):
    id = S.IntegerField()
    url = S.CharField()
    claim = S.IntegerField(allow_null=True)
    status = S.ChoiceField(choices=SourceRequest.Status.choices)
    attempts = S.IntegerField()
    last_error = S.CharField(allow_blank=True)
    source = S.IntegerField(allow_null=True)
    created_at = S.DateTimeField()


class SourceAddedShape(S.Serializer):
    source = SourceShape(allow_null=True)
    created = S.BooleanField(allow_null=True)
    request = SourceRequestShape(allow_null=True)


class DeliveryShape(S.Serializer):
    id = S.IntegerField()
    webhook = S.IntegerField()
    event = S.CharField()
    event_key = S.CharField()
    status = S.ChoiceField(choices=WebhookDelivery.Status.choices)
    attempts = S.IntegerField()
    response_status = S.IntegerField(allow_null=True)
    last_error = S.CharField(allow_blank=True)
    created_at = S.DateTimeField()
    delivered_at = S.DateTimeField(allow_null=True)


class TokenShape(S.Serializer):
    """An API token as it is listed: never its key (nor its digest)."""

    id = S.IntegerField()
    name = S.CharField(allow_blank=True)
    token_key = S.CharField(help_text="The key's first characters, to tell tokens apart")
    username = S.CharField()
    created = S.DateTimeField()
    expires = S.DateTimeField(allow_null=True)
    expired = S.BooleanField()
    last_used = S.DateTimeField(allow_null=True, help_text="To the minute")
    current = S.BooleanField(help_text="The token this request was made with")


class IssuedTokenShape(TokenShape):
    token = S.CharField(help_text="The key: shown in this response only, never again")


class SpreadShape(S.Serializer):
    n = S.IntegerField(help_text="Claims that reached the milestone")
    median_hours = S.FloatField(allow_null=True)
    p90_hours = S.FloatField(allow_null=True)


class MetricsWeekShape(S.Serializer):
    week = S.DateField(help_text="The week's Monday")
    extracted = S.IntegerField()
    ruled = S.IntegerField(help_text="Claims first ruled this week")
    signed_off = S.IntegerField(allow_null=True, help_text="Null until sign-offs are recorded")
    to_assignment = SpreadShape()
    to_ruling = SpreadShape()
    to_sign_off = SpreadShape(allow_null=True)


class MetricsOverallShape(S.Serializer):
    to_assignment = SpreadShape()
    to_ruling = SpreadShape()
    to_sign_off = SpreadShape(allow_null=True)


class CheckerLoadShape(S.Serializer):
    username = S.CharField()
    open = S.IntegerField(help_text="Open claims assigned now")
    rulings = S.IntegerField(help_text="Rulings made in the window")
    sign_offs = S.IntegerField(help_text="Sign-offs made in the window")


class OldestWaitingShape(S.Serializer):
    id = S.IntegerField()
    text = S.CharField()
    state = S.ChoiceField(choices=ClaimState.choices)
    assignee = S.CharField(allow_null=True)
    created_at = S.DateTimeField()
    age_hours = S.FloatField()


class MetricsShape(S.Serializer):
    weeks = S.IntegerField()
    since = S.DateTimeField()
    until = S.DateTimeField()
    timezone = S.CharField()
    sign_off_recorded = S.BooleanField(
        help_text="True once the transition log has sign-off rows (to_state in sign_off_states)"
    )
    sign_off_states = S.ListField(child=S.CharField())
    per_week = MetricsWeekShape(many=True)
    overall = MetricsOverallShape()
    per_checker = CheckerLoadShape(many=True)
    oldest_waiting = OldestWaitingShape(allow_null=True)


class FollowShape(S.Serializer):
    claim = S.IntegerField()
    following = S.BooleanField()
