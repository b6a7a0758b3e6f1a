"""From an article body to check-worthy claim candidates.

Every sentence of the body is scored for check-worthiness in one vectorised call of the
learned model (`analysis.models.checkworthiness`, or a `scorer` the caller passes), then
one pass over the sentences (bounded: see `sentences`) reads each one (attribution,
quantities, times, hedges, claim type), and article-level steps carry attribution and
time anchors across sentences, merge duplicates (a lede that restates a body sentence
becomes an extra `appearance`), and raise the article-internal flags (unconfirmed,
anonymous_source, vague_attribution, internal_inconsistency).

`extract` returns every scored sentence (so the admin can show the ones below the
threshold, greyed out with their score, for a fact-checker to promote) and the claims:
every sentence scoring >= the threshold, plus attributed opinions/characterisations
("officials describe them as disorganised") with their lower score (>= OPINION_FLOOR),
typed `opinion`, because a fact-checker still wants to see who characterised what.
Claim type is checked against the score. The model already ranks most opinions and
personal anecdotes low; an opinion with no checkable figure that it is not sure of
(below OPINION_CONFIDENT), and a run-on quote with no figure or date, are put below the
threshold; a reported event the model doubts only mildly (a dated happening with a
named actor, people killed or drowned) is raised to it, because news states such events
without a figure and a model learned on debates ranks them too low.
Questions, boilerplate and overlong sentences are scored but never become claims.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from analysis.types import (
    ATTR_NONE,
    EVENT,
    OPINION,
    PREDICTION,
    Attribution,
    ClaimCandidate,
    TimeRef,
)

from . import cues, signals
from .article_flags import flag_attribution, flag_inconsistencies, flag_unconfirmed
from .attribution import attribute
from .boilerplate import SpanSet, boilerplate_spans
from .quantities import find_quantities
from .sentences import Sentence, split_sentences
from .signals import WORDS, stem
from .times import explicit_anchor, find_times

# Scores a list of sentence texts, in one call: check-worthiness in [0, 1] for each.
Scorer = Callable[[Sequence[str]], Sequence[float]]

# The default threshold is the model's own (chosen on dev data, see its model card); the
# service passes FACTCHECK_CHECKWORTHY_THRESHOLD when it is set.
OPINION_FLOOR = 0.3
# How far below the threshold a sentence the claim type demotes is put.
DEMOTED_MARGIN = 0.05
# An opinion with no figure is put below the threshold unless the model is at least this
# sure it is check-worthy. Out of fold on ClaimBuster, demoting every such opinion drops
# 36 false positives for 28 true ones (a loss at a balanced prior, a gain at the natural
# one); sparing those the model scores 0.85 or more drops 30 for 20.
OPINION_CONFIDENT = 0.85
# A reported event the model scores at least this is raised to the threshold (see
# signals.reported_event); below it the model's doubt wins.
EVENT_FLOOR = 0.2
MIN_CLAIM_WORDS = 3  # "We're up 400,000 jobs." is a claim; "Thank you." is not
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


@dataclass(frozen=True)
class ScoredSentence:
    """One sentence of the body with its check-worthiness; `claim` when it became one.

    `note` says why a sentence was put below the threshold whatever the model said (a
    question, an opinion with no figure, a run-on quote), "" otherwise.
    """

    start: int
    end: int
    checkworthiness: float
    claim: bool
    note: str = ""


@dataclass
class Extraction:
    claims: list[ClaimCandidate]  # what the service stores as claims, body order
    sentences: list[ScoredSentence]  # every scored sentence, body order
    candidates: list[ClaimCandidate]  # a candidate for every claimable sentence (promotion)
    threshold: float


def default_scorer() -> tuple[Scorer, float]:
    """The learned model's scorer and its threshold."""
    from analysis.models import checkworthiness_model

    model = checkworthiness_model()
    return model.score, model.threshold


def extract_claims(
    body: str,
    *,
    published_at: datetime | None = None,
    boilerplate: list[tuple[int, int]] | None = None,
    scorer: Scorer | None = None,
    threshold: float | None = None,
) -> list[ClaimCandidate]:
    """Check-worthy claim candidates of `body`, in body order; spans index `body`."""
    return extract(
        body,
        published_at=published_at,
        boilerplate=boilerplate,
        scorer=scorer,
        threshold=threshold,
    ).claims


