"""Who says a sentence, of which kind, and through which relay chain.

Cues, in order of precedence inside one sentence:
1. "according to X[, citing Y]" (the chain is X -> Y);
2. "X, citing Y, reported ..." / "... X reported, citing Y";
3. a subject before a speech or belief verb ("US officials believe ...",
   "Officials, who spoke on condition of anonymity, said ..."), or after it at the end
   ("..., said the minister.", "..., the ministry said.");
4. vague cues ("Reports suggest", "it is said", "reportedly" with no named source).

Pronoun subjects ("he said", "they told reporters") take the speaker of the nearest
earlier attributed sentence; an anonymity remark in the previous sentence ("Officials
spoke on condition of anonymity.") makes the carried speaker anonymous.

Kind of a claim: the kind of the *innermost* source of the chain, the origin the
information comes from ("The New York Times, citing Ukrainian and US officials" is
`anonymous`), because that is what a fact-checker must weigh; `speaker` is the
*outermost* named relay (who published it: "The New York Times"), the one to cite
and contact. The full chain is always given, outermost first.
"""

from __future__ import annotations

import re
from typing import Any

from analysis.types import (
    ATTR_ANONYMOUS,
    ATTR_BODY,
    ATTR_NONE,
    ATTR_OUTLET,
    ATTR_PERSON,
    ATTR_VAGUE,
    Attribution,
    AttributionPart,
)

from .speakers import (
    ANON_MARKERS,
    BODY_WORDS,
    CAP_NAME,
    CORP_SUFFIX,
    ORG_BACKREF,
    OUTLET_RE,
    OUTLET_SHAPE,
    PLACE_RE,
    TITLE_WORDS,
    classify,
    person_name,
    split_sources,
)

SPEECH_VERBS = (
    "said|says|say|told|tells|tell|stated|states|announced|announces|claimed|claims|claim|reported|reports|report|"
    "added|adds|noted|notes|explained|explains|warned|warns|warn|insisted|insists|argued|argues|estimated|estimates|"
    "confirmed|confirms|confirm|denied|denies|deny|acknowledged|acknowledges|admitted|admits|wrote|writes|"
    "believe|believes|believed|think|thinks|thought|describe|describes|described|suggest|suggests|suggested|"
    "indicate|indicates|indicated|revealed|reveals|disclosed|alleged|alleges|allege|accused|accuses|assessed|assess|"
    "show|"
    "assesses|predicted|predicts|predict|expect|expects|expected|fear|fears|feared|concluded|concludes|found|finds|"
    "shows|showed|stressed|stresses|emphasised|emphasized|tweeted|posted|testified|declared|declares|"
    "spoke|countered|replied|responded|cautioned|projected|projects|forecast|forecasts|calculated|counted|recorded|"
    "recommends|recommended|recommend|advises|advised|urged|urges|promised|promises|pledged|pledges|vowed|vows|"
    "puts? the (?:[a-z\\-]+\\s+){0,2}?(?:number|toll|figure|total|magnitude|cost|bill|estimate|count|loss|losses|damage)"
)
_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.I)
_AUX_BEFORE = re.compile(
    r"(?:\b(?:have|has|had|will|would|also|reportedly|previously|later|earlier|again|publicly|"
    r"privately|repeatedly|initially|officially|yet|already|separately|recently|now|still|had|did|do|does|not|"
    r"n't|could|may|might|have been|has been)\s+)+$",
    re.I,
)
_PUBLISHED_IN = re.compile(
    r"\s*(?:published|reported|released|issued|presented)\s+(?:on\s+\w+\s+)?(?:in|by|at)\s+"
    r"(?P<o>(?:the\s+)?[A-Z][\w&'\u2019\-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w&'\u2019\-]*){0,6})"
)
_ACCORDING = re.compile(r"\baccording\s+to\s+", re.I)
_CITING = re.compile(
    r",?\s*(?:\bciting\b|\bwhich cited\b|\bwho cited\b|\bquoting\b|\bwhich quoted\b|\bbased on\b)\s+",
    re.I,
)
_CITE_GAP = re.compile(
    r"\s+(?:on|in|at|late|early|last|this|earlier|later|overnight|yesterday|today|tonight|"
    r"separately|also|exclusively)\b[^,;:.\"\u201c\u201d]{0,50}(?=,?\s*(?:citing|quoting)\b)",
    re.I,
)
_ANON_TAIL = re.compile(
    r",?\s+(?:familiar with|close to|briefed on|with (?:direct )?knowledge of|who (?:spoke|requested|asked|declined)|"
    r"speaking on|on condition of|not authori[sz]ed)[^,;.\"\u201c\u201d]{0,70}",
    re.I,
)
_ANON_TAIL_REST = re.compile(r"\s+(?:with|of|to)\s[^,;.\"\u201c\u201d]{1,70}")
_PHRASE_END = re.compile(
    r"\s*(?:[,;:.!?\u2014\u2013()\"\u201c\u201d]|\s(?:citing|quoting|who|which|that|on|in|at|last|this|earlier|"
    r"late|early|during|after|before|as|while|when|because|but|and said|amid|since|for|to|with)\b|$)",
    re.I,
)
_VAGUE_SENTENCE = re.compile(
    r"\b(?:reports?\s+(?:suggest|suggests|say|says|indicate|indicates|claim|claims|said|suggested|indicated)|"
    r"it\s+(?:is|was|has been)\s+(?:said|reported|believed|thought|claimed|rumou?red|understood|alleged)|"
    r"there\s+(?:are|were|have been)\s+(?:reports|claims|rumou?rs|suggestions)|rumou?rs\s+(?:suggest|say|have it)|"
    r"(?:some|many|others)\s+(?:say|believe|claim|suggest|argue|fear)|reportedly|allegedly|purportedly|"
    r"reports\s+from|media\s+reports|unconfirmed\s+reports|social media (?:posts|reports)|is said to|are said to|"
    r"was said to|were said to|word is)\b",
    re.I,
)

