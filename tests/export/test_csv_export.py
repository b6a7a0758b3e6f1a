"""CSV export: formula injection, the list's filters, the documented columns, and streaming
(memory flat on 100,000 rows, measured with tracemalloc)."""

from __future__ import annotations

import csv
import io
import tracemalloc

import pytest
from django.http import StreamingHttpResponse

from claims import export
from claims.models import Article, Claim, ClaimState, content_hash
from tests.api.conftest import client_for
from tests.conftest import ROOT
from tests.factories import ArticleFactory, ClaimFactory, claim_in_state

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _claim_saying(text: str, **kwargs) -> Claim:
    article = ArticleFactory(body=text + " And more.", title=kwargs.pop("title", "t"))
    return ClaimFactory(article=article, start=0, end=len(text), text=text, **kwargs)


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\tleading tab",
        "\rleading return",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_prefixed(alice, text):
    claim = _claim_saying(text, title=text)

    (row,) = _rows(client_for(alice).get("/api/claims/export.csv"))

    assert row["text"] == "'" + text
    assert row["article_title"] == "'" + text
    assert row["claim_id"] == str(claim.pk)


def test_ordinary_cells_are_left_alone():
    assert export.safe_cell("Officials said 11,000 troops") == "Officials said 11,000 troops"
    assert export.safe_cell("a = b") == "a = b"
    assert export.safe_cell(None) == "" and export.safe_cell(True) == "true"
    assert export.safe_cell(42) == "42"


def test_the_export_has_the_documented_columns_and_the_claims_fields(alice):
    claim = claim_in_state(ClaimState.VERIFIED, ruler=alice)
    readme = (ROOT / "README.md").read_text()

    response = client_for(alice).get("/api/claims/export.csv")
    (row,) = _rows(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    assert list(row) == export.HEADER
    for name in export.HEADER:
        assert f"`{name}`" in readme, f"README does not document the column {name}"
    assert row["state"] == row["verdict"] == "verified"
    assert row["ruled_by"] == "alice" and row["rationale"] == "checked against two sources"
    assert row["claim_url"].endswith(f"/api/claims/{claim.pk}/")
    assert row["extracted_at"].endswith("+00:00")


def test_the_export_takes_the_claim_lists_filters(alice):
    verified = claim_in_state(ClaimState.VERIFIED, ruler=alice)
    open_claim = claim_in_state(ClaimState.CORROBORATING)
    Article.objects.filter(pk=open_claim.article_id).update(outlet="Other Outlet")
    api = client_for(alice)

    by_state = _rows(api.get("/api/claims/export.csv?state=verified"))
    by_outlet = _rows(api.get("/api/claims/export.csv?outlet=other outlet"))
    both = _rows(api.get("/api/claims/export.csv?state=verified&state=corroborating"))
    unknown = api.get("/api/claims/export.csv?colour=red")
    paged = api.get("/api/claims/export.csv?page_size=10")

    assert [r["claim_id"] for r in by_state] == [str(verified.pk)]
    assert [r["claim_id"] for r in by_outlet] == [str(open_claim.pk)]
    assert len(both) == 2
    assert unknown.status_code == 400 and "colour" in unknown.json()["fields"]
    assert paged.status_code == 400 and "page_size" in paged.json()["fields"]


def test_only_people_with_a_role_may_export(charlie):
    assert client_for(charlie).get("/api/claims/export.csv").status_code == 403
    assert client_for().get("/api/claims/export.csv").status_code == 401


def test_the_admin_action_exports_the_selected_claims(alice, client):
    chosen = claim_in_state(ClaimState.CORROBORATING)
    claim_in_state(ClaimState.CORROBORATING)
    client.force_login(alice)

    response = client.post(
        "/admin/claims/claim/?queue=all",
        {"action": "export_csv", "_selected_action": [chosen.pk]},
    )

    assert response.status_code == 200
    assert [r["claim_id"] for r in _rows(response)] == [str(chosen.pk)]


@pytest.mark.slow
def test_streaming_100000_rows_keeps_memory_flat(alice):
    """Memory is measured with tracemalloc while the whole response is consumed: the peak
    stays a small fraction of the CSV's size (one page of claims and one batch of rows)."""
    body = "Officials said 1,000 troops arrived on Monday. " * 4
    article = Article.objects.create(
        title="Big export", body=body, content_hash=content_hash(body), outlet="Wire"
    )
    n = 100_000
    text = "=Officials said that about 11,000 troops arrived in the region last November."
    Claim.objects.bulk_create(
        (
            Claim(article=article, start=i, end=i + 10, text=text, checkworthiness=0.5)
            for i in range(n)
        ),
        batch_size=5000,
    )
    client = client_for(alice)
    response = client.get("/api/claims/export.csv")
    assert isinstance(response, StreamingHttpResponse)

    tracemalloc.start()
    total = rows = 0
    try:
        for chunk in response.streaming_content:
            total += len(chunk)
            rows += chunk.count(b"\r\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert rows == n + 1  # the header and every claim
    mb = 1024 * 1024
    print(f"\nCSV export: {n:,} rows, {total / mb:.1f} MB streamed, peak {peak / mb:.1f} MB traced")
    # ~21 MB of CSV went through; the peak (4.7 MB when measured) is a page of claims.
    assert total > 15 * mb
    assert peak < total / 3 and peak < 10 * mb
