"""Word lists the corroboration step reads text with.

Everything language-specific lives here so it can be tuned in one place: the noun
families that decide which numbers may be compared, the event families that decide
whether a passage talks about the same happening as a claim, and the cue lexicons for
denials, confirmations, hedges, "not confirmed" and later changes. The lists are meant
for general news reporting (conflict, politics, economy), not for one article.
"""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """
    a an the and or but if then than that this these those there here of in on at to
    for from by with without into onto over under about around after before during since
    until as is are was were be been being am has have had having do does did done will
    would shall should can could may might must not no nor so such too very just only also
    it its it's they them their theirs he him his she her hers we us our ours you your
    i me my who whom whose which what when where why how all any both each few more most
    other some own same up down out off again further once new now still even yet
    said says say told tell according reported reportedly report reports news
    one's while per via among against between through upon within whether though although
    """.split()
)

# Number words for the compact quantity reader.
FRACTION_WORDS = {
    "half": 0.5,
    "a half": 0.5,
    "one half": 0.5,
    "halved": 0.5,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "one-third": 1 / 3,
    "two thirds": 2 / 3,
    "two-thirds": 2 / 3,
    "a quarter": 0.25,
    "one quarter": 0.25,
    "three quarters": 0.75,
    "three-quarters": 0.75,
    "a fifth": 0.2,
    "one fifth": 0.2,
    "a tenth": 0.1,
}

# Qualifiers and what they allow (see tolerance.py for the numbers).
QUALIFIERS = {
    # approximate: a symmetric band around the value
    "about": "about",
    "around": "about",
    "some": "about",
    "roughly": "about",
    "approximately": "about",
    "approx": "about",
    "an estimated": "about",
    "estimated": "about",
    "close to": "nearly",
    "nearly": "nearly",
    "almost": "nearly",
    "just under": "nearly",
    "over": "over",
    "more than": "over",
    "above": "over",
    "at least": "over",
    "upwards of": "over",
    "in excess of": "over",
    "just over": "over",
    "exceeding": "over",
    "up to": "up_to",
    "as many as": "up_to",
    "at most": "up_to",
    "no more than": "up_to",
    "under": "under",
    "less than": "under",
    "fewer than": "under",
    "below": "under",
    "exactly": "exact",
    "precisely": "exact",
}

# Noun families: numbers are compared only inside one family.
UNIT_FAMILIES = {
    "personnel": """troop troops soldier soldiers servicemen serviceman personnel fighters fighter
        forces force men units unit recruits mercenaries sailors officers marines conscripts
        combatants army""",
    "killed": "killed dead deaths died fatalities",
    "wounded": "wounded injured hurt",
    "casualties": "casualties casualty losses",
    "munitions": """shells shell ammunition ammo munitions rounds artillery missiles missile
        rockets rocket bombs""",
    "people": "people civilians residents refugees persons inhabitants",
    "vehicles": "tanks tank vehicles vehicle aircraft drones drone jets helicopters",
    "money": "dollars dollar euros euro usd eur won rubles roubles pounds yuan",
}
UNIT_WORDS = {w: fam for fam, words in UNIT_FAMILIES.items() for w in words.split()}
# Killed and wounded add up to casualties; a casualty count is compared as a total.
CASUALTY_PARTS = ("killed", "wounded")

DURATION_DAYS = {
    "day": 1,
    "days": 1,
    "week": 7,
    "weeks": 7,
    "fortnight": 14,
    "month": 30,
    "months": 30,
    "year": 365,
    "years": 365,
    "hour": 1 / 24,
    "hours": 1 / 24,
}

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

