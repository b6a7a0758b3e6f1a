"""Alerts to people: the one module that records them.

A separate concern from webhooks (`claims.events`, machines subscribing to events): an
alert is for one person, about something that concerns them, on the channels they chose
(`AlertPreference`: email and/or a Slack-compatible incoming webhook). The events:

- `assigned`: a claim is assigned to you (not when you take it yourself);
- `reopened`: a claim you ruled is reopened (by new evidence, or by someone else);
- `flagged`: a claim you follow (a Follow row, or you are its assignee) gets a new flag;
- `stale`: your assignment has had no activity for FACTCHECK_STALE_HOURS (beat);
- `digest`: a daily digest of your queue (beat).

`record` writes an Alert row in the caller's transaction (the event's), unique per (user,
event key), so the same event recorded twice reaches a person once, and queues delivery
(`workers.notify`) after commit. Nothing is recorded for a deactivated user, for an event
the user switched off, or when the user has no channel (no email address and no URL).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction

from claims.models import Alert, AlertPreference, Claim, Flag, Follow, Transition
from factcheck import queue

# The events (Alert.Event's values), and which preference switches each.
ASSIGNED, REOPENED, FLAGGED, STALE, DIGEST = "assigned", "reopened", "flagged", "stale", "digest"
EVENT_SWITCH: dict[str, str] = {
    ASSIGNED: "on_assigned",
    REOPENED: "on_reopened",
    FLAGGED: "on_flagged",
    STALE: "on_stale",
    DIGEST: "daily_digest",
}
assert set(EVENT_SWITCH) == set(Alert.Event.values), "one switch per alert event"


def preferences(user) -> AlertPreference:
    """The user's saved preferences, or the defaults (an unsaved row) when they have none."""
    return AlertPreference.objects.filter(user=user).first() or AlertPreference(user=user)


def preferences_of(users: Iterable) -> dict[int, AlertPreference]:
    """Preferences for many users in one query, defaults for those without a row."""
    users = list(users)
    saved = {p.user_id: p for p in AlertPreference.objects.filter(user__in=users)}
    return {u.pk: saved.get(u.pk) or AlertPreference(user=u) for u in users}


def channels(pref: AlertPreference, user) -> list[str]:
    chosen = []
    if pref.by_email and user.email:
        chosen.append("email")
    if pref.slack_webhook_url:
        chosen.append("slack")
    return chosen


def record(
    event: str,
    user,
    *,
    key: str,
    subject: str,
    body: str,
    claim: Claim | None = None,
    pref: AlertPreference | None = None,
) -> int | None:
    """Record one alert for one person and queue its delivery; None when nothing is due.

    `key` names the occurrence (a Transition, a Flag, a day): the same event and user
    twice records nothing new.
    """
    if event not in EVENT_SWITCH:
        raise ValueError(f"unknown alert event {event!r}")
    if user is None or not user.is_active:
        return None
    pref = pref or preferences(user)
    if not getattr(pref, EVENT_SWITCH[event]):
        return None
    chosen = channels(pref, user)
    if not chosen:
        return None
    event_key = f"{event}:{key}"[:200]
    try:
        with transaction.atomic():
            alert, created = Alert.objects.get_or_create(
                user=user,
                event_key=event_key,
                defaults={
                    "event": event,
                    "claim": claim,
                    "subject": subject[:300],
                    "body": body,
                    "channels": chosen,
                },
            )
    except IntegrityError:  # recorded concurrently
        return None
    if not created:
        return None
    queue.later(queue.DELIVER_ALERT, alert.pk)
    return alert.pk


def claim_link(claim_id: int) -> str:
    base = settings.FACTCHECK_PUBLIC_URL.rstrip("/")
    return f"{base}/admin/claims/claim/{claim_id}/change/"


def describe(claim: Claim) -> str:
    """A claim as a few lines of an alert: its text, where it appeared, the link."""
    article = claim.article
    where = " · ".join(x for x in (article.outlet, article.title) if x) or f"article {article.pk}"
    return f"“{claim.text}”\nin {where}\n{claim_link(claim.pk)}"


def claim_assigned(claim: Claim, assignee, *, by, at) -> int | None:
    """`assigned`: someone else gave this claim to `assignee` at `at`."""
    if assignee is None or (by is not None and by.pk == assignee.pk):
        return None
    who = by.get_username() if by is not None else "the workflow"
    return record(
        ASSIGNED,
        assignee,
        key=f"claim:{claim.pk}:{at.isoformat()}",
        subject=f"Claim {claim.pk} was assigned to you",
        body=f"{who} assigned you a claim to check:\n\n{describe(claim)}",
        claim=claim,
    )


def claim_reopened(claim: Claim, transition: Transition, ruled_by) -> int | None:
    """`reopened`: the person who ruled the claim hears that it is open again."""
    if ruled_by is None or transition.actor_id == ruled_by.pk:
        return None
    return record(
        REOPENED,
        ruled_by,
        key=f"transition:{transition.pk}",
        subject=f"Claim {claim.pk}, which you ruled {transition.from_state}, was reopened",
        body=(
            f"Reopened by {transition.by}: {transition.reason}\n\n{describe(claim)}\n\n"
            "It is back in the queues for a new ruling."
        ),
        claim=claim,
    )


def followers(claim_ids: Iterable[int]) -> dict[int, list]:
    """The people following each claim: its Follow rows and its assignee (two queries)."""
    ids = sorted(set(claim_ids))
    found: dict[int, dict[int, object]] = {pk: {} for pk in ids}
    if not ids:
        return {}
    for follow in Follow.objects.filter(claim_id__in=ids).select_related("user"):
        found[follow.claim_id][follow.user_id] = follow.user
    assigned = Claim.objects.filter(pk__in=ids, assignee__isnull=False).select_related("assignee")
    for claim in assigned.only("pk", "state", "assignee"):
        found[claim.pk].setdefault(claim.assignee_id, claim.assignee)
    return {pk: list(people.values()) for pk, people in found.items()}


def claims_flagged(new_flags: list[Flag]) -> list[int]:
    """`flagged`: every follower of a claim hears of each new flag on it."""
    if not new_flags:
        return []
    by_claim = followers(f.claim_id for f in new_flags)
    people = {u.pk: u for users in by_claim.values() for u in users if u.is_active}
    if not people:
        return []
    prefs = preferences_of(people.values())
    claims = Claim.objects.select_related("article").in_bulk({f.claim_id for f in new_flags})
    recorded = []
    for flag in new_flags:
        claim = claims[flag.claim_id]
        for user in by_claim.get(flag.claim_id, []):
            if user.pk not in people:
                continue
            alert_id = record(
                FLAGGED,
                user,
                key=f"flag:{flag.pk}",
                subject=f"New flag on claim {claim.pk}: {flag.get_kind_display()}",
                body=f"{flag.message}\n\n{describe(claim)}",
                claim=claim,
                pref=prefs[user.pk],
            )
            if alert_id:
                recorded.append(alert_id)
    return recorded


def follow(user, claim: Claim) -> bool:
    """Follow a claim; False when already following."""
    _, created = Follow.objects.get_or_create(user=user, claim=claim)
    return created


def unfollow(user, claim: Claim) -> bool:
    deleted, _ = Follow.objects.filter(user=user, claim=claim).delete()
    return bool(deleted)


def is_following(user, claim: Claim) -> bool:
    return claim.assignee_id == user.pk or Follow.objects.filter(user=user, claim=claim).exists()
