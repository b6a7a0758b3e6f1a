"""Alerts to people: each user's preferences, the claims they follow, and the alert rows.

These are not webhooks (machines subscribing to events, `claims.events`): an alert is for
one person, on the channels they chose, about an event that concerns them. The rows are
recorded by `claims.alerts` in the same transaction as the event and delivered by
`workers.notify` (the `deliver_alert` task). An Alert is unique per (user, event key), so
an event recorded twice (a redelivered task, a retried transaction) reaches a person once.

Models of the claims app, kept out of claims/models.py to keep that module one concern;
foreign keys name claims models by string so this module imports nothing of them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models


class AlertPreference(models.Model):
    """What a user wants to be told, and how. No row means the defaults below.

    Defaults (the issue's): assignment and reopen alerts on, by email, for every user with
    an address; flags on followed claims, stale reminders and the digest off.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    by_email = models.BooleanField(
        default=True, help_text="Send alerts to the email address on your account."
    )
    slack_webhook_url = models.URLField(
        max_length=2000,
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text="A Slack-compatible incoming-webhook URL (Slack, Mattermost, Rocket.Chat). "
        "Delivered through the hardened client: public addresses only.",
    )
    on_assigned = models.BooleanField("a claim is assigned to me", default=True)
    on_reopened = models.BooleanField("a claim I ruled is reopened", default=True)
    on_flagged = models.BooleanField("a claim I follow gets a new flag", default=False)
    on_stale = models.BooleanField(
        "remind me when my assignment has had no activity (FACTCHECK_STALE_HOURS)", default=False
    )
    daily_digest = models.BooleanField("a daily digest of my queue", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "alert preferences"
        verbose_name_plural = "alert preferences"

    def __str__(self) -> str:
        return f"alert preferences of {self.user}"


class Follow(models.Model):
    """A user follows a claim: new flags on it are alerts for them (if they want those).

    The assignee of a claim follows it without a row (claims.alerts.followers).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "claim"], name="follow_unique_user_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows claim {self.claim_id}"


class Alert(models.Model):
    """One event for one person: its message, the channels chosen when it was recorded,
    and how far delivery got on each (a retry never re-sends a channel that succeeded)."""

    class Event(models.TextChoices):
        ASSIGNED = "assigned", "a claim was assigned to you"
        REOPENED = "reopened", "a claim you ruled was reopened"
        FLAGGED = "flagged", "a claim you follow got a new flag"
        STALE = "stale", "your assignment has had no activity"
        DIGEST = "digest", "daily digest of your queue"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    CHANNELS = ("email", "slack")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    event = models.CharField(max_length=16, choices=Event.choices)
    event_key = models.CharField(max_length=200)
    claim = models.ForeignKey(
        "claims.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField()
    channels = models.JSONField(default=list)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    slack_sent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="alert_unique_user_event"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event} for {self.user}: {self.subject}"
