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
_OUTLET_WORDS = re.compile(
    r"\b(?:newspaper|news agency|news outlet|outlet|broadcaster|tabloid|daily|magazine|"
    r"news site|website|channel|state media|state television|state tv|news service)\b",
    re.I,
)
_BODY_WORDS = re.compile(
    r"\b(?:ministry|ministries|department|government|agency|office|police|army|military|forces|force|command|"
    r"staff|council|commission|committee|parliament|congress|senate|court|university|institute|bureau|authority|"
    r"authorities|administration|company|corporation|corp|inc|ltd|bank|fund|union|organi[sz]ation|association|"
    r"kremlin|white house|pentagon|nato|un|united nations|eu|european union|who|imf|world bank|red cross|service|"
    r"services|centre|center|cabinet|presidency|embassy|party|group|board|federation|coalition|alliance|network|"
    r"foundation|agency|statistics|observatory|regulator|commissioner|inspectorate|directorate|headquarters|"
    r"hospital|school|church|tribunal|prosecutor'?s office|prosecutors|mission|secretariat|guard|navy|"
    r"air force|coast guard|fire service|emergency service|intelligence|kyiv|moscow|washington|beijing|london|"
    r"paris|berlin|brussels|tokyo|seoul|pyongyang|tehran|jerusalem|ankara|delhi|ottawa|canberra|"
    r"survey|studies|health|research|sciences|academy|society|trust|college|laborator(?:y|ies)|labs?|clinic|"
    r"institution|exchange|treasury|reserve|fbi|cia|nhs|cdc|fda|ons|imf|ecb|oecd|opec|usgs|noaa|nasa|"
    r"museum|firm|charity|nonprofit|non-profit|watchdog|inquiry|panel|consortium|cooperative)\b",
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
    r"multiple|numerous|viral|anonymous)\s+)*(?:reports?|rumou?rs|claims|accounts|observers|experts|analysts|critics|commentators|"
    r"posts|videos|messages|footage|users|comments|"
    r"people|some|many|others|media|speculation|estimates|studies|research|it|scientists|researchers|economists|"
    r"experts|analysts|critics|observers|data|figures|polls?|surveys?|documents)\b",
    re.I,
)
# Unnamed collective sources: "Aid groups said", "Rights activists say", "Campaigners warned".
_VAGUE_GROUPS = re.compile(
    r"^(?:(?:some|many|several|other|local|international|foreign|western)\s+)?(?:(?:aid|rights|human rights|humanitarian|relief|"
    r"advocacy|civil society|environmental|opposition|pro-democracy|industry|business|trade|community|consumer|"
    r"patient|student|farmers'?|religious|medical)\s+)?(?:groups|organi[sz]ations|agencies|workers|activists|"
    r"campaigners|charities|ngos|advocates|officials and aid workers)$",
    re.I,
)
# Named organisations whose last word says they are a company or an institution.
_CORP_SUFFIX = re.compile(
    r"\b(?:systems|holdings|technologies|technology|industries|motors|airlines|airways|pharmaceuticals|pharma|partners|"
    r"capital|securities|inc|corp|co|plc|llc|ag|sa|nv|gmbh|se|ltd|limited|group|energy|solutions|software|networks|"
    r"communications|entertainment|brands|foods|resources|petroleum|oil|gas|mining|semiconductor|electronics|"
    r"therapeutics|biosciences|biotech|tech|aerospace|automotive|telecom|insurance|financial|logistics|robotics|labs|"
    r"platforms|media|studios)\.?$",
    re.I,
)
# Definite back-references to an organisation named earlier: "the company also said".
_ORG_BACKREF = re.compile(
    r"^(?:the\s+)?(?P<head>company|firm|group|carmaker|automaker|retailer|lender|bank|insurer|airline|chipmaker|"
    r"conglomerate|startup|manufacturer|producer|operator|developer|business|commission|ministry|agency|institute|"
    r"council|committee|court|department|office|authority|board|bureau|service|organi[sz]ation|union|party|bloc|"
    r"coalition|alliance|mission|regulator|watchdog|tribunal|fund|foundation|center|centre|university)"
    r"(?:['\u2019]s)?$",
    re.I,
)
_COMPANY_HEADS = frozenset(
    "company firm group carmaker automaker retailer lender bank insurer airline chipmaker "
    "conglomerate startup manufacturer producer operator developer business".split()
)
_ORG_KEY = "\x00org"
_BODIES_KEY = "\x00bodies"
# "Observers from the OSCE said": the named organisation speaks through its delegates.
_DELEGATES_OF = re.compile(
    r"^(?:(?:international|independent|election|foreign|the|a|an)\s+)*(?:observers|monitors|inspectors|researchers|"
    r"scientists|experts|economists|analysts|investigators|auditors|delegates|a team|team|mission|delegation|"
    r"an? (?:observer|monitoring|observation|inspection) mission)\s+(?:from|of|at|with|for|led by)\s+(?P<org>.+)$",
    re.I,
)
_TITLE_WORDS = frozenset(
    """president|prime|minister|chancellor|secretary|general|gen|commander|commander-in-chief|chief|
    spokesman|spokeswoman|spokesperson|spokesperson's|senator|sen|representative|rep|governor|gov|mayor|
    director|head|chairman|chairwoman|chair|ceo|dr|mr|mrs|ms|prof|professor|lt|col|colonel|major|maj|captain|
    capt|admiral|adm|ambassador|deputy|foreign|defense|defence|interior|health|finance|economy|justice|
    vice|former|acting|ukraine's|russia's|the|a|an|of|and|state|national|security|adviser|advisor|envoy|
    leader|king|queen|prince|pope|judge|officer|analyst|expert|economist|researcher|author|founder|
    lieutenant|sergeant|sgt|regional|military|top|senior|first|mp|lawmaker|official|his|her|their|
    u.s|us|uk|u.k|u.n|attorney|lead|emeritus|councillor|councilman|councilwoman|opposition|shadow|inspector|
    superintendent|detective|sheriff|district|justice|lawyer|executive|managing|editor|correspondent|
    co-author|coauthor|study|principal|investigator|assistant|associate|board|party|local|city|county|
    police|fire|chancellor's|mayor's|prosecutor|governor's|council""".replace("|", " ").split()
)
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
_CAP_NAME = re.compile(
    r"(?:(?:[A-Z]\.){2,}|[A-Z][A-Za-z\u00c0-\u017f'\u2019\-]+|[A-Z]\.)(?:\s+(?:(?:[A-Z]\.){2,}|[A-Z][A-Za-z\u00c0-\u017f'\u2019\-]+|[A-Z]\.|(?:van|von|de|der|al|bin|da|di|le|la)\b))*"
)
_LEAD_CONJ = re.compile(
    r"^(?:(?:but|and|however|meanwhile|still|yet|so|also|now|then|instead|separately|later|earlier|"
    r"in a statement|in an interview|on \w+day|in addition|moreover|furthermore),?\s+)+",
    re.I,
)


