"""Judge a claim against whole source documents: the learned model first, exact rules after.

For each candidate document (a corpus source, as its passages), the relatedness and
stance model (`analysis.models.stance`) says whether it is `unrelated` to the claim, or
`supports`, `contradicts` or only `mentions` it, and which passage to show. Only a related
document becomes evidence. The exact rules of `judge.judge` then run on the passages the
model found closest to the claim, because numbers, dates and time order must be exact and
explainable:

1. a count for the same thing and role that disagrees beyond what the qualifiers allow
   -> contradicts, with `numeric_discrepancy` naming both figures (the rules compare
   durations and dates too, which raise the flag with stance mentions);
2. a later official figure or a later report of a change that overtakes the claim ->
   `later_update` with both values and dates; neither support nor contradiction;
3. otherwise the model's stance. A `contradicted` flag needs the model's contradiction
   and a reason a fact-checker can read: a denial cue ("hoax", "not true", "denied") in
   a passage about the claim, or a confident model (p >= CONFIDENT_DENIAL); a
   contradiction with neither stays weak (below judge.FIRM), so it neither flags the
   claim nor makes it disputed. A denial the rules see in a passage the model does not
   read as contradicting is about something else ("rumours that she killed 100 fighters
   were untrue" against "she is alive").
   A denial whose denied clause is about something else ("rumours that he had taken
   bribes were untrue" against "he is campaigning in Ohio") is no contradiction at all.
4. `unconfirmed` from the rules (a "not confirmed" about the claim's own event) stays
   and weakens support. It is about a claim only when its sentence is: one that names a
   figure is about the claims with a figure of that kind, and one that points back ("The
   figure has not been independently confirmed.") is read with the sentence before.
5. The model's "mentions" over a passage where the rules find the same figure or event
   stated firmly as the source's own account is support; told as another outlet's report
   ("according to The New York Times", declared relays) it relays the claim, which
   counts for `single_origin` only.
6. The model's "unrelated" stands unless a passage the search found counts the same
   thing and the document shares at least two of the claim's key words, or the claim's
   subject is in the article around it ("their numbers").

No document's text may stop the others being judged: a document whose features could
not be built (`Document.error`) or whose judging raises is skipped, logged, and returned
as unrelated with its `error`, so the caller can record it on the claim.

The reason shown is one sentence built from the model's ingredients (shared key terms,
the cue found, the probability) and the rules' comparisons ("source says about three
weeks; claim says two weeks").
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
)

from .credits import with_cited_origin
from .figures import POINTS_BACK, denies_another_matter
from .judge import FIRM
from .judge import judge as judge_passage
from .text import names, snippet

UNRELATED = "unrelated"
# A contradiction the model is this sure of is flagged even with no cue word to quote.
CONFIDENT_DENIAL = 0.8
# Whether differing figures turn the model's "supports" into a contradiction.
NUMBERS_OVERRULE_SUPPORT = True
# How many of a document's passages nearest the claim the exact rules read.
RULE_PASSAGES = 3
_DENIAL_GROUPS = ("denial", "refute_fnc")
# A figure overrules the model's "unrelated" only in a document that shares at least this
# many of the claim's key words besides numbers ("$2 million" for a street repair is not
# the price of a company, however the figures compare), or for a claim whose subject is
# in the article around it ("their numbers have been cut in half"): the rules read that
# context, the model sees the sentence alone.
MIN_SHARED_FOR_FIGURES = 2
# A document that declares it retells another outlet's report, and that the model is this
# sure discusses the claim, relays the claim (counts for single_origin, never support).
RELAY_CONFIDENCE = 0.6
# Whether the model's "mentions" becomes support when the rules find the same figure
# stated firmly as the source's own account (the same event alone is not enough: on the
# FNC-1 dev split that cost 1.2 points, the model's "discuss" being right there).
MENTIONS_WITH_SAME_FIGURE_SUPPORT = True
# A document sharing at most MAX_SHARED of the claim's words besides its names, and
# missing at least MIN_MISSING of its rare words, is about the same people, not the matter.
MIN_MISSING_FOR_NAMES_ONLY, MAX_SHARED_FOR_NAMES_ONLY = 3, 1
# ... in a document long enough to have said it (a headline misses most words anyway).
MIN_PASSAGES_FOR_NAMES_ONLY = 3
_ANAPHORA = re.compile(r"\b(?:their|its|they|them|these|those)\b", re.I)
_NUMBER_WORD = re.compile(
    r"^(?:\d[\d.,]*|million|billion|thousand|hundred|bn|mln|percent|per|cent)$", re.I
)
# How much of an exception's message a recorded error keeps.
ERROR_CHARS = 300

log = logging.getLogger(__name__)


@dataclass
class Document:
    """One source document: its passages in order (as search hits) and their stance
    features (`analysis.models.stance.featurise_passages` of the passage texts).
    `focus`: indices of the passages the search found for the claim, which the exact
    rules read besides the model's nearest ones. `error`: why the document could not be
    read (its features failed); such a document is skipped, not judged."""

    passages: list[Passage]
    features: Any
    focus: list[int] = field(default_factory=list)
    error: str = ""


@dataclass
class DocumentJudgement:
    label: str  # unrelated | supports | contradicts | mentions (the service's decision)
    probs: dict[str, float]  # the model's four probabilities
    passage: Passage | None  # the passage the evidence shows; None when unrelated
    judgement: Judgement | None  # None when unrelated: not evidence
    model_label: str = ""  # what the model alone said
    cues: dict[str, list[str]] = field(default_factory=dict)
    error: str = ""  # why this document was skipped ("KeyError: ..."); "" when judged


def describe_error(exc: BaseException) -> str:
    """An exception as a recorded reason: its type and message, cut to ERROR_CHARS."""
    message = " ".join(str(exc).split())
    if len(message) > ERROR_CHARS:
        message = message[: ERROR_CHARS - 1] + "\u2026"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _shared(decision: dict, n: int = 4) -> str:
    terms = list(decision.get("shared_terms") or [])[:n]
    return f" (shares: {', '.join(terms)})" if terms else ""


def _denial_cue(decision: dict) -> str:
    for group in _DENIAL_GROUPS:
        words = (decision.get("cues") or {}).get(group)
        if words:
            return words[0]
    for near in decision.get("cues_nearby") or []:
        if near.get("group") in _DENIAL_GROUPS:
            return str(near.get("cue", ""))
    return ""


def _who(p: Passage) -> str:
    return p.outlet or p.title or "a source"


def judge_documents(
    claim: ClaimCandidate,
    documents: Sequence[Document],
    *,
    claim_published_at: datetime | None = None,
    context: str | None = None,
    model=None,
) -> list[DocumentJudgement]:
    """One DocumentJudgement per document, in order (see the module for the rules)."""
    if not documents:
        return []
    if model is None:
        from analysis.models import stance_model

        model = stance_model()
    usable = [d for d in documents if d.passages and not d.error]
    decisions = iter(_model_decisions(model, claim.text, usable))
    out: list[DocumentJudgement] = []
    for doc in documents:
        if not doc.passages or doc.error:
            out.append(DocumentJudgement(UNRELATED, {}, None, None, UNRELATED, error=doc.error))
            continue
        decision = next(decisions)
        if isinstance(decision, BaseException):
            out.append(_skipped(doc, decision))
            continue
        try:
            out.append(_decide(claim, doc, decision, claim_published_at, context))
        except Exception as exc:  # one document's text must not stop the claim's others
            out.append(_skipped(doc, exc))
    return out


def _model_decisions(model, claim_text: str, usable: list[Document]) -> list:
    """The model's decision per document, in one batch; if the batch raises, one by one,
    so a document the model cannot read gets its exception and the others their decision."""
    if not usable:
        return []
    try:
        return list(model.judge(claim_text, [d.features for d in usable]))
    except Exception as exc:
        if len(usable) == 1:
            return [exc]
        return [_raised(model, claim_text, d) for d in usable]


def _raised(model, claim_text: str, doc: Document):
    try:
        return model.judge(claim_text, [doc.features])[0]
    except Exception as exc:
        return exc


def _skipped(doc: Document, exc: BaseException) -> DocumentJudgement:
    error = describe_error(exc)
    log.warning(
        "source %s not judged: %s", doc.passages[0].source_id if doc.passages else "?", error
    )
    return DocumentJudgement(UNRELATED, {}, None, None, UNRELATED, error=error)


def _decide(
    claim: ClaimCandidate,
    doc: Document,
    decision: dict,
    claim_published_at: datetime | None,
    context: str | None,
) -> DocumentJudgement:
    label = decision["label"]
    probs = decision["probs"]
    cues = decision.get("cues") or {}
    if label == UNRELATED:
        # The model reads words; a figure for the same thing and role in a passage the
        # search found is relatedness it cannot see ("their numbers have been cut in
        # half" against "300 killed and 2,700 wounded" of the same troops).
        counted = [
            (i, j)
            for i in doc.focus
            if 0 <= i < len(doc.passages)
            for j in [
                judge_passage(
                    claim, doc.passages[i], claim_published_at=claim_published_at, context=context
                )
            ]
            if _has(j, NUMERIC_DISCREPANCY) or (j.stance == SUPPORTS and "figure" in j.reason)
        ]
        if not counted or (
            len(_topic_terms(decision)) < MIN_SHARED_FOR_FIGURES
            and not _ANAPHORA.search(claim.text)
        ):
            return DocumentJudgement(UNRELATED, probs, None, None, label, cues)
        i, j = counted[0]
        return DocumentJudgement(j.stance, probs, doc.passages[i], j, label, cues)
    if (
        label in (SUPPORTS, MENTIONS)
        and len(doc.passages) >= MIN_PASSAGES_FOR_NAMES_ONLY
        and _names_only(claim.text, decision)
    ):
        # Same people or places, another matter ("Neymar captained Brazil to Olympic
        # gold" against a report of his transfer): it mentions the subject, and is no
        # evidence of the claim, unless the rules find the claim's figure, event or a
        # later change in a passage the search found.
        if not any(
            j.stance in (SUPPORTS, CONTRADICTS)
            or _has(j, NUMERIC_DISCREPANCY)
            or _has(j, LATER_UPDATE)
            for _, j in _rule_focus(claim, doc, claim_published_at, context)
        ):
            key = decision.get("key_passage", -1)
            shown = doc.passages[key if 0 <= key < len(doc.passages) else 0]
            missing = ", ".join((decision.get("missing_terms") or [])[:4])
            reason = (
                f"names the same people or places, not this claim (no {missing}){_shared(decision)}"
            )
            judgement = Judgement(stance=MENTIONS, reason=reason, strength=0.1, topic_only=True)
            return DocumentJudgement(MENTIONS, probs, shown, judgement, label, cues)
    top = [i for i in decision.get("top_passages") or [] if 0 <= i < len(doc.passages)]
    key = decision.get("key_passage", -1)
    if 0 <= key < len(doc.passages) and key not in top:
        top.insert(0, key)
    top = top[:RULE_PASSAGES] or [0]
    top += [i for i in doc.focus if 0 <= i < len(doc.passages) and i not in top]
    ruled = [
        (
            i,
            judge_passage(
                claim, doc.passages[i], claim_published_at=claim_published_at, context=context
            ),
        )
        for i in top
    ]
    # A next sentence that speaks of this one ("The figure has not been independently
    # confirmed.") is read with it, for that hedge only.
    for i, j in ruled:
        window = _window(doc, i)
        if window is not doc.passages[i] and not _has(j, UNCONFIRMED):
            joined = judge_passage(
                claim, window, claim_published_at=claim_published_at, context=context
            )
            j.flags.extend(f for f in joined.flags if f.kind == UNCONFIRMED)
    flags: list[ClaimFlag] = []
    seen: set[tuple[str, str]] = set()

    def add(f: ClaimFlag) -> None:
        if (f.kind, f.message) not in seen:
            seen.add((f.kind, f.message))
            flags.append(f)

    numbers = [(i, j) for i, j in ruled if j.stance == CONTRADICTS and _has(j, NUMERIC_DISCREPANCY)]
    if label == SUPPORTS and not NUMBERS_OVERRULE_SUPPORT:
        numbers = []
    later = [(i, j) for i, j in ruled if _has(j, LATER_UPDATE)]
    for _i, j in ruled:
        for f in j.flags:
            if f.kind in (NUMERIC_DISCREPANCY, LATER_UPDATE, UNCONFIRMED):
                add(f)
    show = key if 0 <= key < len(doc.passages) else top[0]
    p_support, p_contra = probs.get(SUPPORTS, 0.0), probs.get(CONTRADICTS, 0.0)
    relays = False
    unconfirmed = any(f.kind == UNCONFIRMED for f in flags)

    if numbers:
        show, j = numbers[0]
        stance, strength, reason = CONTRADICTS, j.strength, j.reason
    elif later:
        show, j = later[0]
        stance, strength, reason = MENTIONS, j.strength, j.reason
    elif label == CONTRADICTS and not denies_another_matter(claim.text, doc.passages[show].text):
        cue = _denial_cue(decision)
        rule_denial = next(
            ((i, f) for i, j in ruled for f in j.flags if f.kind == CONTRADICTED), None
        )
        passage = doc.passages[show]
        if rule_denial is not None:
            show, f = rule_denial
            stance, strength = CONTRADICTS, max(0.6, round(p_contra, 2))
            reason = f"{f.message} (stance model: contradicts, p={p_contra:.2f})"
            add(f)
        elif cue or p_contra >= CONFIDENT_DENIAL:
            said = f"calls it \u201c{cue}\u201d" if cue else "disputes it"
            quote = snippet(passage.text, 0, 0, 160)
            reason = (
                f"source {said}: \u201c{quote}\u201d (stance model: contradicts, p={p_contra:.2f})"
            )
            stance, strength = CONTRADICTS, round(p_contra, 2)
            add(
                ClaimFlag(kind=CONTRADICTED, message=f"{_who(passage)} {said}: \u201c{quote}\u201d")
            )
        else:
            # Disputed in tone, with no denial to quote: contradicting evidence, but too
            # weak to flag or to call the claim disputed (below FIRM).
            stance, strength = CONTRADICTS, round(0.5 * p_contra, 2)
            reason = (
                f"seems to dispute it, but names no denial (stance model: contradicts, "
                f"p={p_contra:.2f}){_shared(decision)}"
            )
    elif label == SUPPORTS and (
        dated := [(i, j) for i, j in ruled if _has(j, NUMERIC_DISCREPANCY)]
    ):
        # The same event with another date or duration: not support for this claim's.
        show, j = dated[0]
        stance, strength = MENTIONS, 0.4
        reason = f"{j.reason}; the same event in a different time frame (stance model: supports, p={p_support:.2f})"
    elif label == SUPPORTS:
        good = [(i, j) for i, j in ruled if j.stance == SUPPORTS and "figure" in j.reason]
        if good:
            show, j = good[0]
            basis = j.reason
        else:
            basis = "reports the same" + (" event" if claim.claim_type == "event" else " claim")
            basis += _shared(decision)
        strength = round(0.5 + 0.45 * p_support, 2)
        if unconfirmed:
            strength = round(max(0.1, strength - 0.3), 2)
            basis += "; the source says it is not officially confirmed"
        hedges = cues.get("hedge") or []
        if hedges:
            strength = round(max(0.1, strength - 0.2), 2)
            basis += f"; hedged (\u201c{hedges[0]}\u201d)"
        stance, reason = SUPPORTS, f"{basis} (stance model: supports, p={p_support:.2f})"
    else:
        stance, strength = MENTIONS, round(0.1 + 0.3 * probs.get(MENTIONS, 0.0), 2)
        words = cues.get("hedge") or cues.get("attribution") or []
        how = f" without confirming (\u201c{words[0]}\u201d)" if words else " without stating it"
        reason = f"discusses it{how}{_shared(decision)}"
        # The same event or figure, told as someone's report: it relays the claim.
        relay = next(((i, j) for i, j in ruled if j.stance == SUPPORTS), None)
        if (
            MENTIONS_WITH_SAME_FIGURE_SUPPORT
            and relay is not None
            and relay[1].strength >= FIRM
            and "same figure" in relay[1].reason
            and not _relayed(doc.passages[relay[0]])
            and not unconfirmed
        ):
            # The same figure or event stated firmly as the source's own account, not
            # hedged and not credited to another outlet ("Acme will buy Widget for $300
            # million, the companies said"): support, whatever the model's tone.
            show, j = relay
            stance, strength = SUPPORTS, min(j.strength, 0.75)
            reason = f"{j.reason} (stance model: mentions, p={probs.get(MENTIONS, 0.0):.2f})"
        elif relay is not None:
            show, j = relay
            reason = f"relays it without taking a position: {j.reason}"
            relays = True
        elif probs.get(MENTIONS, 0.0) >= RELAY_CONFIDENCE and doc.passages[show].relays:
            # Another outlet's report, retold: it carries that origin (single_origin),
            # even where no figure or event word lets the rules see the same claim.
            reason = f"relays {', '.join(doc.passages[show].relays)} on it{_shared(decision)}"
            relays = True
        if unconfirmed and "not officially confirmed" not in reason:
            reason += "; the source says it is not officially confirmed"
    passage = doc.passages[show]
    if stance == SUPPORTS or relays:
        # What the passage tells as "Reuters reported" comes from Reuters, whoever prints it.
        passage = with_cited_origin(passage)
    judgement = Judgement(
        stance=stance, reason=reason, flags=flags, strength=strength, relays_claim=relays
    )
    return DocumentJudgement(stance, probs, passage, judgement, label, cues)


# Told as another outlet's or an unnamed report: the passage relays, it does not confirm.
_RELAY_CUE = re.compile(
    r"\b(?:according to|citing|cited by|as reported by|reported by|quoted by|told)\s+"
    r"(?:the\s+)?[A-Z]"
    r"|\b[A-Z][\w&.'\u2019-]*(?:\s+[A-Z][\w&.'\u2019-]*){0,4}\s+(?:reported|reports|first reported)\b"
    r"|\breported(?:ly)?\b|\b(?:media|press|news) reports?\b|\breports? (?:say|said|suggest)",
)


def _relayed(passage: Passage) -> bool:
    """The passage tells another outlet's report: its source declares relays, or its text
    credits one ("according to The New York Times", "reportedly")."""
    return bool(passage.relays) or bool(_RELAY_CUE.search(passage.text))


def _names_only(claim_text: str, decision: dict) -> bool:
    """The document shares little but the claim's names and misses several of its rare
    words (names included: a report that never says "Rio" is not about the Rio final):
    it is about the same people or places, not the same matter."""
    name_prefixes = {w.lower()[:4] for n in names(claim_text) for w in n.split()}
    shared = [t for t in _topic_terms(decision) if t[:4] not in name_prefixes]
    missing = decision.get("missing_terms") or []
    return len(shared) <= MAX_SHARED_FOR_NAMES_ONLY and len(missing) >= MIN_MISSING_FOR_NAMES_ONLY


def _rule_focus(claim, doc: Document, claim_published_at, context) -> list[tuple[int, Judgement]]:
    return [
        (
            i,
            judge_passage(
                claim, doc.passages[i], claim_published_at=claim_published_at, context=context
            ),
        )
        for i in doc.focus
        if 0 <= i < len(doc.passages)
    ]


def _topic_terms(decision: dict) -> list[str]:
    """The claim's key words the model found in the document, numbers left out."""
    return [t for t in decision.get("shared_terms") or [] if not _NUMBER_WORD.match(t)]


def _window(doc: Document, i: int) -> Passage:
    """Passage i, joined with the next when that one speaks of it ("The figure has not
    been independently confirmed."), so the rules read the two together."""
    p = doc.passages[i]
    if i + 1 < len(doc.passages) and POINTS_BACK.match(doc.passages[i + 1].text):
        q = doc.passages[i + 1]
        return dataclasses.replace(p, text=f"{p.text} {q.text}", end=q.end)
    return p


def _has(j: Judgement, kind: str) -> bool:
    return any(f.kind == kind for f in j.flags)
