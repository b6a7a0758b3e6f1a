"""Conditional GET on the claim list and the claim object: 304 while nothing the response
shows changed, 200 with the new content as soon as anything did (issue 16: a
fact-checker must never see a stale flag list)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from analysis.types import ClaimFlag
from claims import flags, workflow
from claims.models import Comment, Flag
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db
RULE = {"verdict": "disputed", "rationale": "the wire service gives a different number"}


def _revalidate(client, url, etag):
    return client.get(url, HTTP_IF_NONE_MATCH=etag)


def test_an_unchanged_claim_list_is_not_modified(as_alice, corroborating):
    first = as_alice.get("/api/claims/")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = _revalidate(as_alice, "/api/claims/", first.headers["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_an_unchanged_claim_object_is_not_modified(as_alice, corroborating):
    url = f"/api/claims/{corroborating.pk}/"
    first = as_alice.get(url)
    assert _revalidate(as_alice, url, first.headers["ETag"]).status_code == 304
    # Weak comparison, a list of tags, and "*", as RFC 9110 has them for If-None-Match.
    assert _revalidate(as_alice, url, "W/" + first.headers["ETag"]).status_code == 304
    assert _revalidate(as_alice, url, f'"x", {first.headers["ETag"]}').status_code == 304
    assert _revalidate(as_alice, url, '"something-else"').status_code == 200


def test_a_raised_flag_shows_at_once_in_list_and_object(as_alice, corroborating):
    url = f"/api/claims/{corroborating.pk}/"
    list_tag = as_alice.get("/api/claims/").headers["ETag"]
    detail_tag = as_alice.get(url).headers["ETag"]
    flags.raise_flags([(corroborating, ClaimFlag("contradicted", "a new source"), None, "new")])
    listed = _revalidate(as_alice, "/api/claims/", list_tag)
    assert listed.status_code == 200
    assert "a new source" in [f["message"] for f in listed.json()["results"][0]["flags"]]
    shown = _revalidate(as_alice, url, detail_tag)
    assert shown.status_code == 200
    assert "a new source" in [f["message"] for f in shown.json()["flags"]]


def test_a_resolved_flag_shows_even_when_written_by_a_bulk_update(as_alice, corroborating):
    # A queryset update (as the workers write) touches no claim timestamp.
    url = f"/api/claims/{corroborating.pk}/"
    list_tag = as_alice.get("/api/claims/").headers["ETag"]
    detail_tag = as_alice.get(url).headers["ETag"]
    Flag.objects.filter(claim=corroborating, kind="unconfirmed").update(resolved_at=timezone.now())
    listed = _revalidate(as_alice, "/api/claims/", list_tag)
    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert {f["kind"]: f["resolved"] for f in row["flags"]}["unconfirmed"] is True
    shown = _revalidate(as_alice, url, detail_tag)
    assert shown.status_code == 200
    assert {f["kind"]: f["resolved"] for f in shown.json()["flags"]}["unconfirmed"] is True


def test_a_flag_resolved_by_hand_shows(as_alice, alice, corroborating):
    url = f"/api/claims/{corroborating.pk}/"
    tag = as_alice.get(url).headers["ETag"]
    flag = Flag.objects.filter(claim=corroborating).first()
    assert flags.resolve_by_hand(flag, user=alice, note="checked by phone")
    shown = _revalidate(as_alice, url, tag)
    assert shown.status_code == 200
    assert "checked by phone" in [f["resolution_note"] for f in shown.json()["flags"]]


def test_a_ruling_shows_in_list_and_object(as_alice, alice, corroborating):
    url = f"/api/claims/{corroborating.pk}/"
    list_tag = as_alice.get("/api/claims/").headers["ETag"]
    detail_tag = as_alice.get(url).headers["ETag"]
    workflow.rule(corroborating, user=alice, verdict="disputed", rationale="a wire report")
    listed = _revalidate(as_alice, "/api/claims/", list_tag)
    assert listed.status_code == 200
    assert listed.json()["results"][0]["state"] == "disputed"
    shown = _revalidate(as_alice, url, detail_tag)
    assert shown.status_code == 200
    assert shown.json()["state"] == "disputed"


def test_a_comment_shows_in_the_object(as_alice, bob, corroborating):
    url = f"/api/claims/{corroborating.pk}/"
    tag = as_alice.get(url).headers["ETag"]
    Comment.objects.create(claim=corroborating, author=bob, body="see the wire copy")
    shown = _revalidate(as_alice, url, tag)
    assert shown.status_code == 200
    assert [c["body"] for c in shown.json()["comments"]] == ["see the wire copy"]
    assert _revalidate(as_alice, url, shown.headers["ETag"]).status_code == 304


def test_a_new_claim_changes_the_first_page(as_alice, corroborating, verified):
    tag = as_alice.get("/api/claims/").headers["ETag"]
    assert _revalidate(as_alice, "/api/claims/", tag).status_code == 304
    claim_in_state("extracted")
    assert _revalidate(as_alice, "/api/claims/", tag).status_code == 200


def test_if_match_compares_the_claim_version_not_the_comments(as_alice, bob, corroborating):
    # A comment changes what the object shows (its ETag) but not the claim's version:
    # a ruling made against the earlier ETag still goes through.
    url = f"/api/claims/{corroborating.pk}/"
    etag = as_alice.get(url).headers["ETag"]
    Comment.objects.create(claim=corroborating, author=bob, body="a note")
    assert as_alice.get(url).headers["ETag"] != etag
    ok = as_alice.post(f"{url}rule/", RULE, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert ok.headers["ETag"] == as_alice.get(url).headers["ETag"]
    again = as_alice.post(f"{url}rule/", RULE, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412


def test_the_json_and_the_browsable_page_have_different_tags(as_alice, corroborating):
    url = f"/api/claims/{corroborating.pk}/"
    as_json = as_alice.get(url, HTTP_ACCEPT="application/json")
    as_html = as_alice.get(url, HTTP_ACCEPT="text/html")
    assert as_json.headers["ETag"] != as_html.headers["ETag"]
    assert (
        as_alice.get(
            url, HTTP_ACCEPT="text/html", HTTP_IF_NONE_MATCH=as_json.headers["ETag"]
        ).status_code
        == 200
    )