_COMPANY_HEADS = frozenset(
    "company firm group carmaker automaker retailer lender bank insurer airline chipmaker "
    "conglomerate startup manufacturer producer operator developer business".split()
)
_ORG_KEY = "\x00org"
_BODIES_KEY = "\x00bodies"
_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "we",
        "i",
        "the official",
        "the officials",
        "the spokesman",
        "the spokeswoman",
        "the spokesperson",
        "the minister",
        "the source",
        "the sources",
        "the person",
        "the people",
        # definite back-references to a source named earlier ("Researchers at X found ... the researchers said")
        "the researchers",
        "the authors",
        "the scientists",
        "the study",
        "the team",
        "the study's authors",
    ]
)
# "the newspaper reported": the outlet named last in the article.
_OUTLET_BACKREF = re.compile(
    r"^the\s+(?:newspaper|paper|daily|broadcaster|outlet|magazine|tabloid|network|channel|"
    r"news agency|agency|station|website|publication|journal)$",
    re.I,
)
_OUTLET_KEY = "\x00outlet"
_LEAD_CONJ = re.compile(
    r"^(?:(?:but|and|however|meanwhile|still|yet|so|also|now|then|instead|separately|later|earlier|"
    r"in a statement|in an interview|on \w+day|in addition|moreover|furthermore),?\s+)+",
    re.I,
)


_NAME_GOES_ON = re.compile(
    r"\s(?:for|on)\s+(?:the\s+)?(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)\b)[A-Z][\w\-']*"
)


def _take_phrase(text: str, pos: int, limit: int = 120) -> tuple[str, int]:
    """The noun phrase starting at `pos`, up to a clause boundary."""
    stop = min(len(text), pos + limit)
    m = _PHRASE_END.search(text, pos, stop)
    for _ in range(4):
        # "the Institute for the Study of War", "Committee on Foreign Affairs": a name goes on.
        goes_on = _NAME_GOES_ON.match(text, m.start()) if m else None
        if not m or not goes_on or not re.search(r"[A-Z][\w\-']*$", text[pos : m.start()]):
            break
        m = _PHRASE_END.search(text, goes_on.end(), stop)
    end = m.start() if m else stop
    # Keep "Ukraine's Commander-in-Chief" hyphens/possessives; cut at "on January 30"-style tails.
    return text[pos:end].strip(), end


def _parts(
    phrases: list[str], sentence: str, people: dict[str, Any] | None = None
) -> list[AttributionPart]:
    out = []
    for ph in phrases:
        for single in split_sources(ph):
            kind, speaker = classify(single, sentence, people)
            if kind != ATTR_NONE:
                out.append(AttributionPart(speaker=speaker, kind=kind))
    return out


