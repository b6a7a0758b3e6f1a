"""Two fact-checkers rule one claim at the same moment, one through the API and one
through the admin: exactly one ruling is saved, the other gets a conflict."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from rest_framework.test import APIClient

from claims import tokens
from claims.models import Claim, ClaimState, Transition
from tests.factories import claim_in_state

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("round_", range(3))
def test_api_and_admin_ruling_at_once_exactly_one_wins(alice, fiona, round_):
    assert connection.vendor == "postgresql"
    claim = claim_in_state(ClaimState.CORROBORATING)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(alice)[1]}")
    browser = Client()
    browser.force_login(fiona)
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def via_api():
        try:
            barrier.wait(timeout=10)
            r = api.post(
                f"/api/claims/{claim.pk}/rule/",
                {"verdict": "verified", "rationale": "two independent agencies confirm it"},
                format="json",
            )
            results["api"] = r.status_code
        finally:
            close_old_connections()
            connection.close()

    def via_admin():
        try:
            barrier.wait(timeout=10)
            r = browser.post(
                f"/admin/claims/claim/{claim.pk}/rule/",
                {
                    "verdict": "disputed",
                    "rationale": "the army denied it",
                    "loaded_state": "corroborating",
                },
            )
            results["admin"] = r.status_code
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=via_api), threading.Thread(target=via_admin)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    won = {name for name, code in results.items() if code in (200, 302)}
    lost = {name for name, code in results.items() if code == 409}
    assert len(won) == 1 and len(lost) == 1, results
    claim = Claim.objects.get(pk=claim.pk)
    assert (
        Transition.objects.filter(claim=claim, to_state__in=["verified", "disputed"]).count() == 1
    )
    winner = won.pop()
    assert claim.ruled_by == (alice if winner == "api" else fiona)
    assert claim.state == ("verified" if winner == "api" else "disputed")
