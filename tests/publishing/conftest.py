"""Publishing fixtures: Erin the editor, sign-off switched on, the five-point scale, and
published fact-checks written the way other newsrooms publish them."""

from __future__ import annotations

import pytest

from analysis import matching as text_matching
from claims import ratings
from claims.models import ClaimState
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory
from workers import corpus

ARTICLE = (
    "Officials spoke on Monday. "
    "Over 50% of Russia's ammunition and artillery shells now come from North Korea, "
    "reports suggest. The weather was mild."
)
CLAIM = (
    "Over 50% of Russia's ammunition and artillery shells now come from North Korea, "
    "reports suggest."
)


@pytest.fixture
def erin(db, django_user_model):
    """Erin is an editor: everything a fact-checker may, plus the scale and users."""
    from django.contrib.auth.models import Group

    from claims.roles import EDITORS, ensure_roles

    ensure_roles()
    user = django_user_model.objects.create_user(username="erin", password="pw-erin", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def as_alice(alice):
    return client_for(alice)


@pytest.fixture
def as_bob(bob):
    return client_for(bob)


@pytest.fixture
def as_charlie(charlie):
    return client_for(charlie)


@pytest.fixture
def as_erin(erin):
    return client_for(erin)


@pytest.fixture
def as_fiona(fiona):
    return client_for(fiona)


@pytest.fixture
def signoff(settings):
    """A newsroom that wants a second pair of eyes on every ruling."""
    settings.FACTCHECK_SIGNOFF_REQUIRED = True
    return settings


@pytest.fixture
def five_point(db):
    return {r.slug: r for r in ratings.install_scale(ratings.FIVE_POINT_SCALE, retire_others=True)}


def claim_review(url: str, text: str, rating: str = "False", **extra) -> dict:
    """A ClaimReview as fact-checkers publish it (author, date, rating, the claim's author)."""
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": text,
        "datePublished": "2024-05-01",
        "author": {
            "@type": "Organization",
            "name": "PolitiFact",
            "url": "https://politifact.example/",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": "1",
            "bestRating": "5",
            "worstRating": "1",
            "alternateName": rating,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A politician"},
            "appearance": [{"@type": "CreativeWork", "url": "https://news.example/where"}],
        },
    }
    review.update(extra)
    return review


def article_claim(state=ClaimState.CORROBORATING):
    """A claim of an article that is in the corpus index (so reverse matching finds it)."""
    article = ArticleFactory(body=ARTICLE)
    start = ARTICLE.index(CLAIM)
    claim = ClaimFactory(
        article=article,
        start=start,
        end=start + len(CLAIM),
        text=CLAIM,
        normalized=text_matching.normalize_claim(CLAIM),
    )
    from workers import ingest

    source, _ = ingest.store_source(body=article.body, kind="article", outlet=article.outlet)
    type(article).objects.filter(pk=article.pk).update(source=source)
    corpus.index_source(source)
    if state != ClaimState.EXTRACTED:
        from claims import workflow

        workflow.start_corroboration(claim, worker="test")
    claim.refresh_from_db()
    return claim
