"""Archived evidence: the bytes a real local server sent, kept with their hash, headers and
final URL; downloaded as an attachment that is never a page of ours; frozen into rulings;
pruned past retention."""

from __future__ import annotations

import gzip
import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims import workflow
from claims.models import Archive, ClaimState, Evidence, Source, SourceRequest
from tests.api.conftest import client_for
from tests.factories import claim_in_state
from tests.fetching.localserver import respond, start_server
from workers import archive, corpus, sources

pytestmark = pytest.mark.django_db

PAGE = (
    b"<!DOCTYPE html><html><head><title>Army denies withdrawal</title>"
    b"<script>alert('would run if rendered')</script></head><body><article>"
    b"<h1>Army denies withdrawal</h1><p>The army denied that it withdrew troops from Kalmar; "
    b"reports of a withdrawal from the border town were simply wrong.</p></article></body></html>"
)


@pytest.fixture
def server(settings):
    settings.FACTCHECK_FETCH_HOST_INTERVAL = 0.0
    srv, state = start_server()
    yield state
    srv.shutdown()
    srv.server_close()


def _fetch(url: str) -> Source:
    req = SourceRequest.objects.create(url=url)
    outcome = sources.fetch_source_request(req.pk)
    assert outcome.status == "done", outcome.reason
    return Source.objects.select_related("archive").get(pk=outcome.source_id)


def test_the_hash_is_the_hash_of_the_bytes_served(server):
    server.routes["/page.html"] = lambda h: respond(
        h, 200, PAGE, "text/html; charset=utf-8", {"X-Served-By": "local"}
    )

    source = _fetch(server.url("/page.html"))

    copy = source.archive
    assert copy.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert copy.size == len(PAGE)
    assert archive.read_body(copy) == PAGE
    assert copy.url == copy.final_url == server.url("/page.html")
    assert copy.status == 200 and copy.content_type == "text/html"
    assert copy.headers["x-served-by"] == "local"
    assert copy.fetched_at <= timezone.now()
    # Kept compressed in the archive storage.
    with archive.storage().open(copy.body_name, "rb") as fh:
        assert gzip.decompress(fh.read()) == PAGE


def test_a_gzip_encoded_page_is_kept_and_hashed_as_the_page(server):
    server.routes["/gz.html"] = lambda h: respond(
        h, 200, gzip.compress(PAGE), "text/html", {"Content-Encoding": "gzip"}
    )

    copy = _fetch(server.url("/gz.html")).archive

    assert copy.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert archive.read_body(copy) == PAGE


def test_a_redirect_keeps_its_final_url(server):
    server.routes["/old"] = lambda h: respond(h, 301, headers={"Location": "/new/page.html"})
    server.routes["/new/page.html"] = lambda h: respond(h, 200, PAGE)

    source = _fetch(server.url("/old"))

    copy = source.archive
    assert copy.url == server.url("/old")
    assert copy.final_url == server.url("/new/page.html")
    assert copy.redirects == [
        {"status": 301, "url": server.url("/old"), "location": server.url("/new/page.html")}
    ]
    assert source.url == server.url("/new/page.html")


def test_fetching_an_unchanged_page_again_archives_nothing_new(server):
    server.routes["/page.html"] = lambda h: respond(h, 200, PAGE)
    first = _fetch(server.url("/page.html"))
    SourceRequest.objects.all().delete()

    again = _fetch(server.url("/page.html"))

    assert again.pk == first.pk and Archive.objects.count() == 1


def _download_checks(response, sha: str) -> bytes:
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Archive-SHA256"] == sha
    assert hashlib.sha256(body).hexdigest() == sha
    return body


def test_the_admin_download_is_an_attachment_whose_hash_checks(server, alice, client):
    server.routes["/page.html"] = lambda h: respond(h, 200, PAGE)
    source = _fetch(server.url("/page.html"))
    client.force_login(alice)

    page = client.get(f"/admin/claims/source/{source.pk}/change/").content.decode()
    download_url = f"/admin/claims/archive/{source.archive_id}/download/"
    response = client.get(download_url)

    assert download_url in page and source.archive.sha256 in page
    assert _download_checks(response, source.archive.sha256) == PAGE


def test_the_api_object_links_the_archived_copy(server, bob):
    server.routes["/page.html"] = lambda h: respond(h, 200, PAGE)
    source = _fetch(server.url("/page.html"))
    api = client_for(bob)

    obj = api.get(f"/api/sources/{source.pk}/").json()
    response = api.get(obj["archive_url"])

    assert obj["archive_sha256"] == hashlib.sha256(PAGE).hexdigest()
    assert obj["archive_url"].endswith(f"/api/sources/{source.pk}/archive/")
    assert obj["archive_final_url"] == server.url("/page.html")
    assert _download_checks(response, obj["archive_sha256"]) == PAGE
    assert client_for().get(obj["archive_url"]).status_code == 401


def test_a_source_submitted_as_text_has_no_archived_copy(alice):
    from workers import ingest

    source, _ = ingest.add_source(body="A document pasted in by hand.", title="pasted")

    obj = client_for(alice).get(f"/api/sources/{source.pk}/").json()
    missing = client_for(alice).get(f"/api/sources/{source.pk}/archive/")

    assert obj["archive_url"] is None and obj["archive_sha256"] is None
    assert missing.status_code == 404


