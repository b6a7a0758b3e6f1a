"""Sentences below the check-worthiness threshold: stored with their score, shown greyed in
the admin's article view, and promoted to a claim by a fact-checker in one click (or one
API call)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Article, Claim, ClaimState
from tests.api.conftest import client_for
from workers import ingest

pytestmark = pytest.mark.django_db

BODY = (
    "The city council approved a budget of 40 million euros on Monday, officials said.\n\n"
    "I think we all need to be more patient with each other.\n\n"
    "The mayor thanked the volunteers who helped clean the riverbank."
)
BELOW = "I think we all need to be more patient with each other."


@pytest.fixture
def article(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article, _ = ingest.ingest_article(
            ingest.read_submission(text=BODY, published="2025-03-03T10:00:00+00:00")
        )
    article.refresh_from_db()
    assert article.status == Article.Status.PROCESSED
    return article


def _below(article):
    claimed = {(c.start, c.end) for c in Claim.objects.filter(article=article)}
    return [s for s in article.sentences if (s[0], s[1]) not in claimed]


def test_every_sentence_is_stored_with_its_score(article):
    texts = [article.body[s:e] for s, e, _ in article.sentences]
    assert BELOW in texts
    assert all(0.0 <= score <= 1.0 for _, _, score in article.sentences)
    [(start, end, score)] = [s for s in _below(article) if article.body[s[0] : s[1]] == BELOW]
    assert score < 0.5


def test_the_admin_shows_sentences_below_the_threshold_greyed(client, alice, bob, article):
    client.force_login(alice)
    page = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert 'class="fc-mark fc-below"' in page
    assert "Promote to claim" in page
    client.force_login(bob)  # a reviewer sees the score but cannot promote
    page = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert 'class="fc-mark fc-below"' in page and "Promote to claim" not in page


def test_a_fact_checker_promotes_a_sentence_in_one_click(
    client, alice, article, django_capture_on_commit_callbacks
):
    start, end, score = next(s for s in _below(article) if article.body[s[0] : s[1]] == BELOW)
    client.force_login(alice)
    url = reverse("admin:claims_article_promote", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"start": start, "end": end})
    claim = Claim.objects.get(article=article, start=start, end=end)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    assert claim.promoted_by == alice and claim.text == BELOW
    assert claim.checkworthiness == pytest.approx(score, abs=1e-3)
    # queued and corroborated like any claim (eager here)
    assert claim.state == ClaimState.CORROBORATING and claim.corroborated_at is not None
    # promoting again is the same claim
    client.post(url, {"start": start, "end": end})
    assert Claim.objects.filter(article=article, start=start, end=end).count() == 1


def test_the_api_promotes_and_refuses_what_it_must(alice, bob, article):
    start, end, _ = next(s for s in _below(article) if article.body[s[0] : s[1]] == BELOW)
    url = f"/api/articles/{article.pk}/promote/"
    assert client_for(bob).post(url, {"start": start, "end": end}, format="json").status_code == 403
    bad = client_for(alice).post(url, {"start": 0, "end": 3}, format="json")
    assert bad.status_code == 400 and "not a sentence" in bad.json()["message"]
    ok = client_for(alice).post(url, {"start": start, "end": end}, format="json")
    assert ok.status_code == 201 and ok.json()["text"] == BELOW
    detail = client_for(alice).get(f"/api/articles/{article.pk}/").json()
    row = next(s for s in detail["sentences"] if s["start"] == start)
    assert row["claim"] is True


def test_a_reprocessed_article_keeps_a_promoted_claim(
    alice, article, django_capture_on_commit_callbacks
):
    start, end, _ = next(s for s in _below(article) if article.body[s[0] : s[1]] == BELOW)
    claim = ingest.promote_sentence(article, start, end, user=alice)
    with django_capture_on_commit_callbacks(execute=True):
        ingest.process_article(article.pk, force=True)
    claim.refresh_from_db()
    assert claim.promoted_by == alice
