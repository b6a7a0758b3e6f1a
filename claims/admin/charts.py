"""Charts drawn on the server as SVG: nothing loaded from elsewhere, no script.

The Metrics page embeds these as inline <svg> elements. They use only elements and
presentation attributes (no `style` attribute, no <style> element, no script, no external
reference), and colours come from classes in the admin's static stylesheet
(claims/static/claims/metrics.css), so they render under a strict Content-Security-Policy
(`default-src 'self'`, no 'unsafe-inline'). Each chart has a <title> and <desc> for screen
readers, every mark a <title> tooltip, and the page shows the same figures in a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 58

Series = tuple[str, str, Sequence[float | None]]  # name, css class, one value per category


def nice_max(value: float) -> tuple[float, float]:
    """An axis top at or above `value` and a tick step of 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step), step


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _frame(
    title: str,
    desc: str,
    body: list[str],
    legend: Sequence[tuple[str, str]],
    height: int = HEIGHT,
) -> SafeString:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fc-svg-chart" viewBox="0 0 {WIDTH} '
        f'{height}" width="{WIDTH}" height="{height}" role="img">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
        *body,
    ]
    x = LEFT
    for name, css in legend:
        parts.append(
            f'<rect class="{css}" x="{x}" y="{height - 16}" width="12" height="12" rx="2"/>'
            f'<text class="fc-svg-legend" x="{x + 16}" y="{height - 6}">{escape(name)}</text>'
        )
        x += 24 + 8 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or numeric


def _axes(top: float, step: float, unit: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = []
    ticks = int(round(top / step))
    for i in range(ticks + 1):
        value = step * i
        y = TOP + plot_h - plot_h * value / top
        out.append(
            f'<line class="fc-svg-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="fc-svg-tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_num(value)}{escape(unit)}</text>"
        )
    return out


def _x_labels(categories: Sequence[str], slot: float) -> list[str]:
    out = []
    every = max(1, math.ceil(len(categories) / 13))  # at most ~13 labels fit
    for i, label in enumerate(categories):
        if i % every:
            continue
        x = LEFT + slot * (i + 0.5)
        out.append(
            f'<text class="fc-svg-tick" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return out


def grouped_bars(
    categories: Sequence[str], series: Sequence[Series], *, title: str, desc: str, unit: str = ""
) -> SafeString:
    """Bars per category, one per series side by side (e.g. extracted / ruled per week)."""
    values = [v for _, _, vs in series for v in vs if v is not None]
    top, step = nice_max(max(values, default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(categories))
    bar_w = slot * 0.8 / max(1, len(series))
    body = _axes(top, step, unit)
    for i, label in enumerate(categories):
        for j, (name, css, vs) in enumerate(series):
            value = vs[i]
            if value is None:
                continue
            h = plot_h * value / top
            x = LEFT + slot * i + slot * 0.1 + bar_w * j
            y = TOP + plot_h - h
            body.append(
                f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}"><title>{escape(label)}: {_num(value)}{escape(unit)} '
                f"{escape(name)}</title></rect>"
            )
    body.append(
        f'<line class="fc-svg-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
        f'y2="{TOP + plot_h}"/>'
    )
    body += _x_labels(categories, slot)
    return _frame(title, desc, body, [(name, css) for name, css, _ in series])


def lines(
    categories: Sequence[str], series: Sequence[Series], *, title: str, desc: str, unit: str = ""
) -> SafeString:
    """A line per series over the categories; a missing value breaks the line."""
    values = [v for _, _, vs in series for v in vs if v is not None]
    top, step = nice_max(max(values, default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(categories))
    body = _axes(top, step, unit)
    for name, css, vs in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(vs):
            if value is None:
                runs.append([])
                continue
            x = LEFT + slot * (i + 0.5)
            y = TOP + plot_h - plot_h * value / top
            runs[-1].append((x, y))
            body.append(
                f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="3.5"><title>'
                f"{escape(categories[i])}: {escape(name)} {_num(value)}{escape(unit)}</title>"
                "</circle>"
            )
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                body.append(f'<polyline class="{css} fc-svg-line" points="{points}"/>')
    body.append(
        f'<line class="fc-svg-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
        f'y2="{TOP + plot_h}"/>'
    )
    body += _x_labels(categories, slot)
    return _frame(title, desc, body, [(name, css) for name, css, _ in series])


def horizontal_bars(
    rows: Sequence[tuple[str, Sequence[float]]],
    names: Sequence[tuple[str, str]],
    *,
    title: str,
    desc: str,
) -> SafeString:
    """One row per label with stacked-beside bars (e.g. a checker's open load and rulings)."""
    row_h = 22
    height = max(1, len(rows)) * row_h * max(1, len(names)) + 40
    label_w = 140
    values = [v for _, vs in rows for v in vs]
    top, _ = nice_max(max(values, default=0))
    plot_w = WIDTH - label_w - RIGHT - 40
    body = []
    y = 8.0
    for label, vs in rows:
        body.append(
            f'<text class="fc-svg-tick" x="{label_w - 8}" y="{y + row_h * len(names) / 2 + 4:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for (name, css), value in zip(names, vs, strict=True):
            w = plot_w * value / top
            body.append(
                f'<rect class="{css}" x="{label_w}" y="{y:.1f}" width="{w:.1f}" '
                f'height="{row_h - 6}"><title>{escape(label)}: {_num(value)} {escape(name)}'
                f'</title></rect><text class="fc-svg-value" x="{label_w + w + 4:.1f}" '
                f'y="{y + row_h - 10:.1f}">{_num(value)}</text>'
            )
            y += row_h
    return _frame(title, desc, body, names, height)