# Documents speak for whoever issued them: "an FBI affidavit", "preliminary estimates
# from the district administration", "a report by the council's auditors".
_DOC_HEADS = (
    r"(?:affidavit|report|statement|filing|complaint|indictment|study|survey|analysis|data|figures|"
    r"statistics|estimates?|documents?|records?|memo|letter|lawsuit|ruling|audit|review|assessment|"
    r"forecasts?|poll|papers|release|bulletin|count|tally|census|paper)"
)
_DOC_OWNER_AFTER = re.compile(
    rf"^(?:an?\s+|the\s+)?(?:[\w\-]+\s+){{0,3}}?{_DOC_HEADS}s?\s+(?:from|by|of|issued by|released by|published by)\s+(?P<owner>.+)$",
    re.I,
)
_DOC_OWNER_BEFORE = re.compile(
    rf"^(?:an?\s+|the\s+)?(?P<owner>.+?)(?:['\u2019]s)?\s+(?:[a-z\-]+\s+){{0,2}}{_DOC_HEADS}s?(?:\s+(?:filed|unsealed|released|published|seen|obtained|reviewed|cited|submitted|issued|made public))?$"
)
_GENERIC_DOCS = re.compile(
    rf"^(?:an?\s+|the\s+)?(?:(?:[a-z\-]+|\d+)\s+){{0,3}}?{_DOC_HEADS}s?(?:\s+[a-z]+ed)?$"
)
_OFFICIAL_DATA = re.compile(
    r"^(?:the\s+)?(?:latest\s+|new\s+|preliminary\s+)?official\s+(?:figures|data|statistics|estimates|count|tally|results)\b",
    re.I,
)
_HONORIFIC = re.compile(
    r"^(?i:mr|mrs|ms|miss|dr|prof|professor|sir|dame|lord|lady)\.?\s+(?P<sur>[A-Z][\w\u00c0-\u017f'\u2019\-]+)$"
)
_JOURNALS = re.compile(
    r"^(?:the\s+)?(?:bmj|british medical journal|lancet|the lancet|nature|science|jama|nejm|"
    r"new england journal of medicine|plos one|plos medicine|cell|pnas|annals of [\w ]+|"
    r"[\w ]*journal[\w ]*|[\w ]*lancet[\w ]*)$",
    re.I,
)


