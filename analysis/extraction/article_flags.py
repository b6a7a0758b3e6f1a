"""The flags an article raises about its own claims, from its text alone.

- `flag_unconfirmed`: the article says the event is not confirmed ("Ukraine has not yet
  officially confirmed the withdrawal"), on the claims about that event;
- `flag_attribution`: the only origin is anonymous, or the attribution is vague;
- `flag_inconsistencies`: the article gives two different figures for one thing.

`analysis.extraction.claims` calls them on its working records once every sentence is
read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from analysis.types import (
    ANONYMOUS_SOURCE,
    ATTR_ANONYMOUS,
    ATTR_OUTLET,
    ATTR_VAGUE,
    INTERNAL_INCONSISTENCY,
    UNCONFIRMED,
    VAGUE_ATTRIBUTION,
    ClaimCandidate,
    ClaimFlag,
)

from . import cues
from .sentences import Sentence
from .signals import WORDS, stem


class Work(Protocol):
    """What the flags read of extraction's working record of one sentence."""

    sent: Sentence
    cand: ClaimCandidate
    stems: set[str]
    lede: bool


_UNCONF_OBJECT = re.compile(
    r"(?:confirm(?:ed)?|verif(?:y|ied))\s+(?P<obj>(?:the|a|an|this|that|these|those|its|their|any|reports? of)?\s*"
    r"[\w\-]+(?:\s+(?:of|on)\s+[\w\-]+)?)",
    re.I,
)
_SUBJ_BEFORE_UNCONF = re.compile(
    r"(?P<subj>(?:the|this|that|these|those|such)\s+[\w\-]+(?:\s+[\w\-]+)?)\s+(?:has|have|had|was|were|is|are|could|cannot)\b[^.]{0,40}$",
    re.I,
)


def flag_unconfirmed(works: Sequence[Work], sentences: list[Sentence], threshold: float) -> None:
    """A sentence saying an event is not confirmed flags the claims about that event."""
    by_start = {w.cand.start: w for w in works}
    order = [w.cand.start for w in works]
    for sent in sentences:
        m = cues.UNCONFIRMED_RE.search(sent.text)
        if not m:
            continue
        targets = _event_terms(sent.text, m)
        message = f'The article says the event is not confirmed: "{_clip(sent.text)}"'
        hit = False
        if targets:
            for w in works:
                if w.cand.start == sent.start and sent.start not in {
                    a for a, _ in w.cand.appearances[1:]
                }:
                    continue
                if any(_contains_term(w.cand.text, t) for t in targets):
                    _add_flag(w.cand, ClaimFlag(UNCONFIRMED, message, sent.start, sent.end))
                    w.cand.certainty = "unconfirmed"
                    hit = True
        if not hit and len(WORDS.findall(sent.text[: m.start()])) >= 6 and sent.start in by_start:
            # "Local media reported X, but the claim could not be verified": the same sentence.
            w = by_start[sent.start]
            _add_flag(w.cand, ClaimFlag(UNCONFIRMED, message, sent.start, sent.end))
            w.cand.certainty = "unconfirmed"
            hit = True
        if not hit and _REPORT_SUBJECT.match(sent.text):
            # "The report could not be independently verified": every claim relayed from the
            # outlet whose report the article last cited.
            earlier = [by_start[s] for s in order if s < sent.start]
            relayed = [
                w
                for w in earlier
                if w.cand.attribution.chain and w.cand.attribution.chain[0].kind == ATTR_OUTLET
            ]
            if relayed:
                outlet = relayed[-1].cand.attribution.chain[0].speaker.casefold()
                for w in relayed:
                    if _same_outlet(w.cand.attribution.chain[0].speaker.casefold(), outlet):
                        _add_flag(w.cand, ClaimFlag(UNCONFIRMED, message, sent.start, sent.end))
                        w.cand.certainty = "unconfirmed"
                        hit = True
        if not hit:
            # "This could not be independently verified": the claim right before.
            prev = [s for s in order if s < sent.start]
            worthy = [s for s in prev if by_start[s].cand.checkworthiness >= threshold]
            prev = worthy or prev
            if prev:
                w = by_start[prev[-1]]
                _add_flag(w.cand, ClaimFlag(UNCONFIRMED, message, sent.start, sent.end))
                w.cand.certainty = "unconfirmed"


_REPORT_SUBJECT = re.compile(
    r"^(?:the|this|that|these|those|its|their)\s+(?:(?:original|latest|newspaper['\u2019]s|paper['\u2019]s|[A-Z][\w.'\-]*['\u2019]s)\s+)?"
    r"(?:report|reports|story|article|account|accounts|claim|claims|information|reporting|findings)\b|^(?:this|it)\s+(?:could|cannot|has|was)\b",
    re.I,
)


def _same_outlet(a: str, b: str) -> bool:
    a, b = re.sub(r"^the\s+", "", a), re.sub(r"^the\s+", "", b)
    return a == b or a in b or b in a


