"""The fact-checkers' admin: queues, priority, permissions per role, workflow actions.

The browser tests (tests/browser) walk the same pages in Chromium; these drive them
with Django's test client, one behaviour per test.
"""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import queues, workflow
from claims.models import Claim, ClaimState, Comment, FlagKind, Transition
from tests.admin.helpers import add_evidence, add_flag, resolve_flag
from tests.factories import ArticleFactory, ClaimFactory, claim_in_state

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:claims_claim_changelist")


def change_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def rule_url(claim):
    return reverse("admin:claims_claim_rule", args=[claim.pk])


def listed(response) -> list[int]:
    return [c.pk for c in response.context["cl"].result_list]


@pytest.fixture
def flagged(alice):
    """A corroborating claim a source contradicts."""
    claim = claim_in_state(ClaimState.CORROBORATING)
    ev = add_evidence(claim, "contradicts", text="Reports of a withdrawal were simply wrong.")
    add_flag(
        claim, FlagKind.CONTRADICTED, message="Reuters says the reports were wrong.", evidence=ev
    )
    add_evidence(claim, "supports")
    return claim


# --- permissions per role -------------------------------------------------------------------

ROLE_CAN = {
    # persona: (view claims, rule, assign, resolve flags, comment, manage feeds)
    "alice": (True, True, True, True, True, True),
    "bob": (True, False, False, False, True, False),
    "charlie": (False, False, False, False, False, False),
}


@pytest.mark.parametrize("persona", list(ROLE_CAN))
def test_each_role_has_the_permissions_of_its_job(request, persona):
    user = request.getfixturevalue(persona)
    perms = (
        "claims.view_claim",
        "claims.rule_claim",
        "claims.assign_claim",
        "claims.resolve_flag",
        "claims.add_comment",
        "claims.add_feed",
    )
    assert tuple(user.has_perm(p) for p in perms) == ROLE_CAN[persona]


def test_editors_can_also_manage_users(django_user_model):
    from django.contrib.auth.models import Group

    from claims.roles import EDITORS, ensure_roles

    ensure_roles()
    edith = django_user_model.objects.create_user("edith", password="pw", is_staff=True)
    edith.groups.add(Group.objects.get(name=EDITORS))
    assert edith.has_perm("claims.rule_claim") and edith.has_perm("auth.change_user")


def test_nobody_edits_a_claim_through_the_form(client, alice, flagged):
    client.force_login(alice)
    response = client.post(change_url(flagged), {"text": "rewritten", "state": "verified"})
    assert response.status_code == 403
    flagged.refresh_from_db()
    assert flagged.state == ClaimState.CORROBORATING and flagged.text != "rewritten"


def test_an_outsider_is_sent_to_the_login_page(client, charlie, flagged):
    client.force_login(charlie)
    response = client.get(change_url(flagged))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_reviewer_can_read_a_claim_but_sees_no_ruling_action(client, bob, flagged):
    client.force_login(bob)
    page = client.get(change_url(flagged)).content.decode()
    assert "Reuters says the reports were wrong." in page
    assert "Rule disputed" not in page and "Rule verified" not in page
    assert "Assign to me" not in page and "Resolve flag" not in page
    assert "Add comment" in page


def test_reviewer_cannot_rule_a_claim(client, bob, flagged):
    client.force_login(bob)
    assert client.get(rule_url(flagged)).status_code == 403
    response = client.post(
        rule_url(flagged),
        {"verdict": "disputed", "rationale": "no", "loaded_state": "corroborating"},
    )
    assert response.status_code == 403
    flagged.refresh_from_db()
    assert flagged.state == ClaimState.CORROBORATING


def test_reviewer_has_no_bulk_actions_that_change_claims(client, bob, flagged):
    client.force_login(bob)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    # Only the actions that change no claim: following claims and exporting them.
    actions = {name for name, _ in response.context["action_form"].fields["action"].choices}
    assert actions - {""} == {"follow_claims", "unfollow_claims", "export_csv"}
    client.post(
        CHANGELIST + "?queue=all",
        {"action": "assign_to_me", helpers.ACTION_CHECKBOX_NAME: [flagged.pk]},
    )
    flagged.refresh_from_db()
    assert flagged.assignee is None