def _chain_after(text: str, end: int) -> list[str]:
    """Relays named after a source: ", citing Ukrainian and US officials"."""
    out = []
    for i in range(3):
        m = _CITING.match(text, end)
        if not m and i == 0:
            # "X reported on Wednesday, citing people familiar with the matter"
            gap = _CITE_GAP.match(text, end)
            if gap:
                m = _CITING.match(text, gap.end())
        if not m:
            break
        phrase, end = _take_phrase(text, m.end())
        if not phrase:
            break
        phrase, end = _with_anonymity_tail(text, phrase, end)
        out.append(phrase)
    return out


def _with_anonymity_tail(text: str, phrase: str, end: int) -> tuple[str, int]:
    """A source phrase cut before "familiar with the matter" gets its tail back: the tail
    is what makes "people familiar" anonymous rather than vague."""
    tail = _ANON_TAIL.match(text, end)
    if not tail and re.search(r"\b(?:familiar|knowledge|close)$", phrase, re.I):
        tail = _ANON_TAIL_REST.match(text, end)
    if tail:
        return phrase + tail.group(0).rstrip(), tail.end()
    return phrase, end


def attribute(
    sentence: str,
    previous: Attribution | None = None,
    previous_text: str = "",
    people: dict[str, Any] | None = None,
) -> Attribution:
    """The attribution of one sentence; `previous` is the last attributed sentence's.

    `people` maps surnames seen so far to full names ("Varga" -> "Helena Varga") and
    is updated with the persons this sentence names.
    """
    att = _attribute(sentence, previous, previous_text, people)
    if people is not None:
        _resolve_backrefs(att, people, sentence)
    if people is not None and people.get(_OUTLET_KEY):
        for part in att.chain:
            if part.kind == ATTR_OUTLET and _OUTLET_BACKREF.match(part.speaker.strip()):
                part.speaker = people[_OUTLET_KEY]
                if att.speaker and _OUTLET_BACKREF.match(att.speaker.strip()):
                    att.speaker = part.speaker
    if people is not None:
        for m in CAP_NAME.finditer(sentence):
            name = m.group(0).strip()
            name = re.sub(r"^(?:The|A|An)\s+", "", name)
            if len(name) > 2 and (
                OUTLET_RE.match(name) or (OUTLET_SHAPE.search(name) and " " in name)
            ):
                people[_OUTLET_KEY] = name
        for part in att.chain:
            if part.kind == ATTR_PERSON and " " in part.speaker:
                people.setdefault(part.speaker.split()[-1], part.speaker)
            if (
                part.kind == ATTR_BODY
                and part.speaker[:1].isupper()
                and not PLACE_RE.match(part.speaker)
            ):
                bodies: list[str] = people.setdefault(_BODIES_KEY, [])
                bodies.append(part.speaker)
                del bodies[:-20]
                if re.fullmatch(r"[A-Z][\w&.'\-]*(?:\s[A-Z][\w&.'\-]*){0,3}", part.speaker) and (
                    CORP_SUFFIX.search(part.speaker) or not BODY_WORDS.search(part.speaker)
                ):
                    people[_ORG_KEY] = part.speaker
        for name in _names_in(sentence):
            people.setdefault(name.split()[-1], name)
    return att


# "according to the report", "the report said": the outlet whose report the article relays.
_REPORT_BACKREF = re.compile(
    r"^(?:(?:the|this|that|its|their)\s+)?(?:(?:original|latest|newspaper['\u2019]s|paper['\u2019]s)\s+)?"
    r"(?:report|story|article|investigation|account|reporting)$|"
    r"^(?:the\s+)?[A-Z][\w.&'\-]*(?:\s[A-Z][\w.&'\-]*){0,3}['\u2019]s\s+(?:report|story|article|investigation|reporting)$",
    re.I,
)