# Event families: a passage supports a claim only when it describes the same kind of
# happening. Patterns are regexes matched on lowercased text.
EVENT_FAMILIES: dict[str, tuple[str, ...]] = {
    "withdrawal": (
        r"\bwithdr[ae]w\w*",
        r"\bpull(?:ed|ing|s)?\s+(?:\w+\s+){0,3}?(?:back|out|from|off)\b",
        r"\bpull-?back\b",
        r"\bretreat\w*",
        r"\bdisappear\w*",
        r"\bvanish\w*",
        r"\bremoved from\b",
        r"\bleft the front\b",
        r"\brotated out\b",
        r"\bevacuat\w*",
    ),
    "absence": (
        r"\b(?:not|no|never|n't)\s+(?:\w+\s+){0,6}?(?:seen|spotted|sighted|observed|detected)\b",
        r"\babsen(?:t|ce)\b",
        r"\bno (?:longer )?(?:sign|signs|trace)\b",
    ),
    "deployment": (
        r"\bdeploy\w*",
        r"\barriv\w*",
        r"\bsen[dt]\b",
        r"\bsending\b",
        r"\bdispatch\w*",
        r"\bentered the (?:war|conflict|fighting|fight)\b",
        r"\bjoin(?:ed|s)? the (?:war|fight\w*)",
        r"\breinforc\w*",
        r"\btransferred to\b",
        r"\bstationed\b",
    ),
    "return": (
        r"\breturn(?:ed|ing|s)?\b",
        r"\bback (?:on|at|to|in) the (?:front|battle\w*|line)",
        r"\bbrought (?:\w+\s+)?(?:in|back) again\b",
        r"\bbrought back\b",
        r"\bredeploy\w*",
        r"\bre-deploy\w*",
        r"\breappear\w*",
        r"\bresum\w*",
        r"\bagain\b",
    ),
    "presence": (
        r"\bstill (?:fighting|deployed|present|at the front|in combat|on the front\w*|there)\b",
        r"\bcontinu\w* to (?:fight|take part|serve|engage)\b",
        r"\bremain\w* (?:at|on|in) (?:the )?(?:front|combat|battle)\w*",
        r"\bhave not (?:been )?withdrawn\b",
    ),
    "casualties": (
        r"\bcasualt\w*",
        r"\bkilled\b",
        r"\bwounded\b",
        r"\blosses\b",
        r"\bdeaths?\b",
        r"\bdied\b",
        r"\binjured\b",
        r"\bheavy losses\b",
    ),
    "reduction": (
        r"\bcut\b",
        r"\bhalved\b",
        r"\bfell\b",
        r"\bfall(?:en|s)?\b",
        r"\bdropp?(?:ed|s)?\b",
        r"\bdeclin\w*",
        r"\breduc\w*",
        r"\bshr[ai]nk\w*",
        r"\bdown by\b",
        r"\bdecreas\w*",
    ),
    "supply": (
        r"\bsuppl(?:y|ied|ies|ying)\b",
        r"\bprovid\w*",
        r"\bcome from\b",
        r"\bcomes from\b",
        r"\bcame from\b",
        r"\bship(?:ped|ments?)\b",
        r"\bdeliver\w*",
        r"\bsourced\b",
        r"\bimport\w*",
        r"\bexport\w*",
    ),
    "combat": (
        r"\bfight\w*",
        r"\bbattle\w*",
        r"\bcombat\b",
        r"\bassault\w*",
        r"\boffensive\b",
        r"\bengag\w+ in (?:battle|combat)",
    ),
}
# Families that count as the same claim for support ("not seen" supports "not seen").
# Related families make a passage consistent but not confirming, and are reported as
# mentions with that reason.
RELATED_FAMILIES = {
    frozenset({"withdrawal", "absence"}),
    frozenset({"casualties", "reduction"}),
}
# Claim family -> passage families that say the opposite state.
OPPOSITE_STATE = {
    "withdrawal": ("presence",),
    "absence": ("presence",),
}
# Claim family -> passage families that, reported later, overtake the claim.
OVERTAKING = {
    "withdrawal": ("return",),
    "absence": ("return",),
    "deployment": ("withdrawal",),
}
# The claim's main event is its first family in this order ("soldiers sent to fight ...
# have been pulled from the front after suffering casualties" is about a withdrawal).
EVENT_PRIORITY = (
    "withdrawal",
    "absence",
    "return",
    "presence",
    "reduction",
    "supply",
    "deployment",
    "casualties",
    "combat",
)