# --- ruling ---------------------------------------------------------------------------------


def test_confirmation_page_shows_recommendation_flags_and_evidence(client, alice, flagged):
    Claim.objects.filter(pk=flagged.pk).update(
        recommended_verdict="disputed", recommendation_reason="a wire service denies it"
    )
    client.force_login(alice)
    page = client.get(rule_url(flagged)).content.decode()
    assert "Recommended verdict:" in page and "a wire service denies it" in page
    assert "Reuters says the reports were wrong." in page
    assert "Reports of a withdrawal were simply wrong." in page
    assert 'value="disputed" checked' in page
    assert 'name="rationale" required' in page


def test_fact_checker_rules_a_claim_disputed_with_a_rationale(client, alice, flagged):
    client.force_login(alice)
    response = client.post(
        rule_url(flagged),
        {
            "verdict": "disputed",
            "rationale": "Reuters: the reports were wrong.",
            "loaded_state": "corroborating",
        },
    )
    assert response.status_code == 302 and response["Location"] == change_url(flagged)
    flagged.refresh_from_db()
    assert (flagged.state, flagged.ruled_by, flagged.rationale) == (
        ClaimState.DISPUTED,
        alice,
        "Reuters: the reports were wrong.",
    )
    last = Transition.objects.filter(claim=flagged).latest("id")
    assert (last.to_state, last.actor, last.reason) == (
        "disputed",
        alice,
        "Reuters: the reports were wrong.",
    )
    page = client.get(change_url(flagged)).content.decode()
    assert "Reuters: the reports were wrong." in page and "Rule disputed" not in page


def test_a_ruling_without_a_rationale_is_refused(client, alice, flagged):
    client.force_login(alice)
    response = client.post(
        rule_url(flagged),
        {"verdict": "disputed", "rationale": "  ", "loaded_state": "corroborating"},
    )
    assert response.status_code == 400
    assert "A ruling needs a written rationale." in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.state == ClaimState.CORROBORATING


def test_the_second_ruling_gets_a_clear_message_and_overwrites_nothing(
    client, alice, fiona, flagged
):
    # Fiona opened the confirmation page while the claim was corroborating; Alice ruled first.
    workflow.rule(flagged, user=alice, verdict="disputed", rationale="Alice's rationale")
    client.force_login(fiona)
    response = client.post(
        rule_url(flagged),
        {"verdict": "verified", "rationale": "Fiona's rationale", "loaded_state": "corroborating"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else ruled this claim first: it is now disputed by alice" in page
    assert "Confirm ruling" not in page
    flagged.refresh_from_db()
    assert (flagged.state, flagged.rationale, flagged.ruled_by) == (
        ClaimState.DISPUTED,
        "Alice's rationale",
        alice,
    )
    assert (
        Transition.objects.filter(claim=flagged, to_state__in=["verified", "disputed"]).count() == 1
    )


def test_a_conflict_inside_the_workflow_is_shown_the_same_way(client, alice, flagged, monkeypatch):
    # The race at the UPDATE itself: the compare-and-swap lost after the page loaded the claim.
    def lose(claim, **kwargs):
        Claim.objects.filter(pk=claim.pk).update(state=ClaimState.VERIFIED, ruled_by=alice)
        raise workflow.Conflict("changed")

    monkeypatch.setattr(workflow, "rule", lose)
    client.force_login(alice)
    response = client.post(
        rule_url(flagged),
        {"verdict": "disputed", "rationale": "x", "loaded_state": "corroborating"},
    )
    assert response.status_code == 409
    assert "Someone else ruled this claim first: it is now verified" in response.content.decode()


# --- other actions --------------------------------------------------------------------------


def _action(client, action, claims, **extra):
    return client.post(
        CHANGELIST + "?queue=all",
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [c.pk for c in claims], **extra},
    )


def test_assign_to_me_and_unassign_from_the_list(client, alice, flagged):
    client.force_login(alice)
    _action(client, "assign_to_me", [flagged])
    flagged.refresh_from_db()
    assert flagged.assignee == alice
    _action(client, "unassign", [flagged])
    flagged.refresh_from_db()
    assert flagged.assignee is None


def test_assign_to_a_colleague_from_the_list(client, alice, fiona, flagged):
    client.force_login(alice)
    _action(client, "assign_to_colleague", [flagged], colleague=fiona.pk)
    flagged.refresh_from_db()
    assert flagged.assignee == fiona


def test_assign_from_the_claim_page(client, alice, fiona, bob, flagged):
    client.force_login(alice)
    url = reverse("admin:claims_claim_assign", args=[flagged.pk])
    client.post(url, {"assignee": "me"})
    flagged.refresh_from_db()
    assert flagged.assignee == alice
    client.post(url, {"assignee": str(fiona.pk)})
    flagged.refresh_from_db()
    assert flagged.assignee == fiona
    client.post(url, {"assignee": str(bob.pk)})  # a reviewer cannot hold claims
    flagged.refresh_from_db()
    assert flagged.assignee == fiona


def test_run_corroboration_again_enqueues_after_commit(
    client, alice, flagged, monkeypatch, django_capture_on_commit_callbacks
):
    from factcheck import queue

    sent = []
    monkeypatch.setattr(queue, "send", lambda name, *args: sent.append((name, args)))
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("admin:claims_claim_rerun", args=[flagged.pk]))
    assert sent == [] and len(callbacks) == 1
    callbacks[0]()
    # Through the one enqueue helper, batched like every other corroboration.
    assert sent == [(queue.CORROBORATE_CLAIMS, ([flagged.pk],))]


