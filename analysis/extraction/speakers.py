"""Who a phrase names, and of which kind: a person, a body, an outlet, anonymous
officials or a vague "reports".

`classify` reads one source phrase ("The New York Times", "Ukrainian officials", "a
spokesman for the ministry"); `split_sources` cuts "Ukrainian and US officials" into its
sources; `person_name` finds a person's name in a phrase. The word lists and patterns
they use live here too; `analysis.extraction.attribution` finds the phrases in a sentence.
"""

from __future__ import annotations

import re

from analysis.types import (
    ATTR_ANONYMOUS,
    ATTR_BODY,
    ATTR_NONE,
    ATTR_OUTLET,
    ATTR_PERSON,
    ATTR_VAGUE,
)

ANON_MARKERS = re.compile(
    r"\b(?:on (?:the )?condition of anonymity|spoke anonymously|speaking anonymously|asked not to be (?:named|identified)|"
    r"declined to be (?:named|identified)|not authori[sz]ed to (?:speak|comment|discuss)|requested anonymity|"
    r"requesting anonymity|unnamed|anonymous|who (?:did not|didn't) want to be named|on background|"
    r"familiar with (?:the|his|her|their|its)\s+[a-z]+|close to the)\b",
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


OUTLET_RE = re.compile(rf"^(?:the\s+)?(?:{KNOWN_OUTLETS})(?:'s)?$", re.I)


OUTLET_SHAPE = re.compile(
    r"\b(?:Times|Post|Journal|News|Herald|Tribune|Gazette|Guardian|Telegraph|Chronicle|Observer|Daily|Weekly|"
    r"Magazine|Radio|TV|Television|Broadcasting|Broadcaster|Press|Wire|Pravda|Izvestia|Insider|Monitor|Express|"
    r"Mirror|Standard|Review|Dispatch|Bulletin|Sentinel|Courier|Inquirer|Examiner)\b"
)


_OUTLET_WORDS = re.compile(
    r"\b(?:newspaper|news agency|news outlet|outlet|broadcaster|tabloid|daily|magazine|"
    r"news site|website|channel|state media|state television|state tv|news service)\b",
    re.I,
)


BODY_WORDS = re.compile(
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


PLACE_RE = re.compile(rf"^(?:the\s+)?(?:{_PLACES})$", re.I)


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
CORP_SUFFIX = re.compile(
    r"\b(?:systems|holdings|technologies|technology|industries|motors|airlines|airways|pharmaceuticals|pharma|partners|"
    r"capital|securities|inc|corp|co|plc|llc|ag|sa|nv|gmbh|se|ltd|limited|group|energy|solutions|software|networks|"
    r"communications|entertainment|brands|foods|resources|petroleum|oil|gas|mining|semiconductor|electronics|"
    r"therapeutics|biosciences|biotech|tech|aerospace|automotive|telecom|insurance|financial|logistics|robotics|labs|"
    r"platforms|media|studios)\.?$",
    re.I,
)


# Definite back-references to an organisation named earlier: "the company also said".
ORG_BACKREF = re.compile(
    r"^(?:the\s+)?(?P<head>company|firm|group|carmaker|automaker|retailer|lender|bank|insurer|airline|chipmaker|"
    r"conglomerate|startup|manufacturer|producer|operator|developer|business|commission|ministry|agency|institute|"
    r"council|committee|court|department|office|authority|board|bureau|service|organi[sz]ation|union|party|bloc|"
    r"coalition|alliance|mission|regulator|watchdog|tribunal|fund|foundation|center|centre|university)"
    r"(?:['\u2019]s)?$",
    re.I,
)


# "Observers from the OSCE said": the named organisation speaks through its delegates.
_DELEGATES_OF = re.compile(
    r"^(?:(?:international|independent|election|foreign|the|a|an)\s+)*(?:observers|monitors|inspectors|researchers|"
    r"scientists|experts|economists|analysts|investigators|auditors|delegates|a team|team|mission|delegation|"
    r"an? (?:observer|monitoring|observation|inspection) mission)\s+(?:from|of|at|with|for|led by)\s+(?P<org>.+)$",
    re.I,
)


TITLE_WORDS = frozenset(
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


CAP_NAME = re.compile(
    r"(?:(?:[A-Z]\.){2,}|[A-Z][A-Za-z\u00c0-\u017f'\u2019\-]+|[A-Z]\.)(?:\s+(?:(?:[A-Z]\.){2,}|[A-Z][A-Za-z\u00c0-\u017f'\u2019\-]+|[A-Z]\.|(?:van|von|de|der|al|bin|da|di|le|la)\b))*"
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
    p = re.sub(r"^(?:the)\s+", "", p, flags=re.I) if not OUTLET_RE.match(p) else p
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
        or ORG_BACKREF.match(owner.group("owner"))
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
    if ANON_MARKERS.search(p) and _ANON_HEADS.search(p) and not person_name(p):
        return ATTR_ANONYMOUS, p  # "people familiar with the matter", "sources close to the talks"
    deleg = _DELEGATES_OF.match(p)
    if deleg and not ANON_MARKERS.search(p) and re.search(r"[A-Z]", deleg.group("org")):
        kind, speaker = classify(deleg.group("org"), sentence, people)
        if kind in (ATTR_BODY, ATTR_OUTLET):
            return kind, speaker
    if _VAGUE_HEADS.match(p) and not CAP_NAME.search(p[1:] if p else ""):
        return ATTR_VAGUE, p
    if (
        OUTLET_RE.match(p)
        or (OUTLET_SHAPE.search(p) and p[:1].isupper())
        or _OUTLET_WORDS.search(low)
    ):
        return ATTR_OUTLET, _strip_the(phrase)
    anon_marked = bool(ANON_MARKERS.search(p))
    if (
        not anon_marked
        and (_BODY_HEAD_END.search(p) or CORP_SUFFIX.search(p))
        and not _ANON_HEAD_END.search(p)
    ):
        # "Ukraine's military intelligence agency", "Corvane Systems": the head noun is an institution.
        if not person_name(p) or CORP_SUFFIX.search(p) or BODY_WORDS.search(person_name(p)):
            return ATTR_BODY, _strip_the(p)
    name = person_name(p)
    if (
        name
        and BODY_WORDS.search(p)
        and re.search(rf"\b(?:of|for|on|and)\s+(?:the\s+)?{re.escape(name.split()[0])}", p)
    ):
        name = ""  # "National Institute for Disaster Risk Management": the capitals name the body
    if name and not BODY_WORDS.search(name) and not PLACE_RE.match(name):
        if not anon_marked:
            return ATTR_PERSON, name
    if _ANON_HEADS.search(p) and not name:
        return ATTR_ANONYMOUS, p
    if anon_marked:
        return ATTR_ANONYMOUS, p
    if BODY_WORDS.search(p) or PLACE_RE.match(p):
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
    for m in CAP_NAME.finditer(phrase):
        words = m.group(0).split()
        while words and words[0].lower().rstrip(".") in TITLE_WORDS:
            words.pop(0)
        # Drop possessive place prefixes ("Ukraine's").
        while words and re.search(r"['\u2019]s$", words[0]):
            words.pop(0)
            while words and words[0].lower().rstrip(".") in TITLE_WORDS:
                words.pop(0)
        if len(words) >= 2 and all(
            w[0].isupper() or w in ("van", "von", "de", "der", "al", "bin", "da", "di", "le", "la")
            for w in words
        ):
            cand = " ".join(words)
            if (
                not BODY_WORDS.search(cand)
                and not OUTLET_SHAPE.search(cand)
                and not PLACE_RE.match(cand)
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
