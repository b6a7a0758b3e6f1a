"""Alerts to people: every event by email (Django's mail.outbox) and by a Slack-format
webhook to a real local receiver; once per event and person; never to a deactivated user."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from claims import alerts, flags, workflow
from claims.models import Alert, AlertPreference, Claim, ClaimState, Comment
from tests.api.receiver import receiver
from tests.factories import claim_in_state
from tests.fetching.localserver import make_policy
from workers import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice, fiona):
    alice.email = "alice@desk.example"
    fiona.email = "fiona@desk.example"
    alice.save()
    fiona.save()
    return alice, fiona


@pytest.fixture
def deliver_now(django_capture_on_commit_callbacks):
    """Run what the code queues after commit (alert deliveries), as a worker would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def _flag(kind="contradicted", message="Reuters says three weeks"):
    from analysis import types as t

    return t.ClaimFlag(kind=kind, message=message)


def test_assignment_is_emailed_to_the_assignee(people, deliver_now):
    alice, fiona = people
    claim = claim_in_state(ClaimState.CORROBORATING)

    deliver_now(workflow.assign, claim, assignee=fiona, by=alice)

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["fiona@desk.example"]
    assert sent.subject == f"Claim {claim.pk} was assigned to you"
    assert "alice assigned you" in sent.body and claim.text in sent.body
    assert f"/admin/claims/claim/{claim.pk}/change/" in sent.body
    alert = Alert.objects.get()
    assert (alert.event, alert.status, alert.channels) == ("assigned", "sent", ["email"])
    claim.refresh_from_db()
    assert claim.assigned_at and claim.first_assigned_at == claim.assigned_at


def test_taking_a_claim_yourself_or_reassigning_the_same_person_sends_nothing(people, deliver_now):
    alice, fiona = people
    claim = claim_in_state(ClaimState.CORROBORATING)

    deliver_now(workflow.assign, claim, assignee=alice, by=alice)
    deliver_now(workflow.assign, claim, assignee=fiona, by=alice)
    deliver_now(workflow.assign, claim, assignee=fiona, by=alice)

    assert [m.to for m in mail.outbox] == [["fiona@desk.example"]]


def test_a_ruling_reopened_by_new_evidence_tells_the_ruler(people, deliver_now):
    alice, fiona = people
    claim = claim_in_state(ClaimState.CORROBORATING)
    workflow.rule(claim, user=alice, verdict="verified", rationale="two agencies agree")

    deliver_now(
        workflow.reopen, claim, worker="corroborate_claims", reason="new evidence: army denies it"
    )

    (sent,) = mail.outbox
    assert sent.to == ["alice@desk.example"]
    assert "which you ruled verified, was reopened" in sent.subject
    assert "new evidence: army denies it" in sent.body


def test_reopening_your_own_ruling_sends_you_nothing(people, deliver_now):
    alice, _ = people
    claim = claim_in_state(ClaimState.VERIFIED, ruler=alice)

    deliver_now(workflow.reopen, claim, user=alice, reason="I had it wrong")

    assert mail.outbox == []


def test_reopening_a_dismissed_claim_is_no_reopened_ruling(people, deliver_now):
    alice, fiona = people
    claim = claim_in_state(ClaimState.VERIFIED, ruler=alice)
    workflow.reopen(claim, user=fiona, reason="new evidence")
    mail.outbox.clear()
    workflow.dismiss(claim, user=fiona, reason="not a claim after all")

    deliver_now(workflow.reopen, claim, user=fiona, reason="it is a claim")

    assert mail.outbox == []