def _resolve_backrefs(att: Attribution, people: dict[str, Any], sentence: str) -> None:
    """Definite references to a source named earlier take that source's name: "the report"
    -> the outlet last named; "the company" -> the company last named; "the commission"
    -> the last named body whose name has that head ("State Election Commission")."""
    changed = False
    for part in att.chain:
        sp = part.speaker.strip()
        if (
            _REPORT_BACKREF.match(sp)
            and people.get(_OUTLET_KEY)
            and (
                " " in sp or re.search(rf"\b(?:the|this|that)\s+{re.escape(sp)}\b", sentence, re.I)
            )
        ):
            owner = re.match(
                r"^(?:the\s+)?(?P<o>[A-Z][\w.&'\-]*(?:\s[A-Z][\w.&'\-]*){0,3})['\u2019]s\s", sp
            )
            outlet = people[_OUTLET_KEY]
            if owner and owner.group("o").lower() not in outlet.lower():
                continue
            part.speaker, part.kind, changed = outlet, ATTR_OUTLET, True
            continue
        m = ORG_BACKREF.match(sp)
        if (
            not m
            or not sp[:1].islower()
            or part.kind not in (ATTR_BODY, ATTR_VAGUE, ATTR_ANONYMOUS)
        ):
            continue
        head = m.group("head").lower()
        named = ""
        for body in reversed(people.get(_BODIES_KEY, [])):
            if (
                re.search(rf"\b{re.escape(head)}\b", body, re.I)
                and body.lower() != sp.lower()
                and body.lower() != head
            ):
                named = body
                break
        if not named and head in _COMPANY_HEADS and people.get(_ORG_KEY):
            named = people[_ORG_KEY]
        if named:
            part.speaker, part.kind, changed = named, ATTR_BODY, True
    if changed and att.chain:
        outer, inner = att.chain[0], att.chain[-1]
        att.speaker = outer.speaker if outer.kind != ATTR_VAGUE else ""
        att.kind = inner.kind


def _names_in(sentence: str) -> list[str]:
    return [n for n in (person_name(m.group(0)) for m in CAP_NAME.finditer(sentence)) if n]


def _attribute(
    sentence: str, previous: Attribution | None, previous_text: str, people: dict[str, Any] | None
) -> Attribution:
    # 1. "according to X, citing Y"
    m = _ACCORDING.search(sentence)
    if m:
        phrase, end = _take_phrase(sentence, m.end())
        if phrase:
            # "according to people familiar with the matter": the phrase stops at "with"
            phrase, end = _with_anonymity_tail(sentence, phrase, end)
        pub = _PUBLISHED_IN.search(sentence[m.end() : m.end() + 200])
        if phrase and pub and classify(phrase, sentence, people)[0] in (ATTR_VAGUE, ATTR_NONE):
            # "according to a study of 110,000 adults published in the BMJ": the journal is the source.
            phrase = pub.group("o")
        if phrase:
            phrases = [phrase] + _chain_after(sentence, end)
            return _finish(phrases, sentence, "according to", people)
    # 2. subject + speech verb, or post-posed "..., X said."
    part = _PARTICIPLE.search(sentence)
    for vm in _VERB_RE.finditer(sentence):
        verb = vm.group(0)
        if part and vm.start() > part.start():
            break  # "..., saying it would challenge results where it alleges ...": the reported content
        inv, inv_end = _inverted_speaker(sentence, vm)
        if inv:
            return _finish([inv] + _chain_after(sentence, inv_end), sentence, verb, people)
        subj = _subject_before(sentence, vm.start())
        if subj is None:
            continue
        if _SELF_SUBJECT.search(subj) and subj.lower() not in ("i", "we"):
            # "Two points I think ...", "I don't think ...", "You said ...": the speaker of
            # the text itself (or whoever they address), never a named source.
            continue
        if subj.lower() in _PRONOUNS or subj.lower() in ("he", "she", "they", "it", "we", "i"):
            if previous and previous.kind != ATTR_NONE:
                carried = Attribution(
                    speaker=previous.speaker,
                    kind=previous.kind,
                    chain=list(previous.chain),
                    cue=verb,
                )
                if ANON_MARKERS.search(previous_text) and carried.kind not in (ATTR_PERSON,):
                    carried.kind = ATTR_ANONYMOUS
                return carried
            if subj.lower() in ("it",):
                continue
            if subj.lower() in ("he", "she", "they", "we", "i"):
                continue
        chain = [subj] + _chain_after(sentence, vm.end())
        att = _finish(chain, sentence, verb, people)
        if (
            att.chain
            and att.chain[0].kind in (ATTR_PERSON, ATTR_ANONYMOUS)
            and _ACRONYM_BEFORE.search(sentence, max(0, vm.start() - 40), vm.start())
            and not ANON_MARKERS.search(sentence[: vm.start()])
        ):
            # "Medecins Sans Frontieres (MSF) said": a name with its acronym is an organisation.
            att.chain[0].kind = ATTR_BODY
            if len(att.chain) == 1:
                att.kind = ATTR_BODY
        if ANON_MARKERS.search(sentence[: vm.start()]) and att.chain:
            att.chain[-1].kind = ATTR_ANONYMOUS
            att.kind = ATTR_ANONYMOUS
        return att
    if part:
        # "The Democratic Union refused to concede, saying it would ...": the sentence's subject speaks.
        subj = _initial_subject(sentence[: part.start()])
        if subj:
            att = _finish([subj], sentence, part.group("v"), people)
            if att.kind not in (ATTR_NONE, ATTR_VAGUE) or att.chain:
                return att
    tail = _TAIL.search(sentence[-240:])
    if (
        tail
        and tail.group("a")
        and (
            _DETERMINER_END.search(tail.group("a"))
            or _NOT_SUBJ.search(tail.group("a"))
            or len(tail.group("a").split()) > 10
        )
    ):
        tail = (
            None  # "... after the report.", "..., has not been acknowledged by Moscow.": no speaker
        )
    if tail:
        phrase = tail.group("a") or tail.group("b")
        if phrase.lower() in ("he", "she", "they") and previous and previous.kind != ATTR_NONE:
            return Attribution(
                speaker=previous.speaker, kind=previous.kind, chain=list(previous.chain), cue="said"
            )
        if phrase.lower() not in ("he", "she", "they", "it"):
            return _finish([phrase], sentence, "said", people)
    # 3. vague
    vague = _VAGUE_SENTENCE.search(sentence)
    if vague:
        return Attribution(
            speaker="",
            kind=ATTR_VAGUE,
            chain=[AttributionPart(speaker=vague.group(0), kind=ATTR_VAGUE)],
            cue=vague.group(0),
        )
    return Attribution()


