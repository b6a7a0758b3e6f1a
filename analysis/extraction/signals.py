"""What a candidate sentence says about itself: hedges, certainty, claim type.

Plain readings of one sentence that `analysis.extraction.claims` combines into a claim:
the hedge words it carries ("reportedly", "may"), how certain it is, its claim type
(statistical, event, statement, prediction, opinion), and when a prediction should be
checked again. How check-worthy it is comes from the learned model
(`analysis.models.checkworthiness`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from analysis.types import (
    ATTR_NONE,
    EVENT,
    OPINION,
    PREDICTION,
    STATEMENT,
    STATISTICAL,
    Attribution,
    Hedge,
    TimeRef,
)

from . import cues

PREDICTION_RECHECK_DAYS = 30


WORDS = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019][a-z]+)?|\d+(?:[.,]\d+)*")
_QUOTE = re.compile(r"[\"\u201c][^\"\u201c\u201d]{15,}[\"\u201d]")


def stem(w: str) -> str:
    """A crude stem for comparing sentences: lower case, a common suffix off, six letters."""
    w = w.lower()
    for suf in ("ings", "ing", "ed", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            w = w[: -len(suf)]
            break
    return w[:6]


def hedges(text: str, offset: int) -> list[Hedge]:
    found: list[tuple[int, int]] = []
    for rx in (cues.UNCONFIRMED_RE, cues.SPECULATIVE_RE, cues.HEDGED_RE):
        for m in rx.finditer(text):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            if any(a < e and s < b for a, b in found):
                continue
            found.append((s, e))
    found.sort()
    return [Hedge(text=text[s:e], start=offset + s, end=offset + e) for s, e in found]


def certainty(text: str) -> str:
    if cues.UNCONFIRMED_RE.search(text):
        return "unconfirmed"
    if cues.SPECULATIVE_RE.search(text):
        return "speculative"
    if cues.HEDGED_RE.search(text):
        return "hedged"
    return "asserted"


def claim_type(text: str, quantities, att: Attribution) -> tuple[str, bool]:
    words = [w.lower() for w in WORDS.findall(text)]
    evaluative = sum(1 for w in words if w in cues.EVALUATIVE)
    numeric = [q for q in quantities if q.value is not None]
    events = sum(1 for m in cues.EVENT_WORDS.finditer(text) if _is_event_word(m.group(0)))
    opinion = (
        bool(cues.OPINION_RE.search(text)) or evaluative >= 3 or (evaluative >= 2 and not events)
    )
    if _QUOTE.search(text) and att.kind != ATTR_NONE:
        return STATEMENT, False
    if att.kind != ATTR_NONE and cues.DENIAL_RE.search(text) and not numeric:
        return STATEMENT, False  # "Moscow has repeatedly denied that ..."
    intent = cues.REPORTED_INTENT_RE.search(text)
    if intent and att.kind != ATTR_NONE and not _prediction_outside(text, intent):
        return STATEMENT, False  # "..., saying it would challenge the results": a stated intention
    if cues.PREDICTION_RE.search(text) and not _past_modal_only(text):
        return PREDICTION, False
    if opinion and not numeric:
        return OPINION, True
    if numeric and _discrete_event(text, numeric):
        return EVENT, False
    if numeric:
        return STATISTICAL, False
    if _QUOTE.search(text) and att.kind != ATTR_NONE:
        return STATEMENT, False
    return EVENT, False


# A capitalised word that does not open the sentence: a named actor or place.
_NAME = re.compile(r"(?<=\s)[A-Z][a-z\u00c0-\u017f]{2,}")
_CASUALTY = re.compile(
    r"\b(?:killed|died|dead|drowned|injured|wounded|missing|rescued|evacuated|displaced)\b", re.I
)
_VAGUE_MANY = re.compile(r"\b(?:many|dozens|hundreds|thousands|scores|several|most)\b", re.I)


def reported_event(text: str, times: list[TimeRef], quantities) -> bool:
    """A past event stated as fact and anchored: a dated happening with a named actor
    ("X flew into Warsaw on Sunday"), or people killed, drowned or displaced ("Many
    drowned when the ferry capsized"). News states these without a figure, and they are
    what a fact-checker checks first; a model learned on debates ranks them too low."""
    events = [m.group(0) for m in cues.EVENT_WORDS.finditer(text) if _is_event_word(m.group(0))]
    if not events or cues.PREDICTION_RE.search(text):
        return False
    dated = any(t.start_date or t.kind in ("date", "month", "year") for t in times)
    if dated and _NAME.search(text):
        return True
    return bool(_CASUALTY.search(text)) and bool(quantities or _VAGUE_MANY.search(text))


def _prediction_outside(text: str, intent: re.Match[str]) -> bool:
    """A prediction cue other than the reported intention's own modal."""
    for m in cues.PREDICTION_RE.finditer(text):
        if not (intent.start() <= m.start() < intent.end() + 12):
            return True
    return False


def _discrete_event(text: str, numeric) -> bool:
    """Counted things in one concrete action ("shot down 41 drones", "two bombers were
    destroyed", "charged with 12 counts"), not a tally, rate, share or amount."""
    if any(q.kind not in ("count",) for q in numeric):
        return False
    if any(q.unit == "deaths" for q in numeric):
        return False
    if not cues.ACTION_RE.search(text) or any((q.value or 0) >= 1000 for q in numeric):
        return False  # "More than 8,000 houses were destroyed" is a damage tally
    return not cues.TALLY_RE.search(text)


def _past_modal_only(text: str) -> bool:
    # "would" in reported past speech ("said it would") still predicts; "could not be reached" does not.
    return bool(re.search(r"\bcould not be reached\b", text, re.I)) and not re.search(
        r"\bwill\b", text, re.I
    )


def _is_event_word(word: str) -> bool:
    w = word.lower()
    if w in cues.NOT_EVENT_ED or w in cues.EVALUATIVE:
        return False
    return True


def recheck_after(times: list[TimeRef], pub: date | None) -> str:
    base = pub or date.today()
    future = [
        date.fromisoformat(t.end_date)
        for t in times
        if t.end_date and date.fromisoformat(t.end_date) > base
    ]
    if future:
        return (max(future) + timedelta(days=1)).isoformat()
    return (base + timedelta(days=PREDICTION_RECHECK_DAYS)).isoformat()
