"""Time references in a sentence, resolved against the article's publication date.

"last November" in an article of 31 Jan 2025 -> 2024-11-01..2024-11-30; "on January 30"
-> 2025-01-30; "for two weeks" -> the two weeks ending at the sentence's anchor (an
explicit date in the same or a nearby earlier sentence, else publication);
"three months later" -> the previous reference shifted, never past publication.
Without a publication date, only references that carry their own year resolve.

All patterns are bounded alternations over a sentence capped by the splitter.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from analysis.numbers import SMALL, TENS
from analysis.types import TimeRef

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    **{word: value for word, value in SMALL.items() if value},
    **TENS,
    "hundred": 100,
    "several": 3,
    "few": 3,
    "couple": 2,
    "a couple of": 2,
    "a few": 3,
}
_UNIT_DAYS = {
    "day": 1,
    "week": 7,
    "month": 30,
    "year": 365,
    "hour": 1 / 24,
    "decade": 3650,
    "fortnight": 14,
}

_MON = r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
_NUMW = r"(?P<num>\d{1,3}|a couple of|a few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred)"
_UNIT = r"(?P<unit>days?|weeks?|months?|years?|hours?|decades?|fortnights?)"

_MON1 = _MON.replace("?P<mon>", "?P<mon1>")
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_Y = r"(?:19|20)\d{2}"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "between August 2024 and February 2025", "from March to June"
    (
        "monthspan",
        re.compile(
            r"\b(?:between|from)\s+"
            + _MON1
            + r"(?:\s+(?P<y1>"
            + _Y
            + r"))?\s+(?:and|to|until|through|till)\s+"
            + _MON2
            + r"\b(?:\s+(?P<y2>"
            + _Y
            + r")\b)?",
            re.I,
        ),
    ),
    # "between 2019 and 2023", "from 2019 to 2023"
    (
        "yearspan",
        re.compile(
            r"\b(?:between|from)\s+(?P<y1>"
            + _Y
            + r")\s+(?:and|to|until|through|till)\s+(?P<y2>"
            + _Y
            + r")\b",
            re.I,
        ),
    ),
    # Statistics periods: "in the three months to September", "the year to March 2025"
    (
        "periodto",
        re.compile(
            r"\b(?:in\s+|over\s+|during\s+)?the\s+(?:(?P<num>\d{1,2}|two|three|four|six|nine|twelve)\s+)?"
            r"(?P<unit>months?|quarter|year)\s+(?:to|ending(?:\s+in)?|ended|through)\s+(?:the\s+end\s+of\s+)?"
            + _MON
            + r"\b\.?(?:\s?(?P<d>[0-3]?\d)\b)?(?:,?\s+(?P<y>"
            + _Y
            + r")\b)?",
            re.I,
        ),
    ),
    # "this year through Tuesday's close", "so far this year to March 3"
    (
        "todate",
        re.compile(
            r"\b(?:so\s+far\s+)?(?P<p>this\s+year|this\s+month|this\s+week|year[\s-]to[\s-]date)\s+"
            r"(?:through|to|until|till|up\s+to)\s+(?:(?:(?:last|this)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
            r"(?:['\u2019]s)?|" + _MON + r"\.?\s+(?P<d>[0-3]?\d)\b)",
            re.I,
        ),
    ),
    # "the same day", "the next day", "the day before": relative to the event date just reported
    (
        "sameday",
        re.compile(
            r"\b(?P<w>(?:that\s+)?(?:the\s+)?same\s+day|that\s+day|the\s+(?:previous|next|following)\s+day|"
            r"the\s+day\s+(?:before|after)|a\s+day\s+(?:earlier|later))\b",
            re.I,
        ),
    ),
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    (
        "mdy",
        re.compile(
            _MON
            + r"(?:\.\s*|\s+)(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d{2})\b)?",
            re.I,
        ),
    ),
    (
        "dmy",
        re.compile(
            r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MON
            + r"\b\.?(?:,?\s+(?P<y>(?:19|20)\d{2})\b)?",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?:(?P<rel>last|this|next|early|late|mid|mid-|earlier this|since|in|until|by)\s+)?"
            + _MON
            + r"\b(?!\.?\s+[0-3]?\d\b)(?:,?\s+(?P<y>(?:19|20)\d{2})\b)?",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(?P<rel>last|this|next|on|since|by)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
            re.I,
        ),
    ),
    (
        "dayword",
        re.compile(
            r"\b(?P<w>yesterday|today|tonight|tomorrow|this morning|this afternoon|this evening|last night)\b",
            re.I,
        ),
    ),
    (
        "period",
        re.compile(
            r"\b(?P<rel>last|this|next|past|earlier this|later this|previous|coming)\s+(?P<p>week|month|year|weekend|decade|quarter)\b",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b"
            + _NUMW
            + r"\s+"
            + _UNIT
            + r"\s+(?P<dir>ago|earlier|later|before|after|afterwards|from now)\b",
            re.I,
        ),
    ),
    (
        "duration",
        re.compile(
            r"\b(?P<prep>for|in|over|within|during)\s+(?:(?:the|a)\s+)?(?:(?:past|last|previous|next|coming|first|nearly|almost|about|around|more than|over|at least|roughly)\s+){0,2}"
            + _NUMW
            + r"?\s*"
            + _UNIT
            + r"\b",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?P<prep>in|since|by|from|during|until|of|through|before|after|early|late|mid-?)\s+(?P<y>(?:19|20)\d{2})\b(?!\s*(?:%|percent|people|troops))",
            re.I,
        ),
    ),
]


def find_times(
    sentence: str,
    offset: int,
    published: date | None,
    anchor: date | None = None,
    previous: TimeRef | None = None,
) -> list[TimeRef]:
    """Time references in `sentence` (body offsets = `offset` + sentence offsets).

    `anchor` is the date the sentence is about when a nearby sentence named one;
    `previous` is the last resolved reference before this sentence ("three months later").
    """
    found: list[tuple[int, int, str, str | None, str | None, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(sentence):
            s, e = m.span()
            if any(a < e and s < b for a, b in taken):
                continue
            base = previous
            if kind in ("ago", "sameday"):
                # "a month earlier" counts from the nearest earlier reference in this sentence,
                # unless that reference only opens a "since ..." span (then from the event
                # date the previous sentence reported).
                before = [
                    f
                    for f in found
                    if f[1] <= s
                    and f[3]
                    and not _SINCE_BEFORE.search(sentence, max(0, f[0] - 60), f[0])
                    and f[5][:6].lower() != "since "
                ]
                if before:
                    f = max(before, key=lambda f: f[1])
                    base = TimeRef(
                        text=f[5], start=f[0], end=f[1], kind=f[2], start_date=f[3], end_date=f[4]
                    )
            res = _resolve(kind, m, published, anchor, base, sentence)
            if res is None:
                continue
            tkind, lo, hi = res
            taken.append((s, e))
            found.append((s, e, tkind, lo, hi, m.group(0)))
            if kind in ("month", "year") and tkind == "range" and _WHEN_AFTER.match(sentence, e):
                # "since August 2022, when explosions destroyed ...": the month itself is an event date.
                point = _resolve(kind, _NoRel(m), published, anchor, base, sentence)
                if point and point[1]:
                    found.append((s, e, point[0], point[1], point[2], m.group(0)))
    found.sort()
    refs = [
        TimeRef(text=t, start=offset + s, end=offset + e, kind=k, start_date=lo, end_date=hi)
        for s, e, k, lo, hi, t in found
    ]
    # Resolve a date first, then let explicit dates anchor later durations in the same sentence.
    return refs


_SINCE_BEFORE = re.compile(r"\bsince\b[^,;]{0,50}$", re.I)
_WHEN_AFTER = re.compile(r",?\s+when\b", re.I)


class _NoRel:
    """A match wrapper that hides the "since" so the month/year resolves as a point."""

    def __init__(self, m: re.Match[str]) -> None:
        self._m = m

    def groupdict(self):
        g = dict(self._m.groupdict())
        if "rel" in g:
            g["rel"] = None
        if "prep" in g:
            g["prep"] = "in"
        return g

    def group(self, i=0):
        return self._m.group(i)

    def start(self, *a):
        return self._m.start(*a)

    def end(self, *a):
        return self._m.end(*a)


# Tense of the clause a time reference sits in: the words before it, back to a clause boundary.
_FUTURE_CLAUSE = re.compile(
    r"\b(?:will|would|shall|won't|wouldn't|going\s+to|(?:is|are|was|were)\s+(?:\w+\s+)?(?:expected|due|scheduled|set|slated|"
    r"planned|poised)|plans?\s+to|planned\s+to|intends?\s+to|to\s+be\s+held|next|upcoming|coming)\b",
    re.I,
)
_PAST_CLAUSE = re.compile(
    r"\b(?:\w{2,}ed|said|told|was|were|had|did|took|began|made|met|held|won|lost|left|came|went|"
    r"saw|struck|hit|fell|rose|grew|sent|fled|ran|paid|sold|bought|spent|led|fought|became)\b",
    re.I,
)


def _clause_tense(sentence: str, pos: int) -> str:
    """ "future", "past" or "" for the clause ending at `pos` (bounded look-back)."""
    left = sentence[max(0, pos - 80) : pos]
    cut = 0
    for m in re.finditer(r"[,;:\u2014]|\b(?:that|which|who|but|while|when)\b", left, re.I):
        cut = m.end()
    clause = left[cut:]
    if _FUTURE_CLAUSE.search(clause):
        return "future"
    if _PAST_CLAUSE.search(clause):
        return "past"
    return ""


def explicit_anchor(refs: list[TimeRef]) -> date | None:
    """The last single-day reference, which durations in nearby sentences count back from."""
    for r in reversed(refs):
        if r.kind == "date" and r.start_date and r.start_date == r.end_date:
            return date.fromisoformat(r.start_date)
    return None


def _num(word: str | None) -> float | None:
    if not word:
        return 1
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    return NUMBER_WORDS.get(w)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _month_range(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, k: int) -> date:
    y, m = divmod(d.month - 1 + k, 12)
    y += d.year
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


_FUTURE = re.compile(
    r"\b(?:will|shall|next|upcoming|coming|scheduled|is expected to|are expected to|is due)\b", re.I
)


def _resolve(
    kind, m, pub: date | None, anchor: date | None, previous: TimeRef | None, sentence: str
):
    g = m.groupdict()
    tense = _clause_tense(sentence, m.start())
    future = tense == "future" or (not tense and bool(_FUTURE.search(sentence)))
    try:
        if kind == "yearspan":
            y1, y2 = int(g["y1"]), int(g["y2"])
            if y2 < y1:
                return None
            return "range", _iso(date(y1, 1, 1)), _iso(date(y2, 12, 31))
        if kind == "monthspan":
            m1, m2 = MONTHS[g["mon1"].lower()], MONTHS[g["mon2"].lower()]
            if g.get("y2"):
                y2 = int(g["y2"])
            elif pub:
                y2 = pub.year if (m2 <= pub.month or future) else pub.year - 1
            else:
                return "range", None, None
            y1 = int(g["y1"]) if g.get("y1") else (y2 if m1 <= m2 else y2 - 1)
            lo, hi = _month_range(y1, m1)[0], _month_range(y2, m2)[1]
            if hi < lo:
                return None
            return "range", _iso(lo), _iso(hi)
        if kind == "periodto":
            mon = MONTHS[g["mon"].lower()]
            unit = g["unit"].lower().rstrip("s")
            periods = (_num(g["num"]) if g.get("num") else None) or 1
            months = int(periods * {"month": 1, "quarter": 3, "year": 12}[unit])
            if g.get("y"):
                y = int(g["y"])
            elif pub:
                y = pub.year if mon <= pub.month else pub.year - 1
            else:
                return "range", None, None
            hi = _month_range(y, mon)[1]
            lo = _add_months(date(y, mon, 1), 1 - months)
            return "range", _iso(lo), _iso(hi)
        if kind == "iso":
            d = date(int(g["y"]), int(g["m"]), int(g["d"]))
            return "date", _iso(d), _iso(d)
        if kind in ("mdy", "dmy"):
            mon = MONTHS[g["mon"].lower()]
            day = int(g["d"])
            if g.get("y"):
                d = date(int(g["y"]), mon, day)
            elif pub:
                d = date(pub.year, mon, day)
                if not future and d > pub + timedelta(days=31):
                    d = date(pub.year - 1, mon, day)
                elif future and d < pub - timedelta(days=31):
                    d = date(pub.year + 1, mon, day)
            else:
                return "date", None, None
            return "date", _iso(d), _iso(d)
        if kind == "month":
            word = g["mon"].lower()
            rel = (g.get("rel") or "").lower()
            # "may" is a modal far more often than a month.
            if word == "may" and not (
                rel
                in (
                    "last",
                    "next",
                    "early",
                    "late",
                    "mid",
                    "mid-",
                    "since",
                    "in",
                    "until",
                    "by",
                    "earlier this",
                    "this",
                )
                or g.get("y")
            ):
                return None
            if (
                word == "may"
                and not g.get("y")
                and not m.group(0)[m.start("mon") - m.start()].isupper()
            ):
                return None
            if (
                word
                in (
                    "mar",
                    "jan",
                    "jun",
                    "dec",
                    "sept",
                    "sep",
                    "oct",
                    "nov",
                    "aug",
                    "feb",
                    "apr",
                    "jul",
                )
                and not m.group(0)[m.start("mon") - m.start()].isupper()
            ):
                return None
            mon = MONTHS[word]
            if g.get("y"):
                y = int(g["y"])
            elif pub:
                if rel == "last":
                    y = pub.year if mon < pub.month else pub.year - 1
                elif rel == "next":
                    y = pub.year if mon > pub.month else pub.year + 1
                elif rel == "this":
                    y = pub.year
                elif future and mon < pub.month:
                    y = pub.year + 1
                else:
                    y = pub.year if mon <= pub.month else pub.year - 1
            else:
                return "month", None, None
            lo, hi = _month_range(y, mon)
            if rel == "since" and pub:
                return "range", _iso(lo), _iso(pub)
            return "month", _iso(lo), _iso(hi)
        if kind == "weekday":
            if not pub:
                return "date", None, None
            wd = WEEKDAYS[g["wd"].lower()]
            rel = (g.get("rel") or "").lower()
            if rel == "next" or (tense == "future" and rel not in ("last", "since")):
                # "will begin on Monday", "is expected on Thursday": the next such day.
                delta = (wd - pub.weekday()) % 7 or 7
                d = pub + timedelta(days=delta)
            else:
                delta = (pub.weekday() - wd) % 7
                if rel == "last" and delta == 0:
                    delta = 7
                d = pub - timedelta(days=delta)
            return "date", _iso(d), _iso(d)
        if kind == "todate":
            if not pub:
                return "range", None, None
            if g.get("wd"):
                wd = WEEKDAYS[g["wd"].lower()]
                hi = pub - timedelta(days=(pub.weekday() - wd) % 7)
            else:
                hi = date(pub.year, MONTHS[g["mon"].lower()], int(g["d"]))
                if hi > pub + timedelta(days=1):
                    hi = date(pub.year - 1, hi.month, hi.day)
            p = g["p"].lower()
            if "week" in p:
                lo = hi - timedelta(days=hi.weekday())
            elif "month" in p:
                lo = hi.replace(day=1)
            else:
                lo = date(hi.year, 1, 1)
            return "range", _iso(lo), _iso(hi)
        if kind == "sameday":
            if previous is None or not previous.start_date:
                return "date", None, None
            if previous.end_date and previous.end_date != previous.start_date:
                return "date", None, None  # the previous reference is a span, not one day
            w = re.sub(r"\s+", " ", g["w"].lower())
            d = date.fromisoformat(previous.start_date)
            if "previous" in w or "before" in w or "earlier" in w:
                d -= timedelta(days=1)
            elif "next" in w or "following" in w or "after" in w or "later" in w:
                d += timedelta(days=1)
            return "date", _iso(d), _iso(d)
        if kind == "dayword":
            if not pub:
                return "date", None, None
            w = g["w"].lower()
            d = pub + timedelta(days={"yesterday": -1, "tomorrow": 1, "last night": -1}.get(w, 0))
            return "date", _iso(d), _iso(d)
        if kind == "period":
            if not pub:
                return "range", None, None
            rel, p = g["rel"].lower(), g["p"].lower()
            sign = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
            if p in ("week", "weekend"):
                monday = pub - timedelta(days=pub.weekday()) + timedelta(days=7 * sign)
                lo, hi = monday, monday + timedelta(days=6)
                if rel == "past":
                    lo, hi = pub - timedelta(days=7), pub
            elif p == "month":
                first = _add_months(pub.replace(day=1), sign)
                lo, hi = _month_range(first.year, first.month)
                if rel == "past":
                    lo, hi = pub - timedelta(days=30), pub
            elif p == "quarter":
                q0 = (pub.month - 1) // 3 * 3 + 1
                first = _add_months(date(pub.year, q0, 1), 3 * sign)
                lo, hi = first, _add_months(first, 3) - timedelta(days=1)
            elif p == "decade":
                lo, hi = (
                    (pub - timedelta(days=3650), pub)
                    if sign <= 0
                    else (pub, pub + timedelta(days=3650))
                )
            else:
                y = pub.year + sign
                lo, hi = date(y, 1, 1), date(y, 12, 31)
                if rel == "past":
                    lo, hi = pub - timedelta(days=365), pub
            if rel == "earlier this":
                hi = pub
            elif rel == "later this":
                lo = pub
            return "range", _iso(lo), _iso(hi)
        if kind == "ago":
            n = _num(g["num"])
            if n is None:
                return None
            days = n * _UNIT_DAYS[g["unit"].lower().rstrip("s")]
            direction = g["dir"].lower()
            if direction in ("ago",):
                if not pub:
                    return "relative", None, None
                d = pub - timedelta(days=days)
                return "relative", _iso(d), _iso(d)
            base = previous
            if base is None or not base.start_date:
                return "relative", None, None
            if direction in ("after", "before") and re.match(
                r"\s+(?:the|a|an|his|her|its|their|this|that)\b",
                sentence[m.end() : m.end() + 8],
                re.I,
            ):
                # "in the 24 hours after the main quake": relative to an event, not to a date we know.
                return "relative", None, None
            sign = -1 if direction in ("earlier", "before") else 1
            unit = g["unit"].lower().rstrip("s")
            lo, hi = (
                date.fromisoformat(base.start_date),
                date.fromisoformat(base.end_date or base.start_date),
            )
            if unit == "month":
                lo, hi = _add_months(lo, int(sign * n)), _add_months(hi, int(sign * n))
            elif unit == "year":
                lo, hi = _add_months(lo, int(sign * n * 12)), _add_months(hi, int(sign * n * 12))
            else:
                lo, hi = lo + timedelta(days=sign * days), hi + timedelta(days=sign * days)
            if pub and not future:
                hi = min(hi, pub)
                lo = min(lo, hi)
            return "relative", _iso(lo), _iso(hi)
        if kind == "duration":
            if not g.get("num") and not re.search(
                r"\b(?:past|last|previous|next|coming)\b", m.group(0), re.I
            ):
                return None
            n = _num(g.get("num"))
            if n is None:
                return None
            days = n * _UNIT_DAYS[g["unit"].lower().rstrip("s")]
            text = m.group(0).lower()
            end = anchor or pub
            if end is None:
                return "duration", None, None
            if re.search(r"\b(?:next|coming|within)\b", text) or (
                future and "past" not in text and "last" not in text
            ):
                lo, hi = end, end + timedelta(days=days)
            else:
                lo, hi = end - timedelta(days=days), end
            return "duration", _iso(lo), _iso(hi)
        if kind == "year":
            y = int(g["y"])
            prep = g["prep"].lower()
            if prep == "since" and pub:
                return "range", _iso(date(y, 1, 1)), _iso(pub)
            return "year", _iso(date(y, 1, 1)), _iso(date(y, 12, 31))
    except (ValueError, KeyError, OverflowError):
        return None
    return None
