"""What a candidate sentence says about itself: hedges, certainty, claim type, a score.

Plain readings of one sentence that `analysis.extraction.claims` combines into a claim:
the hedge words it carries ("reportedly", "may"), how certain it is, its claim type
(statistical, event, statement, prediction, opinion), the rule-based check-worthiness
score, and when a prediction should be checked again.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from analysis.types import (
    ATTR_BODY,
    ATTR_NONE,
    ATTR_OUTLET,
    ATTR_PERSON,
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


_CAPWORD = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z\u00c0-\u017f]+|\b[A-Z]{2,}\b")


_OPENERS = frozenset(
    "many some most several few all both each other others after before despite while although".split()
)


_QUOTE = re.compile(r"[\"\u201c][^\"\u201c\u201d]{15,}[\"\u201d]")


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


def score(text, quantities, times, att, ctype, opinion) -> float:
    words = WORDS.findall(text)
    score = 0.2
    numeric = [q for q in quantities if q.value is not None]
    if numeric:
        score += 0.25
    if any(t.start_date or t.kind in ("date", "month", "year") for t in times):
        score += 0.1
    names = {m.group(0) for m in _CAPWORD.finditer(text)}
    first = WORDS.match(text)
    if (
        first
        and first.group(0)[:1].isupper()
        and first.group(0).lower() not in cues.STOPWORDS | _OPENERS
    ):
        names.add(first.group(0))
    if names:
        score += 0.1
    if len(names) >= 3:
        score += 0.05
    if att.kind != ATTR_NONE:
        score += 0.1
        if att.chain and att.chain[0].kind in (ATTR_PERSON, ATTR_BODY, ATTR_OUTLET):
            score += 0.05
    if any(_is_event_word(m.group(0)) for m in cues.EVENT_WORDS.finditer(text)):
        score += 0.15
    if cues.RECORD_RE.search(text):
        score += 0.1  # superlatives and records are classic fact-check targets
    if 10 <= len(words) <= 60:
        score += 0.05
    if opinion:
        # Characterisations: shown to fact-checkers when attributed, never check-worthy.
        score = 0.25 + (0.1 if att.kind != ATTR_NONE else 0.0) + (0.05 if names else 0.0)
    if cues.FIRST_PERSON_RE.match(text) and att.kind == ATTR_NONE:
        score -= 0.2
    if cues.NO_COMMENT_RE.search(text) and not numeric:
        score = min(score, 0.35)  # "X declined to comment": reporting on the reporting, not a claim
    return max(0.0, min(1.0, score))


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
