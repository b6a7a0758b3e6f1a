"""Publishing fixtures: Erin the editor, sign-off switched on, the five-point scale, and
published fact-checks written the way other newsrooms publish them."""

from __future__ import annotations

import pytest

from claims import ratings
from tests.api.conftest import client_for


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
