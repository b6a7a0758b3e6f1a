"""The stored queue priority (Claim.priority) and the capped counts of the work queues.

Claim.priority is the worst open flag's severity; the code that raises and resolves flags
keeps it (claims.flags.refresh_priority). These tests raise and resolve flags through
that code (claims.flags, corroboration, the admin's resolve view) and check the number
and the queue.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from analysis import types as t
from claims import flags, queues, workflow
from claims.admin.claims import ClaimAdmin
from claims.models import FLAG_SEVERITY, Article, Claim, ClaimState, Flag, FlagKind
from tests.admin.helpers import add_flag
from tests.admin.test_admin_queues import CHANGELIST, _count_queries, listed
from tests.factories import ArticleFactory, claim_in_state
from workers import corroborate, ingest

pytestmark = pytest.mark.django_db


def priority(claim) -> int:
    return Claim.objects.values_list("priority", flat=True).get(pk=claim.pk)


def raise_flag(claim, kind, key="test"):
    return flags.raise_flags(
        [(claim, t.ClaimFlag(kind=kind, message=f"{kind} in a test"), None, key)]
    )


def resolve_in_admin(client, flag, note="checked"):
    return client.post(reverse("admin:claims_flag_resolve", args=[flag.pk]), {"note": note})


def test_priority_follows_flags_raised_by_the_workers_and_resolved_in_the_admin(client, alice):
    claim = claim_in_state(ClaimState.CORROBORATING)
    assert priority(claim) == 0
    raise_flag(claim, FlagKind.ANONYMOUS_SOURCE)
    assert priority(claim) == FLAG_SEVERITY[FlagKind.ANONYMOUS_SOURCE] == 2
    raise_flag(claim, FlagKind.CONTRADICTED)
    assert priority(claim) == 5
    raise_flag(claim, FlagKind.UNCONFIRMED)  # not worse than the worst: stays 5
    assert priority(claim) == 5
    assert raise_flag(claim, FlagKind.CONTRADICTED) == []  # raised again: no change
    assert priority(claim) == 5

    client.force_login(alice)
    resolve_in_admin(client, Flag.objects.get(claim=claim, kind=FlagKind.CONTRADICTED))
    assert priority(claim) == 3  # now the unconfirmed flag is the worst open one
    resolve_in_admin(client, Flag.objects.get(claim=claim, kind=FlagKind.UNCONFIRMED))
    resolve_in_admin(client, Flag.objects.get(claim=claim, kind=FlagKind.ANONYMOUS_SOURCE))
    assert priority(claim) == 0
    # A flag resolved twice changes nothing (the first resolution stands).
    resolve_in_admin(client, Flag.objects.get(claim=claim, kind=FlagKind.CONTRADICTED), "again")
    assert priority(claim) == 0


def test_a_flag_resolved_in_the_admin_moves_its_claim_down_the_queue(client, alice):
    contradicted = claim_in_state(ClaimState.CORROBORATING, checkworthiness=0.2)
    flag = add_flag(contradicted, FlagKind.CONTRADICTED)
    worthy = claim_in_state(ClaimState.CORROBORATING, checkworthiness=0.9)
    client.force_login(alice)
    assert listed(client.get(CHANGELIST + "?queue=all")) == [contradicted.pk, worthy.pk]
    assert listed(client.get(CHANGELIST + "?queue=flagged")) == [contradicted.pk]
    resolve_in_admin(client, flag)
    assert listed(client.get(CHANGELIST + "?queue=all")) == [worthy.pk, contradicted.pk]
    assert listed(client.get(CHANGELIST + "?queue=flagged")) == []


def test_save_claims_sets_the_priority_of_the_claims_it_flags():
    body = "Officials said 1,000 troops arrived. Unnamed sources said 2,000 more were coming."
    article = ArticleFactory(body=body)
    second = body.index("Unnamed")

    def candidate(start, end, flags):
        return t.ClaimCandidate(
            text=body[start:end],
            start=start,
            end=end,
            normalized=body[start:end].lower(),
            checkworthiness=0.5,
            claim_type=t.EVENT,
            flags=flags,
        )

    ids = ingest.save_claims(
        article,
        [
            candidate(0, second - 1, []),
            candidate(
                second,
                len(body),
                [
                    t.ClaimFlag(FlagKind.ANONYMOUS_SOURCE, "unnamed sources", second, len(body)),
                    t.ClaimFlag(FlagKind.UNCONFIRMED, "not confirmed", second, len(body)),
                ],
            ),
        ],
    )
    got = dict(Claim.objects.filter(pk__in=ids).values_list("start", "priority"))
    assert got == {0: 0, second: 3}


def test_corroboration_resolving_no_evidence_lowers_the_priority(monkeypatch):
    claim = claim_in_state(ClaimState.EXTRACTED)
    raise_flag(claim, FlagKind.NO_EVIDENCE, key="recommendation")
    raise_flag(claim, FlagKind.SINGLE_ORIGIN, key="recommendation")
    assert priority(claim) == 2
    found = t.Recommendation(verdict=t.REC_VERIFIED, confidence=0.9, reason="two sources")
    monkeypatch.setattr(corroborate, "recommend", lambda candidate, judged: found)
    corroborate.corroborate_claim(claim.pk)
    assert priority(claim) == 0
    assert not Flag.objects.filter(claim=claim, resolved_at__isnull=True).exists()


def test_the_migration_backfills_the_priority():
    migration = importlib.import_module("claims.migrations.0006_perf_claim_priority")
    flagged = claim_in_state(ClaimState.CORROBORATING)
    add_flag(flagged, FlagKind.NUMERIC_DISCREPANCY)
    add_flag(flagged, FlagKind.VAGUE_ATTRIBUTION)
    resolved = claim_in_state(ClaimState.CORROBORATING)
    Flag.objects.filter(pk=add_flag(resolved, FlagKind.CONTRADICTED).pk).update(
        resolved_at=flagged.created_at
    )
    plain = claim_in_state(ClaimState.CORROBORATING)
    Claim.objects.update(priority=0)
    migration.backfill(django_apps, None)
    assert (priority(flagged), priority(resolved), priority(plain)) == (4, 0, 0)
    # The migration is frozen history: kinds added since (already_checked) had no flags
    # to backfill; every kind it knew keeps the severity it had.
    assert migration.SEVERITY == {
        str(k): v for k, v in FLAG_SEVERITY.items() if str(k) in migration.SEVERITY
    }


def test_the_flagged_queue_is_the_contradiction_kinds():
    # queues.queue_q("flagged") is a range of the priority; it must mean those kinds.
    assert {k for k, s in FLAG_SEVERITY.items() if s >= queues.FLAGGED_PRIORITY} == set(
        queues.CONTRADICTION_KINDS
    )


# --- capped counts --------------------------------------------------------------------------


def test_queue_counts_are_exact_up_to_the_cap_then_shown_with_a_plus(alice):
    for _ in range(4):
        claim_in_state(ClaimState.CORROBORATING)
    claim_in_state(ClaimState.VERIFIED, ruler=alice)
    counts = queues.queue_counts(alice, cap=3)
    assert counts["all"] == 4 and counts["all"].capped and counts["all"].label == "3+"
    assert counts["ruled_today"] == 1 and counts["ruled_today"].label == "1"
    exact = queues.queue_counts(alice)
    assert (exact["all"], exact["awaiting"], exact["unassigned"]) == (5, 4, 4)
    assert not exact["all"].capped and exact["all"].label == "5"


def test_the_list_and_its_tabs_show_capped_counts(client, alice, monkeypatch):
    monkeypatch.setattr(queues, "TAB_COUNT_CAP", 2)
    monkeypatch.setattr(queues, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr(ClaimAdmin, "list_per_page", 2)
    for _ in range(5):
        claim_in_state(ClaimState.CORROBORATING)
    client.force_login(alice)
    response = client.get(CHANGELIST + "?queue=all")
    tabs = {tab["key"]: tab for tab in response.context["queue_tabs"]}
    assert tabs["all"]["count_label"] == "2+" and tabs["ruled_today"]["count_label"] == "0"
    page = response.content.decode()
    assert "3+ claims" in page
    assert response.context["cl"].result_count_capped
    assert len(listed(response)) == 2
    # The pages reach as far as the count: 4 (the cap and one more) makes 2 pages of 2.
    assert len(listed(client.get(CHANGELIST + "?queue=all&p=2"))) == 2


# --- queries --------------------------------------------------------------------------------


def _claims(n: int, alice):
    for i in range(n):
        claim = claim_in_state(ClaimState.CORROBORATING, checkworthiness=(i % 10) / 10)
        add_flag(claim, FlagKind.CONTRADICTED if i % 2 else FlagKind.ANONYMOUS_SOURCE)
        if i % 3 == 0:
            workflow.assign(claim, assignee=alice, by=alice)


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        CHANGELIST + "?queue=mine",
        CHANGELIST + "?queue=flagged",
        CHANGELIST + "?queue=all&flag=any",
        CHANGELIST + "?q=troops",
    ],
)
def test_the_claim_list_costs_the_same_queries_empty_and_full(client, alice, url):
    client.force_login(alice)
    empty = _count_queries(client, url)
    _claims(30, alice)
    full = _count_queries(client, url)
    assert Article.objects.exists()
    print(f"claim list {url}: {empty} queries empty, {full} with claims")
    assert empty == full
