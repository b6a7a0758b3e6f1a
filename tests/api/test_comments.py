"""Comments and suggestions: add, edit and delete your own, rendered safely."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> <a href="javascript:alert(1)">click</a>'


def test_comment_text_never_reaches_a_browser_as_markup(as_bob, corroborating):
    response = as_bob.post(
        f"/api/claims/{corroborating.pk}/comments/", {"body": XSS + "\n\nsecond"}, format="json"
    )
    assert response.status_code == 201
    comment = response.json()
    assert comment["body"].startswith("<script>")  # stored as typed
    html = comment["body_html"]
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&lt;script&gt;" in html and "<p>second</p>" in html
    assert response["Content-Type"] == "application/json"
    detail = as_bob.get(f"/api/claims/{corroborating.pk}/").json()
    assert detail["comments"][0]["body_html"] == html


def test_browsable_api_escapes_comments(bob, corroborating):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(bob)
    client.post(f"/api/claims/{corroborating.pk}/comments/", {"body": XSS}, format="json")
    page = client.get(f"/api/claims/{corroborating.pk}/comments/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert b'<script>alert("x")</script>' not in page.content


def test_author_edits_and_deletes_own_comment(as_bob, as_alice, corroborating):
    made = as_bob.post(
        f"/api/claims/{corroborating.pk}/comments/", {"body": "first"}, format="json"
    ).json()
    url = f"/api/claims/{corroborating.pk}/comments/{made['id']}/"
    assert as_alice.patch(url, {"body": "hijack"}, format="json").status_code == 403
    edited = as_bob.patch(url, {"body": "second thoughts"}, format="json")
    assert edited.status_code == 200 and edited.json()["body"] == "second thoughts"
    assert as_alice.delete(url).status_code == 403
    assert as_bob.delete(url).status_code == 204
    assert as_bob.get(url).status_code == 404


def test_comment_errors_name_the_field(as_bob, corroborating):
    response = as_bob.post(f"/api/claims/{corroborating.pk}/comments/", {"body": ""}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["body"]
    response = as_bob.post(
        f"/api/claims/{corroborating.pk}/comments/", {"body": "x", "extra": 1}, format="json"
    )
    assert list(response.json()["fields"]) == ["extra"]
    assert (
        as_bob.post("/api/claims/999999/comments/", {"body": "x"}, format="json").status_code == 404
    )


def test_reviewer_suggests_a_verdict(as_bob, corroborating):
    response = as_bob.post(
        f"/api/claims/{corroborating.pk}/suggestions/",
        {"verdict": "disputed", "note": "Reuters says three weeks"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["verdict"] == "disputed"
    corroborating.refresh_from_db()
    assert corroborating.state == "corroborating"  # advisory, never a ruling
    listed = as_bob.get(f"/api/claims/{corroborating.pk}/suggestions/").json()["results"]
    assert [s["note"] for s in listed] == ["Reuters says three weeks"]
