"""Turnaround metrics on a fixed fixture, checked against hand-computed figures
(tests/metrics/fixture.py shows the arithmetic), in JSON, on the page and in its SVG."""

from __future__ import annotations

import re

import pytest

from claims import metrics
from tests.metrics import fixture

pytestmark = pytest.mark.django_db


def test_percentiles_interpolate_between_the_closest_ranks():
    assert metrics.percentile([], 50) is None
    assert metrics.percentile([7], 90) == 7
    assert metrics.percentile([10, 30, 50, 72], 50) == 40
    assert metrics.percentile([72, 10, 50, 30], 90) == pytest.approx(65.4)
    assert metrics.percentile([1, 2, 3, 4, 5], 50) == 3


def _weeks(m):
    by = {w.week: w for w in m.per_week}
    _, _, mondays = metrics.window(3)
    return by[mondays[0].isoformat()], by[mondays[1].isoformat()], by[mondays[2].isoformat()]


def test_figures_match_the_hand_computed_ones(alice, fiona):
    claims = fixture.build(alice, fiona)

    m = metrics.compute(3)

    a, b, this_week = _weeks(m)
    assert (a.extracted, a.ruled, a.signed_off) == (4, 4, 2)
    assert (a.to_ruling.n, a.to_ruling.median_hours, a.to_ruling.p90_hours) == (4, 40.0, 65.4)
    assert (a.to_assignment.median_hours, a.to_assignment.p90_hours) == (3.0, 6.8)
    assert (a.to_sign_off.n, a.to_sign_off.median_hours, a.to_sign_off.p90_hours) == (2, 36.0, 45.6)
    assert (b.extracted, b.ruled, b.signed_off) == (2, 1, 0)
    assert (b.to_ruling.median_hours, b.to_ruling.p90_hours) == (6.0, 6.0)
    assert (b.to_assignment.median_hours, b.to_assignment.p90_hours) == (2.5, 2.9)
    assert b.to_sign_off.n == 0 and b.to_sign_off.median_hours is None
    assert (this_week.extracted, this_week.ruled) == (0, 0)
    assert (m.overall["to_ruling"].median_hours, m.overall["to_ruling"].p90_hours) == (30.0, 63.2)
    assert m.overall["to_assignment"].median_hours == 2.5
    assert m.overall["to_assignment"].p90_hours == 6.0
    assert m.per_checker == [
        {"username": "fiona", "open": 1, "rulings": 2, "sign_offs": 2},
        {"username": "alice", "open": 0, "rulings": 4, "sign_offs": 0},
    ]
    assert m.oldest_waiting["id"] == claims["c7"].pk
    assert m.oldest_waiting["age_hours"] > 240 + 14 * 24
    assert m.sign_off_recorded is True


def test_sign_off_figures_appear_only_once_the_log_has_sign_offs(alice, fiona):
    fixture.build(alice, fiona, sign_off=False)

    m = metrics.compute(3)

    a, _, _ = _weeks(m)
    assert m.sign_off_recorded is False
    assert a.signed_off is None and a.to_sign_off is None
    assert m.overall["to_sign_off"] is None
    assert a.to_ruling.median_hours == 40.0  # the rest is unchanged


def test_the_api_returns_the_same_figures(alice, fiona):
    from tests.api.conftest import client_for

    fixture.build(alice, fiona)

    got = client_for(alice).get("/api/metrics/?weeks=3")
    bad = client_for(alice).get("/api/metrics/?weeks=0")
    unknown = client_for(alice).get("/api/metrics/?week=3")

    assert got.status_code == 200
    body = got.json()
    assert body == metrics.compute(3).as_dict() | {"oldest_waiting": body["oldest_waiting"]}
    week_a = body["per_week"][0]
    assert week_a["to_ruling"] == {"n": 4, "median_hours": 40.0, "p90_hours": 65.4}
    assert body["overall"]["to_ruling"]["median_hours"] == 30.0
    assert bad.status_code == 400 and "weeks" in bad.json()["fields"]
    assert unknown.status_code == 400
    assert client_for().get("/api/metrics/").status_code == 401


def test_someone_without_a_role_cannot_read_the_metrics(charlie):
    from tests.api.conftest import client_for

    assert client_for(charlie).get("/api/metrics/").status_code == 403


def test_the_metrics_page_draws_its_charts_as_svg_under_a_strict_csp(alice, fiona, client):
    fixture.build(alice, fiona)
    client.force_login(alice)

    index = client.get("/admin/").content.decode()
    page = client.get("/admin/claims/claim/metrics/?weeks=3")

    assert 'href="/admin/claims/claim/metrics/"' in index
    assert page.status_code == 200
    html = page.content.decode()
    content = html[html.index('<div id="content-main"') : html.index("<!-- END Content -->")]
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", content, flags=re.S)
    # Claims per week, to assignment, to ruling, to sign-off, per checker.
    assert len(svgs) == 5
    for svg in svgs:
        assert "<title>" in svg and "<desc>" in svg
    # Nothing the CSP would block: no script, no inline style, nothing from elsewhere.
    assert "<script" not in content
    assert "style=" not in content and "<style" not in content
    assert not re.search(r'(src|href)="(https?:)?//', content)
    assert "/static/claims/metrics.css" in html
    # The figures on the page are the computed ones.
    assert "40.0 · 65.4" in content  # week A, to ruling
    assert re.search(r"<td>fiona</td><td>1</td><td>2</td>", content)
    assert 'id="oldest-waiting"' in content


def test_the_page_says_when_no_sign_off_is_recorded(alice, fiona, client):
    fixture.build(alice, fiona, sign_off=False)
    client.force_login(alice)

    html = client.get("/admin/claims/claim/metrics/").content.decode()

    assert "No sign-off is recorded yet" in html
    assert "FACTCHECK_SIGNOFF_REQUIRED" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="fc-svg-chart"') == 4


def test_the_charts_escape_what_they_draw():
    from claims.admin import charts

    svg = charts.horizontal_bars(
        [("<script>alert(1)</script>", (3, 1))],
        [("open", "fc-s-open"), ("rulings", "fc-s-ruled")],
        title="t & t",
        desc="d",
    )

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "t &amp; t" in svg


def test_a_reviewer_sees_the_page_an_outsider_does_not(bob, charlie, client):
    client.force_login(bob)
    assert client.get("/admin/claims/claim/metrics/").status_code == 200
    charlie.is_staff = True
    charlie.save()
    client.force_login(charlie)
    assert client.get("/admin/claims/claim/metrics/").status_code == 403
