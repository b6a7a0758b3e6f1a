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

from workers.types import (
    ATTR_ANONYMOUS,
    ATTR_BODY,
    ATTR_NONE,
    ATTR_OUTLET,
    ATTR_PERSON,
    ATTR_VAGUE,
    Attribution,
    AttributionPart,
)

SPEECH_VERBS = (
    "said|says|say|told|tells|tell|stated|states|announced|announces|claimed|claims|claim|reported|reports|report|"
    "added|adds|noted|notes|explained|explains|warned|warns|warn|insisted|insists|argued|argues|estimated|estimates|"
    "confirmed|confirms|confirm|denied|denies|deny|acknowledged|acknowledges|admitted|admits|wrote|writes|"
    "believe|believes|believed|think|thinks|thought|describe|describes|described|suggest|suggests|suggested|"
    "indicate|indicates|indicated|revealed|reveals|disclosed|alleged|alleges|allege|accused|accuses|assessed|assess|"
    "assesses|predicted|predicts|predict|expect|expects|expected|fear|fears|feared|concluded|concludes|found|finds|"
    "shows|showed|stressed|stresses|emphasised|emphasized|tweeted|posted|testified|declared|declares|"
    "spoke|countered|replied|responded|cautioned|projected|projects|forecast|forecasts|calculated|counted|recorded|"
    "put the (?:number|toll|figure)|puts the (?:number|toll|figure)"
)
_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.I)
_AUX_BEFORE = re.compile(r"(?:\b(?:have|has|had|will|would|also|reportedly|previously|later|earlier|again|publicly|"
                         r"privately|repeatedly|initially|officially|yet|already|separately|recently|now|still|had|did|do|does|not|"
                         r"n't|could|may|might|have been|has been)\s+)+$", re.I)