# Cue lexicons (regexes on lowercased text).
DENIAL_CUES = (
    r"\bsimply wrong\b",
    r"\b(?:is|was|were|are) wrong\b",
    r"\bden(?:y|ied|ies|ying)\b",
    r"\bdenial\b",
    r"\bnot true\b",
    r"\buntrue\b",
    r"\bfalse\b",
    r"\bno evidence (?:that|of|to)\b",
    r"\bno truth\b",
    r"\brefut\w*",
    r"\brebut\w*",
    r"\bdebunk\w*",
    r"\bbaseless\b",
    r"\bgroundless\b",
    r"\bunfounded\b",
    r"\bfabricat\w*",
    r"\bnonsense\b",
    r"\bfake\b",
    r"\bincorrect\b",
    r"\binaccurate\b",
    r"\bmisleading\b",
    r"\bdismiss\w* (?:\w+ ){0,4}as\b",
    r"\brejected (?:the )?(?:claim|report|allegation)s?\b",
    r"\bdid not happen\b",
    r"\bnever happened\b",
    r"\bcontrary to (?:the )?reports?\b",
)
UNCONFIRMED_CUES = (
    r"\b(?:could|can|would|did) not (?:\w+ )?(?:confirm|verify|comment)\w*",
    r"\bunable to (?:independently )?(?:confirm|verify)\b",
    r"\bdeclined to comment\b",
    r"\bnot (?:yet )?(?:been )?(?:officially |independently )?(?:confirmed|verified)\b",
    r"\bhas not (?:yet )?(?:officially )?confirmed\b",
    r"\bhave not (?:yet )?(?:officially )?confirmed\b",
    r"\bunconfirmed\b",
    r"\bunverified\b",
    r"\bno official confirmation\b",
    r"\bno comment\b",
    r"\bnot comment officially\b",
)
HEDGE_CUES = (
    r"\bbelieve[sd]?\b",
    r"\blikely\b",
    r"\bunlikely\b",
    r"\breportedly\b",
    r"\ballegedly\b",
    r"\bmay\b(?!\s+\d)",
    r"\bmight\b",
    r"\bcould\b(?! not)",
    r"\bpossibl[ey]\b",
    r"\bapparently\b",
    r"\bappears? to\b",
    r"\bseem(?:s|ed)? to\b",
    r"\bsuggest(?:s|ed)?\b",
    r"\bestimated?\b",
    r"\bit is said\b",
    r"\bsaid to\b",
    r"\bthought to\b",
    r"\bprobabl[ey]\b",
    r"\bperhaps\b",
    r"\brumou?r\w*",
)
CONFIRM_CUES = (
    r"\bconfirm(?:ed|s)\b",
    r"\bsaid\b",
    r"\bsays\b",
    r"\btold\b",
    r"\bstated\b",
    r"\bannounced\b",
    r"\bverified\b",
    r"\bshowed\b",
    r"\backnowledg\w*",
    r"\bbriefed\b",
    r"\baccording to\b",
    r"\bon (?:the )?record\b",
)
# Words that mark a quantity as applying to part of the whole ("in some areas"), so it
# is not compared against a figure for the whole.
SCOPE_CUES = re.compile(
    r"\bin (?:some|certain|many|several|parts of|places|specific) ?(?:areas|places|regions|sectors|cases|parts)?\b"
    r"|\bat times\b|\blocally\b",
    re.I,
)

# Outlet aliases for origin keys.
OUTLET_ALIASES = {
    "nyt": "new york times",
    "ny times": "new york times",
    "new york times": "new york times",
    "associated press": "ap",
    "the associated press": "ap",
    "ap": "ap",
    "agence france presse": "afp",
    "agence france-presse": "afp",
    "afp": "afp",
    "thomson reuters": "reuters",
    "reuters": "reuters",
    "yonhap news agency": "yonhap",
    "wapo": "washington post",
    "bbc news": "bbc",
    "rbc ukraine": "rbc-ukraine",
}
# Every spelling of a wire (credits.WIRE_SPELLINGS) is that wire's origin key.
WIRE_ALIASES = {
    "afp": ("agence france presse", "a f p"),
    "ap": ("associated press", "a p"),
    "dpa": ("deutsche presse agentur",),
    "efe": ("agencia efe",),
    "kyodo": ("kyodo news",),
    "xinhua": ("xinhua news agency",),
    "pa": ("pa media", "press association"),
    "bloomberg": ("bloomberg news",),
    "pti": ("press trust of india",),
    "aap": ("australian associated press",),
    "upi": ("united press international",),
    "ani": ("asian news international",),
}
for _wire, _spellings in WIRE_ALIASES.items():
    for _spelling in _spellings:
        OUTLET_ALIASES.setdefault(_spelling, _wire)
