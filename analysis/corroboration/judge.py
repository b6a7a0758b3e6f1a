"""Judge one passage against one claim: supports, contradicts or mentions, with a reason.

Order of the rules (first that applies decides the stance; flags accumulate):

1. A denial or correction on the claim's topic ("simply wrong", "denied", "no evidence
   that", "false") -> contradicts + `contradicted`. A passage saying the opposite state
   ("still fighting", "remain at the front" against a withdrawal) -> same.
2. A number, duration or date for the same thing that disagrees beyond what the
   qualifiers allow (see `tolerance`) -> `numeric_discrepancy` naming both figures.
   Counts and shares: stance contradicts. Durations and dates: stance mentions, because
   a different time frame usually describes the same event (the flag still carries it).
3. A passage published after the claim's article that reports a change overtaking it
   (troops "brought in again", "returned", "redeployed") -> `later_update`; stance
   mentions (it does not make the claim false for its own date).
4. The same event (same event family, enough shared key terms), or the same figure
   for the same thing -> supports. Strength drops when the supporting sentence is
   hedged ("believes", "likely", "reportedly") or unconfirmed.
5. Otherwise mentions, saying what was shared.

"Could not confirm" / "not officially confirmed" / "could not comment officially" is not
a denial: it raises `unconfirmed` and weakens any support.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from datetime import UTC, date, datetime

from analysis.types import (
    CONTRADICTED,
    CONTRADICTS,
    LATER_UPDATE,
    MENTIONS,
    NUMERIC_DISCREPANCY,
    SUPPORTS,
    UNCONFIRMED,
    ClaimCandidate,
    ClaimFlag,
    Judgement,
    Passage,
    Quantity,
)

from .figures import (
    POINTS_BACK,
    denies_another_matter,
    describe,
    families_match,
    revisions,
    topic_overlap,
)
from .lexicon import (
    CONFIRM_CUES,
    DENIAL_CUES,
    EVENT_FAMILIES,
    EVENT_PRIORITY,
    HEDGE_CUES,
    OPPOSITE_STATE,
    OVERTAKING,
    QUALIFIERS,
    RELATED_FAMILIES,
    UNCONFIRMED_CUES,
    UNIT_WORDS,
)
from .quantities import COUNT, DATE, DURATION, PERCENT, Mention, read_dates, read_quantities
from .text import (
    event_families,
    find_cue,
    fmt_number,
    sentences,
    snippet,
    stem,
)
from .tolerance import agree, interval

ON_TOPIC = 0.2  # share of the claim's key terms a passage must carry to be about it
SAME_EVENT_TOPIC = 0.25  # ... and to support it when it reports the same event
FIRM = 0.5  # support at or above this strength counts towards independent origins
GENERIC_EVENTS = {"combat"}  # too common in war reporting to identify an event alone


# ---------------------------------------------------------------- claim side


def _norm_qualifier(q: str) -> str:
    q = " ".join((q or "").lower().split())
    return QUALIFIERS.get(
        q, q if q in ("about", "nearly", "over", "up_to", "under", "exact") else ""
    )


def _from_extraction(q: Quantity, claim: ClaimCandidate) -> Mention | None:
    if q.value is None:
        return None
    kind = q.kind
    value = float(q.value)
    unit_words = re.findall(r"[a-z]+", (q.unit or "").lower())
    family = next((UNIT_WORDS[w] for w in unit_words if w in UNIT_WORDS), "")
    reduction = kind == "change"
    if kind in ("fraction", "change") or (q.unit or "").startswith("%"):
        value = value * 100 if value <= 1 and kind != "percent" else value
        kind = PERCENT
    elif kind == "percent":
        kind = PERCENT
    elif kind == "count":
        kind = COUNT
    else:
        return None
    qual = _norm_qualifier(q.qualifier)
    low, high = interval(value, qual, kind)
    rel = q.start - claim.start
    start, end = (rel, q.end - claim.start) if 0 <= rel <= len(claim.text) else (0, 0)
    return Mention(
        text=q.text,
        start=start,
        end=end,
        kind=kind,
        value=value,
        low=low,
        high=high,
        qualifier=qual,
        unit=q.unit,
        family=family,
        reduction=reduction,
    )


def claim_mentions(claim: ClaimCandidate, published_at: datetime | None) -> list[Mention]:
    """Numbers in the claim, read with the same reader as passages (so both sides mean
    the same thing by a unit), completed by the extractor's quantities and resolved
    times where this reader found nothing at that place."""
    ours = read_quantities(claim.text, published_at) + read_dates(claim.text, published_at)

    def covered(s: int, e: int) -> Mention | None:
        return next((m for m in ours if m.start < e and s < m.end), None)

    extra: list[Mention] = []
    for q in claim.quantities:
        s, e = q.start - claim.start, q.end - claim.start
        if covered(s, e) is None:
            m = _from_extraction(q, claim)
            if m:
                extra.append(m)
    for t in claim.times:
        s, e = t.start - claim.start, t.end - claim.start
        if not t.start_date or t.kind not in ("date", "month", "year"):
            continue
        try:
            a = date.fromisoformat(t.start_date[:10])
            b = date.fromisoformat((t.end_date or t.start_date)[:10])
        except ValueError:
            continue
        hit = covered(s, e)
        if hit is not None and hit.kind == DATE:
            hit.value, hit.low, hit.high = a.toordinal(), a.toordinal(), b.toordinal()
        elif hit is None:
            extra.append(
                Mention(
                    text=t.text,
                    start=max(s, 0),
                    end=max(e, 0),
                    kind=DATE,
                    value=a.toordinal(),
                    low=a.toordinal(),
                    high=b.toordinal(),
                    family="date",
                )
            )
    return ours + extra


def _context_base(claim: ClaimCandidate, context: str | None) -> Mention | None:
    """The group size a claim's fraction refers to ("their numbers ... cut in half"):
    the nearest personnel count before the claim in its article, else in the claim."""
    own = [m for m in read_quantities(claim.text) if m.kind == COUNT and m.family == "personnel"]
    if own:
        return own[0]
    if not context:
        return None
    found = [
        m
        for m in read_quantities(context)
        if m.kind == COUNT and m.family == "personnel" and not m.scoped
    ]
    before = [m for m in found if m.start < claim.start] if 0 < claim.start <= len(context) else []
    return before[-1] if before else (found[0] if found else None)


# ---------------------------------------------------------------- comparison


class _Pair:
    def __init__(self, claim: Mention, source: Mention, ok: bool, source_text: str = ""):
        self.claim, self.source, self.ok = claim, source, ok
        self.source_text = source_text or describe(source)

    @property
    def is_time(self) -> bool:
        return self.claim.kind in (DURATION, DATE)

    def reason(self) -> str:
        verb = "dates it" if self.claim.kind == DATE else "says"
        return f"source {verb} {self.source_text}; claim says {describe(self.claim)}"


_CLAUSE_END = re.compile(r"[,;:.]\s|[()\u2014\u2013]")


def main_event(events: AbstractSet[str]) -> str | None:
    return next((f for f in EVENT_PRIORITY if f in events), None)


def clause_events(text: str, start: int, end: int) -> frozenset[str]:
    """Event families of the clause around text[start:end]: a date or duration belongs
    to the verb of its own clause ("citing officials on January 30" dates the report,
    not the withdrawal)."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    after = _CLAUSE_END.search(text, end)
    return event_families(
        text[(before[-1] if before else 0) : (after.start() if after else len(text))]
    )


