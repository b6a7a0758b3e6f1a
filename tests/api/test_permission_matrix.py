"""The permission matrix: every endpoint and action for the four personas.

alice is a fact-checker, bob a reviewer, charlie an account without a role, anon has no
credentials. Anonymous requests get 401; an account without the permission gets 403 and
no data; allowed requests succeed (2xx).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from claims.models import ClaimState, Comment, Feed, Webhook
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db

OK = "ok"  # any 2xx
RULE = {"verdict": "verified", "rationale": "two independent sources agree"}
CLAIMREVIEW = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example/one",
    "claimReviewed": "The minister built 4,000 homes in 2024.",
    "author": {"@type": "Organization", "name": "A fact-checker"},
    "reviewRating": {"@type": "Rating", "alternateName": "False"},
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One of everything, built once for the whole matrix.

    The rows are committed before the first cell runs; each cell runs inside the test's
    own transaction (the `db` fixture), which is rolled back, so a cell that rules,
    deletes or reopens leaves the world as it found it. Removed again at the end.
    """
    from django.contrib.auth import get_user_model

    from claims.models import Article, Source
    from claims.roles import FACT_CHECKERS, REVIEWERS, ensure_roles
    from tests.api.conftest import with_evidence

    User = get_user_model()
    with django_db_blocker.unblock():
        ensure_roles()
        users = {
            "alice": User.objects.create_user("alice", password="pw-alice", is_staff=True),
            "bob": User.objects.create_user("bob", password="pw-bob", is_staff=True),
            "charlie": User.objects.create_user("charlie", password="pw-charlie"),
        }
        users["alice"].groups.add(Group.objects.get(name=FACT_CHECKERS))
        users["bob"].groups.add(Group.objects.get(name=REVIEWERS))
        alice, bob = users["alice"], users["bob"]
        corroborating = with_evidence(claim_in_state(ClaimState.CORROBORATING))
        verified = with_evidence(claim_in_state(ClaimState.VERIFIED, ruler=alice))
        extracted = claim_in_state(ClaimState.EXTRACTED)
        comment_by_bob = Comment.objects.create(claim=corroborating, author=bob, body="bob's note")
        comment_by_alice = Comment.objects.create(
            claim=corroborating, author=alice, body="alice's note"
        )
        feed = Feed.objects.create(url="https://example.org/feed.xml", title="Example")
        hook = Webhook.objects.create(
            url="https://example.org/hook", events=["claim.ruled"], owner=alice
        )
        ids = {
            "c": corroborating.pk,
            "v": verified.pk,
            "x": extracted.pk,
            "a": corroborating.article_id,
            "cb": comment_by_bob.pk,
            "ca": comment_by_alice.pk,
            "f": feed.pk,
            "h": hook.pk,
            "s": corroborating.evidence.first().source_id,
        }
        yield {"ids": ids, "users": users}
        Article.objects.all().delete()
        Source.objects.all().delete()
        Feed.objects.all().delete()
        User.objects.filter(pk__in=[u.pk for u in users.values()]).delete()


@pytest.fixture
def personas(db, world):
    from tests.api.conftest import client_for

    users = world["users"]
    return {
        "alice": client_for(users["alice"]),
        "bob": client_for(users["bob"]),
        "charlie": client_for(users["charlie"]),
        "anon": client_for(None),
    }


