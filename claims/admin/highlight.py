"""Marking spans of untrusted article text as HTML: every piece of text is escaped here.

Article bodies and claim texts come from outside; the only markup in the output is the
<mark>/<a> elements built below with format_html.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    css: str
    title: str = ""
    href: str = ""
    anchor: str = ""
    badge: str = ""  # a short marker shown after the span, e.g. "⚑ 2"


def _open_tag(m: Mark) -> SafeString:
    if m.href:
        return format_html(
            '<a class="fc-mark {}" href="{}" title="{}"{}>',
            m.css,
            m.href,
            m.title,
            format_html(' id="{}"', m.anchor) if m.anchor else "",
        )
    return format_html(
        '<mark class="fc-mark {}" title="{}"{}>',
        m.css,
        m.title,
        format_html(' id="{}"', m.anchor) if m.anchor else "",
    )


def highlight(text: str, marks: list[Mark], *, offset: int = 0) -> SafeString:
    """`text` (which starts at `offset` of the body) with the marks inside it wrapped.

    Marks are clipped to the text; one that overlaps an earlier mark is dropped rather
    than producing crossed tags.
    """
    out: list[str] = []
    pos = 0
    end_of_text = len(text)
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        start, end = max(m.start - offset, 0), min(m.end - offset, end_of_text)
        if start >= end or start < pos:
            continue
        out.append(conditional_escape(text[pos:start]))
        out.append(_open_tag(m))
        out.append(conditional_escape(text[start:end]))
        out.append(mark_safe("</a>" if m.href else "</mark>"))  # noqa: S308 (constant markup)
        if m.badge:
            out.append(format_html('<sup class="fc-mark-badge">{}</sup>', m.badge))
        pos = end
    out.append(conditional_escape(text[pos:]))
    return mark_safe("".join(str(piece) for piece in out))  # noqa: S308 (pieces escaped above)


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (text between blank-ish line breaks) around a span."""
    before = body.rfind("\n", 0, start)
    after = body.find("\n", end)
    return (before + 1 if before >= 0 else 0, after if after >= 0 else len(body))