def _compare(
    claim_ms: list[Mention],
    claim_text: str,
    passage: str,
    passage_ms: Sequence[tuple[Mention, AbstractSet[str]]],
    base: Mention | None,
) -> list[_Pair]:
    pairs: list[_Pair] = []
    for cm in claim_ms:
        if cm.scoped:
            continue
        candidates: list[_Pair] = []
        for pm, events in passage_ms:
            if (
                cm.kind == PERCENT
                and cm.reduction
                and pm.kind == COUNT
                and pm.family == "casualties"
                and base
            ):
                if (
                    pm.modifier
                    and base.modifier
                    and not (
                        {stem(w) for w in pm.modifier.split()}
                        & {stem(w) for w in base.modifier.split()}
                    )
                ):
                    continue
                share = pm.value / base.value * 100
                low, high = pm.low / base.value * 100, pm.high / base.value * 100
                derived = Mention(
                    text=pm.text,
                    start=pm.start,
                    end=pm.end,
                    kind=PERCENT,
                    value=share,
                    low=low,
                    high=high,
                    qualifier="about" if pm.qualifier else "",
                )
                ok = agree(
                    cm.value,
                    cm.low,
                    cm.high,
                    cm.qualifier,
                    share,
                    low,
                    high,
                    derived.qualifier,
                    PERCENT,
                )
                total = (
                    ""
                    if not pm.parts
                    else f"{'about ' if pm.qualifier else ''}{fmt_number(pm.value)} casualties, "
                )
                text = f"{pm.describe()} ({total}about {share:.0f}% of {fmt_number(base.value)})"
                candidates.append(_Pair(cm, derived, ok, text))
                continue
            if not families_match(cm, pm):
                continue
            if cm.kind in (DURATION, DATE):
                shared = (clause_events(claim_text, cm.start, cm.end) & events) - GENERIC_EVENTS
                if not shared:
                    continue
            ok = agree(
                cm.value,
                cm.low,
                cm.high,
                cm.qualifier,
                pm.value,
                pm.low,
                pm.high,
                pm.qualifier,
                cm.kind,
            )
            candidates.append(_Pair(cm, pm, ok))
        if not candidates:
            continue
        good = [p for p in candidates if p.ok]
        if good:
            pairs.append(good[0])
        else:
            pairs.append(min(candidates, key=lambda p: abs(p.source.value - cm.value)))
    return pairs