def test_a_new_flag_on_a_followed_claim_alerts_its_followers(people, bob, deliver_now):
    alice, fiona = people
    bob.email = "bob@desk.example"
    bob.save()
    claim = claim_in_state(ClaimState.CORROBORATING)
    workflow.assign(claim, assignee=fiona, by=fiona)  # the assignee follows it
    alerts.follow(bob, claim)
    for user in (fiona, bob):
        AlertPreference.objects.create(user=user, on_flagged=True)
    # Alice follows too, but keeps the default (flag alerts off).
    alerts.follow(alice, claim)

    deliver_now(flags.raise_flags, [(claim, _flag(), None, "passage:1")])

    assert sorted(m.to[0] for m in mail.outbox) == ["bob@desk.example", "fiona@desk.example"]
    assert all("New flag on claim" in m.subject for m in mail.outbox)
    assert all("Reuters says three weeks" in m.body for m in mail.outbox)
    # The same flag raised again (a redelivered corroboration) alerts nobody again.
    deliver_now(flags.raise_flags, [(claim, _flag(), None, "passage:1")])
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_a_contradicting_source_that_reopens_a_ruling_alerts_ruler_and_followers(alice, fiona):
    """The real path: corroboration finds a contradiction, raises a flag, reopens."""
    from workers import ingest

    alice.email, fiona.email = "alice@desk.example", "fiona@desk.example"
    alice.save()
    fiona.save()
    article, _ = ingest.ingest_article(
        ingest.parse_article(
            b"Officials said the army withdrew all troops from the northern border town of "
            b"Kalmar on Monday.",
            published="2025-01-10T10:00:00+00:00",
            outlet="Daily Example",
        )
    )
    claim = Claim.objects.get(article=article)
    alerts.follow(fiona, claim)
    AlertPreference.objects.create(user=fiona, on_flagged=True)
    workflow.rule(claim, user=alice, verdict="verified", rationale="confirmed by two agencies")

    ingest.add_source(
        body="The army denied that it withdrew troops from Kalmar; reports of a withdrawal "
        "from the border town were simply wrong.",
        outlet="Army Press Office",
        published_at=ingest.parse_published("2025-01-12T10:00:00+00:00"),
    )

    by_person = {m.to[0]: m.subject for m in mail.outbox}
    assert "was reopened" in by_person["alice@desk.example"]
    assert "New flag on claim" in by_person["fiona@desk.example"]


def test_slack_format_is_posted_to_a_local_receiver(people, deliver_now):
    alice, fiona = people
    claim = claim_in_state(ClaimState.CORROBORATING)
    with receiver() as rx:
        AlertPreference.objects.create(
            user=fiona, by_email=False, slack_webhook_url=rx.url("/services/T0/B0/x")
        )
        deliver_now(workflow.assign, claim, assignee=fiona, by=alice)

    (got,) = rx.received
    assert got.path == "/services/T0/B0/x"
    assert got.headers["content-type"] == "application/json"
    text = json.loads(got.body)["text"]
    assert text.startswith(f"*Claim {claim.pk} was assigned to you*\n")
    assert claim.text in text
    assert mail.outbox == []
    alert = Alert.objects.get()
    assert alert.status == "sent" and alert.slack_sent_at and alert.email_sent_at is None


def test_a_slack_url_on_a_private_address_is_refused_like_every_untrusted_url(people):
    alice, fiona = people
    claim = claim_in_state(ClaimState.CORROBORATING)
    with receiver() as rx:
        AlertPreference.objects.create(
            user=fiona, by_email=False, slack_webhook_url=rx.url("/hook")
        )
        workflow.assign(claim, assignee=fiona, by=alice)
        alert = Alert.objects.get()

        outcome = notify.deliver(alert.pk, policy=make_policy(allow_private_addresses=False))

    assert rx.received == []
    assert outcome.status == "failed"
    alert.refresh_from_db()
    assert alert.status == "failed" and "refused" in alert.last_error
    assert "127.0.0.1" in alert.last_error


def test_a_failing_receiver_is_retried_and_email_is_not_sent_twice(people, monkeypatch):
    from workers.tasks import deliver_alert

    alice, fiona = people
    monkeypatch.setitem(deliver_alert.app.conf, "task_eager_propagates", False)
    claim = claim_in_state(ClaimState.CORROBORATING)
    with receiver() as rx:
        rx.post_statuses = [503, 500]
        AlertPreference.objects.create(user=fiona, slack_webhook_url=rx.url("/hook"))
        workflow.assign(claim, assignee=fiona, by=alice)
        alert = Alert.objects.get()

        deliver_alert.apply(args=[alert.pk])

    alert.refresh_from_db()
    assert alert.status == "sent" and alert.attempts == 3, alert.last_error
    assert len(rx.received) == 3
    assert len(mail.outbox) == 1  # the email went out on the first attempt, once


