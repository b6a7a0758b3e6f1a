"""Importing published fact-checks: the command on each format (a file, a page fetched
through the hardened client), the API, idempotency on the review URL, the size cap, and
nothing half-written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import FactCheck, FactCheckTerm
from tests.conftest import ROOT
from tests.fetching.localserver import respond, start_server
from tests.publishing.conftest import claim_review
from workers import factchecks, matching

pytestmark = pytest.mark.django_db

DEMO_FEED = ROOT / "seeds" / "factchecks" / "demo-claimreview-feed.json"
ONE = claim_review("https://fc.example/one", "The moon is made of cheese.")
TWO = claim_review("https://fc.example/two", "Water boils at 50 degrees.", rating="Mostly false")


def _import(target) -> str:
    out = io.StringIO()
    call_command("import_factchecks", str(target), stdout=out)
    return out.getvalue()


@pytest.fixture
def local_server():
    srv, state = start_server()
    yield state
    srv.shutdown()
    srv.server_close()


def test_the_demo_feed_reports_imported_skipped_and_matched():
    out = _import(DEMO_FEED)
    assert "(datafeed): 6 imported, 0 updated, 0 unchanged, 1 skipped, 0 matched" in out
    assert "skipped item 6: no reviewRating" in out
    assert FactCheck.objects.count() == 6
    # Everything the issue asks to keep about a fact-check.
    fc = FactCheck.objects.get(review_url__endswith="north-korea-share-of-russian-shells")
    assert (fc.publisher, fc.rating_text, fc.rating_value, fc.language) == (
        "Demo Verify Desk (fictional)",
        "Missing context",
        3.0,
        "en",
    )
    assert fc.review_date.isoformat() == "2025-02-04"
    assert fc.appearances[0]["url"].startswith("https://news.example/")
    assert fc.raw["@type"] == "ClaimReview" and fc.origin.endswith("demo-claimreview-feed.json")
    assert FactCheckTerm.objects.filter(factcheck=fc).count() >= 5


def test_importing_twice_writes_nothing_and_a_changed_item_is_updated(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([ONE, TWO]))
    assert "2 imported" in _import(path)
    first = {fc.review_url: fc.updated_at for fc in FactCheck.objects.all()}
    assert "0 imported, 0 updated, 2 unchanged" in _import(path)
    assert {fc.review_url: fc.updated_at for fc in FactCheck.objects.all()} == first
    # The same review under a trailing slash and a fragment is the same fact-check.
    changed = {**ONE, "url": "https://FC.example/one/#top", "claimReviewed": "The moon is cheese."}
    path.write_text(json.dumps([changed, TWO]))
    assert "0 imported, 1 updated, 1 unchanged" in _import(path)
    assert FactCheck.objects.count() == 2
    assert FactCheck.objects.get(review_url__startswith="https://FC").claim_reviewed == (
        "The moon is cheese."
    )


def test_json_lines_and_a_file_over_the_cap(tmp_path, settings):
    path = tmp_path / "reviews.jsonl"
    path.write_text(json.dumps(ONE) + "\n" + json.dumps(TWO) + "\n")
    assert "(jsonl): 2 imported" in _import(path)
    settings.FACTCHECK_IMPORT_MAX_BYTES = 1024
    big = tmp_path / "big.json"
    big.write_text(
        json.dumps([claim_review(f"https://fc.example/{n}", "x y z") for n in range(20)])
    )
    with pytest.raises(CommandError, match=r"refused: .* bytes; the import limit is 1,024"):
        _import(big)
    assert FactCheck.objects.count() == 2


def test_a_file_that_is_not_utf8_or_not_claimreview_is_refused_with_the_reason(tmp_path):
    latin = tmp_path / "latin.json"
    latin.write_bytes('[{"claimReviewed": "caf\u00e9"}]'.encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        _import(latin)
    junk = tmp_path / "junk.json"
    junk.write_text("{this is not json")
    with pytest.raises(CommandError, match="not read: not JSON"):
        _import(junk)
    with pytest.raises(CommandError, match="no such file"):
        _import(tmp_path / "missing.json")
    assert not FactCheck.objects.exists()


def test_an_html_page_is_fetched_through_the_hardened_client(local_server):
    page = (
        "<html><head>"
        f'<script type="application/ld+json">{json.dumps(ONE)}</script>'
        f'<script type="application/ld+json">{json.dumps({"@graph": [TWO]})}</script>'
        "</head><body>A fact-check page</body></html>"
    ).encode()
    local_server.route("/check")(lambda h: respond(h, 200, page, "text/html; charset=utf-8"))
    local_server.route("/robots.txt")(lambda h: respond(h, 404, b"", "text/plain"))
    out = _import(local_server.url("/check"))
    assert "(html): 2 imported" in out
    assert FactCheck.objects.get(review_url="https://fc.example/two").rating_text == "Mostly false"


def test_a_url_over_the_cap_is_refused_by_the_client(local_server, settings):
    settings.FACTCHECK_IMPORT_MAX_BYTES = 2048
    body = json.dumps([claim_review(f"https://fc.example/{n}", "a b c") for n in range(40)])
    local_server.route("/feed.json")(lambda h: respond(h, 200, body.encode(), "application/json"))
    local_server.route("/robots.txt")(lambda h: respond(h, 404, b"", "text/plain"))
    with pytest.raises(CommandError, match="over the import limit"):
        _import(local_server.url("/feed.json"))
    assert not FactCheck.objects.exists()


def test_a_failure_half_way_writes_nothing(tmp_path, monkeypatch):
    def fail_half_way(fcs):
        real(fcs[:1])  # some of the lookup keys are written, then the database goes away
        raise RuntimeError("the database went away")

    real = matching.index_factchecks
    monkeypatch.setattr(matching, "index_factchecks", fail_half_way)
    path = tmp_path / "two.json"
    path.write_text(json.dumps([ONE, TWO]))
    with pytest.raises(RuntimeError):
        _import(path)
    assert not FactCheck.objects.exists() and not FactCheckTerm.objects.exists()


# --- the API ------------------------------------------------------------------------------


def test_api_import_by_fact_checkers_only(as_alice, as_bob, as_charlie, as_anon_client):
    assert as_anon_client.post("/api/factchecks/", ONE, format="json").status_code == 401
    assert as_charlie.post("/api/factchecks/", ONE, format="json").status_code == 403
    assert as_bob.post("/api/factchecks/", ONE, format="json").status_code == 403
    response = as_alice.post("/api/factchecks/", [ONE, TWO, {"@type": "Thing"}], format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["imported"], body["skipped"], body["matched"]) == (2, 1, None)
    assert body["skipped_items"] == [{"position": "item 3", "reason": "not a ClaimReview (Thing)"}]
    again = as_alice.post("/api/factchecks/", [ONE, TWO], format="json")
    assert again.status_code == 200 and again.json()["unchanged"] == 2
    listed = as_bob.get("/api/factchecks/").json()["results"]
    assert {r["review_url"] for r in listed} == {"https://fc.example/one", "https://fc.example/two"}
    one = next(r for r in listed if r["review_url"].endswith("one"))
    assert as_bob.get(f"/api/factchecks/{one['id']}/").json()["raw"]["@type"] == "ClaimReview"


@pytest.mark.parametrize(
    "body",
    [[{"@type": "Thing"}], {"@type": "ClaimReview", "url": "https://x.example/1"}, []],
)
def test_api_import_with_nothing_readable_is_a_400_with_the_reasons(as_alice, body):
    response = as_alice.post("/api/factchecks/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "items" in response.json()["fields"]
    assert not FactCheck.objects.exists()


@pytest.fixture
def as_anon_client(db):
    from tests.api.conftest import client_for

    return client_for()


def test_the_command_needs_a_target_or_a_query():
    with pytest.raises(CommandError, match="one of them"):
        call_command("import_factchecks", stdout=io.StringIO())


def test_read_target_hints(tmp_path):
    assert factchecks.hint_for("a/b.ndjson") == "jsonl"
    assert factchecks.hint_for("x", "text/html; charset=utf-8") == "html"
    assert factchecks.hint_for("feed.json") == "json"
    assert Path(DEMO_FEED).is_file()
