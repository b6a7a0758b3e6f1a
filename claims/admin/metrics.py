"""The Metrics page, the CSV export action and following claims, for the claim admin.

`MetricsViews` is mixed into `claims.admin.claims.ClaimAdmin`: the page is
/admin/claims/claim/metrics/ (linked from the admin index and the claim list), its
figures are `claims.metrics.compute` (the same as `GET /api/metrics/`), and its charts
are SVG drawn on the server (`claims.admin.charts`), so it works under a strict CSP.
"""

from __future__ import annotations

from datetime import date

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from claims import alerts, export, metrics
from claims.admin import charts

WEEK_CHOICES = (4, 8, 12, 26, 52)


def week_label(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%b}"


def metrics_charts(m: metrics.Metrics) -> list[dict]:
    """The page's charts (inline SVG) with an id and a caption each."""
    labels = [week_label(w.week) for w in m.per_week]
    counts: list[charts.Series] = [
        ("extracted", "fc-s-extracted", [w.extracted for w in m.per_week]),
        ("ruled", "fc-s-ruled", [w.ruled for w in m.per_week]),
    ]
    if m.sign_off_recorded:
        counts.append(("signed off", "fc-s-signed", [w.signed_off for w in m.per_week]))
    out = [
        {
            "id": "chart-claims-per-week",
            "caption": "Claims per week",
            "svg": charts.grouped_bars(
                labels,
                counts,
                title="Claims extracted, ruled and signed off per week",
                desc=f"{sum(w.extracted for w in m.per_week)} extracted and "
                f"{sum(w.ruled for w in m.per_week)} ruled over {m.weeks} weeks",
            ),
        }
    ]
    spans = [("to_assignment", "first assignment"), ("to_ruling", "ruling")]
    if m.sign_off_recorded:
        spans.append(("to_sign_off", "sign-off"))
    for key, what in spans:
        spreads = [getattr(w, key) for w in m.per_week]
        out.append(
            {
                "id": f"chart-{key.replace('_', '-')}",
                "caption": f"Hours from extraction to {what}",
                "svg": charts.lines(
                    labels,
                    [
                        ("median", "fc-s-median", [s.median_hours for s in spreads]),
                        ("90th percentile", "fc-s-p90", [s.p90_hours for s in spreads]),
                    ],
                    title=f"Hours from extraction to {what}, per week",
                    desc=f"median and 90th percentile of the hours from extraction to {what} "
                    "for the claims that reached it each week",
                    unit="h",
                ),
            }
        )
    if m.per_checker:
        out.append(
            {
                "id": "chart-per-checker",
                "caption": "Per fact-checker: open load and rulings",
                "svg": charts.horizontal_bars(
                    [(r["username"], (r["open"], r["rulings"])) for r in m.per_checker],
                    [("open claims assigned", "fc-s-open"), ("rulings", "fc-s-ruled")],
                    title="Open claims assigned and rulings made, per fact-checker",
                    desc=f"over the last {m.weeks} weeks",
                ),
            }
        )
    return out


class MetricsViews:
    """Views and actions the claim admin gains (see the module docstring)."""

    def metrics_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            weeks = int(request.GET.get("weeks", metrics.DEFAULT_WEEKS))
        except ValueError:
            weeks = metrics.DEFAULT_WEEKS
        weeks = max(1, min(weeks, metrics.MAX_WEEKS))
        m = metrics.compute(weeks)
        return TemplateResponse(
            request,
            "admin/claims/claim/metrics.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Metrics: turnaround and load",
                "m": m,
                "charts": metrics_charts(m),
                "weeks": weeks,
                "week_choices": sorted({*WEEK_CHOICES, weeks}),
                "rows": [{"w": w, "label": week_label(w.week)} for w in reversed(m.per_week)],
                "export_columns": export.COLUMNS,
            },
        )

    @admin.action(description="Export the selected claims to CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return export.response(queryset)

    @admin.action(description="Follow (alert me to new flags)", permissions=["view"])
    def follow_claims(self, request, queryset):
        n = sum(alerts.follow(request.user, claim) for claim in queryset)
        self.message_user(
            request,
            f"Following {n} more claim(s). New flags on them are alerts for you if "
            "'a claim I follow gets a new flag' is on in your alert preferences.",
            messages.SUCCESS,
        )

    @admin.action(description="Stop following", permissions=["view"])
    def unfollow_claims(self, request, queryset):
        n = sum(alerts.unfollow(request.user, claim) for claim in queryset)
        self.message_user(request, f"Stopped following {n} claim(s).", messages.SUCCESS)
