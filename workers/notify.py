"""Alerts to people, delivered: email and Slack-compatible webhooks; the beat-run alerts.

The domain records Alert rows (`claims.alerts`); this module sends them and computes
the two alerts beat raises:

- `deliver(alert_id)`: one attempt on each channel not yet done. Email goes through
  Django's mail (the console backend in the embedded default); the Slack-format message
  (`{"text": ...}`, which Slack, Mattermost and Rocket.Chat incoming webhooks accept) goes
  through the hardened client (`workers.fetching.post`), with the same address rules as
  every other untrusted URL: public addresses only, checked on the resolved address, no
  redirects. A channel that succeeded is never sent again on a retry; a transient failure
  is RETRY (the `deliver_alert` task backs off and tries again), anything else FAILED with
  the reason on the row. A user deactivated since the alert was recorded gets nothing.
- `stale_reminders()`: claims whose assignment has had no activity (no transition, no
  comment, no reassignment) for FACTCHECK_STALE_HOURS; one reminder per quiet stretch.
- `daily_digests()`: each user who asked for it gets their queue once a day.
"""

from __future__ import annotations

import json
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from claims import alerts, queues
from claims.models import OPEN_STATES, Alert, AlertPreference, Claim, Comment, Transition
from workers.fetching import FetchError, HTTPStatusError, post
from workers.fetchpolicy import fetch_policy
from workers.outcome import Outcome, Status

log = logging.getLogger(__name__)

# Receivers answer "ok"; we never need much of their body.
RESPONSE_MAX_BYTES = 64 * 1024
DIGEST_LINES = 15


def slack_payload(alert: Alert) -> bytes:
    text = f"*{alert.subject}*\n{alert.body}"
    return json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")


def deliver(alert_id: int, *, final_attempt: bool = False, policy=None) -> Outcome:
    """One delivery attempt of one alert, on each of its channels not yet done."""
    alert = Alert.objects.select_related("user").filter(pk=alert_id).first()
    if alert is None:
        return Outcome(Status.GONE)
    if alert.status in (Alert.Status.SENT, Alert.Status.SKIPPED):
        return Outcome(Status.DONE)
    user = alert.user
    if not user.is_active:
        reason = "not sent: the user was deactivated"
        Alert.objects.filter(pk=alert.pk).update(status=Alert.Status.SKIPPED, last_error=reason)
        return Outcome(Status.FAILED, reason)
    Alert.objects.filter(pk=alert.pk).update(attempts=alert.attempts + 1)
    pref = alerts.preferences(user)
    errors: list[str] = []
    transient = False
    retry_after = None
    if "email" in alert.channels and alert.email_sent_at is None:
        if not user.email:
            errors.append("email: the account has no email address")
        else:
            try:
                send_mail(alert.subject, alert.body, settings.DEFAULT_FROM_EMAIL, [user.email])
            except (smtplib.SMTPException, OSError) as exc:
                errors.append(f"email: {type(exc).__name__}: {exc}")
                transient = True
            else:
                Alert.objects.filter(pk=alert.pk).update(email_sent_at=timezone.now())
    if "slack" in alert.channels and alert.slack_sent_at is None:
        url = pref.slack_webhook_url
        if not url:
            errors.append("slack: no incoming-webhook URL is set any more")
        else:
            try:
                post(
                    url,
                    policy or fetch_policy(max_bytes=RESPONSE_MAX_BYTES, per_host_interval=0.0),
                    body=slack_payload(alert),
                )
            except FetchError as exc:
                errors.append(f"slack: {exc.reason}")
                transient = transient or exc.transient
                if isinstance(exc, HTTPStatusError) and exc.retry_after:
                    retry_after = exc.retry_after
            else:
                Alert.objects.filter(pk=alert.pk).update(slack_sent_at=timezone.now())
    if not errors:
        Alert.objects.filter(pk=alert.pk).update(
            status=Alert.Status.SENT, last_error="", sent_at=timezone.now()
        )
        return Outcome(Status.DONE)
    reason = "; ".join(errors)
    retry = transient and not final_attempt
    Alert.objects.filter(pk=alert.pk).update(
        status=Alert.Status.PENDING if retry else Alert.Status.FAILED, last_error=reason[:2000]
    )
    return Outcome(Status.RETRY if retry else Status.FAILED, reason, retry_after=retry_after)