# ---------------------------------------------------------------- cues


def _negated(text: str, start: int) -> bool:
    return bool(
        re.search(r"\b(?:not|never|n't|no)\s+(?:\w+\s+)?$", text[max(0, start - 16) : start], re.I)
    )


def _cue_in(patterns, text: str, negatable: bool = False) -> re.Match[str] | None:
    m = find_cue(patterns, text)
    if m and negatable and _negated(text, m.start()):
        rest = text[m.end() :]
        m2 = find_cue(patterns, rest)
        return None if m2 is None or _negated(rest, m2.start()) else m2
    return m


def _aware(dt: datetime | date | None) -> datetime | None:
    if dt is None:
        return None
    if not isinstance(dt, datetime):
        dt = datetime(dt.year, dt.month, dt.day)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _label(passage: Passage) -> str:
    return passage.outlet or passage.title or f"source {passage.source_id}"


# ---------------------------------------------------------------- judge


@functools.lru_cache(maxsize=4096)
def _read_passage(
    text: str, published_at: datetime | None
) -> tuple[
    tuple[tuple[int, int, str, frozenset[str]], ...], tuple[tuple[Mention, frozenset[str]], ...]
]:
    """A passage's sentences with their events, and its numbers and dates.

    Numbers are read per sentence so that each keeps the events of its own sentence.
    Cached: one passage is judged for every claim it is a hit for. The mentions are
    shared between those calls and must not be changed.
    """
    sent_events = tuple((s, e, t, event_families(t)) for s, e, t in sentences(text))
    p_ms: list[tuple[Mention, frozenset[str]]] = []
    for s, _e, t, ev in sent_events:
        for m in read_quantities(t, published_at) + read_dates(t, published_at):
            m.start += s
            m.end += s
            p_ms.append((m, ev))
    return sent_events, tuple(p_ms)


