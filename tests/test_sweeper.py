"""The scheduled sweeper finds work stuck in an intermediate state and queues it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Article
from factcheck import queue
from tests.factories import ArticleFactory, ClaimFactory
from workers import sweep

pytestmark = pytest.mark.django_db


def _age(article, seconds):
    Article.objects.filter(pk=article.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_sweeper_requeues_articles_stuck_past_the_deadline(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(queue, "send", lambda name, *args: queued.append((name, args)))
    stuck_received = ArticleFactory(status=Article.Status.RECEIVED)
    stuck_processing = ArticleFactory(status=Article.Status.PROCESSING, attempts=1)
    fresh = ArticleFactory(status=Article.Status.RECEIVED)
    done = ArticleFactory(status=Article.Status.PROCESSED)
    for a in (stuck_received, stuck_processing, done):
        _age(a, 3600)
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep.sweep_stuck(older_than_seconds=600)
    assert sorted(result["articles_requeued"]) == sorted([stuck_received.pk, stuck_processing.pk])
    assert (
        fresh.pk not in result["articles_requeued"] and done.pk not in result["articles_requeued"]
    )
    assert ("workers.tasks.process_article", (stuck_received.pk,)) in queued


def test_sweeper_fails_an_article_that_used_up_its_attempts(settings, monkeypatch):
    monkeypatch.setattr(queue, "send", lambda *a: None)
    settings.FACTCHECK_TASK_MAX_ATTEMPTS = 3
    poison = ArticleFactory(status=Article.Status.PROCESSING, attempts=3)
    _age(poison, 3600)
    result = sweep.sweep_stuck(older_than_seconds=600)
    poison.refresh_from_db()
    assert result["articles_failed"] == [poison.pk]
    assert poison.status == Article.Status.FAILED and "3 attempts" in poison.last_error


def test_sweeper_requeues_claims_never_corroborated(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(queue, "send", lambda name, *args: queued.append((name, args)))
    claim = ClaimFactory()
    type(claim).objects.filter(pk=claim.pk).update(created_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep.sweep_stuck(older_than_seconds=600)
    assert result["claims_requeued"] == [claim.pk]
    assert ("workers.tasks.corroborate_claims", ([claim.pk],)) in queued