_ACCORDING = re.compile(r"\baccording\s+to\s+", re.I)
_CITING = re.compile(r",?\s*(?:\bciting\b|\bwhich cited\b|\bwho cited\b|\bquoting\b|\bwhich quoted\b|\bbased on\b)\s+", re.I)
_PHRASE_END = re.compile(
    r"\s*(?:[,;:.!?\u2014\u2013()\"\u201c\u201d]|\s(?:citing|quoting|who|which|that|on|in|at|last|this|earlier|"
    r"late|early|during|after|before|as|while|when|because|but|and said|amid|since|for|to|with)\b|$)",
    re.I,
)
_ANON_MARKERS = re.compile(
    r"\b(?:on (?:the )?condition of anonymity|spoke anonymously|speaking anonymously|asked not to be (?:named|identified)|"
    r"declined to be (?:named|identified)|not authori[sz]ed to (?:speak|comment|discuss)|requested anonymity|"
    r"requesting anonymity|unnamed|anonymous|who (?:did not|didn't) want to be named|on background|"
    r"familiar with the matter|familiar with the (?:situation|plans|discussions|talks|issue)|close to the)\b",
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

KNOWN_OUTLETS = (
    "new york times|nyt|washington post|wall street journal|wsj|financial times|ft|reuters|associated press|ap|afp|"
    "agence france-presse|bloomberg|bbc|cnn|nbc|nbc news|cbs|cbs news|abc news|abc|fox news|npr|pbs|guardian|"
    "the guardian|telegraph|times|the times|independent|the independent|daily mail|economist|the economist|politico|"
    "axios|al jazeera|sky news|der spiegel|spiegel|le monde|el pais|yonhap|kyodo|xinhua|tass|ria novosti|interfax|"
    "ukrainska pravda|kyiv independent|kyiv post|meduza|novaya gazeta|dpa|ansa|efe|bild|handelsblatt|nikkei|"
    "south china morning post|scmp|hindustan times|times of india|the hindu|haaretz|times of israel|jerusalem post|"
    "le figaro|corriere della sera|la repubblica|the atlantic|new yorker|time|newsweek|vox|buzzfeed news|vice|"
    "huffpost|usa today|los angeles times|la times|chicago tribune|boston globe|the hill|semafor|the information|"
    "cnbc|msnbc|dw|deutsche welle|france 24|euronews|rfe/rl|radio free europe|voice of america|voa|nhk|kbs|"
    "the moscow times|moscow times|rbc|kommersant|izvestia|ukrinform|suspilne|dagens|business insider|insider|"
    "fortune|forbes|the verge|wired|propublica|the intercept|daily beast|new york post|nypost|the sun|mirror|"
    "the daily telegraph|evening standard|irish times|globe and mail|toronto star|cbc|abc australia|sydney morning herald"
)
_OUTLET_RE = re.compile(rf"^(?:the\s+)?(?:{KNOWN_OUTLETS})(?:'s)?$", re.I)
_OUTLET_SHAPE = re.compile(
    r"\b(?:Times|Post|Journal|News|Herald|Tribune|Gazette|Guardian|Telegraph|Chronicle|Observer|Daily|Weekly|"
    r"Magazine|Radio|TV|Television|Broadcasting|Broadcaster|Press|Wire|Pravda|Izvestia|Insider|Monitor|Express|"
    r"Mirror|Standard|Review|Dispatch|Bulletin|Sentinel|Courier|Inquirer|Examiner)\b"
)
_OUTLET_WORDS = re.compile(r"\b(?:newspaper|news agency|news outlet|outlet|broadcaster|tabloid|daily|magazine|"
                           r"news site|website|channel|state media|state television|state tv|news service)\b", re.I)
_BODY_WORDS = re.compile(
    r"\b(?:ministry|ministries|department|government|agency|office|police|army|military|forces|force|command|"
    r"staff|council|commission|committee|parliament|congress|senate|court|university|institute|bureau|authority|"
    r"authorities|administration|company|corporation|corp|inc|ltd|bank|fund|union|organi[sz]ation|association|"
    r"kremlin|white house|pentagon|nato|un|united nations|eu|european union|who|imf|world bank|red cross|service|"
    r"services|centre|center|cabinet|presidency|embassy|party|group|board|federation|coalition|alliance|network|"
    r"foundation|agency|statistics|observatory|regulator|commissioner|inspectorate|directorate|headquarters|"
    r"hospital|school|church|tribunal|prosecutor'?s office|prosecutors|mission|secretariat|guard|navy|"
    r"air force|coast guard|fire service|emergency service|intelligence|kyiv|moscow|washington|beijing|london|"
    r"paris|berlin|brussels|tokyo|seoul|pyongyang|tehran|jerusalem|ankara|delhi|ottawa|canberra)\b",
    re.I,
)
_PLACES = (
    "ukraine|russia|north korea|south korea|china|iran|israel|united states|us|u\\.s\\.|america|britain|uk|u\\.k\\.|"
    "france|germany|italy|spain|poland|japan|india|pakistan|turkey|syria|iraq|egypt|canada|australia|brazil|mexico|"
    "belarus|hungary|romania|moldova|georgia|armenia|azerbaijan|kazakhstan|taiwan|vietnam|indonesia|"
    "philippines|nigeria|kenya|ethiopia|south africa|saudi arabia|qatar|the un|the eu|nato|hamas|hezbollah"
)
_PLACE_RE = re.compile(rf"^(?:the\s+)?(?:{_PLACES})$", re.I)
_ANON_HEADS = re.compile(
    r"\b(?:officials?|sources?|diplomats?|insiders?|aides?|people|persons?|person|officers?|soldiers?|troops|"
    r"residents?|witnesses|witness|eyewitnesses|analysts?|lawmakers?|legislators?|staffers?|employees?|"
    r"workers?|spokes(?:man|woman|person)|representatives?|observers?|members?|investigators?|commanders?|"
    r"medics?|doctors?|rescuers?|volunteers?|authorities|intelligence|military bloggers?|bloggers?|"
    r"an? (?:senior|former|junior|top|western|european|american|us|u\.s\.|ukrainian|russian)?\s*official)\b",
    re.I,
)
_VAGUE_HEADS = re.compile(
    r"^(?:(?:some|many|several|other|various|unconfirmed|media|local|press|social media|online|initial|early|recent|"
    r"multiple|numerous)\s+)*(?:reports?|rumou?rs|claims|accounts|observers|experts|analysts|critics|commentators|"
    r"people|some|many|others|media|speculation|estimates|studies|research|it|scientists|researchers|economists|"
    r"experts|analysts|critics|observers|data|figures|polls?|surveys?|documents)\b",
    re.I,
)
_TITLE_WORDS = frozenset(
    """president|prime|minister|chancellor|secretary|general|gen|commander|commander-in-chief|chief|
    spokesman|spokeswoman|spokesperson|spokesperson's|senator|sen|representative|rep|governor|gov|mayor|
    director|head|chairman|chairwoman|chair|ceo|dr|mr|mrs|ms|prof|professor|lt|col|colonel|major|maj|captain|
    capt|admiral|adm|ambassador|deputy|foreign|defense|defence|interior|health|finance|economy|justice|
    vice|former|acting|ukraine's|russia's|the|a|an|of|and|state|national|security|adviser|advisor|envoy|
    leader|king|queen|prince|pope|judge|officer|analyst|expert|economist|researcher|author|founder|
    lieutenant|sergeant|sgt|regional|military|top|senior|first|mp|lawmaker|official|his|her|their""".replace("|", " ").split()
)
_PRONOUNS = frozenset(
    ["he", "she", "they", "it", "we", "i", "the official", "the officials", "the spokesman", "the spokeswoman",
     "the spokesperson", "the minister", "the source", "the sources", "the person", "the people"]
)
_CAP_NAME = re.compile(r"(?:[A-Z][A-Za-z\u00c0-\u017f'\u2019\-]+|[A-Z]\.)(?:\s+(?:[A-Z][A-Za-z\u00c0-\u017f'\u2019\-]+|[A-Z]\.|(?:van|von|de|der|al|bin|da|di|le|la)\b))*")
_LEAD_CONJ = re.compile(r"^(?:(?:but|and|however|meanwhile|still|yet|so|also|now|then|instead|separately|later|earlier|"
                        r"in a statement|in an interview|on \w+day|in addition|moreover|furthermore),?\s+)+", re.I)


def classify(phrase: str, sentence: str = "", people: dict[str, str] | None = None) -> tuple[str, str]:
    """(kind, speaker) for a source phrase such as "Ukraine's Commander-in-Chief Oleksandr Syrsky"."""
    p = phrase.strip(" ,.;:\"'\u201c\u201d\u2018\u2019")
    p = re.sub(r"^(?:the)\s+", "", p, flags=re.I) if not _OUTLET_RE.match(p) else p
    if not p:
        return ATTR_NONE, ""
    low = p.lower()
    if _VAGUE_HEADS.match(p) and not _CAP_NAME.search(p[1:] if p else ""):
        return ATTR_VAGUE, p
    if _OUTLET_RE.match(p) or (_OUTLET_SHAPE.search(p) and p[:1].isupper()) or _OUTLET_WORDS.search(low):
        return ATTR_OUTLET, _strip_the(phrase)
    anon_marked = bool(_ANON_MARKERS.search(p))
    name = person_name(p)
    if name and not _BODY_WORDS.search(name) and not _PLACE_RE.match(name):
        if not anon_marked:
            return ATTR_PERSON, name
    if _ANON_HEADS.search(p) and not name:
        return ATTR_ANONYMOUS, p
    if anon_marked:
        return ATTR_ANONYMOUS, p
    if _BODY_WORDS.search(p) or _PLACE_RE.match(p):
        return ATTR_BODY, _strip_the(p)
    if p[:1].isupper():
        # A capitalised single word: a surname already introduced ("Syrsky said") or an organisation.
        if len(p.split()) == 1 and people and p in people:
            return ATTR_PERSON, people[p]
        return ATTR_BODY, _strip_the(p)
    return ATTR_VAGUE, p


def _strip_the(p: str) -> str:
    return p.strip(" ,.;:")


def person_name(phrase: str) -> str:
    """The personal name inside a source phrase, without titles: "Ukraine's Commander-in-Chief
    Oleksandr Syrsky" -> "Oleksandr Syrsky"; "" when the phrase names no person."""
    best = ""
    for m in _CAP_NAME.finditer(phrase):
        words = m.group(0).split()
        while words and words[0].lower().rstrip(".") in _TITLE_WORDS:
            words.pop(0)
        # Drop possessive place prefixes ("Ukraine's").
        while words and re.search(r"['\u2019]s$", words[0]):
            words.pop(0)
            while words and words[0].lower().rstrip(".") in _TITLE_WORDS:
                words.pop(0)
        if len(words) >= 2 and all(w[0].isupper() or w in ("van", "von", "de", "der", "al", "bin", "da", "di", "le", "la") for w in words):
            cand = " ".join(words)
            if not _BODY_WORDS.search(cand) and not _OUTLET_SHAPE.search(cand) and not _PLACE_RE.match(cand):
                best = cand
    return best


def split_sources(phrase: str) -> list[str]:
    """ "Ukrainian and US officials" -> ["Ukrainian officials", "US officials"];
    "Reuters and the BBC" -> ["Reuters", "the BBC"]."""
    p = phrase.strip()
    m = re.match(r"^(?P<a>[\w.'\u2019\-]+(?:\s[\w.'\u2019\-]+)?)\s+and\s+(?P<b>[\w.'\u2019\-]+(?:\s[\w.'\u2019\-]+)?)\s+(?P<head>"
                 r"officials|sources|diplomats|intelligence officials|military officials|government officials|"
                 r"security officials|authorities|forces|soldiers|troops|analysts|media|outlets)$", p)
    if m:
        return [f"{m.group('a')} {m.group('head')}", f"{m.group('b')} {m.group('head')}"]
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", p)
    if len(parts) > 1 and all(classify(x)[0] in (ATTR_OUTLET, ATTR_PERSON, ATTR_BODY) for x in parts if x):
        return [x for x in parts if x]
    return [p]


def _take_phrase(text: str, pos: int, limit: int = 120) -> tuple[str, int]:
    """The noun phrase starting at `pos`, up to a clause boundary."""
    m = _PHRASE_END.search(text, pos, min(len(text), pos + limit))
    end = m.start() if m else min(len(text), pos + limit)
    # Keep "Ukraine's Commander-in-Chief" hyphens/possessives; cut at "on January 30"-style tails.
    return text[pos:end].strip(), end


def _parts(phrases: list[str], sentence: str, people: dict[str, str] | None = None) -> list[AttributionPart]:
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
    for _ in range(3):
        m = _CITING.match(text, end)
        if not m:
            break
        phrase, end = _take_phrase(text, m.end())
        if not phrase:
            break
        out.append(phrase)
    return out


def attribute(sentence: str, previous: Attribution | None = None, previous_text: str = "",
              people: dict[str, str] | None = None) -> Attribution:
    """The attribution of one sentence; `previous` is the last attributed sentence's.

    `people` maps surnames seen so far to full names ("Varga" -> "Helena Varga") and
    is updated with the persons this sentence names.
    """
    att = _attribute(sentence, previous, previous_text, people)
    if people is not None:
        for part in att.chain:
            if part.kind == ATTR_PERSON and " " in part.speaker:
                people.setdefault(part.speaker.split()[-1], part.speaker)
        for name in _names_in(sentence):
            people.setdefault(name.split()[-1], name)
    return att


def _names_in(sentence: str) -> list[str]:
    return [n for n in (person_name(m.group(0)) for m in _CAP_NAME.finditer(sentence)) if n]


def _attribute(sentence: str, previous: Attribution | None, previous_text: str,
               people: dict[str, str] | None) -> Attribution:
    # 1. "according to X, citing Y"
    m = _ACCORDING.search(sentence)
    if m:
        phrase, end = _take_phrase(sentence, m.end())
        if phrase:
            phrases = [phrase] + _chain_after(sentence, end)
            return _finish(phrases, sentence, "according to", people)
    # 2. subject + speech verb, or post-posed "..., X said."
    for vm in _VERB_RE.finditer(sentence):
        verb = vm.group(0)
        subj = _subject_before(sentence, vm.start())
        if subj is None:
            continue
        if subj.lower() in _PRONOUNS or subj.lower() in ("he", "she", "they", "it", "we", "i"):
            if previous and previous.kind != ATTR_NONE:
                carried = Attribution(speaker=previous.speaker, kind=previous.kind, chain=list(previous.chain), cue=verb)
                if _ANON_MARKERS.search(previous_text) and carried.kind not in (ATTR_PERSON,):
                    carried.kind = ATTR_ANONYMOUS
                return carried
            if subj.lower() in ("it",):
                continue
            if subj.lower() in ("he", "she", "they", "we", "i"):
                continue
        chain = [subj] + _chain_after(sentence, vm.end())
        att = _finish(chain, sentence, verb, people)
        if _ANON_MARKERS.search(sentence[: vm.start()]) and att.chain:
            att.chain[-1].kind = ATTR_ANONYMOUS
            att.kind = ATTR_ANONYMOUS
        return att
    tail = re.search(rf",\s*(?P<a>[^,]{{2,80}}?)\s+(?:{SPEECH_VERBS})\.?[\"'\u201d]?\s*$|,\s*(?:{SPEECH_VERBS})\s+(?P<b>[^,]{{2,80}}?)\.?\s*$",
                     sentence[-200:], re.I)
    if tail:
        phrase = tail.group("a") or tail.group("b")
        if phrase.lower() in ("he", "she", "they") and previous and previous.kind != ATTR_NONE:
            return Attribution(speaker=previous.speaker, kind=previous.kind, chain=list(previous.chain), cue="said")
        if phrase.lower() not in ("he", "she", "they", "it"):
            return _finish([phrase], sentence, "said", people)
    # 3. vague
    vm = _VAGUE_SENTENCE.search(sentence)
    if vm:
        return Attribution(speaker="", kind=ATTR_VAGUE, chain=[AttributionPart(speaker=vm.group(0), kind=ATTR_VAGUE)], cue=vm.group(0))
    return Attribution()


def _finish(phrases: list[str], sentence: str, cue: str, people: dict[str, str] | None = None) -> Attribution:
    parts = _parts(phrases, sentence, people)
    if not parts:
        return Attribution(cue=cue)
    outer = parts[0]
    inner = parts[-1]
    speaker = outer.speaker if outer.kind not in (ATTR_ANONYMOUS, ATTR_VAGUE) or len(parts) == 1 else outer.speaker
    return Attribution(speaker=speaker if outer.kind != ATTR_VAGUE else "", kind=inner.kind, chain=parts, cue=cue)


_SUBJ_OK = re.compile(r"^[A-Za-z\u00c0-\u017f0-9'\u2019.\-\s&]+$")
_NOT_SUBJ = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|will|would|could|should|may|might|must|can|"
                       r"did|does|do|not|that|which|who|whom|whose|what|whether|if|because|although|though|while|when|as)\b", re.I)