def extract(
    body: str,
    *,
    published_at: datetime | None = None,
    boilerplate: list[tuple[int, int]] | None = None,
    scorer: Scorer | None = None,
    threshold: float | None = None,
) -> Extraction:
    """Every sentence of `body` scored, and the claims among them (see the module)."""
    if scorer is None:
        scorer, model_threshold = default_scorer()
        threshold = model_threshold if threshold is None else threshold
    if threshold is None:
        raise ValueError("a custom scorer needs its threshold")
    if not body:
        return Extraction([], [], [], threshold)
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
    # One vectorised scoring call for every distinct sentence that will be read.
    texts = list(dict.fromkeys(s.text for s in sentences))[:MAX_ANALYSED_SENTENCES]
    model_scores = dict(zip(texts, (float(x) for x in scorer(texts)), strict=True))
    scored: list[ScoredSentence] = []
    notes: dict[str, str] = {}
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

        score = min(1.0, max(0.0, model_scores[text]))
        demoted = min(score, threshold - DEMOTED_MARGIN)
        not_claim = _not_a_claim(text)
        if not_claim:
            # Scored, shown, but below the threshold: a question asserts nothing.
            scored.append(ScoredSentence(sent.start, sent.end, round(demoted, 3), False, not_claim))
            continue
        ctype, opinion = signals.claim_type(text, quantities, att)
        numeric = any(q.value is not None for q in quantities)
        if opinion and not numeric and score < OPINION_CONFIDENT:
            # An opinion or characterisation with no checkable figure, that the model is not
            # sure of: there is nothing in it to check ("the best way to help is ...").
            score = demoted
            notes[text] = "an opinion with no checkable figure"
        if (
            ctype == EVENT
            and score < threshold
            and score >= EVENT_FLOOR
            and signals.reported_event(text, times, quantities)
        ):
            score = threshold
            notes[text] = "a reported event (raised to the threshold)"
        if att.cue == "quote" and not quantities and not times and _WHOLE_QUOTE.match(text):
            # A quote running on from the previous sentence with no figure or date: rhetoric
            # ("... and they will get it."), kept out of the check-worthy list.
            score = demoted
            notes[text] = "a run-on quote with no figure or date"
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
    flag_unconfirmed(works, sentences[:MAX_ANALYSED_SENTENCES], threshold)
    for w in works:
        flag_attribution(w.cand)
    flag_inconsistencies(works[:MAX_CLAIMS])

    out = []
    for w in works:
        c = w.cand
        if c.checkworthiness >= threshold:
            out.append(c)
        elif (
            c.claim_type == OPINION
            and c.attribution.kind != ATTR_NONE
            and c.checkworthiness >= OPINION_FLOOR
        ):
            out.append(c)
    out.sort(key=lambda c: c.start)
    claimed = {(c.start, c.end) for c in out}
    # A merged duplicate (a lede restating a body sentence) scores as the claim it joined.
    scored += [
        ScoredSentence(
            a,
            b,
            w.cand.checkworthiness,
            (w.cand.start, w.cand.end) in claimed,
            notes.get(w.cand.text, ""),
        )
        for w in works
        for a, b in w.cand.appearances
    ]
    scored.sort(key=lambda x: x.start)
    candidates = sorted((w.cand for w in works), key=lambda c: c.start)
    return Extraction(out, scored, candidates, threshold)


# -- per sentence ---------------------------------------------------------------------


def _strip_dateline(sent: Sentence) -> Sentence:
    m = DATELINE_RE.match(sent.text)
    if not m or m.end() >= len(sent.text) - 20:
        return sent
    k = m.end()
    return Sentence(sent.start + k, sent.end, sent.text[k:], sent.paragraph, sent.overlong)


def _not_a_claim(text: str) -> str:
    """Why a sentence can never be a claim ("" when it can)."""
    stripped = text.rstrip("\"'\u201d\u2019) ")
    if stripped.endswith("?"):
        return "a question"  # rhetorical or not, it asserts nothing
    if cues.NOT_VERIFIED_SENTENCE_RE.match(text) or cues.NO_COMMENT_SENTENCE_RE.match(text):
        # reporting on the reporting: "The report could not be independently verified."
        return "a remark about the reporting"
    words = WORDS.findall(text)
    if len(words) < MIN_CLAIM_WORDS:
        return "a fragment"
    letters = sum(1 for ch in text if ch.isalpha())
    return "not prose (figures or symbols)" if letters < 0.3 * len(text) else ""


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


# Units of measure repeat across unrelated statistical sentences; they say nothing about
# whether two sentences state the same fact.
_WEAK_STEMS = frozenset({"per", "cent", "percen", "point", "million", "billio", "thousa"})


def _stems(text: str) -> set[str]:
    return {
        stem(w) for w in WORDS.findall(text) if w.lower() not in cues.STOPWORDS and len(w) > 2
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