def classify(
    phrase: str, sentence: str = "", people: dict[str, str] | None = None
) -> tuple[str, str]:
    """(kind, speaker) for a source phrase such as "Ukraine's Commander-in-Chief Oleksandr Syrsky"."""
    p = phrase.strip(" ,.;:\"'\u201c\u201d\u2018\u2019")
    p = re.sub(r"\s*\([A-Z][A-Za-z.&]{1,12}\)", "", p)  # "Institute for Fiscal Studies (IFS)"
    p = re.sub(r"^(?:the)\s+", "", p, flags=re.I) if not _OUTLET_RE.match(p) else p
    if not p:
        return ATTR_NONE, ""
    low = p.lower()
    if _OFFICIAL_DATA.match(p):
        return ATTR_BODY, p
    if _JOURNALS.match(p) and p[:1].isupper():
        return ATTR_OUTLET, p
    owner = _DOC_OWNER_AFTER.match(p)
    if owner and re.search(r"\s[A-Z]", p[: owner.start("owner")]):
        owner = None  # "Institute for the Study of War": a capitalised "Study" is part of a name
    if owner:
        kind, speaker = classify(owner.group("owner"), sentence, people)
        if kind != ATTR_NONE:
            return kind, speaker
    if _GENERIC_DOCS.match(p) and not re.match(r"^(?:court|police|official)\b", low):
        return ATTR_VAGUE, p  # "government surveys", "documents seen by": no identifiable issuer
    owner = _DOC_OWNER_BEFORE.match(p)
    if owner and (
        re.search(r"\b(?:[A-Z]{2,}|[A-Z][a-z]+)\b", owner.group("owner"))
        or _ORG_BACKREF.match(owner.group("owner"))
    ):
        kind, speaker = classify(owner.group("owner"), sentence, people)
        if kind in (ATTR_BODY, ATTR_PERSON, ATTR_OUTLET):
            return kind, speaker
    hon = _HONORIFIC.match(p)
    if hon:
        sur = hon.group("sur")
        return ATTR_PERSON, (people or {}).get(sur, sur)
    if _VAGUE_GROUPS.match(p):
        return ATTR_VAGUE, p
    if _ANON_MARKERS.search(p) and _ANON_HEADS.search(p) and not person_name(p):
        return ATTR_ANONYMOUS, p  # "people familiar with the matter", "sources close to the talks"
    deleg = _DELEGATES_OF.match(p)
    if deleg and not _ANON_MARKERS.search(p) and re.search(r"[A-Z]", deleg.group("org")):
        kind, speaker = classify(deleg.group("org"), sentence, people)
        if kind in (ATTR_BODY, ATTR_OUTLET):
            return kind, speaker
    if _VAGUE_HEADS.match(p) and not _CAP_NAME.search(p[1:] if p else ""):
        return ATTR_VAGUE, p
    if (
        _OUTLET_RE.match(p)
        or (_OUTLET_SHAPE.search(p) and p[:1].isupper())
        or _OUTLET_WORDS.search(low)
    ):
        return ATTR_OUTLET, _strip_the(phrase)
    anon_marked = bool(_ANON_MARKERS.search(p))
    if (
        not anon_marked
        and (_BODY_HEAD_END.search(p) or _CORP_SUFFIX.search(p))
        and not _ANON_HEAD_END.search(p)
    ):
        # "Ukraine's military intelligence agency", "Corvane Systems": the head noun is an institution.
        if not person_name(p) or _CORP_SUFFIX.search(p) or _BODY_WORDS.search(person_name(p)):
            return ATTR_BODY, _strip_the(p)
    name = person_name(p)
    if (
        name
        and _BODY_WORDS.search(p)
        and re.search(rf"\b(?:of|for|on|and)\s+(?:the\s+)?{re.escape(name.split()[0])}", p)
    ):
        name = ""  # "National Institute for Disaster Risk Management": the capitals name the body
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