# A subject that ends in a first- or second-person pronoun, with its auxiliaries.
_SELF_SUBJECT = re.compile(
    r"(?:^|\s)(?:I|[Ww]e|[Yy]ou)(?:\s+(?:don't|do not|didn't|did not|really|also|all|just|still|"
    r"do|did|can't|cannot|would|certainly|personally))*\s*$"
)
_ACRONYM_BEFORE = re.compile(
    r"\([A-Z][A-Z.&]{1,11}\)\s*(?:(?:has|have|had|also|on \w+|earlier|later)\s+){0,2}$"
)
_PARTICIPLE = re.compile(
    r",\s*(?P<v>saying|adding|arguing|insisting|claiming|warning|noting|stressing|explaining|"
    r"announcing|alleging|asserting|contending|vowing|pledging)\s+(?:that\s+)?",
    re.I,
)
# "..., said its head, Katarina Lindqvist, adding ..."; "..., said Jane Doe, the mayor, ...";
# "..., said the minister, adding ...".
_INVERTED_NAME = re.compile(
    r"\s+(?:(?P<poss>(?:its|his|her|their|the\s+\w+['\u2019]s)\s+[a-z][\w\-]*(?:\s+[a-z][\w\-]*){0,3}),\s+)?"
    r"(?P<name>[A-Z][\w\u00c0-\u017f'\u2019\-]+(?:\s+(?:[A-Z][\w\u00c0-\u017f'\u2019.\-]+|van|von|de|der|al|bin|da|di|le|la)){1,3})"
    r"(?=\s*(?:,|\.|;|$))"
)
_INVERTED_TITLE = re.compile(
    r"\s+(?P<np>(?:the|its|his|her|their)\s+[a-z][\w\-']*(?:\s+[a-z][\w\-']*){0,3})(?=\s*,\s*\w)"
)


def _inverted_speaker(sentence: str, vm: re.Match[str]) -> tuple[str, int]:
    """The speaker after an inverted speech verb that follows a comma mid-sentence."""
    left = sentence[max(0, vm.start() - 3) : vm.start()]
    if not re.search(r"[,\"\u201d]\s*$", left):
        return "", 0
    m = _INVERTED_NAME.match(sentence, vm.end())
    if m and not BODY_WORDS.search(m.group("name")) and person_name(m.group("name")):
        return m.group("name"), m.end()
    t = _INVERTED_TITLE.match(sentence, vm.end())
    if t and all(
        w.lower().strip("'") in TITLE_WORDS or BODY_WORDS.fullmatch(w)
        for w in t.group("np").split()[1:]
    ):
        return t.group("np"), t.end()
    return "", 0


