"""API fixtures: token clients for the personas, and a claim in every state worth testing."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims import tokens
from claims.models import ClaimState, Evidence, Flag
from tests.factories import SourceFactory, claim_in_state


def client_for(user=None) -> APIClient:
    """An API client with a new token of the user's (anonymous for None)."""
    client = APIClient()
    if user is not None:
        _, key = tokens.issue(user, name="test client")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


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
def as_anon(db):
    return client_for()


@pytest.fixture
def personas(alice, bob, charlie):
    return {
        "alice": client_for(alice),
        "bob": client_for(bob),
        "charlie": client_for(charlie),
        "anon": client_for(),
    }


def with_evidence(claim, n_flags: int = 2):
    """Give a claim a source passage as evidence and a couple of flags (list pages load these)."""
    from workers import corpus

    source = SourceFactory()
    corpus.index_source(source)
    passage = source.passages.first()
    ev = Evidence.objects.create(
        claim=claim,
        source=source,
        passage=passage,
        stance="supports",
        reason="same number",
        strength=0.7,
    )
    for i, kind in enumerate(["unconfirmed", "anonymous_source"][:n_flags]):
        Flag.objects.create(claim=claim, kind=kind, message=f"flag {i}", key=f"k{i}", evidence=ev)
    return claim


@pytest.fixture
def corroborating(alice):
    return with_evidence(claim_in_state(ClaimState.CORROBORATING))


@pytest.fixture
def verified(alice):
    return with_evidence(claim_in_state(ClaimState.VERIFIED, ruler=alice))