_BODY_HEAD_END = re.compile(
    r"\b(?:ministry|department|agency|office|council|commission|committee|parliament|court|institute|bureau|"
    r"authority|administration|company|corporation|bank|fund|union|organi[sz]ation|association|cabinet|embassy|"
    r"party|board|federation|coalition|alliance|foundation|regulator|directorate|inspectorate|secretariat|"
    r"tribunal|observatory|watchdog|centre|center|service|command|headquarters|mission)$",
    re.I,
)
_ANON_HEAD_END = re.compile(
    r"\b(?:officials?|sources?|people|persons?|insiders?|aides?|diplomats?|officers?|"
    r"staffers?|employees?|members?)$",
    re.I,
)


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
        if len(words) >= 2 and all(
            w[0].isupper() or w in ("van", "von", "de", "der", "al", "bin", "da", "di", "le", "la")
            for w in words
        ):
            cand = " ".join(words)
            if (
                not _BODY_WORDS.search(cand)
                and not _OUTLET_SHAPE.search(cand)
                and not _PLACE_RE.match(cand)
            ):
                best = cand
    return best


def split_sources(phrase: str) -> list[str]:
    """ "Ukrainian and US officials" -> ["Ukrainian officials", "US officials"];
    "Reuters and the BBC" -> ["Reuters", "the BBC"]."""
    p = phrase.strip()
    m = re.match(
        r"^(?P<a>[\w.'\u2019\-]+(?:\s[\w.'\u2019\-]+)?)\s+and\s+(?P<b>[\w.'\u2019\-]+(?:\s[\w.'\u2019\-]+)?)\s+(?P<head>"
        r"officials|sources|diplomats|intelligence officials|military officials|government officials|"
        r"security officials|authorities|forces|soldiers|troops|analysts|media|outlets)$",
        p,
    )
    if m:
        return [f"{m.group('a')} {m.group('head')}", f"{m.group('b')} {m.group('head')}"]
    if re.search(
        r"\b(?:of|for|on)\s+(?:the\s+)?[A-Z][\w\-']*(?:\s[A-Z][\w\-']*){0,3}\s+and\s+[A-Z]", p
    ):
        return [
            p
        ]  # "Organization for Security and Co-operation in Europe", "Ministry of Trade and Industry"
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", p)
    if len(parts) > 1 and all(
        classify(x)[0] in (ATTR_OUTLET, ATTR_PERSON, ATTR_BODY) for x in parts if x
    ):
        return [x for x in parts if x]
    return [p]


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
        if (
            not m
            or not _NAME_GOES_ON.match(text, m.start())
            or not re.search(r"[A-Z][\w\-']*$", text[pos : m.start()])
        ):
            break
        m = _PHRASE_END.search(text, _NAME_GOES_ON.match(text, m.start()).end(), stop)
    end = m.start() if m else stop
    # Keep "Ukraine's Commander-in-Chief" hyphens/possessives; cut at "on January 30"-style tails.
    return text[pos:end].strip(), end


