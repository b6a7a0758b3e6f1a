"""From an article body to check-worthy claim candidates.

One pass over the sentences (bounded: see `sentences`), then article-level steps:
carry attribution and time anchors across sentences, merge duplicates (a lede that
restates a body sentence becomes an extra `appearance`), and raise the article-internal
flags (unconfirmed, anonymous_source, vague_attribution, internal_inconsistency).

Which candidates are returned: every sentence scoring >= CHECKWORTHY_THRESHOLD (0.5),
plus attributed opinions/characterisations ("officials describe them as disorganised")
with their lower score (>= OPINION_FLOOR), typed `opinion`, because a fact-checker
still wants to see who characterised what. Consumers that want only the check-worthy
ones filter on `checkworthiness >= CHECKWORTHY_THRESHOLD`; the evaluation does.
Questions, headings, boilerplate and overlong sentences never become claims.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from analysis.types import (
    ANONYMOUS_SOURCE,
    ATTR_ANONYMOUS,
    ATTR_NONE,
    ATTR_OUTLET,
    ATTR_VAGUE,
    INTERNAL_INCONSISTENCY,
    OPINION,
    PREDICTION,
    UNCONFIRMED,
    VAGUE_ATTRIBUTION,
    Attribution,
    ClaimCandidate,
    ClaimFlag,
    TimeRef,
)

from . import cues, signals
from .attribution import attribute
from .boilerplate import SpanSet, boilerplate_spans
from .quantities import find_quantities
from .sentences import Sentence, split_sentences
from .signals import WORDS
from .times import explicit_anchor, find_times

CHECKWORTHY_THRESHOLD = 0.5
OPINION_FLOOR = 0.3
MAX_CLAIM_CHARS = 800  # longer "sentences" are lists, tables or junk, not claims
MAX_CLAIMS = 500  # bound the article-level pair checks
# Sentences analysed per article. A long feature has a few hundred; the cap keeps a
# hostile multi-megabyte body bounded (the caller's size limit is far below it anyway).
MAX_ANALYSED_SENTENCES = 4000
MAX_SCANNED_SENTENCES = 40_000  # including boilerplate lines
SUMMARY_LINE_CHARS = 160
MAX_TIME_CARRY = 3  # sentences a resolved date stays the base for "a week earlier" / "the same day"

# A wire dateline opening a paragraph: "KATHMANDU, Oct 14 (Reuters) - ", "HOUSTON \u2014 ".
# It is not part of the claim; the claim span starts after it.
DATELINE_RE = re.compile(
    r"(?:[A-Z][A-Z.'\-]{2,24}(?:\s[A-Z][A-Z.'\-]{1,24}){0,3})(?:,\s?[A-Z][A-Za-z.]{1,20}(?:\s[A-Z][A-Za-z.]{1,20}){0,2})?"
    r"(?:,?\s(?:[A-Z][a-z]{2,8}\.?\s\d{1,2}|\d{1,2}\s[A-Z][a-z]{2,8}))?\s?(?:\([A-Za-z][\w .&\-]{1,30}\))?\s?"
    r"(?:-{1,2}|\u2013|\u2014)\s+(?=[A-Z\"\u201c])"
)
_DIGIT = re.compile(r"\d")
_WHOLE_QUOTE = re.compile(r"^[\"\u201c][^\"\u201c\u201d]{0,600}[\"\u201d]\s*$")


@dataclass
class _Work:
    sent: Sentence
    cand: ClaimCandidate
    stems: set[str] = field(default_factory=set)
    lede: bool = False
    opinion: bool = False


def extract_claims(
    body: str,
    *,
    published_at: datetime | None = None,
    boilerplate: list[tuple[int, int]] | None = None,
) -> list[ClaimCandidate]:
    """Check-worthy claim candidates of `body`, in body order; spans index `body`."""
    if not body:
        return []
    # read_article already ran the boilerplate detector on every format; recompute only
    # for callers that pass a bare body.
    spans = SpanSet(boilerplate if boilerplate is not None else boilerplate_spans(body))
    pub = published_at.date() if isinstance(published_at, datetime) else published_at

    sentences = [
        s
        for s in split_sentences(body, limit=MAX_SCANNED_SENTENCES)
        if not s.overlong
        and s.end - s.start <= MAX_CLAIM_CHARS
        and not spans.covered(s.start, s.end)
    ]
    sentences = [_strip_dateline(s) for s in sentences]
    works: list[_Work] = []
    previous_att: Attribution | None = None
    previous_text = ""
    anchor: date | None = None
    anchor_age = 99
    last_time: TimeRef | None = None
    last_time_at = -99
    in_summary = True
    last_summary_end = -1
    para_sentences: dict[int, int] = {}
    last_text = ""
    first_para: int | None = None
    last_para = -1

    seen_text: dict[str, _Work] = {}
    last_quote_para = -1
    people: dict[str, str] = {}
    analysed = 0
    for sent in sentences:
        text = sent.text
        repeat = seen_text.get(text)
        if repeat is not None:
            # A verbatim repeat: one more appearance, no second analysis.
            repeat.cand.appearances.append((sent.start, sent.end))
            continue
        analysed += 1
        if analysed > MAX_ANALYSED_SENTENCES:
            break
        if first_para is None:
            first_para = sent.paragraph
        if sent.paragraph != last_para:
            anchor_age += 1
            # A block of one-sentence summary lines at the top ("Key Points" bullets) is a lede too.
            if last_para >= 0 and not (
                para_sentences.get(last_para) == 1 and len(last_text) <= SUMMARY_LINE_CHARS
            ):
                in_summary = False
            last_para = sent.paragraph
        para_sentences[sent.paragraph] = para_sentences.get(sent.paragraph, 0) + 1
        last_text = text

        att = attribute(text, previous_att, previous_text, people)
        # "a week earlier", "the same day" count from the event date of this or a nearby
        # earlier sentence, never from a date far back in the article.
        recent = last_time if analysed - last_time_at <= MAX_TIME_CARRY else None
        times = find_times(text, sent.start, pub, anchor if anchor_age <= 2 else None, recent)
        own_anchor = explicit_anchor(times)
        if own_anchor:
            # Durations in this same sentence count back from its explicit date.
            times = find_times(text, sent.start, pub, own_anchor, recent)
            anchor, anchor_age = own_anchor, 0
        resolved = [t for t in times if t.start_date and t.kind != "range"] or [
            t for t in times if t.start_date
        ]
        if resolved:
            last_time, last_time_at = resolved[-1], analysed
        # A counted period ("within 15 days") is also a quantity; other time references are not.
        time_spans = [
            (t.start - sent.start, t.end - sent.start)
            for t in times
            if not (t.kind == "duration" and _DIGIT.search(t.text))
        ]
        quantities = find_quantities(text, sent.start, time_spans)
        # "Two people familiar with the talks said": the source's size is not a claim.
        quantities = [
            q for q in quantities if not (att.chain and any(q.text in p.speaker for p in att.chain))
        ]
        hedges = signals.hedges(text, sent.start)

        if (
            att.kind == ATTR_NONE
            and text[:1] in '"\u201c'
            and previous_att is not None
            and sent.paragraph == last_quote_para
        ):
            # A quote that runs on into a new sentence keeps its speaker.
            att = Attribution(
                speaker=previous_att.speaker,
                kind=previous_att.kind,
                chain=list(previous_att.chain),
                cue="quote",
            )
        if att.kind != ATTR_NONE:
            previous_att, previous_text = att, text
            last_quote_para = sent.paragraph
        elif previous_text and sent.paragraph == last_para:
            previous_text = previous_text  # keep the last attributed sentence for pronouns

        if _not_a_claim(text):
            continue
        ctype, opinion = signals.claim_type(text, quantities, att)
        score = signals.score(text, quantities, times, att, ctype, opinion)
        if att.cue == "quote" and not quantities and not times and _WHOLE_QUOTE.match(text):
            # A quote running on from the previous sentence with no figure or date: rhetoric
            # ("... and they will get it."), kept out of the check-worthy list.
            score = min(score, CHECKWORTHY_THRESHOLD - 0.05)
        cand = ClaimCandidate(
            text=text,
            start=sent.start,
            end=sent.end,
            normalized=normalize(text),
            checkworthiness=round(score, 3),
            claim_type=ctype,
            attribution=att,
            hedges=hedges,
            certainty=signals.certainty(text),
            quantities=quantities,
            times=times,
            appearances=[(sent.start, sent.end)],
        )
        if ctype == PREDICTION:
            cand.recheck_after = signals.recheck_after(times, pub)
        # Summary bullets sit on adjacent lines right under the first one (no blank line between).
        summary = (
            in_summary
            and para_sentences.get(sent.paragraph) == 1
            and len(text) <= SUMMARY_LINE_CHARS
            and 0 <= last_summary_end <= sent.start
            and sent.start - last_summary_end <= 400
            and body.count("\n", last_summary_end, sent.start) == 1
        )
        if summary or sent.paragraph == first_para:
            last_summary_end = sent.end
        work = _Work(
            sent, cand, _stems(text), lede=sent.paragraph == first_para or summary, opinion=opinion
        )
        works.append(work)
        seen_text[text] = work

    works = _merge_duplicates(works)
    _flag_unconfirmed(works, sentences[:MAX_ANALYSED_SENTENCES])
    for w in works:
        _flag_attribution(w.cand)
    _flag_inconsistencies(works[:MAX_CLAIMS])

    out = []
    for w in works:
        c = w.cand
        if c.checkworthiness >= CHECKWORTHY_THRESHOLD:
            out.append(c)
        elif (
            c.claim_type == OPINION
            and c.attribution.kind != ATTR_NONE
            and c.checkworthiness >= OPINION_FLOOR
        ):
            out.append(c)
    out.sort(key=lambda c: c.start)
    return out


# -- per sentence ---------------------------------------------------------------------


def _strip_dateline(sent: Sentence) -> Sentence:
    m = DATELINE_RE.match(sent.text)
    if not m or m.end() >= len(sent.text) - 20:
        return sent
    k = m.end()
    return Sentence(sent.start + k, sent.end, sent.text[k:], sent.paragraph, sent.overlong)


def _not_a_claim(text: str) -> bool:
    stripped = text.rstrip("\"'\u201d\u2019) ")
    if stripped.endswith("?"):
        return True  # questions, rhetorical or not, assert nothing
    if cues.NOT_VERIFIED_SENTENCE_RE.match(text) or cues.NO_COMMENT_SENTENCE_RE.match(text):
        return True  # reporting on the reporting: "The report could not be independently verified."
    words = WORDS.findall(text)
    if len(words) < 5:
        return True
    letters = sum(1 for ch in text if ch.isalpha())
    return letters < 0.5 * len(text)


def normalize(text: str) -> str:
    """Lowercased, accent- and punctuation-free form with light stopwords removed, for
    de-duplication across articles ("11,000" and "11000" agree)."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).lower()
    t = t.replace("\u2019", "'")
    tokens = []
    for m in WORDS.finditer(t):
        w = m.group(0)
        if w[0].isdigit():
            w = w.replace(",", "")
        elif w.endswith("'s"):
            w = w[:-2]
        if w in cues.STOPWORDS:
            continue
        tokens.append(w)
    return " ".join(tokens)