_INITIAL_NP = re.compile(
    r"^(?P<np>(?:The|A|An)\s+[a-z][\w\-]*(?:\s+[a-z][\w\-]*)?)\s+(?:\w+ed|has|have|had|was|were|is|are|"
    r"said|says|told|refused|rejected|denied|took|made|put|cut|kept|hit|won|lost|left|sold)\b"
)


def _initial_subject(clause: str) -> str:
    np = initial_name_phrase(clause)
    if np:
        return np
    m = _INITIAL_NP.match(clause)
    return m.group("np") if m else ""


_DATA_PHRASE = re.compile(
    r"\b(?:results|figures|data|statistics|estimates|documents|records|count|tally|survey|polls?|"
    r"images|footage|filings?|records|numbers|calculations|analysis|research)$",
    re.I,
)


def _finish(
    phrases: list[str], sentence: str, cue: str, people: dict[str, Any] | None = None
) -> Attribution:
    parts = _parts(phrases, sentence, people)
    if len(parts) > 1 and parts[0].kind in (ATTR_BODY, ATTR_PERSON, ATTR_OUTLET):
        # "the commission said, citing preliminary results": data the source relies on, not a second source.
        parts = [parts[0]] + [
            x for x in parts[1:] if not (x.kind == ATTR_VAGUE and _DATA_PHRASE.search(x.speaker))
        ]
    if not parts:
        return Attribution(cue=cue)
    outer = parts[0]
    inner = parts[-1]
    speaker = (
        outer.speaker
        if outer.kind not in (ATTR_ANONYMOUS, ATTR_VAGUE) or len(parts) == 1
        else outer.speaker
    )
    return Attribution(
        speaker=speaker if outer.kind != ATTR_VAGUE else "", kind=inner.kind, chain=parts, cue=cue
    )


# Post-posed sources: "..., the ministry said.", "..., X told reporters in Kathmandu.",
# "..., said Mel Stride, the shadow chancellor."
_TAIL_ADJUNCT = (
    r"(?:\s+(?:reporters|journalists|the media|the press|lawmakers|parliament|the meeting|the court|the \w+|an? \w+))?"
    r"(?:\s+(?:in|at|on|during|after|before|from|via|by|late|early|last|this)\s+[^,]{0,60})?"
)
_TAIL = re.compile(
    rf"[,\"\u201d]\s*(?P<a>[^,\"\u201d]{{2,80}}?)\s+(?:{SPEECH_VERBS}){_TAIL_ADJUNCT}\.?[\"'\u201d]?\s*$|"
    rf"[,\"\u201d]\s*(?:{SPEECH_VERBS})\s+(?P<b>[^,]{{2,80}}?)(?:,\s*(?:the|a|an|who|which)\b[^,]{{0,100}})?\.?\s*$",
    re.I,
)
_SUBJ_OK = re.compile(r"^[A-Za-z\u00c0-\u017f0-9'\u2019.\-\s&]+$")
_NOT_SUBJ = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|could|should|may|might|must|can|"
    r"did|does|do|not|that|which|who|whom|whose|what|whether|if|because|although|though|while|when|where|as)\b",
    re.I,
)


_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")
_DETERMINER_END = re.compile(
    r"(?:^|\s)(?:a|an|the|its|their|his|her|our|my|your|this|that|these|those|whose)$", re.I
)
_PAREN_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z.&]{1,12}\)")
# Appositives and adjuncts between a subject and its verb: "Liz McKeown, the ONS director, said";
# "Nepal Police, in a separate statement, put ..."; "the auditors, Grant Thornton, published last week, warned".
_ADJUNCT_CHUNK = re.compile(
    r"^(?:in|on|at|during|after|before|speaking|writing|published|released|issued|filed|"
    r"asked|citing|according|when|last|earlier|later|this|also|however|meanwhile|separately|"
    r"aged|\d+)\b",
    re.I,
)
_APPOS_START = re.compile(r"^(?:the|a|an|his|her|their|its)\b", re.I)
# Lowercase words allowed inside a sentence-initial name phrase ("Researchers at Harvard T.H. Chan School of
# Public Health", "Prime Minister Sushila Karki").
_NP_GLUE = frozenset("of for and at in on de the van von der da di al bin la le du".split())