def test_a_warc_record_replays_in_standard_tools(server, settings, alice, client):
    from warcio.archiveiterator import ArchiveIterator

    settings.FACTCHECK_ARCHIVE_WARC = True
    server.routes["/old"] = lambda h: respond(h, 302, headers={"Location": "/page.html"})
    server.routes["/page.html"] = lambda h: respond(
        h, 200, gzip.compress(PAGE), "text/html; charset=utf-8", {"Content-Encoding": "gzip"}
    )
    source = _fetch(server.url("/old"))
    client.force_login(alice)

    response = client.get(f"/admin/claims/archive/{source.archive_id}/download/warc/")
    data = b"".join(response.streaming_content)
    records, payloads = [], []
    for record in ArchiveIterator(io.BytesIO(data)):
        records.append(record)
        payloads.append(record.content_stream().read())

    assert response["Content-Type"] == "application/warc"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    uris = [r.rec_headers.get_header("WARC-Target-URI") for r in records]
    assert uris == [server.url("/old"), server.url("/page.html")]
    redirect, final = records
    assert redirect.http_headers.get_statuscode() == "302"
    assert final.http_headers.get_header("Content-Type") == "text/html; charset=utf-8"
    assert final.http_headers.get_header("Content-Encoding") is None
    assert payloads[0] == b""
    assert hashlib.sha256(payloads[1]).hexdigest() == source.archive.sha256
    api = client_for(alice).get(f"/api/sources/{source.pk}/").json()
    assert api["archive_warc_url"].endswith("/archive/warc/")


def test_the_evidence_set_is_frozen_into_the_ruling(server, alice):
    server.routes["/page.html"] = lambda h: respond(h, 200, PAGE)
    source = _fetch(server.url("/page.html"))
    claim = claim_in_state(ClaimState.CORROBORATING)
    passage = source.passages.first() or corpus.index_source(source) or source.passages.first()
    Evidence.objects.create(
        claim=claim, source=source, passage=passage, stance="contradicts", reason="denied"
    )

    ruling = workflow.rule(claim, user=alice, verdict="disputed", rationale="the army denies it")
    # The source changes later: a new fetch is a new document with a new hash.
    Source.objects.filter(pk=source.pk).update(title="edited afterwards")

    (entry,) = ruling.evidence
    assert entry["stance"] == "contradicts" and entry["reason"] == "denied"
    assert entry["source"]["id"] == source.pk
    assert entry["source"]["title"] == "Army denies withdrawal"
    assert entry["source"]["content_hash"] == source.content_hash
    assert entry["source"]["archive"]["sha256"] == hashlib.sha256(PAGE).hexdigest()
    assert entry["source"]["archive"]["final_url"] == server.url("/page.html")
    assert Archive.objects.get(pk=source.archive_id).pinned is True
    detail = client_for(alice).get(f"/api/claims/{claim.pk}/").json()
    assert detail["transitions"][-1]["evidence"] == ruling.evidence


def test_pruning_deletes_old_bytes_keeps_the_record_and_what_rulings_rest_on(server, alice):
    pages = {name: PAGE.replace(b"Kalmar", name.encode()) for name in ("Avik", "Borg", "Cedar")}
    server.routes["/a.html"] = lambda h: respond(h, 200, pages["Avik"])
    server.routes["/b.html"] = lambda h: respond(h, 200, pages["Borg"])
    server.routes["/c.html"] = lambda h: respond(h, 200, pages["Cedar"])
    old = _fetch(server.url("/a.html")).archive
    pinned = _fetch(server.url("/b.html")).archive
    fresh = _fetch(server.url("/c.html")).archive
    Archive.objects.filter(pk__in=[old.pk, pinned.pk]).update(
        fetched_at=timezone.now() - timedelta(days=40)
    )
    Archive.objects.filter(pk=pinned.pk).update(pinned=True)
    old_name = old.body_name
    out = io.StringIO()

    call_command("prune_archives", "--days", "30", "--dry-run", stdout=out)
    assert "would prune 1 archived copy" in out.getvalue()
    assert archive.storage().exists(old.body_name)
    call_command("prune_archives", "--days", "30", stdout=out)

    old.refresh_from_db()
    assert old.pruned_at and old.body_name == "" and old.sha256
    assert not archive.storage().exists(old_name)
    assert archive.read_body(Archive.objects.get(pk=pinned.pk)) == pages["Borg"]
    assert archive.read_body(Archive.objects.get(pk=fresh.pk)) == pages["Cedar"]
    assert "pruned 1 archived copy" in out.getvalue() and "kept 1" in out.getvalue()
    source = Source.objects.get(archive=old)
    gone = client_for(alice).get(f"/api/sources/{source.pk}/archive/")
    assert gone.status_code == 404
    assert client_for(alice).get(f"/api/sources/{source.pk}/").json()["archive_sha256"]


def test_retention_off_prunes_nothing(settings, server):
    settings.FACTCHECK_ARCHIVE_RETENTION_DAYS = 0
    server.routes["/a.html"] = lambda h: respond(h, 200, PAGE)
    copy = _fetch(server.url("/a.html")).archive
    Archive.objects.filter(pk=copy.pk).update(fetched_at=timezone.now() - timedelta(days=4000))
    out = io.StringIO()

    call_command("prune_archives", stdout=out)

    assert "retention is off" in out.getvalue()
    assert archive.prune()["pruned"] == 0
    assert archive.read_body(Archive.objects.get(pk=copy.pk)) == PAGE


def test_the_retention_setting_is_what_prune_uses(settings, server):
    settings.FACTCHECK_ARCHIVE_RETENTION_DAYS = 7
    server.routes["/a.html"] = lambda h: respond(h, 200, PAGE)
    copy = _fetch(server.url("/a.html")).archive
    Archive.objects.filter(pk=copy.pk).update(fetched_at=timezone.now() - timedelta(days=8))

    assert archive.prune()["pruned"] == 1