def test_an_event_recorded_twice_reaches_a_person_once(people, deliver_now):
    _, fiona = people
    claim = claim_in_state(ClaimState.CORROBORATING)

    first = deliver_now(
        alerts.record, "assigned", fiona, key="x:1", subject="s", body="b", claim=claim
    )
    second = deliver_now(
        alerts.record, "assigned", fiona, key="x:1", subject="s", body="b", claim=claim
    )
    notify.deliver(first)  # a redelivered task

    assert first and second is None
    assert Alert.objects.count() == 1 and len(mail.outbox) == 1


def test_nothing_is_sent_to_a_deactivated_user(people, deliver_now):
    alice, fiona = people
    claim = claim_in_state(ClaimState.CORROBORATING)
    workflow.assign(claim, assignee=fiona, by=alice)  # recorded; not delivered yet
    alert = Alert.objects.get()
    fiona.is_active = False
    fiona.save()

    outcome = notify.deliver(alert.pk)
    # Deactivated first: nothing is even recorded.
    later = deliver_now(alerts.record, "assigned", fiona, key="y", subject="s", body="b")

    assert outcome.status == "failed" and mail.outbox == []
    alert.refresh_from_db()
    assert alert.status == "skipped" and "deactivated" in alert.last_error
    assert later is None


def test_defaults_are_assignment_and_reopen_by_email_for_users_with_an_address(alice, fiona):
    pref = alerts.preferences(fiona)

    assert (pref.by_email, pref.on_assigned, pref.on_reopened) == (True, True, True)
    assert (pref.on_flagged, pref.on_stale, pref.daily_digest) == (False, False, False)
    assert pref.pk is None  # no row needed for the defaults
    claim = claim_in_state(ClaimState.CORROBORATING)
    workflow.assign(claim, assignee=fiona, by=alice)  # fiona has no email address
    assert not Alert.objects.exists()


def test_the_stale_reminder_runs_from_beat(people, deliver_now):
    from workers.tasks import send_stale_reminders

    alice, fiona = people
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("stale_reminders")
    )
    assert entry["task"] == "workers.tasks.send_stale_reminders"
    AlertPreference.objects.create(user=fiona, on_stale=True)
    quiet = claim_in_state(ClaimState.CORROBORATING)
    busy = claim_in_state(ClaimState.CORROBORATING)
    for claim in (quiet, busy):
        workflow.assign(claim, assignee=fiona, by=alice)
    mail.outbox.clear()
    long_ago = timezone.now() - timedelta(hours=settings.FACTCHECK_STALE_HOURS + 1)
    Claim.objects.filter(pk__in=[quiet.pk, busy.pk]).update(assigned_at=long_ago)
    Comment.objects.create(claim=busy, author=fiona, body="still on it")
    # Its transitions are old too: only the comment counts as recent activity on `busy`.
    quiet.transitions.update(created_at=long_ago)
    busy.transitions.update(created_at=long_ago)

    deliver_now(send_stale_reminders.apply)
    deliver_now(send_stale_reminders.apply)  # beat again an hour later: no second reminder

    (sent,) = mail.outbox
    assert sent.to == ["fiona@desk.example"]
    assert f"Still checking claim {quiet.pk}?" in sent.subject
    assert "Are you still investigating?" in sent.body


def test_new_silence_after_activity_reminds_again(people, deliver_now):
    alice, fiona = people
    AlertPreference.objects.create(user=fiona, on_stale=True)
    claim = claim_in_state(ClaimState.CORROBORATING)
    workflow.assign(claim, assignee=fiona, by=alice)
    mail.outbox.clear()
    hours = settings.FACTCHECK_STALE_HOURS
    now = timezone.now()
    Claim.objects.filter(pk=claim.pk).update(assigned_at=now - timedelta(hours=3 * hours))
    claim.transitions.update(created_at=now - timedelta(hours=3 * hours))
    deliver_now(notify.stale_reminders, now=now)
    comment = Comment.objects.create(claim=claim, author=fiona, body="asked the ministry")
    Comment.objects.filter(pk=comment.pk).update(created_at=now - timedelta(hours=hours + 1))

    deliver_now(notify.stale_reminders, now=now)

    assert len(mail.outbox) == 2


