"""What a figure or a cue in a source is about: the comparisons the rules make.

- `families_match`: two numbers count the same thing (kind, noun family, role such as
  killed / injured / population / price, and the group named before the noun);
- `revisions`: a later figure given as a change of the claim's count ("had risen to
  180, up from 120"), which is a later update and not a contradiction;
- `POINTS_BACK`: a sentence that speaks of the one before it ("The figure has not been
  independently confirmed."), so a hedge in it is read with that sentence;
- `topic_overlap` and `denies_another_matter`: whether a passage, or the clause a denial
  denies, is about the claim ("rumours that he had taken bribes were untrue" is not about
  "he is campaigning in Ohio").

`judge` and `documents` use them; this module is plain Python, as the package is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import date, timedelta

from .quantities import COUNT, DATE, DURATION, PERCENT, Mention
from .text import content_stems, names, stem


def describe(m: Mention) -> str:
    if m.kind == DATE:
        a, b = date.fromordinal(int(m.low)), date.fromordinal(int(m.high))
        if a == b:
            period = f"{a.day} {a:%B %Y}"
        elif a.day == 1 and a.month == b.month and (b + timedelta(days=1)).month != b.month:
            period = f"{a:%B %Y}"
        elif a.month == 1 and a.day == 1 and b.month == 12 and b.day == 31 and a.year == b.year:
            period = str(a.year)
        else:
            period = f"{a.isoformat()} to {b.isoformat()}"
        written = m.describe()
        return written if written.lower().endswith(str(a.year)) else f"{written} ({period})"
    return m.describe()


def families_match(cm: Mention, pm: Mention) -> bool:
    if cm.kind != pm.kind or cm.scoped or pm.scoped:
        return False
    if cm.kind in (DURATION, DATE):
        return True  # the event check is done by the caller
    if cm.kind == PERCENT and (cm.reduction or pm.reduction):
        return (
            cm.reduction
            and pm.reduction
            and (not cm.family or not pm.family or cm.family == pm.family)
        )
    if not cm.family or cm.family != pm.family:
        return False
    if cm.role and pm.role and cm.role != pm.role:
        return False  # "12 killed" is not "40 injured", nor a city's population
    if cm.modifier and pm.modifier:
        a = {stem(w) for w in cm.modifier.split()}
        b = {stem(w) for w in pm.modifier.split()}
        if not a & b:
            return False  # "Russian troops" vs "North Korean troops"
    return True


# A sentence that speaks of the one before it ("The figure could not be verified.").
POINTS_BACK = re.compile(
    r"^\W*(?:the (?:figure|figures|number|numbers|toll|count|report|reports|claim|claims|"
    r"account|estimate|total)|this|that|these|those|it|they|neither|none)\b",
    re.I,
)

_REVISION_BEFORE = re.compile(
    r"\b(?:ris(?:en|es|e)|rose|climb(?:ed|s)?|increas(?:ed|es)|jump(?:ed|s)?|gr(?:own|ew)|"
    r"revis(?:ed|es)(?:\s+(?:up|down)(?:ward)?)?|updat(?:ed|es)|fell|fallen|dropp?(?:ed|s)|"
    r"decreas(?:ed|es)|reach(?:ed|es)|stood|stands|now|total(?:led|s)?|doubled)\b"
    r"[^.;]{0,25}?\b(?:to|at|of)?\s*$",
    re.I,
)
_REVISION_AFTER = re.compile(r"^\W{0,3}\s*(?:up|down)\s+from\b", re.I)


def revisions(
    claim_ms: list[Mention],
    sentences_: Sequence[tuple[int, int, str, frozenset[str]]],
    passage_ms: Sequence[tuple[Mention, AbstractSet[str]]],
    text: str,
) -> list[tuple[Mention, Mention]]:
    """(claim figure, revised figure) pairs: a figure the passage gives as a change of the
    same count ("cases had risen to 180", "revised to 250, up from 120"). A figure with no
    noun of its own counts the claim's noun when that noun is in its sentence before it."""
    out: list[tuple[Mention, Mention]] = []
    for cm in claim_ms:
        if cm.kind != COUNT or cm.scoped or not cm.family:
            continue
        noun = stem(cm.unit.split()[-1]) if cm.unit else ""
        for pm, _ev in passage_ms:
            if pm.kind != COUNT or pm.scoped or pm.value == cm.value:
                continue
            start = next((a for a, b, _t, _e in sentences_ if a <= pm.start < b), 0)
            before = text[start : pm.start]
            revised = _REVISION_BEFORE.search(before) or _REVISION_AFTER.match(text[pm.end :])
            if not revised:
                continue
            if pm.family:
                if not families_match(cm, pm):
                    continue
            elif not noun or noun not in {stem(w) for w in re.findall(r"[A-Za-z]+", before)}:
                continue
            if cm.role and pm.role and cm.role != pm.role:
                continue
            out.append((cm, pm))
            break
    return out


def topic_overlap(claim_text: str, passage_text: str) -> tuple[float, list[str]]:
    """Weighted share of the claim's key terms found in the passage (names count double)."""
    c_stems = content_stems(claim_text)
    name_stems = {stem(w) for n in names(claim_text) for w in n.split()}
    p_stems = content_stems(passage_text)
    if not c_stems:
        return 0.0, []
    weight = {s: (2.0 if s in name_stems else 1.0) for s in c_stems}
    hit = [s for s in c_stems if s in p_stems]
    score = sum(weight[s] for s in hit) / sum(weight.values())
    return score, sorted(hit)


_DENIED_CLAUSE = re.compile(
    r"\b(?:rumou?rs?|reports?|claims?|allegations?|suggestions?|stor(?:y|ies)|speculation)"
    r"\s+(?:that\s+)?(?P<what>[^.;]{5,200}?)\s+(?:were|was|are|is|had been|has been|have been)"
    r"\s+(?:(?:completely|entirely|totally|simply)\s+)?(?:untrue|false|baseless|unfounded|fake|"
    r"fabricated|wrong|incorrect|a hoax|denied)\b",
    re.I,
)


def denies_another_matter(claim_text: str, text: str) -> bool:
    """The text denies something, and what it denies is not the claim ("rumours that she
    had taken bribes were untrue" against "she is campaigning in Ohio"): fewer than half
    of the denied clause's key terms are in the claim."""
    m = _DENIED_CLAUSE.search(text)
    if not m:
        return False
    share, _ = topic_overlap(m.group("what"), claim_text)
    return share < 0.5
