"""Submitting articles (text, HTML, URL) and sources (document or URL, optionally for a claim)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from claims.models import Article, Claim, Evidence, Source, SourceRequest
from tests.api.receiver import receiver

pytestmark = pytest.mark.django_db

HTML = b"""<html><head><title>Wire: troops</title></head><body><article>
<h1>Wire report on the troops</h1>
<p>Officials said 1,000 troops arrived on Monday, according to the defence ministry.</p>
<p>The ministry said the troops arrived on Monday and that the number was confirmed by two
independent observers at the border crossing, who counted the vehicles as they passed.</p>
</article></body></html>"""


def test_submit_text_then_watch_its_claims_appear(
    as_alice, seed_text, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            "/api/articles/",
            {
                "body": seed_text,
                "outlet": "dagens.com",
                "published_at": "2025-01-31T09:25:00+01:00",
            },
            format="json",
        )
    assert response.status_code == 202
    accepted = response.json()
    assert response["Location"] == accepted["url"]
    article = as_alice.get(accepted["url"]).json()
    assert article["status"] == "processed"
    assert article["claims"] and all(
        article["body"][c["start"] : c["end"]] == c["text"] for c in article["claims"]
    )
    listed = as_alice.get(accepted["claims_url"]).json()["results"]
    assert {c["id"] for c in listed} == {c["id"] for c in article["claims"]}
    again = as_alice.post("/api/articles/", {"body": seed_text}, format="json").json()
    assert again["id"] == accepted["id"] and again["created"] is False


def test_submit_html(as_alice):
    response = as_alice.post("/api/articles/", {"html": HTML.decode()}, format="json")
    assert response.status_code == 202
    assert Article.objects.get(pk=response.json()["id"]).title


def test_submit_url_is_fetched_through_the_hardened_client(as_alice):
    with receiver() as rx:
        rx.pages["/story"] = (200, "text/html; charset=utf-8", HTML)
        response = as_alice.post("/api/articles/", {"url": rx.url("/story")}, format="json")
        assert response.status_code == 202, response.json()
        assert Article.objects.get(pk=response.json()["id"]).url == rx.url("/story")
        missing = as_alice.post("/api/articles/", {"url": rx.url("/gone")}, format="json")
    assert missing.status_code == 400
    assert "404" in missing.json()["fields"]["url"][0]


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "body"),
        ({"body": "text", "html": "<p>x</p>"}, "html"),
        ({"url": "ftp://example.org/x"}, "url"),
        ({"body": "Officials said so.", "published_at": "last tuesday"}, "published_at"),
        ({"body": "Officials said so.", "colour": "red"}, "colour"),
        ({"body": "\x00\x01\x02 binary"}, "body"),
    ],
)
def test_bad_article_is_refused_with_the_field_named_and_nothing_written(as_alice, body, field):
    response = as_alice.post("/api/articles/", body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert set(data) == {"code", "message", "fields"} and field in data["fields"]
    assert not Article.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000, FACTCHECK_MAX_ARTICLE_BYTES=5_000)
def test_oversized_bodies_are_refused_before_anything_is_written(as_alice):
    too_big = as_alice.post(
        "/api/articles/", {"body": "Officials said 3 things. " * 1000}, format="json"
    )
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "too_large"
    over_article_limit = as_alice.post(
        "/api/articles/", {"body": "Officials said 3 things. " * 300}, format="json"
    )
    assert over_article_limit.status_code == 400
    assert "limit" in over_article_limit.json()["fields"]["body"][0]
    assert not Article.objects.exists() and not Source.objects.exists()


def test_malformed_json_is_a_400_in_the_error_shape(as_alice):
    response = as_alice.post("/api/articles/", data=b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_fact_checker_adds_a_document_for_a_claim(as_alice, corroborating):
    response = as_alice.post(
        "/api/sources/",
        {
            "body": "Officials said 1,000 troops arrived on Monday. The ministry confirmed it.",
            "title": "Ministry statement",
            "outlet": "Ministry",
            "claim": corroborating.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    source_id = response.json()["source"]["id"]
    assert Evidence.objects.filter(claim=corroborating, source_id=source_id).exists()


def test_reviewer_attaches_a_url_which_a_worker_fetches(
    as_bob, corroborating, django_capture_on_commit_callbacks
):
    with receiver() as rx:
        rx.pages["/wire"] = (200, "text/html; charset=utf-8", HTML)
        with django_capture_on_commit_callbacks(execute=True):
            response = as_bob.post(
                "/api/sources/", {"url": rx.url("/wire"), "claim": corroborating.pk}, format="json"
            )
    assert response.status_code == 202, response.json()
    req = SourceRequest.objects.get(pk=response.json()["request"]["id"])
    assert req.status == "fetched", req.last_error
    assert req.source.url == rx.url("/wire")
    evidence = Evidence.objects.filter(claim=corroborating, source=req.source)
    assert evidence.exists()
    shown = as_bob.get(f"/api/source-requests/{req.pk}/").json()
    assert shown["status"] == "fetched" and shown["source"] == req.source_id


def test_failed_fetch_is_recorded_with_its_reason(
    as_bob, corroborating, django_capture_on_commit_callbacks
):
    with receiver() as rx:
        with django_capture_on_commit_callbacks(execute=True):
            response = as_bob.post(
                "/api/sources/",
                {"url": rx.url("/missing"), "claim": corroborating.pk},
                format="json",
            )
    req = SourceRequest.objects.get(pk=response.json()["request"]["id"])
    assert req.status == "failed"
    assert "404" in req.last_error
    assert req.attempts == 1


def test_transient_fetch_failure_is_retried_then_recorded(corroborating, bob):
    from workers import sources

    with receiver() as rx:
        rx.pages["/flaky"] = (503, "text/plain", b"busy")
        req = SourceRequest.objects.create(
            url=rx.url("/flaky"), claim=corroborating, requested_by=bob
        )
        first = sources.fetch_source_request(req.pk)
        assert first.status == "retry"
        req.refresh_from_db()
        assert req.status == "pending" and "503" in req.last_error
        rx.pages["/flaky"] = (200, "text/html; charset=utf-8", HTML)
        second = sources.fetch_source_request(req.pk)
    assert second.status == "done"
    req.refresh_from_db()
    assert req.status == "fetched" and req.attempts == 2


def test_private_addresses_are_refused_outside_tests(corroborating, bob):
    from workers import sources

    req = SourceRequest.objects.create(
        url="http://127.0.0.1:9/x", claim=corroborating, requested_by=bob
    )
    with override_settings(FACTCHECK_FETCH_ALLOW_PRIVATE=False):
        outcome = sources.fetch_source_request(req.pk)
    assert outcome.status == "failed"
    assert "loopback" in outcome.reason
    assert Claim.objects.filter(pk=corroborating.pk).exists()