def judge(
    claim: ClaimCandidate,
    passage: Passage,
    *,
    claim_published_at: datetime | None = None,
    context: str | None = None,
) -> Judgement:
    """Stance of `passage` towards `claim`.

    `context` (optional): the text around the claim in its article, usually the article
    body; a personnel count there is the base for a claim's bare fraction ("their
    numbers have been cut in half" after "around 11,000 troops").
    """
    text = passage.text
    who = _label(passage)
    flags: list[ClaimFlag] = []
    c_ms = claim_mentions(claim, claim_published_at)
    base = _context_base(claim, context) if any(m.reduction for m in c_ms) else None
    # A bare "their numbers" takes its topic from the group the base counts.
    topic_text = claim.text + (f" {base.modifier} {base.unit}" if base is not None else "")
    overlap, shared = topic_overlap(topic_text, text)
    claim_events = event_families(claim.text)
    main = main_event(claim_events)
    sent_events, p_ms = _read_passage(text, passage.published_at)
    passage_events = set().union(*(ev for *_, ev in sent_events)) if sent_events else set()

    def flag(kind: str, message: str) -> None:
        flags.append(ClaimFlag(kind=kind, message=message))

    pairs = _compare(c_ms, claim.text, text, p_ms, base) if overlap >= ON_TOPIC / 2 else []
    p_at, c_at = _aware(passage.published_at), _aware(claim_published_at)
    later = p_at is not None and c_at is not None and p_at > c_at
    # A later report that gives the count as changed since ("had risen to 180") revises
    # the claim's figure: a later update with both values, not a contradiction.
    revised = revisions(c_ms, sent_events, p_ms, text) if later and overlap >= ON_TOPIC / 2 else []
    if revised:
        changed = {id(cm) for cm, _ in revised}
        pairs = [p for p in pairs if id(p.claim) not in changed]
    bad = [p for p in pairs if not p.ok]
    good = [p for p in pairs if p.ok]
    scoped = [m for m in c_ms if m.scoped]

    # Cues, restricted to sentences about the claim.
    def topical(t: str, ev: AbstractSet[str]) -> bool:
        return topic_overlap(topic_text, t)[0] >= ON_TOPIC / 2 or bool(
            (claim_events & ev) - GENERIC_EVENTS
        )

    claim_counts = [m for m in c_ms if m.kind in (COUNT, PERCENT) and not m.scoped]

    def about_claim(t: str, ev: AbstractSet[str], prev: str) -> bool:
        """Is a hedge sentence ("not independently confirmed") about this claim? It speaks
        of the sentence before when it points back ("The figure could not be verified").
        One that names a figure is about the claims with a figure of that kind only."""
        said = t + (" " + prev if POINTS_BACK.match(t) else "")
        theirs = [m for m in read_quantities(said, passage.published_at) if m.kind == COUNT]
        if theirs:
            return any(families_match(cm, pm) for cm in claim_counts for pm in theirs)
        return topical(said, ev | event_families(said))

    denial = unconfirmed = hedge = confirm = opposite = overtaking = None
    same_event_sents = []
    prev = ""
    for _s, _e, t, ev in sent_events:
        before, prev = prev, t
        if not topical(t, ev) and not POINTS_BACK.match(t):
            continue
        if unconfirmed is None:
            m = find_cue(UNCONFIRMED_CUES, t)
            if m and about_claim(t, ev, before):
                unconfirmed = (m, t)
        if not topical(t, ev):
            continue
        if denial is None:
            m = _cue_in(DENIAL_CUES, t, negatable=True)
            if (
                m
                and (
                    (claim_events & ev)
                    or re.search(
                        r"\b(?:report|claim|allegation|stor(?:y|ies)|rumou?r)s?\b", t, re.I
                    )
                )
                and not denies_another_matter(claim.text, t)
            ):
                denial = (m, t)
        if main and opposite is None and set(OPPOSITE_STATE.get(main, ())) & ev:
            opposite = t
        if main and overtaking is None and set(OVERTAKING.get(main, ())) & ev:
            fams = [f for f in OVERTAKING[main] if f in ev]
            cue = find_cue([pat for f in fams for pat in EVENT_FAMILIES[f]], t)
            overtaking = snippet(t, cue.start(), cue.end(), 70) if cue else t
        if main and main in ev:
            same_event_sents.append(t)
    # Support is as firm as its best sentence: one plain statement outweighs a hedged
    # aside ("the decision could change").
    plain = [t for t in same_event_sents if not find_cue(HEDGE_CUES, t)]
    if plain:
        confirm = next((m for m in (find_cue(CONFIRM_CUES, t) for t in plain) if m), None)
    elif same_event_sents:
        hedge = find_cue(HEDGE_CUES, same_event_sents[0])
        confirm = find_cue(CONFIRM_CUES, same_event_sents[0])

    # A dated past event ("arrived last November") is not overtaken by a later change;
    # a state ("have been pulled from the front") is.
    if (
        overtaking
        and main
        and any(m.kind == DATE and main in clause_events(claim.text, m.start, m.end) for m in c_ms)
    ):
        overtaking = None

    reasons: list[str] = []
    stance, strength = MENTIONS, 0.2

    if unconfirmed:
        m, t = unconfirmed
        flag(
            UNCONFIRMED,
            f"{who}: \u201c{snippet(t, m.start(), m.end(), 50)}\u201d \u2014 not officially confirmed there",
        )
    for p in bad:
        flag(NUMERIC_DISCREPANCY, f"{who}: {p.reason()}")
    if scoped and (good or bad):
        reasons.append(
            "claim's "
            + ", ".join(f"\u201c{m.describe()}\u201d" for m in scoped)
            + " applies to part of the whole and was not compared"
        )

    if denial and overlap >= ON_TOPIC:
        m, t = denial
        stance, strength = CONTRADICTS, 0.8
        reasons.insert(
            0, f"source denies or corrects it: \u201c{snippet(t, m.start(), m.end(), 60)}\u201d"
        )
        flag(
            CONTRADICTED,
            f"{who} denies or corrects the claim: \u201c{snippet(t, m.start(), m.end(), 60)}\u201d",
        )
    elif opposite and overlap >= ON_TOPIC:
        stance, strength = CONTRADICTS, 0.7
        reasons.insert(
            0, f"source reports the opposite state: \u201c{snippet(opposite, 0, 0, 160)}\u201d"
        )
        flag(
            CONTRADICTED, f"{who} reports the opposite: \u201c{snippet(opposite, 0, 0, 160)}\u201d"
        )
    elif bad:
        counts = [p for p in bad if not p.is_time]
        reasons.insert(0, "; ".join(p.reason() for p in bad))
        if counts:
            stance, strength = CONTRADICTS, 0.6
        else:
            stance, strength = MENTIONS, 0.4
            reasons.append("same event, different time frame")
    if revised and stance != CONTRADICTS:
        when = p_at.date().isoformat() if p_at else "later"
        what = "; ".join(
            f"{describe(pm)} where the claim says {describe(cm)}" for cm, pm in revised
        )
        flag(LATER_UPDATE, f"{who} ({when}, after the claim) gives a revised figure: {what}")
        reasons.insert(0, f"later revised figure ({when}): {what}")
        stance, strength = MENTIONS, 0.6
        overtaking = overtaking or what
    elif overtaking and later and stance != CONTRADICTS and overlap >= ON_TOPIC:
        when = p_at.date().isoformat() if p_at else "later"
        msg = f"{who} ({when}, after the claim) reports a change: \u201c{overtaking}\u201d"
        flag(LATER_UPDATE, msg)
        reasons.insert(0, f"later report of a change ({when}): \u201c{overtaking}\u201d")
        stance, strength = MENTIONS, 0.6
    elif overtaking and stance == MENTIONS and not bad:
        reasons.append(
            "reports a change but not after the claim's article"
            if p_at and c_at
            else "reports a change; publication order unknown"
        )

    if stance == MENTIONS and not bad and not (overtaking and later):
        same_event = bool(same_event_sents) and overlap >= SAME_EVENT_TOPIC
        if same_event or (good and overlap >= ON_TOPIC):
            stance = SUPPORTS
            strength = 0.6 + (0.15 if good else 0.0) + (0.1 if confirm else 0.0)
            if hedge:
                strength -= 0.25
            if unconfirmed:
                strength -= 0.2
            strength = round(min(0.95, max(0.1, strength)), 2)
            what = "; ".join(
                f"source says {p.source_text}; claim says {describe(p.claim)}" for p in good
            )
            basis = f"same figure ({what})" if good else "reports the same event"
            if same_event and good:
                basis = f"reports the same event with the same figure ({what})"
            reasons.insert(0, basis)
            if hedge:
                reasons.append(f"source is hedged (\u201c{hedge.group(0)}\u201d)")
            if unconfirmed:
                reasons.append("source says it is not officially confirmed")
        else:
            related = any(
                frozenset({a, b}) in RELATED_FAMILIES for a in claim_events for b in passage_events
            )
            if related and overlap >= ON_TOPIC:
                rel = sorted(
                    b
                    for b in passage_events
                    for a in claim_events
                    if frozenset({a, b}) in RELATED_FAMILIES
                )
                reasons.insert(
                    0,
                    "consistent with the claim but does not state it (related event: "
                    + ", ".join(dict.fromkeys(rel))
                    + ")",
                )
                strength = 0.3
            elif same_event_sents:
                reasons.insert(
                    0,
                    f"mentions the same kind of event ({main}) but shares few of the claim's key terms"
                    + (f" ({', '.join(shared[:8])})" if shared else ""),
                )
                strength = 0.3
            else:
                reasons.insert(
                    0, "on topic only" + (f" (shares: {', '.join(shared[:8])})" if shared else "")
                )
                strength = round(min(0.3, 0.1 + overlap / 3), 2)
            if unconfirmed:
                reasons.append("source says it is not officially confirmed")
    return Judgement(
        stance=stance, reason="; ".join(r for r in reasons if r), flags=flags, strength=strength
    )