def test_the_daily_digest_lists_your_queue_once_a_day(people, deliver_now):
    from workers.tasks import send_daily_digests

    alice, fiona = people
    AlertPreference.objects.create(user=fiona, daily_digest=True)
    claim = claim_in_state(ClaimState.CORROBORATING)
    workflow.assign(claim, assignee=fiona, by=fiona)
    assert any(
        e["task"] == "workers.tasks.send_daily_digests"
        for e in settings.CELERY_BEAT_SCHEDULE.values()
    )

    deliver_now(send_daily_digests.apply)
    deliver_now(send_daily_digests.apply)

    (sent,) = mail.outbox
    assert sent.to == ["fiona@desk.example"]
    assert "1 open claim(s) assigned to you" in sent.subject
    assert claim.text[:60] in sent.body and "My queue:" in sent.body


def test_the_api_shows_and_changes_your_own_preferences(alice, bob):
    from tests.api.conftest import client_for

    api = client_for(bob)
    alice_api = client_for(alice)

    before = api.get("/api/me/alerts/").json()
    changed = api.patch(
        "/api/me/alerts/",
        {"on_flagged": True, "slack_webhook_url": "https://hooks.slack.example/T/B/x"},
        format="json",
    )
    bad_url = api.patch("/api/me/alerts/", {"slack_webhook_url": "ftp://x"}, format="json")
    unknown = api.patch("/api/me/alerts/", {"user": alice.pk}, format="json")

    assert before["on_assigned"] is True and before["on_flagged"] is False
    assert changed.status_code == 200, changed.json()
    assert changed.json()["on_flagged"] is True
    assert AlertPreference.objects.get(user=bob).slack_webhook_url.startswith("https://hooks")
    assert bad_url.status_code == 400 and "slack_webhook_url" in bad_url.json()["fields"]
    assert unknown.status_code == 400
    assert alice_api.get("/api/me/alerts/").json()["on_flagged"] is False
    assert client_for().get("/api/me/alerts/").status_code == 401


def test_the_api_follows_and_unfollows_a_claim(bob):
    from tests.api.conftest import client_for

    claim = claim_in_state(ClaimState.CORROBORATING)
    api = client_for(bob)

    on = api.post(f"/api/claims/{claim.pk}/follow/")
    again = api.post(f"/api/claims/{claim.pk}/follow/")
    off = api.post(f"/api/claims/{claim.pk}/unfollow/")

    assert on.json() == {"claim": claim.pk, "following": True}
    assert again.status_code == 200
    assert off.json() == {"claim": claim.pk, "following": False}
    assert not claim.followers.exists()


def test_each_user_edits_only_their_own_preferences_in_the_admin(alice, bob, client):
    client.force_login(bob)

    mine = client.get("/admin/claims/alertpreference/mine/")
    pref = AlertPreference.objects.get(user=bob)
    form = client.get(mine.url)
    saved = client.post(
        mine.url,
        {
            "by_email": "on",
            "slack_webhook_url": "",
            "on_assigned": "on",
            "on_reopened": "on",
            "on_flagged": "on",
        },
    )
    alices = AlertPreference.objects.create(user=alice)
    other = client.get(f"/admin/claims/alertpreference/{alices.pk}/change/")

    assert mine.status_code == 302 and mine.url.endswith(f"/{pref.pk}/change/")
    assert form.status_code == 200 and 'name="on_flagged"' in form.content.decode()
    assert saved.status_code == 302
    pref.refresh_from_db()
    assert pref.on_flagged is True and pref.on_stale is False
    assert other.status_code in (302, 403, 404)
    listing = client.get("/admin/claims/alertpreference/").content.decode()
    assert "alice" not in listing


def test_the_sweeper_requeues_an_alert_whose_delivery_was_never_picked_up(people):
    from workers import sweep

    alice, fiona = people
    claim = claim_in_state(ClaimState.CORROBORATING)
    workflow.assign(claim, assignee=fiona, by=alice)  # recorded; its enqueue "lost"
    alert = Alert.objects.get()
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert sweep.sweep_stuck()["alerts_requeued"] == [alert.pk]
