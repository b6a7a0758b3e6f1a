"""A second pair of eyes in Chromium: a fact-checker proposes a ruling on the newsroom's
scale, a reviewer sees it but cannot sign it off, an editor returns it with a note, the
fact-checker proposes again, the editor signs it off, and the reviewer reads the
published ClaimReview in the export."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimState, Transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def erin(transactional_db, django_user_model):
    """Erin is an editor."""
    from django.contrib.auth.models import Group

    from claims.roles import EDITORS, ensure_roles

    ensure_roles()
    user = django_user_model.objects.create_user(username="erin", password="pw-erin", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def test_propose_return_propose_sign_off_export(
    open_page, screenshot, seed_article, alice, bob, erin, live_server, settings
):
    settings.FACTCHECK_SIGNOFF_REQUIRED = True
    base = live_server.url
    # The seed claim the demo feed's fact-check matches.
    claim = Claim.objects.get(
        article=seed_article, flags__kind="already_checked", text__contains="ammunition"
    )
    claim_url = f"{base}/admin/claims/claim/{claim.pk}/change/"

    # 1. Alice, a fact-checker, proposes "Missing context".
    fact_checker = open_page("alice", "pw-alice")
    fact_checker.goto(claim_url)
    panel = fact_checker.inner_text("#checked-elsewhere")
    assert "Demo Verify Desk (fictional)" in panel and "Missing context" in panel
    fact_checker.click("text=Rule disputed…")
    fact_checker.wait_for_selector("#rule-form")
    assert "Sign-off is required" in fact_checker.inner_text("#signoff-note")
    fact_checker.check("#rule-form input[value=missing-context]")
    fact_checker.fill(
        "#id_rationale", "Half is about right; seventy per cent holds only in places."
    )
    screenshot(fact_checker, "signoff-1-propose")
    fact_checker.click("#rule-form input[type=submit]")
    fact_checker.wait_for_selector("ul.messagelist li.success")
    assert "Proposed “Missing context” for sign-off" in fact_checker.inner_text("ul.messagelist")
    assert "Awaiting sign-off" in fact_checker.inner_text("#claim-state")
    assert "You proposed it" in fact_checker.inner_text("#proposal")
    assert fact_checker.locator("#signoff-button").count() == 0

    # 2. Bob, a reviewer, finds it in the sign-off queue but has no sign-off to give.
    reviewer = open_page("bob", "pw-bob")
    reviewer.goto(f"{base}/admin/claims/claim/?queue=signoff")
    reviewer.wait_for_selector("#result_list")
    assert f"/admin/claims/claim/{claim.pk}/change/" in reviewer.content()
    reviewer.goto(claim_url)
    assert "Missing context" in reviewer.inner_text("#proposal")
    assert reviewer.locator("#signoff-button").count() == 0
    assert reviewer.locator("#return-button").count() == 0
    assert reviewer.goto(f"{base}/admin/claims/claim/{claim.pk}/return/").status == 403
    screenshot(reviewer, "signoff-2-reviewer")

    # 3. Erin, an editor, returns it with a note.
    editor = open_page("erin", "pw-erin")
    editor.goto(f"{base}/admin/claims/claim/?queue=signoff")
    editor.click(f"a.fc-claim-link[href$='/claim/{claim.pk}/change/']")
    editor.wait_for_selector("#proposal")
    editor.click("#return-button")
    editor.fill("#id_reason", "Say where the seventy per cent comes from.")
    screenshot(editor, "signoff-3-return")
    editor.click("input[type=submit][value=Return]")
    editor.wait_for_selector("ul.messagelist li.success")
    assert "Corroborating" in editor.inner_text("#claim-state")

    # 4. Alice sees why and proposes again.
    fact_checker.goto(claim_url)
    assert "Say where the seventy per cent comes from." in fact_checker.inner_text("#rulings")
    fact_checker.click("text=Rule disputed…")
    fact_checker.check("#rule-form input[value=missing-context]")
    fact_checker.fill(
        "#id_rationale",
        "Half is about right (Kyiv Independent); seventy per cent is one unnamed report.",
    )
    fact_checker.click("#rule-form input[type=submit]")
    fact_checker.wait_for_selector("ul.messagelist li.success")

    # 5. Erin signs it off: published.
    editor.goto(claim_url)
    editor.fill("#signoff-form input[name=note]", "Sourced now.")
    editor.click("#signoff-button")
    editor.wait_for_selector("ul.messagelist li.success")
    assert "Signed off and published" in editor.inner_text("ul.messagelist")
    assert "Disputed" in editor.inner_text("#claim-state")
    assert "Missing context" in editor.inner_text("#claim-rating")
    screenshot(editor, "signoff-5-published")

    # 6. Bob reads the export: the signed-off ruling, on the newsroom's scale.
    export = reviewer.request.get(f"{base}/api/claimreviews/?format=json").json()["results"]
    (review,) = [r for r in export if r["claimReviewed"] == claim.text]
    rating = review["reviewRating"]
    assert (rating["alternateName"], rating["ratingValue"]) == ("Missing context", 3)
    assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
    assert review["reviewBody"].startswith("Half is about right (Kyiv Independent)")

    moves = [
        (t.from_state, t.to_state, t.actor.username)
        for t in Transition.objects.filter(claim=claim, actor__isnull=False).order_by("id")
    ]
    assert moves == [
        (ClaimState.CORROBORATING, ClaimState.PROPOSED, "alice"),
        (ClaimState.PROPOSED, ClaimState.CORROBORATING, "erin"),
        (ClaimState.CORROBORATING, ClaimState.PROPOSED, "alice"),
        (ClaimState.PROPOSED, ClaimState.DISPUTED, "erin"),
    ]
