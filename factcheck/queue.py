"""The one enqueue helper: how the domain and the worker services start background work.

Callers name a task by its constant here and never import `workers.tasks` (which would
make the layers import each other). `later` enqueues once the current transaction
commits, so a worker never looks for a row that is not there yet (NetBox's
`Job.enqueue`); `send` enqueues now. A broker outage is logged, not raised: the row that
names the work is already committed, and the beat sweeper (`workers.sweep`) re-queues
what was never picked up, so an outage delays work but never loses it.

The tasks register themselves when `workers.apps.WorkersConfig.ready()` imports
`workers.tasks`. A name that is not registered is a programming error and raises
NotRegistered, never a silent send to nowhere (in eager mode an unknown task would go to
the memory broker and never run); `tests/test_architecture.py` checks every constant.
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import KombuError

from factcheck.celery import app

log = logging.getLogger(__name__)

PROCESS_ARTICLE = "workers.tasks.process_article"
CORROBORATE_CLAIMS = "workers.tasks.corroborate_claims"
MATCH_SOURCE = "workers.tasks.match_source"
FETCH_SOURCE_REQUEST = "workers.tasks.fetch_source_request"
DELIVER_WEBHOOK = "workers.tasks.deliver_webhook"
POLL_FEED = "workers.tasks.poll_feed"
POLL_DUE_FEEDS = "workers.tasks.poll_due_feeds"
SWEEP_STUCK = "workers.tasks.sweep_stuck"
FETCH_FEED_ITEM = "workers.tasks.fetch_feed_item"
DELIVER_ALERT = "workers.tasks.deliver_alert"
SEND_STALE_REMINDERS = "workers.tasks.send_stale_reminders"
SEND_DAILY_DIGESTS = "workers.tasks.send_daily_digests"
MATCH_FACTCHECKS = "workers.tasks.match_factchecks"
POLL_FACTCHECK_FEED = "workers.tasks.poll_factcheck_feed"
POLL_DUE_FACTCHECK_FEEDS = "workers.tasks.poll_due_factcheck_feeds"
NOOP = "workers.tasks.noop"

TASK_NAMES = (
    PROCESS_ARTICLE,
    CORROBORATE_CLAIMS,
    MATCH_SOURCE,
    FETCH_SOURCE_REQUEST,
    DELIVER_WEBHOOK,
    POLL_FEED,
    POLL_DUE_FEEDS,
    SWEEP_STUCK,
    FETCH_FEED_ITEM,
    DELIVER_ALERT,
    SEND_STALE_REMINDERS,
    SEND_DAILY_DIGESTS,
    MATCH_FACTCHECKS,
    POLL_FACTCHECK_FEED,
    POLL_DUE_FACTCHECK_FEEDS,
    NOOP,
)


def send(name: str, *args: object) -> bool:
    """Enqueue task `name` now; False (logged) when the broker did not take it."""
    task = app.tasks[name]
    try:
        task.delay(*args)
    except (KombuError, OSError) as exc:
        log.warning("could not enqueue %s%s (%s); the sweeper will retry", name, args, exc)
        return False
    return True


def later(name: str, *args: object) -> None:
    """Enqueue task `name` once the current transaction commits (now, outside one)."""
    app.tasks[name]  # fail here, in the caller's transaction, if the name is wrong
    transaction.on_commit(lambda: send(name, *args))