def _subject_before(sentence: str, vpos: int) -> str | None:
    """The subject right before a speech verb, or None if the verb does not follow one."""
    left = sentence[max(0, vpos - 220) : vpos]
    left = _AUX_BEFORE.sub("", left).rstrip()
    # Remove a parenthetical relative clause: "Officials, who spoke on condition of anonymity,"
    rel = re.search(r",\s*(?:who|which)\b[^,]{0,160},\s*$", left)
    anon = ""
    if rel:
        anon = left[rel.start():]
        left = left[: rel.start()].rstrip()
    # The clause containing the subject starts after the last clause boundary.
    cut = max(left.rfind(","), left.rfind(";"), left.rfind(":"), left.rfind("\u2014"), left.rfind("\""),
              left.rfind("\u201d"), left.rfind("\u201c"))
    clause = left[cut + 1 :].strip()
    clause = _LEAD_CONJ.sub("", clause).strip()
    if not clause or len(clause.split()) > 9 or not _SUBJ_OK.match(clause):
        return None
    if _NOT_SUBJ.search(clause):
        return None
    if re.match(r"^(?:and|but|or|so|then|also)$", clause, re.I):
        return None
    return clause


def is_relative_anonymous(text: str) -> bool:
    return bool(_ANON_MARKERS.search(text))