def initial_name_phrase(sentence: str) -> str:
    """The capitalised noun phrase a sentence starts with, up to its first lowercase content
    word ("Prime Minister Sushila Karki flew ..." -> "Prime Minister Sushila Karki"); "" when
    the sentence does not start with a name."""
    words = sentence[:200].split()
    out: list[str] = []
    for i, w in enumerate(words[:14]):
        bare = w.strip(",;:\"'\u201c\u201d()")
        if not bare:
            break
        if i == 0 or bare[:1].isupper() or (bare.lower() in _NP_GLUE and out):
            out.append(bare)
            if bare != w and w[-1:] in ",;:":
                break
            continue
        break
    while out and out[-1].lower() in _NP_GLUE:
        out.pop()
    phrase = " ".join(out)
    if len(out) < 2 and not (out and out[0][:1].isupper() and out[0].isupper() and len(out[0]) > 1):
        return ""
    if not any(x[:1].isupper() for x in out[1:]) and not out[0].isupper():
        return ""
    return phrase


def _subject_before(sentence: str, vpos: int) -> str | None:
    """The subject right before a speech verb, or None if the verb does not follow one."""
    left = sentence[max(0, vpos - 220) : vpos]
    left = _AUX_BEFORE.sub("", left).rstrip()
    if _DETERMINER_END.search(left):
        return None  # "its forecast", "a report by": the verb word is a noun here
    left = _PAREN_ACRONYM.sub("", left)
    if left.endswith(","):
        appos = _appositive_subject(left[:-1])
        if appos:
            return appos
    # Remove a parenthetical relative clause: "Officials, who spoke on condition of anonymity,"
    rel = re.search(r",\s*(?:who|which)\b[^,]{0,160},\s*$", left)
    if rel:
        left = left[: rel.start()].rstrip()
    # The clause containing the subject starts after the last clause boundary.
    masked = _DIGIT_COMMA.sub("0", left)  # "8,000" is not a clause boundary
    cut = max(
        masked.rfind(","),
        left.rfind(";"),
        left.rfind(":"),
        left.rfind("\u2014"),
        left.rfind('"'),
        left.rfind("\u201d"),
        left.rfind("\u201c"),
    )
    clause = left[cut + 1 :].strip()
    clause = _LEAD_CONJ.sub("", clause).strip()
    if re.search(r"(?:^|\s)and$", clause) and (cut < 0 or clause == "and"):
        # "Prime Minister X flew to the area on Monday and promised ...": the sentence's subject.
        np = initial_name_phrase(sentence)
        return np or None
    limit = 9
    if re.match(r"^[A-Z]", clause) and re.search(
        r"\b(?:from|of|at|for)\s+(?:the\s+)?[A-Z]", clause
    ):
        limit = 14  # "Observers from the Organization for Security and Co-operation in Europe"
    if not clause or len(clause.split()) > limit or not _SUBJ_OK.match(clause):
        return None
    if _NOT_SUBJ.search(clause):
        return None
    if re.match(r"^(?:and|but|or|so|then|also)$", clause, re.I):
        return None
    return clause


def _appositive_subject(left: str) -> str | None:
    """ "Liz McKeown, the ONS director of economic statistics" -> "Liz McKeown";
    "His attorney, Rusty Hardin" -> "Rusty Hardin"; None when the commas are not appositives."""
    chunks = [c.strip() for c in left.split(",")][-4:]
    keep: list[str] = []
    # The trailing chunks that can be noun phrases or adjuncts; stop at the first clause.
    for c in reversed(chunks):
        if not c or len(c.split()) > 12 or not _SUBJ_OK.match(c):
            break
        if _ADJUNCT_CHUNK.match(c):
            continue
        if _NOT_SUBJ.search(c):
            break
        keep.insert(0, c)
    if not keep:
        return None
    for c in keep:
        if not _APPOS_START.match(c) and person_name(c):
            return c
    for c in keep:
        if not _APPOS_START.match(c) and CAP_NAME.fullmatch(c):
            return c
    first = _LEAD_CONJ.sub("", keep[0]).strip()
    return first or None


def is_relative_anonymous(text: str) -> bool:
    return bool(ANON_MARKERS.search(text))
