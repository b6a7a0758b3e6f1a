"""A fact-checker's morning in Chromium: the flagged queue, a claim, a ruling; a reviewer
who cannot rule; two fact-checkers ruling one claim at once."""

from __future__ import annotations

import re

import pytest

from claims.models import Claim, ClaimState, Transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fact_checker_rules_a_flagged_claim_disputed(
    open_page, screenshot, seed_article, alice, live_server
):
    page = open_page("alice", "pw-alice")

    # The index points at the queues; the flagged queue is one click away.
    page.click("#work-queues a[data-queue=flagged]")
    page.wait_for_selector("#result_list")
    assert "fc-tab-selected" in page.get_attribute("a[data-queue=flagged]", "class")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() >= 1
    screenshot(page, "queue-flagged")

    first = rows.first.locator("a.fc-claim-link")
    claim_text_start = first.inner_text()[:40]
    first.click()

    # The claim, highlighted in its paragraph, with its flags and evidence.
    page.wait_for_selector("#claim-in-context mark.fc-this")
    claim_id = int(re.search(r"/claim/(\d+)/change/", page.url).group(1))
    claim = Claim.objects.get(pk=claim_id)
    assert page.locator("#claim-in-context mark.fc-this").inner_text().startswith(claim.text[:40])
    assert claim.text.startswith(claim_text_start.rstrip("…"))
    assert page.locator("#evidence tr.fc-evidence").count() >= 1
    assert page.locator("#flags .fc-flag").count() >= 1
    screenshot(page, "claim-page")

    page.click("text=Rule disputed…")
    page.wait_for_selector("#rule-form")
    assert page.locator("#recommendation").is_visible()
    page.fill(
        "#id_rationale", "The Moscow Times reports the troops were brought in again on 7 February."
    )
    screenshot(page, "rule-confirmation")
    page.click("#rule-form input[type=submit]")

    page.wait_for_selector("ul.messagelist li.success")
    assert "Ruled disputed" in page.inner_text("ul.messagelist")
    assert "Disputed" in page.inner_text("#claim-state")
    history = page.locator("#history tr.fc-transition").last.inner_text()
    assert "Disputed" in history and "alice" in history and "Moscow Times" in history
    screenshot(page, "claim-ruled")

    claim.refresh_from_db()
    assert claim.state == ClaimState.DISPUTED and claim.ruled_by == alice

    # It has left the flagged queue.
    page.goto(f"{live_server.url}/admin/claims/claim/?queue=flagged")
    page.wait_for_selector("#changelist")
    assert f"/admin/claims/claim/{claim_id}/change/" not in page.content()

    # The article at a glance: every claim marked, the ruled one in its new colour.
    page.goto(f"{live_server.url}/admin/claims/article/{seed_article.pk}/change/")
    page.wait_for_selector("#article-body")
    assert (
        page.locator("#article-body a.fc-mark").count()
        == Claim.objects.filter(article=seed_article).count()
    )
    assert page.locator(f"#claim-{claim_id}.fc-state-disputed").count() == 1
    assert page.locator("#article-body a.fc-flagged").count() >= 1
    screenshot(page, "article-page")

    page.goto(f"{live_server.url}/admin/claims/claim/health/")
    page.wait_for_selector("#queue-health .fc-chart")
    screenshot(page, "queue-health")


def test_reviewer_sees_no_ruling_action(open_page, seed_article, bob, live_server):
    page = open_page("bob", "pw-bob")
    claim = Claim.objects.filter(article=seed_article, state=ClaimState.CORROBORATING).first()
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.wait_for_selector("#claim-in-context mark.fc-this")
    actions = page.inner_text("#claim-actions")
    assert "Rule" not in actions and "Assign" not in actions
    assert page.locator("text=Resolve flag").count() == 0
    assert page.locator("#comments textarea").count() == 1
    response = page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/rule/")
    assert response.status == 403


def test_two_browsers_ruling_one_claim_one_wins(
    open_page, screenshot, seed_article, alice, fiona, live_server
):
    claim = Claim.objects.filter(article=seed_article, state=ClaimState.CORROBORATING).first()
    url = f"{live_server.url}/admin/claims/claim/{claim.pk}/rule/"
    alice_page, fiona_page = open_page("alice", "pw-alice"), open_page("fiona", "pw-fiona")
    for page, verdict, rationale in (
        (alice_page, "disputed", "Alice: the army denied it."),
        (fiona_page, "verified", "Fiona: two wires confirm it."),
    ):
        page.goto(url)
        page.check(f"#rule-form input[data-verdict={verdict}][data-default]")
        page.fill("#id_rationale", rationale)

    alice_page.click("#rule-form input[type=submit]")
    alice_page.wait_for_selector("ul.messagelist li.success")
    fiona_page.click("#rule-form input[type=submit]")
    fiona_page.wait_for_selector("#rule-error")
    message = fiona_page.inner_text("#rule-error")
    assert "Someone else ruled this claim first: it is now disputed by alice" in message
    assert "nothing was overwritten" in message
    screenshot(fiona_page, "ruling-conflict")

    claim.refresh_from_db()
    assert (claim.state, claim.ruled_by, claim.rationale) == (
        ClaimState.DISPUTED,
        alice,
        "Alice: the army denied it.",
    )
    assert (
        Transition.objects.filter(claim=claim, to_state__in=["verified", "disputed"]).count() == 1
    )