# (method, path, body, {persona: expected}); paths use {c} corroborating, {v} verified,
# {x} extracted claim, {a} article, {cb}/{ca} comments by bob/alice, {f} feed, {h} alice's
# webhook, {s} a source. Unlisted personas: anon 401, charlie 403.
MATRIX = [
    ("get", "/api/articles/", None, {"alice": OK, "bob": OK}),
    ("get", "/api/articles/{a}/", None, {"alice": OK, "bob": OK}),
    (
        "post",
        "/api/articles/",
        {"body": "The minister said 4,000 homes were built in 2024."},
        {"alice": OK, "bob": 403},
    ),
    # Alice may promote; the span here is no sentence of the article, so she gets a 400.
    ("post", "/api/articles/{a}/promote/", {"start": 0, "end": 1}, {"alice": 400, "bob": 403}),
    ("get", "/api/claims/", None, {"alice": OK, "bob": OK}),
    ("get", "/api/claims/{c}/", None, {"alice": OK, "bob": OK}),
    ("post", "/api/claims/{c}/assign/", {"assignee": "alice"}, {"alice": OK, "bob": 403}),
    ("post", "/api/claims/{c}/rule/", RULE, {"alice": OK, "bob": 403}),
    ("post", "/api/claims/{v}/reopen/", {"reason": "a new source"}, {"alice": OK, "bob": 403}),
    ("post", "/api/claims/{x}/dismiss/", {}, {"alice": OK, "bob": 403}),
    ("get", "/api/claims/{v}/claimreview/", None, {"alice": OK, "bob": OK}),
    ("get", "/api/claims/{v}/claimreview/snippet/", None, {"alice": OK, "bob": OK}),
    ("get", "/api/claimreviews/", None, {"alice": OK, "bob": OK}),
    # Publishing: signoff/ and return/ need a proposal ({c} has none: 409 for alice; the
    # proposer-and-colleague matrix is tests/publishing/test_signoff.py).
    ("post", "/api/claims/{c}/signoff/", {}, {"alice": 409, "bob": 403}),
    ("post", "/api/claims/{c}/return/", {"note": "why"}, {"alice": 409, "bob": 403}),
    ("get", "/api/claims/{v}/rulings/", None, {"alice": OK, "bob": OK}),
    ("get", "/api/factchecks/", None, {"alice": OK, "bob": OK}),
    ("post", "/api/factchecks/", CLAIMREVIEW, {"alice": OK, "bob": 403}),
    ("get", "/api/factcheck-feeds/", None, {"alice": OK, "bob": OK}),
    (
        "post",
        "/api/factcheck-feeds/",
        {"url": "https://example.com/factchecks.json"},
        {"alice": OK, "bob": 403},
    ),
    ("get", "/api/claims/{c}/comments/", None, {"alice": OK, "bob": OK}),
    ("post", "/api/claims/{c}/comments/", {"body": "Looks right"}, {"alice": OK, "bob": OK}),
    ("get", "/api/claims/{c}/comments/{cb}/", None, {"alice": OK, "bob": OK}),
    ("patch", "/api/claims/{c}/comments/{cb}/", {"body": "edited"}, {"alice": 403, "bob": OK}),
    ("delete", "/api/claims/{c}/comments/{cb}/", None, {"alice": 403, "bob": OK}),
    ("delete", "/api/claims/{c}/comments/{ca}/", None, {"alice": OK, "bob": 403}),
    ("get", "/api/claims/{c}/suggestions/", None, {"alice": OK, "bob": OK}),
    (
        "post",
        "/api/claims/{c}/suggestions/",
        {"verdict": "disputed", "note": "numbers differ"},
        {"alice": OK, "bob": OK},
    ),
    ("get", "/api/sources/", None, {"alice": OK, "bob": OK}),
    ("get", "/api/sources/{s}/", None, {"alice": OK, "bob": OK}),
    (
        "post",
        "/api/sources/",
        {"body": "Officials confirmed 1,000 troops arrived.", "title": "Wire"},
        {"alice": OK, "bob": 403},
    ),
    ("get", "/api/source-requests/", None, {"alice": OK, "bob": OK}),
    ("get", "/api/feeds/", None, {"alice": OK, "bob": OK}),
    ("get", "/api/feeds/{f}/", None, {"alice": OK, "bob": OK}),
    ("post", "/api/feeds/", {"url": "https://example.com/rss"}, {"alice": OK, "bob": 403}),
    ("patch", "/api/feeds/{f}/", {"title": "Renamed"}, {"alice": OK, "bob": 403}),
    ("post", "/api/feeds/{f}/pause/", None, {"alice": OK, "bob": 403}),
    ("post", "/api/feeds/{f}/resume/", None, {"alice": OK, "bob": 403}),
    ("delete", "/api/feeds/{f}/", None, {"alice": OK, "bob": 403}),
    ("get", "/api/webhooks/", None, {"alice": OK, "bob": 403}),
    ("get", "/api/webhooks/{h}/", None, {"alice": OK, "bob": 403}),
    ("get", "/api/webhooks/{h}/deliveries/", None, {"alice": OK, "bob": 403}),
    (
        "post",
        "/api/webhooks/",
        {"url": "https://example.com/in", "events": ["claim.flagged"]},
        {"alice": OK, "bob": 403},
    ),
    ("patch", "/api/webhooks/{h}/", {"active": False}, {"alice": OK, "bob": 403}),
    ("delete", "/api/webhooks/{h}/", None, {"alice": OK, "bob": 403}),
    ("get", "/api/auth/token/", None, {"alice": OK, "bob": OK, "charlie": OK}),
    ("delete", "/api/auth/token/", None, {"alice": OK, "bob": OK, "charlie": OK}),
    ("get", "/api/auth/tokens/", None, {"alice": OK, "bob": OK, "charlie": OK}),
    ("delete", "/api/auth/tokens/", None, {"alice": OK, "bob": OK, "charlie": OK}),
]


def _cases():
    for method, path, body, expected in MATRIX:
        for persona in ("alice", "bob", "charlie", "anon"):
            want = expected.get(persona, 401 if persona == "anon" else 403)
            yield pytest.param(method, path, body, persona, want, id=f"{persona}-{method}-{path}")


@pytest.mark.parametrize("method,path,body,persona,want", list(_cases()))
def test_permission_matrix(
    personas, world, method, path, body, persona, want, django_capture_on_commit_callbacks
):
    client = personas[persona]
    url = path.format(**world["ids"])
    with django_capture_on_commit_callbacks(execute=True):
        response = (
            getattr(client, method)(url, body, format="json")
            if body is not None
            else getattr(client, method)(url)
        )
    if want == OK:
        assert 200 <= response.status_code < 300, (response.status_code, response.content[:300])
    else:
        assert response.status_code == want, (response.status_code, response.content[:300])
        data = response.json()
        assert set(data) == {"code", "message", "fields"}
        # A refused request learns nothing about the data behind it.
        assert "results" not in data and "text" not in data