def _parts(
    phrases: list[str], sentence: str, people: dict[str, str] | None = None
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
        tail = _ANON_TAIL.match(text, end)
        if not tail and re.search(r"\b(?:familiar|knowledge|close)$", phrase, re.I):
            tail = _ANON_TAIL_REST.match(text, end)
        if tail:
            phrase, end = phrase + tail.group(0).rstrip(), tail.end()
        out.append(phrase)
    return out


def attribute(
    sentence: str,
    previous: Attribution | None = None,
    previous_text: str = "",
    people: dict[str, str] | None = None,
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
        for m in _CAP_NAME.finditer(sentence):
            name = m.group(0).strip()
            name = re.sub(r"^(?:The|A|An)\s+", "", name)
            if len(name) > 2 and (
                _OUTLET_RE.match(name) or (_OUTLET_SHAPE.search(name) and " " in name)
            ):
                people[_OUTLET_KEY] = name
        for part in att.chain:
            if part.kind == ATTR_PERSON and " " in part.speaker:
                people.setdefault(part.speaker.split()[-1], part.speaker)
            if (
                part.kind == ATTR_BODY
                and part.speaker[:1].isupper()
                and not _PLACE_RE.match(part.speaker)
            ):
                bodies = people.setdefault(_BODIES_KEY, [])  # type: ignore[arg-type]
                bodies.append(part.speaker)
                del bodies[:-20]
                if re.fullmatch(r"[A-Z][\w&.'\-]*(?:\s[A-Z][\w&.'\-]*){0,3}", part.speaker) and (
                    _CORP_SUFFIX.search(part.speaker) or not _BODY_WORDS.search(part.speaker)
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


def _resolve_backrefs(att: Attribution, people: dict, sentence: str) -> None:
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
        m = _ORG_BACKREF.match(sp)
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
    return [n for n in (person_name(m.group(0)) for m in _CAP_NAME.finditer(sentence)) if n]


def _attribute(
    sentence: str, previous: Attribution | None, previous_text: str, people: dict[str, str] | None
) -> Attribution:
    # 1. "according to X, citing Y"
    m = _ACCORDING.search(sentence)
    if m:
        phrase, end = _take_phrase(sentence, m.end())
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
        if subj.lower() in _PRONOUNS or subj.lower() in ("he", "she", "they", "it", "we", "i"):
            if previous and previous.kind != ATTR_NONE:
                carried = Attribution(
                    speaker=previous.speaker,
                    kind=previous.kind,
                    chain=list(previous.chain),
                    cue=verb,
                )
                if _ANON_MARKERS.search(previous_text) and carried.kind not in (ATTR_PERSON,):
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
            and not _ANON_MARKERS.search(sentence[: vm.start()])
        ):
            # "Medecins Sans Frontieres (MSF) said": a name with its acronym is an organisation.
            att.chain[0].kind = ATTR_BODY
            if len(att.chain) == 1:
                att.kind = ATTR_BODY
        if _ANON_MARKERS.search(sentence[: vm.start()]) and att.chain:
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
    vm = _VAGUE_SENTENCE.search(sentence)
    if vm:
        return Attribution(
            speaker="",
            kind=ATTR_VAGUE,
            chain=[AttributionPart(speaker=vm.group(0), kind=ATTR_VAGUE)],
            cue=vm.group(0),
        )
    return Attribution()


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
    if m and not _BODY_WORDS.search(m.group("name")) and person_name(m.group("name")):
        return m.group("name"), m.end()
    t = _INVERTED_TITLE.match(sentence, vm.end())
    if t and all(
        w.lower().strip("'") in _TITLE_WORDS or _BODY_WORDS.fullmatch(w)
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
    phrases: list[str], sentence: str, cue: str, people: dict[str, str] | None = None
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
        if not _APPOS_START.match(c) and _CAP_NAME.fullmatch(c):
            return c
    first = _LEAD_CONJ.sub("", keep[0]).strip()
    return first or None


def is_relative_anonymous(text: str) -> bool:
    return bool(_ANON_MARKERS.search(text))