def _event_terms(text: str, m: re.Match[str]) -> list[str]:
    after = _UNCONF_OBJECT.search(text, m.start(), min(len(text), m.end() + 60))
    words: list[str] = []
    if after and after.start() <= m.end() + 2:
        words = [w.lower() for w in re.findall(r"[A-Za-z\-]+", after.group("obj"))]
    else:
        before = _SUBJ_BEFORE_UNCONF.search(text[: m.end()][-120:])
        if before:
            words = [w.lower() for w in re.findall(r"[A-Za-z\-]+", before.group("subj"))]
    words = [
        w
        for w in words
        if w not in cues.STOPWORDS
        and w not in ("any", "reports", "report", "claims", "claim", "it", "this")
    ]
    terms: list[str] = []
    for w in words:
        terms.append(w)
        terms.extend(cues.EVENT_SYNONYMS.get(w, "").split())
    return list(dict.fromkeys(terms))


def _contains_term(text: str, term: str) -> bool:
    return re.search(rf"\b{re.escape(term)}", text, re.I) is not None


def _clip(text: str, n: int = 240) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _add_flag(c: ClaimCandidate, flag: ClaimFlag) -> None:
    if not any(f.kind == flag.kind and f.start == flag.start for f in c.flags):
        c.flags.append(flag)


def flag_attribution(c: ClaimCandidate) -> None:
    att = c.attribution
    if att.kind == ATTR_ANONYMOUS:
        origin = (
            ", ".join(p.speaker for p in att.chain if p.kind == ATTR_ANONYMOUS) or "unnamed sources"
        )
        relay = [p.speaker for p in att.chain if p.kind != ATTR_ANONYMOUS]
        via = f" (relayed by {', '.join(relay)})" if relay else ""
        _add_flag(
            c,
            ClaimFlag(
                ANONYMOUS_SOURCE,
                f"The only origin of this claim is anonymous: {origin}{via}.",
                c.start,
                c.end,
            ),
        )
    elif att.kind == ATTR_VAGUE:
        said = att.cue
        if (
            att.chain
            and att.chain[0].speaker
            and att.chain[0].speaker.lower() not in att.cue.lower()
        ):
            said = f"{att.chain[0].speaker} {att.cue}"
        _add_flag(
            c, ClaimFlag(VAGUE_ATTRIBUTION, f'No identifiable source: "{said}".', c.start, c.end)
        )


def flag_inconsistencies(works: Sequence[Work]) -> None:
    """The same counted thing given two incompatible ways in one article."""
    items = []
    for w in works:
        for q in w.cand.quantities:
            if (
                q.value is None
                or not q.unit
                or q.kind not in ("count", "percent", "money")
                or q.unit in ("%",)
            ):
                continue
            before = w.cand.text[max(0, q.start - w.cand.start - 16) : q.start - w.cand.start]
            if _OLD_VALUE.search(before):
                continue  # "rose to 127 from 98": 98 is the superseded figure, not a claim
            items.append((w, q))
    for i in range(len(items)):
        wa, qa = items[i]
        for j in range(i + 1, len(items)):
            wb, qb = items[j]
            if wa is wb or qa.unit.lower() != qb.unit.lower() or qa.kind != qb.kind:
                continue
            shared = (wa.stems & wb.stems) - {stem(qa.unit)}
            # A toll is about the article's one event; other counts need a shared subject.
            if qa.unit != "deaths" and len(shared) < 4:
                continue
            if _compatible(qa, qb):
                continue
            if _different_periods(wa.cand, wb.cand):
                continue  # "an earthquake in 2015 killed 9,000" is not this quake's toll
            msg = (
                f'The article gives "{qa.text}" and elsewhere "{qb.text}" for what looks like the same '
                f"{qa.unit}."
            )
            _add_flag(wa.cand, ClaimFlag(INTERNAL_INCONSISTENCY, msg, wb.cand.start, wb.cand.end))
            _add_flag(wb.cand, ClaimFlag(INTERNAL_INCONSISTENCY, msg, wa.cand.start, wa.cand.end))


# Superseded figures ("rose to 127 from 98") and sub-counts ("the figure included six
# people") are not competing statements of the same quantity.
_OLD_VALUE = re.compile(
    r"\b(?:from|up from|down from|compared with|compared to|than|previous|earlier|initial|"
    r"included|including|includes|among them|of whom)\s+(?:an?\s+|the\s+)?$",
    re.I,
)


def _different_periods(a: ClaimCandidate, b: ClaimCandidate) -> bool:
    """Both claims are dated and no date range of one overlaps any of the other's."""
    ra = [
        (t.start_date, t.end_date or t.start_date)
        for t in a.times
        if t.start_date and t.kind in ("date", "month", "year", "range")
    ]
    rb = [
        (t.start_date, t.end_date or t.start_date)
        for t in b.times
        if t.start_date and t.kind in ("date", "month", "year", "range")
    ]
    if not ra or not rb:
        return False
    # ISO dates compare correctly as strings.
    return not any(x0 <= y1 and y0 <= x1 for x0, x1 in ra for y0, y1 in rb)


def _compatible(a, b) -> bool:
    alo = a.low if a.low is not None else (a.value if a.high is not None else float("-inf"))
    ahi = a.high if a.high is not None else float("inf")
    blo = b.low if b.low is not None else (b.value if b.high is not None else float("-inf"))
    bhi = b.high if b.high is not None else float("inf")
    if a.low is None and a.high is None:
        alo = ahi = a.value
    if b.low is None and b.high is None:
        blo = bhi = b.value
    return alo <= bhi and blo <= ahi