def last_activity():
    """A claim's last activity on its assignment, in SQL: the latest of its assignment, its
    transitions and its comments (assignments from before `assigned_at` existed count from
    the claim's last update)."""
    last_transition = (
        Transition.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    last_comment = (
        Comment.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    assigned = Coalesce("assigned_at", "updated_at")
    # Greatest() is NULL on SQLite when any argument is: each one falls back to the
    # assignment time.
    return Greatest(
        assigned,
        Coalesce(Subquery(last_transition), assigned),
        Coalesce(Subquery(last_comment), assigned),
    )


def stale_reminders(*, now=None, hours: int | None = None) -> list[int]:
    """Record a reminder for each open assignment quiet for `hours`; returns alert ids.

    The key is the claim and the time of its last activity: a beat run every hour reminds
    once per quiet stretch, and activity followed by a new silence reminds again.
    """
    now = now or timezone.now()
    hours = hours or settings.FACTCHECK_STALE_HOURS
    cutoff = now - timedelta(hours=hours)
    stale = (
        Claim.objects.filter(state__in=list(OPEN_STATES), assignee__is_active=True)
        .annotate(active_at=last_activity())
        .filter(active_at__lt=cutoff)
        .select_related("article", "assignee")
        .order_by("active_at", "pk")
    )
    recorded = []
    for claim in stale[:5000]:
        quiet = now - claim.active_at
        alert_id = alerts.record(
            alerts.STALE,
            claim.assignee,
            key=f"claim:{claim.pk}:{claim.active_at.isoformat()}",
            subject=f"Still checking claim {claim.pk}? No activity for {_hours(quiet)}",
            body=(
                f"You were assigned this claim and nothing has happened on it for "
                f"{_hours(quiet)} (no ruling, comment or reassignment). Are you still "
                f"investigating? Rule it, add a note, or unassign it so a colleague can "
                f"take it.\n\n{alerts.describe(claim)}"
            ),
            claim=claim,
        )
        if alert_id:
            recorded.append(alert_id)
    return recorded


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} hours" if hours < 72 else f"{hours / 24:.0f} days"


def daily_digests(*, today=None) -> list[int]:
    """Record today's digest for every active user who asked for one; returns alert ids."""
    today = today or timezone.localdate()
    wanted = AlertPreference.objects.filter(daily_digest=True, user__is_active=True)
    recorded = []
    for pref in wanted.select_related("user"):
        user = pref.user
        subject, body = digest_for(user)
        alert_id = alerts.record(
            alerts.DIGEST,
            user,
            key=f"day:{today.isoformat()}",
            subject=subject,
            body=body,
            pref=pref,
        )
        if alert_id:
            recorded.append(alert_id)
    return recorded


def digest_for(user) -> tuple[str, str]:
    """The digest text of one user's queue: their open claims, most urgent first, and the
    size of each work queue."""
    counts = queues.queue_counts(user)
    mine = list(
        Claim.objects.filter(queues.queue_q("mine", user))
        .select_related("article")
        .order_by(*queues.PRIORITY_ORDER)[:DIGEST_LINES]
    )
    lines = [f"Your queue on {timezone.localdate():%A %d %B %Y}:", ""]
    for q in queues.QUEUES:
        if q.key in ("all",):
            continue
        lines.append(f"  {q.label}: {counts[q.key].label}")
    lines.append("")
    if mine:
        lines.append("Your open claims, most urgent first:")
        for claim in mine:
            lines.append(f"  - [{claim.state}] {claim.text[:140]}")
            lines.append(f"    {alerts.claim_link(claim.pk)}")
    else:
        lines.append("No open claim is assigned to you.")
    n_mine = counts["mine"].label
    return f"Your fact-check queue: {n_mine} open claim(s) assigned to you", "\n".join(lines)


def pending_alerts(cutoff) -> list[int]:
    """Alerts still pending past `cutoff` (a lost enqueue): for the sweeper."""
    return list(
        Alert.objects.filter(status=Alert.Status.PENDING, created_at__lt=cutoff).values_list(
            "id", flat=True
        )[:1000]
    )