def test_reopen_needs_a_reason(client, alice, flagged):
    workflow.rule(flagged, user=alice, verdict="verified", rationale="two sources")
    client.force_login(alice)
    url = reverse("admin:claims_claim_reopen", args=[flagged.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "a new denial arrived"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.state == ClaimState.CORROBORATING and flagged.reopened
    assert Transition.objects.filter(claim=flagged).latest("id").reason == "a new denial arrived"


def test_dismiss_a_non_claim(client, alice):
    claim = claim_in_state(ClaimState.EXTRACTED)
    client.force_login(alice)
    client.post(
        reverse("admin:claims_claim_dismiss", args=[claim.pk]),
        {"reason": "an opinion, not a claim"},
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.DISMISSED


def test_resolve_a_flag_with_a_note(client, alice, flagged):
    flag = flagged.flags.get()
    client.force_login(alice)
    url = reverse("admin:claims_flag_resolve", args=[flag.pk])
    client.post(url, {"note": ""})
    flag.refresh_from_db()
    assert flag.resolved_at is None
    client.post(url, {"note": "Reuters corrected its story"})
    flag.refresh_from_db()
    assert (flag.resolved_by, flag.resolution_note) == (alice, "Reuters corrected its story")
    client.post(url, {"note": "a second note"})  # the first resolution stands
    flag.refresh_from_db()
    assert flag.resolution_note == "Reuters corrected its story"


def test_reviewer_cannot_resolve_a_flag(client, bob, flagged):
    flag = flagged.flags.get()
    client.force_login(bob)
    assert (
        client.post(reverse("admin:claims_flag_resolve", args=[flag.pk]), {"note": "x"}).status_code
        == 403
    )
    flag.refresh_from_db()
    assert flag.resolved_at is None


def test_reviewer_comments_and_the_comment_is_shown_escaped(client, bob, flagged):
    client.force_login(bob)
    client.post(
        reverse("admin:claims_claim_comment", args=[flagged.pk]),
        {"body": "<script>alert(1)</script> check"},
    )
    assert Comment.objects.get(claim=flagged).author == bob
    page = client.get(change_url(flagged)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; check" in page
    assert "<script>alert(1)</script>" not in page


def test_article_text_is_escaped_on_the_claim_and_article_pages(client, alice):
    body = 'Officials said <img src=x onerror="alert(1)"> 1,000 troops arrived. More text.'
    article = ArticleFactory(body=body, title="<b>bold</b> title")
    claim = ClaimFactory(article=article, start=0, end=body.index(".") + 1)
    client.force_login(alice)
    for url in (change_url(claim), reverse("admin:claims_article_change", args=[article.pk])):
        page = client.get(url).content.decode()
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page, url
        assert "<img src=x" not in page and "<b>bold</b>" not in page, url


# --- the claim and article pages ------------------------------------------------------------


def test_claim_page_shows_the_claim_in_its_paragraph_with_everything_around_it(
    client, alice, flagged
):
    workflow.rule(flagged, user=alice, verdict="disputed", rationale="denied")
    client.force_login(alice)
    page = client.get(change_url(flagged)).content.decode()
    assert 'class="fc-mark fc-state-disputed fc-this"' in page
    for heading in (
        "In the article",
        "What the claim says",
        "Flags",
        "Evidence",
        "Comments",
        "History",
        "Similar claims",
    ):
        assert f"<h2>{heading}" in page, heading
    assert "Reopen…" in page
    assert page.count('class="fc-transition"') == 2


def test_article_page_marks_every_claim_in_its_state_colour(client, alice, flagged):
    article = flagged.article
    client.force_login(alice)
    page = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert f'href="{change_url(flagged)}"' in page
    assert "fc-state-corroborating fc-flagged" in page
    assert "Processed" in page


def test_article_page_shows_a_processing_error(client, alice):
    article = ArticleFactory(status="failed", last_error="body: the article has no text")
    client.force_login(alice)
    page = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert "body: the article has no text" in page and "Failed" in page


# --- queues ---------------------------------------------------------------------------------


def test_the_list_opens_on_my_queue(client, alice, fiona):
    mine = claim_in_state(ClaimState.CORROBORATING)
    workflow.assign(mine, assignee=alice, by=alice)
    free = claim_in_state(ClaimState.CORROBORATING)
    theirs = claim_in_state(ClaimState.CORROBORATING)
    workflow.assign(theirs, assignee=fiona, by=fiona)
    ruled = claim_in_state(ClaimState.VERIFIED, ruler=alice)
    client.force_login(alice)
    response = client.get(CHANGELIST)
    assert set(listed(response)) == {mine.pk, free.pk}
    assert ruled.pk not in listed(response)
    assert set(listed(client.get(CHANGELIST + "?queue=mine"))) == {mine.pk}
    assert set(listed(client.get(CHANGELIST + "?queue=unassigned"))) == {free.pk}
    assert len(listed(client.get(CHANGELIST + "?queue=all"))) == 4


def test_flagged_queue_holds_open_contradicted_claims_only(client, alice, flagged):
    anonymous = claim_in_state(ClaimState.CORROBORATING)
    add_flag(anonymous, FlagKind.ANONYMOUS_SOURCE)
    resolved = claim_in_state(ClaimState.CORROBORATING)
    resolve_flag(add_flag(resolved, FlagKind.NUMERIC_DISCREPANCY))
    ruled = claim_in_state(ClaimState.CORROBORATING)
    add_flag(ruled, FlagKind.LATER_UPDATE)
    workflow.rule(ruled, user=alice, verdict="disputed", rationale="updated")
    client.force_login(alice)
    assert listed(client.get(CHANGELIST + "?queue=flagged")) == [flagged.pk]


def test_awaiting_reopened_and_ruled_today_queues(client, alice):
    waiting = claim_in_state(ClaimState.CORROBORATING)
    ruled = claim_in_state(ClaimState.DISPUTED, ruler=alice)
    reopened = claim_in_state(ClaimState.VERIFIED, ruler=alice)
    workflow.reopen(reopened, user=alice, reason="new evidence")
    client.force_login(alice)
    assert set(listed(client.get(CHANGELIST + "?queue=awaiting"))) == {waiting.pk, reopened.pk}
    assert listed(client.get(CHANGELIST + "?queue=reopened")) == [reopened.pk]
    assert listed(client.get(CHANGELIST + "?queue=ruled_today")) == [ruled.pk]


def test_queue_tabs_show_their_counts(client, alice, flagged):
    client.force_login(alice)
    tabs = {t["key"]: t["count"] for t in client.get(CHANGELIST).context["queue_tabs"]}
    assert tabs["flagged"] == 1 and tabs["unassigned"] == 1 and tabs["ruled_today"] == 0


def test_priority_puts_the_worst_flag_first_then_check_worthiness_then_age(client, alice):
    plain_high = claim_in_state(ClaimState.CORROBORATING, checkworthiness=0.95)
    old_low = claim_in_state(ClaimState.CORROBORATING, checkworthiness=0.3)
    new_low = claim_in_state(ClaimState.CORROBORATING, checkworthiness=0.3)
    contradicted = claim_in_state(ClaimState.CORROBORATING, checkworthiness=0.2)
    add_flag(contradicted, FlagKind.CONTRADICTED)
    vague = claim_in_state(ClaimState.CORROBORATING, checkworthiness=0.5)
    add_flag(vague, FlagKind.VAGUE_ATTRIBUTION)
    client.force_login(alice)
    order = listed(client.get(CHANGELIST + "?queue=all"))
    assert order == [contradicted.pk, vague.pk, plain_high.pk, old_low.pk, new_low.pk]


def test_filters_by_flag_kind_assignee_and_check_worthiness(client, alice, flagged):
    other = claim_in_state(ClaimState.CORROBORATING, checkworthiness=0.1)
    workflow.assign(other, assignee=alice, by=alice)
    client.force_login(alice)
    assert listed(client.get(CHANGELIST + "?flag=contradicted")) == [flagged.pk]
    assert listed(client.get(CHANGELIST + "?assignee=me")) == [other.pk]
    assert listed(client.get(CHANGELIST + "?assignee=none")) == [flagged.pk]
    assert listed(client.get(CHANGELIST + "?worth=low")) == [other.pk]
    assert listed(client.get(CHANGELIST + "?state__exact=corroborating&flag=none")) == [other.pk]


def test_search_covers_claim_and_article_text(client, alice):
    article = ArticleFactory(
        body="Officials said 1,000 troops arrived. The zeppelin story follows here."
    )
    claim = ClaimFactory(article=article)
    ClaimFactory()
    client.force_login(alice)
    assert listed(client.get(CHANGELIST + "?q=zeppelin")) == [claim.pk]


def test_list_rows_show_badge_chips_counts_and_links(client, alice, flagged):
    client.force_login(alice)
    page = client.get(CHANGELIST + "?queue=flagged").content.decode()
    assert "fc-badge fc-state-corroborating" in page
    assert ">Contradicted</span>" in page
    assert "1 ✓</span>" in page and "1 ✗</span>" in page
    assert reverse("admin:claims_article_change", args=[flagged.article_id]) in page


# --- queue health ---------------------------------------------------------------------------


def test_queue_health_counts_states_oldest_waiting_per_checker_and_rulings_per_day(
    client, alice, fiona
):
    waiting = claim_in_state(ClaimState.CORROBORATING)
    workflow.assign(waiting, assignee=fiona, by=fiona)
    claim_in_state(ClaimState.DISPUTED, ruler=alice)
    claim_in_state(ClaimState.VERIFIED, ruler=alice)
    health = queues.queue_health()
    per_state = {s: n for s, _, n in health.per_state}
    assert (
        per_state["corroborating"] == 1
        and per_state["verified"] == 1
        and per_state["disputed"] == 1
    )
    assert health.oldest_awaiting == waiting
    assert health.open_per_checker == [("fiona", 1)]
    assert len(health.ruled_per_day) == 14 and health.ruled_per_day[-1][1] == 2
    client.force_login(alice)
    page = client.get(reverse("admin:claims_claim_health")).content.decode()
    assert "Ruled per day, last two weeks (2 in all)" in page and "fiona" in page
    index = client.get(reverse("admin:index")).content.decode()
    assert "Flagged contradictions" in index and reverse("admin:claims_claim_health") in index


# --- queries --------------------------------------------------------------------------------


def _busy_claims(n: int, alice):
    for i in range(n):
        claim = claim_in_state(ClaimState.CORROBORATING, checkworthiness=(i % 10) / 10)
        add_evidence(claim, "supports")
        add_evidence(claim, "contradicts")
        add_flag(claim, FlagKind.CONTRADICTED if i % 2 else FlagKind.ANONYMOUS_SOURCE)
        add_flag(claim, FlagKind.UNCONFIRMED)
        if i % 3 == 0:
            workflow.assign(claim, assignee=alice, by=alice)


def _count_queries(client, url) -> int:
    client.get(url)  # warm the per-process caches (content types, permissions) first
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", [CHANGELIST, CHANGELIST + "?queue=all", CHANGELIST + "?queue=flagged&worth=high"]
)
def test_the_claim_list_costs_the_same_queries_at_10_and_100_rows(client, alice, url):
    client.force_login(alice)
    _busy_claims(10, alice)
    at_10 = _count_queries(client, url)
    _busy_claims(90, alice)
    assert len(listed(client.get(CHANGELIST + "?queue=all"))) == 100
    at_100 = _count_queries(client, url)
    print(f"claim list {url}: {at_10} queries at 10 claims, {at_100} at 100")
    assert at_10 == at_100


def test_the_article_page_costs_the_same_queries_at_10_and_100_claims(client, alice):
    client.force_login(alice)
    words = " ".join(f"Claim number {i} says 1,{i:03d} troops arrived." for i in range(100))
    article = ArticleFactory(body=words)
    sentences = [(m_start, m_start + len(s)) for m_start, s in _spans(words)]

    def add(lo, hi):
        for start, end in sentences[lo:hi]:
            claim = ClaimFactory(article=article, start=start, end=end)
            add_flag(claim, FlagKind.UNCONFIRMED)

    url = reverse("admin:claims_article_change", args=[article.pk])
    add(0, 10)
    at_10 = _count_queries(client, url)
    add(10, 100)
    at_100 = _count_queries(client, url)
    assert at_10 == at_100


def _spans(text):
    pos = 0
    for piece in text.split(". "):
        piece = piece if piece.endswith(".") else piece + "."
        start = text.index(piece, pos)
        yield start, piece
        pos = start + len(piece)


def test_the_claim_page_costs_the_same_queries_with_more_evidence(client, alice, flagged):
    client.force_login(alice)
    at_few = _count_queries(client, change_url(flagged))
    for i in range(20):
        ev = add_evidence(flagged, "mentions", text=f"Passage {i} about troops.")
        add_flag(flagged, FlagKind.LATER_UPDATE, evidence=ev, key=f"p{i}")
        Comment.objects.create(claim=flagged, author=alice, body=f"note {i}")
    assert _count_queries(client, change_url(flagged)) == at_few


def test_list_rows_are_the_markup_the_admin_would_render(client, alice, flagged):
    """The list renders its rows in one pass (ClaimAdmin.list_row); every cell must be
    what the admin's own items_for_result renders for that claim."""
    from django.contrib.admin.templatetags.admin_list import items_for_result

    unassigned = ClaimFactory(article=ArticleFactory(title=""))
    workflow.assign(flagged, assignee=alice, by=alice)
    add_flag(unassigned, FlagKind.SINGLE_ORIGIN, message="one origin <b>only</b> & more")
    client.force_login(alice)
    response = client.get(CHANGELIST, {"queue": "all"})
    assert response.status_code == 200
    cl = response.context["cl"]
    assert {flagged.pk, unassigned.pk} <= {c.pk for c in cl.result_list}
    admin = cl.model_admin
    for obj in cl.result_list:
        assert admin.list_row(cl, obj) == list(items_for_result(cl, obj, None))
    body = response.content.decode()
    assert "one origin &lt;b&gt;only&lt;/b&gt; &amp; more" in body
    assert f'<td class="field-assignee nowrap">{alice.username}</td>' in body