def _stem(w: str) -> str:
    w = w.lower()
    for suf in ("ings", "ing", "ed", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            w = w[: -len(suf)]
            break
    return w[:6]


# Units of measure repeat across unrelated statistical sentences; they say nothing about
# whether two sentences state the same fact.
_WEAK_STEMS = frozenset({"per", "cent", "percen", "point", "million", "billio", "thousa"})


def _stems(text: str) -> set[str]:
    return {
        _stem(w) for w in WORDS.findall(text) if w.lower() not in cues.STOPWORDS and len(w) > 2
    } - _WEAK_STEMS


# -- article level --------------------------------------------------------------------


def _merge_duplicates(works: list[_Work]) -> list[_Work]:
    """Merge exact repeats anywhere, and a lede that restates a later sentence."""
    kept: list[_Work] = []
    by_norm: dict[str, _Work] = {}
    for w in works:
        other = by_norm.get(w.cand.normalized)
        if other is not None:
            other.cand.appearances.append((w.cand.start, w.cand.end))
            continue
        by_norm[w.cand.normalized] = w
        kept.append(w)
    ledes = [w for w in kept if w.lede]
    drop: set[int] = set()
    for lede in ledes:
        best, best_score = None, 0.0
        for other in kept:
            if other is lede or other.lede or id(other) in drop:
                continue
            shared = lede.stems & other.stems
            small = min(len(lede.stems), len(other.stems)) or 1
            containment = len(shared) / small
            # A summary bullet restates a body sentence when it shares its figures and most words
            # ("Shares rose as much as 9% in extended trading" / "Shares of X jumped as much as 9% ...").
            same_figure = _shared_numbers(lede, other)
            enough = len(shared) >= 5 or (same_figure and len(shared) >= 3)
            if enough and containment >= 0.6 and not _conflicting_numbers(lede, other):
                score = containment + (1.0 if same_figure else 0.0)
                if score > best_score:
                    best, best_score = other, score
        if best is not None:
            primary, secondary = (
                (best, lede) if _richness(best) >= _richness(lede) else (lede, best)
            )
            primary.cand.appearances.extend(secondary.cand.appearances)
            primary.cand.checkworthiness = max(
                primary.cand.checkworthiness, secondary.cand.checkworthiness
            )
            drop.add(id(secondary))
    return [w for w in kept if id(w) not in drop]


def _richness(w: _Work) -> tuple:
    c = w.cand
    return (
        len(c.attribution.chain),
        len(c.quantities) + len(c.times),
        c.checkworthiness,
        len(c.text),
    )


def _shared_numbers(a: _Work, b: _Work) -> bool:
    va = {q.value for q in a.cand.quantities if q.value is not None}
    vb = {q.value for q in b.cand.quantities if q.value is not None}
    return bool(va & vb)


def _conflicting_numbers(a: _Work, b: _Work) -> bool:
    va = {q.value for q in a.cand.quantities if q.value is not None}
    vb = {q.value for q in b.cand.quantities if q.value is not None}
    return bool(va and vb and not (va & vb))


_UNCONF_OBJECT = re.compile(
    r"(?:confirm(?:ed)?|verif(?:y|ied))\s+(?P<obj>(?:the|a|an|this|that|these|those|its|their|any|reports? of)?\s*"
    r"[\w\-]+(?:\s+(?:of|on)\s+[\w\-]+)?)",
    re.I,
)
_SUBJ_BEFORE_UNCONF = re.compile(
    r"(?P<subj>(?:the|this|that|these|those|such)\s+[\w\-]+(?:\s+[\w\-]+)?)\s+(?:has|have|had|was|were|is|are|could|cannot)\b[^.]{0,40}$",
    re.I,
)


def _flag_unconfirmed(works: list[_Work], sentences: list[Sentence]) -> None:
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
            worthy = [s for s in prev if by_start[s].cand.checkworthiness >= CHECKWORTHY_THRESHOLD]
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


def _flag_attribution(c: ClaimCandidate) -> None:
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


def _flag_inconsistencies(works: list[_Work]) -> None:
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
            shared = (wa.stems & wb.stems) - {_stem(qa.unit)}
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
