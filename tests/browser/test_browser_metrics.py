"""The Metrics page in Chromium, under a strict Content-Security-Policy added to every
response (what django-csp will send): the charts render, their colours come from the
static stylesheet, and the browser reports no violation."""

from __future__ import annotations

import pytest

from tests.metrics import fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def test_the_metrics_page_renders_its_svg_charts_under_a_strict_csp(
    chromium, live_server, alice, fiona, screenshot
):
    fixture.build(alice, fiona)
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)

    def with_csp(route):
        response = route.fetch()
        route.fulfill(
            response=response,
            headers={**response.headers, "content-security-policy": STRICT_CSP},
        )

    context.route("**/*", with_csp)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{page.url}: {msg.text}"))
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", "alice")
        page.fill("#id_password", "pw-alice")
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")

        page.click("#metrics-link")
        page.wait_for_selector("#chart-claims-per-week svg")
        page.select_option("#id_weeks", "4")
        page.click("#metrics-window input[type=submit]")
        page.wait_for_url("**/metrics/?weeks=4")
        page.wait_for_selector("#chart-to-ruling svg")

        assert page.locator("svg.fc-svg-chart").count() == 5
        bars = page.locator("#chart-claims-per-week rect.fc-s-ruled")
        assert bars.count() == 4 + 1  # one per week of the window, and the legend's swatch
        box = page.locator("#chart-claims-per-week svg").bounding_box()
        assert box and box["width"] > 400 and box["height"] > 100
        # The stylesheet (not an inline style) coloured the marks.
        fill = page.eval_on_selector(
            "#chart-claims-per-week rect.fc-s-ruled", "el => getComputedStyle(el).fill"
        )
        assert fill == "rgb(47, 125, 70)"
        line = page.eval_on_selector(
            "#chart-to-ruling polyline.fc-s-median", "el => getComputedStyle(el).fill"
        )
        assert line == "none"
        rows = page.locator("#metrics-weeks tbody tr")
        assert rows.count() == 4
        assert "40.0 · 65.4" in page.inner_text("#metrics-weeks")
        assert "fiona" in page.inner_text("#metrics-checkers")
        screenshot(page, "metrics")
    finally:
        context.close()

    # The Metrics pages only: Django's own login page has an inline style that the CSP
    # issue (django-csp) deals with; nothing on this page may need one.
    violations = [m for m in console if "Content Security Policy" in m and "/metrics/" in m]
    assert violations == []
