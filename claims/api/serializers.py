"""Request serializers: what each write endpoint accepts, validated before anything is written."""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from rest_framework import serializers

from analysis.extraction import ArticleError
from claims.models import AlertPreference, Claim, Feed, Suggestion, Webhook
from workers import ingest

MAX_TEXT = 20_000  # comments, notes, rationales


def _type_error(field, value) -> str | None:
    """JSON types are checked as the schema states them: no "1" for 1, no 0 for false."""
    if value is None:
        return None if getattr(field, "allow_null", False) else None  # DRF reports nulls itself
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "Must be true or false."
    if isinstance(field, (serializers.IntegerField, serializers.PrimaryKeyRelatedField)):
        return (
            None
            if isinstance(value, int) and not isinstance(value, bool)
            else "Must be an integer."
        )
    if isinstance(
        field, (serializers.CharField, serializers.ChoiceField, serializers.DateTimeField)
    ):
        return None if isinstance(value, str) else "Must be a string."
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return "Must be a list."
        for item in value:
            problem = _type_error(field.child, item)
            if problem:
                return f"Each item: {problem[0].lower()}{problem[1:]}"
    return None


class UTCDateTimeField(serializers.DateTimeField):
    """ISO 8601 in, UTC out: PostgreSQL refuses offsets past ±15:59 that ISO allows."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise serializers.ValidationError("This date-time is out of range.") from None


class StrictInputMixin:
    """Unknown fields are an error (like unknown query parameters), and so are wrong JSON types."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            errors = {k: ["Unknown field."] for k in sorted(set(data) - writable)}
            for name in set(data) & writable:
                problem = _type_error(self.fields[name], data[name])
                if problem:
                    errors[name] = [problem]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    pass


def _http_url(value: str) -> str:
    try:
        return ingest.validate_url(value)
    except ArticleError as exc:
        raise serializers.ValidationError(exc.message) from None


class ArticleSubmit(StrictSerializer):
    body = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The article as plain text"
    )
    html = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The article as HTML"
    )
    url = serializers.CharField(
        required=False,
        max_length=2000,
        help_text="The article's URL; fetched through the hardened client when neither body nor html is given",
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=200)
    byline = serializers.CharField(required=False, allow_blank=True, max_length=300)
    published_at = UTCDateTimeField(required=False, allow_null=True)

    def validate_url(self, value):
        return _http_url(value)

    def validate(self, attrs):
        given = [k for k in ("body", "html") if attrs.get(k)]
        if len(given) > 1:
            raise serializers.ValidationError(
                {"html": ["Give the article as body or as html, not both."]}
            )
        if not given and not attrs.get("url"):
            raise serializers.ValidationError(
                {"body": ["Give the article as body (text), html, or url."]}
            )
        limit = settings.FACTCHECK_MAX_ARTICLE_BYTES
        for key in given:
            size = len(attrs[key].encode("utf-8", "surrogatepass"))
            if size > limit:
                raise serializers.ValidationError(
                    {key: [f"The article is {size:,} bytes; the limit is {limit:,}."]}
                )
        return attrs


class RuleInput(StrictSerializer):
    rating = serializers.SlugField(
        required=False,
        max_length=50,
        help_text="A rating of the newsroom's scale (its slug); or give a bare verdict",
    )
    verdict = serializers.ChoiceField(
        choices=Suggestion.Verdict.choices,
        required=False,
        help_text="Without a rating: the verdict's default rating",
    )
    rationale = serializers.CharField(max_length=MAX_TEXT)
    correction = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_TEXT,
        help_text="Required when the claim was published before: what changed (published)",
    )

    def validate(self, attrs):
        if not attrs.get("rating") and not attrs.get("verdict"):
            raise serializers.ValidationError(
                {"rating": ["Give a rating from the scale (or a verdict)."]}
            )
        return attrs


class SignoffInput(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)


class ReturnInput(StrictSerializer):
    note = serializers.CharField(max_length=MAX_TEXT, help_text="Why it goes back (required)")


class PromoteInput(StrictSerializer):
    start = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    end = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


class ReasonInput(StrictSerializer):
    reason = serializers.CharField(max_length=MAX_TEXT)


class DismissInput(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)


class AssignInput(StrictSerializer):
    assignee = serializers.CharField(
        allow_null=True, max_length=150, help_text="A fact-checker's username; null to unassign"
    )


class CommentInput(StrictSerializer):
    body = serializers.CharField(max_length=MAX_TEXT)


class SuggestionInput(StrictSerializer):
    verdict = serializers.ChoiceField(choices=Suggestion.Verdict.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)


class SourceInput(StrictSerializer):
    body = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="The document's text; omit to have the url fetched",
    )
    url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=200)
    byline = serializers.CharField(required=False, allow_blank=True, max_length=300)
    published_at = UTCDateTimeField(required=False, allow_null=True)
    relays = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=50
    )
    claim = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(),
        required=False,
        allow_null=True,
        help_text="Attach the source to this claim: its passages are judged for it",
    )

    def validate_url(self, value):
        return _http_url(value)

    def validate(self, attrs):
        if not (attrs.get("body") or "").strip() and not attrs.get("url"):
            raise serializers.ValidationError(
                {"body": ["Give the document as body, or a url to fetch."]}
            )
        limit = settings.FACTCHECK_MAX_ARTICLE_BYTES
        size = len((attrs.get("body") or "").encode("utf-8", "surrogatepass"))
        if size > limit:
            raise serializers.ValidationError(
                {"body": [f"The document is {size:,} bytes; the limit is {limit:,}."]}
            )
        return attrs


class FeedSerializer(StrictInputMixin, serializers.ModelSerializer):
    class Meta:
        model = Feed
        fields = [
            "id",
            "url",
            "title",
            "outlet",
            "purpose",
            "active",
            "poll_interval_minutes",
            "last_polled_at",
            "last_error",
            "created_at",
        ]
        read_only_fields = ["last_polled_at", "last_error", "created_at"]
        extra_kwargs = {"poll_interval_minutes": {"min_value": 1, "max_value": 10080}}

    def validate_url(self, value):
        return _http_url(value)


class AlertPreferenceSerializer(StrictInputMixin, serializers.ModelSerializer):
    """The signed-in user's own alert preferences (GET / PATCH /api/me/alerts/)."""

    email = serializers.SerializerMethodField(help_text="Where email alerts go (your account's)")
    updated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="null while you have the defaults"
    )

    class Meta:
        model = AlertPreference
        fields = [
            "email",
            "by_email",
            "slack_webhook_url",
            "on_assigned",
            "on_reopened",
            "on_flagged",
            "on_stale",
            "daily_digest",
            "updated_at",
        ]

    def get_email(self, obj) -> str:
        return obj.user.email

    def validate_slack_webhook_url(self, value):
        return _http_url(value) if value else ""


class WebhookSerializer(StrictInputMixin, serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Webhook.Event.choices), min_length=1, max_length=3
    )

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "active", "created_at"]
        read_only_fields = ["created_at"]

    def validate_url(self, value):
        return _http_url(value)

    def validate_events(self, value):
        return sorted(set(value))


class WebhookCreatedSerializer(WebhookSerializer):
    """The create response: the only time the signing secret is shown."""

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = ["created_at", "secret"]
