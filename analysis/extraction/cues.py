"""Word lists and patterns for hedges, certainty, claim types and check-worthiness.

General newsroom lexicons, not phrases of any one article. Every pattern is a flat
alternation with word boundaries (no nested quantifiers), run on bounded sentences.
"""

from __future__ import annotations

import re

# Hedges, with the certainty level each implies.
UNCONFIRMED_RE = re.compile(
    r"\b(?:unconfirmed|unverified|(?:has|have|had|was|were|is|are)?\s*(?:not|yet to|n't)\s+(?:yet\s+)?(?:been\s+)?"
    r"(?:officially\s+|independently\s+|publicly\s+|immediately\s+)?(?:confirm(?:ed)?|verif(?:y|ied)|acknowledged)|could\s+not\s+(?:immediately\s+)?(?:be\s+)?"
    r"(?:independently\s+|immediately\s+)?(?:confirm(?:ed)?|verif(?:y|ied))|cannot\s+(?:be\s+)?(?:independently\s+)?(?:confirm(?:ed)?|verif(?:y|ied))|"
    r"no\s+(?:official\s+|independent\s+)?confirmation|declined\s+to\s+confirm|did\s+not\s+confirm|would\s+not\s+confirm|"
    r"not\s+been\s+(?:independently\s+)?verified)\b",
    re.I,
)
SPECULATIVE_RE = re.compile(
    r"\b(?:may|might|could(?!\s+not\s+be\s+reached)|possibly|perhaps|maybe|probably|likely|unlikely|expected\s+to|"
    r"is\s+set\s+to|are\s+set\s+to|would)\b",
    re.I,
)
HEDGED_RE = re.compile(
    r"\b(?:reportedly|allegedly|alleges?|alleging|apparently|purportedly|supposedly|reputedly|believed|believes?|thought\s+to|"
    r"appears?\s+to|appeared\s+to|seems?(?:\s+to)?|seemed(?:\s+to)?|suggests?|suggested|estimated|estimates?|"
    r"claimed|claims?|rumou?red|said\s+to\s+(?:be|have)|understood\s+to|preliminary|tentative(?:ly)?|indicates?|"
    r"indicated|an\s+estimated|unclear|uncertain|remain\s+uncertain|it\s+is\s+(?:said|thought|believed|understood))\b",
    re.I,
)

# A prediction: a modal or future marker governing a verb, not a past modal ("may have").
PREDICTION_RE = re.compile(
    r"\b(?:will|won't|shall|(?:may|might)\s+(?!have\b)(?:not\s+)?\w+|(?:could|would)\s+(?!have\b|not\b|n't\b)\w+|is\s+expected\s+to|are\s+expected\s+to|"
    r"(?:is|are|was|were)\s+(?:still\s+)?likely\s+to|is\s+set\s+to|are\s+set\s+to|plans?\s+to|planned\s+to|is\s+going\s+to|"
    r"are\s+going\s+to|(?<!its\s)(?<!the\s)(?<!their\s)(?<!a\s)(?<!-year\s)(?<!previous\s)forecasts?|expects?|projected\s+to|predicts?|next\s+(?:week|month|year|season)|by\s+20[3-9]\d|"
    r"in\s+the\s+coming\s+(?:days|weeks|months|years))\b",
    re.I,
)
OPINION_RE = re.compile(
    r"\b(?:describe[sd]?\s+(?:\w+\s+){1,6}?as|called\s+(?:\w+\s+){0,4}?(?:a|an)\b|should|ought\s+to|must|"
    r"in\s+my\s+view|i\s+think|we\s+think|i\s+believe|reputation|deserves?|shameful|disgrace(?:ful)?|"
    r"outrageous|unacceptable|brilliant|terrible|awful|heroic|cowardly|widely\s+(?:seen|regarded|considered)\s+as|"
    r"is\s+seen\s+as|are\s+seen\s+as|regarded\s+as|the\s+most\s+(?:powerful|important|influential|popular))\b",
    re.I,
)
EVALUATIVE = frozenset(
    """disciplined aggressive disorganized disorganised reckless chaotic catastrophic devastating staggering
    massive terrible great excellent poor poorly unacceptable outrageous shameful brave successful failure
    disastrous crucial remarkable impressive dangerous irresponsible incompetent corrupt struggled struggling
    struggle brutal horrific historic unprecedented dramatic huge enormous severe alarming worrying shocking
    incredible amazing brilliant weak strong fierce heroic cowardly lacking proper reputation chaos stunning
    controversial notorious infamous disgraceful fantastic awful tragic""".split()
)
EVENT_WORDS = re.compile(
    r"\b(?:\w{3,}ed|sent|seen|held|made|taken|given|found|shot|struck|hit|fled|left|lost|won|rose|risen|fell|fallen|"
    r"grew|grown|drew|drawn|built|sold|bought|paid|spent|met|came|come|comes|began|begun|went|gone|led|fought|"
    r"flew|flown|drove|driven|sank|sunk|swept|broke|broken|caught|blew|blown|froze|frozen|"
    r"killed|died|dead|injured|wounded|arrested|signed|approved|voted|elected|resigned|announced|launched|"
    r"continues?\s+to|remains?|stood\s+at|stands\s+at|reached|topped|exceeded|totals?|totalled|totaled|"
    r"increase[sd]?|decrease[sd]?|withdr[ae]wn?|withdrew|vanished|disappeared|deployed|arrived|pulled)\b",
    re.I,
)
NOT_EVENT_ED = frozenset(
    """need needed said used based called named related united detailed limited concerned interested
    supposed alleged reportedly disciplined disorganized disorganised integrated aged red bed hundred
    indeed speed feed seed weed shed""".split()
)
RECORD_RE = re.compile(
    r"\b(?:on record|record[- ](?:high|low|level|number)|all-time|for the first time|(?:the )?(?:highest|lowest|largest|"
    r"biggest|smallest|deadliest|hottest|coldest|worst|costliest|longest|fastest)\b)",
    re.I,
)
# "X declined to comment", "did not respond to a request for comment": no claim in itself.
NO_COMMENT_RE = re.compile(
    r"\b(?:declined|refused)\s+to\s+comment|\b(?:did\s+not|didn't)\s+(?:immediately\s+)?(?:respond|reply)\s+to\s+"
    r"(?:a\s+|multiple\s+|repeated\s+)?requests?\s+for\s+comment|\bcould\s+not\s+(?:immediately\s+)?be\s+reached\s+for\s+comment|"
    r"\bdid\s+not\s+(?:immediately\s+)?return\s+(?:a\s+)?(?:calls?|messages?|emails?)\b|\bno\s+comment\b|"
    r"\b(?:has|have|had)\s+(?:not|yet\s+to)\s+(?:publicly\s+|officially\s+)?(?:commented|comment|responded|respond)\b|"
    r"\b(?:did\s+not|didn't)\s+(?:immediately\s+)?(?:comment|respond)\b|\bno\s+immediate\s+(?:comment|response)\b",
    re.I,
)
FIRST_PERSON_RE = re.compile(r"^(?:i|we|you|let's|let us)\b", re.I)
REVISION_RE = re.compile(
    r"\b(?:rose|risen|climbed|jumped|increased|revised|updated|raised|lowered|corrected|earlier|initially|"
    r"previously|first|from\s+an?\s+(?:earlier|initial|previous)|up\s+from|down\s+from|had\s+been|was\s+later)\b",
    re.I,
)
STOPWORDS = frozenset(
    """a an the of to in on at for and or but by with from as that this these those it its their his her
    is are was were be been being has have had do does did will would could should may might can
    there here than then so such also just into onto over under about after before while which who whom
    whose what when where why how not no yet now said says say""".split()
)
EVENT_SYNONYMS = {
    "withdrawal": "withdraw withdrew withdrawn withdrawal pull pulled pulling retreat retreated vanish vanished disappear disappeared left leave exit",
    "death": "death deaths died dead kill killed killing toll fatalities",
    "deaths": "death deaths died dead kill killed killing toll fatalities",
    "attack": "attack attacked strike struck hit hits shelling bombing",
    "strike": "attack attacked strike struck hit hits",
    "deployment": "deploy deployed deployment sent arrival arrived",
    "arrival": "arrive arrived arrival deployed sent",
    "agreement": "agree agreed agreement deal signed",
    "deal": "agree agreed agreement deal signed",
    "resignation": "resign resigned resignation step stepped quit",
    "arrest": "arrest arrested detained detention",
    "casualties": "casualties killed wounded dead injured losses",
    "losses": "losses casualties killed lost",
    "ceasefire": "ceasefire truce",
    "capture": "capture captured seized took",
    "report": "",
    "reports": "",
}

# A sentence that only says something could not be verified or that someone did not comment:
# "The report could not be independently verified.", "Kyiv's claims could not immediately be
# verified.", "Ukrainian officials have not publicly commented on the report."
NOT_VERIFIED_SENTENCE_RE = re.compile(
    r"^[^,;:]{0,80}?\b(?:could\s+not|cannot|can\s*not|couldn't|has\s+not|have\s+not|had\s+not|was\s+not|were\s+not)\s+"
    r"(?:yet\s+)?(?:be\s+|been\s+)?(?:immediately\s+|independently\s+|officially\s+){0,2}(?:be\s+)?(?:verified|confirmed)"
    r"(?:\s+(?:by|independently)\s+[^,;]{0,60})?[.!]?[\"'\u201d\u2019)]*$",
    re.I,
)
NO_COMMENT_SENTENCE_RE = re.compile(
    r"^[^;:]{0,120}?\b(?:declined|refused)\s+to\s+comment\b[^;:]{0,120}$|"
    r"^[^,;:]{0,100}?\b(?:did\s+not|didn't)\s+(?:immediately\s+)?(?:respond|reply)\s+to\s+[^;:]{0,80}\bcomment[^;:]{0,40}$|"
    r"^[^,;:]{0,100}?\b(?:has|have|had)\s+(?:not|yet\s+to)\s+(?:publicly\s+|officially\s+)?(?:commented|comment|responded)"
    r"\b[^;:]{0,100}$|^[^,;:]{0,100}?\bcould\s+not\s+(?:immediately\s+)?be\s+reached\b[^;:]{0,80}$",
    re.I,
)
# "X has repeatedly denied that ...": what a party says, typed statement.
DENIAL_RE = re.compile(
    r"\b(?:(?:has|have|had)\s+)?(?:(?:repeatedly|consistently|long|previously|strongly|flatly|categorically|always)\s+)?"
    r"(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|disputed|disputes)\s+(?:that|any|the|it|claims|reports|"
    r"allegations|accusations|involvement|responsibility|wrongdoing)\b",
    re.I,
)
# "..., saying it would challenge the results": the speaker's own stated intention.
REPORTED_INTENT_RE = re.compile(
    r",\s*(?:saying|adding|vowing|pledging|promising|threatening|announcing)\s+(?:that\s+)?(?:it|he|she|they|we)\s+"
    r"(?:would|will|planned\s+to|plans\s+to|intends\s+to|intended\s+to)\b",
    re.I,
)
# A discrete action on counted things ("shot down 41 drones", "arrested ... charged with 12
# counts", "moved at least 30 aircraft"): an event, not a statistic.
ACTION_RE = re.compile(
    r"\b(?:hit|struck|destroyed|damaged|shot\s+down|downed|intercepted|moved|relocated|redeployed|evacuated|rescued|"
    r"arrested|detained|charged|indicted|convicted|sentenced|seized|captured|freed|released|expelled|deported|"
    r"fired|launched|deployed|sent|withdrew|pulled|sank|sunk|crashed|hijacked|kidnapped|abducted)\b",
    re.I,
)
TALLY_RE = re.compile(
    r"%|\bper\s?cent\b|\bpercent\b|\b(?:since|so\s+far|in\s+total|total|totals|toll|tally|cumulative|this\s+year|"
    r"last\s+year|a\s+year|per|rate|average|record|annual|monthly|weekly|daily|each|every|killed|dead|deaths?|died|"
    r"displaced|injured|wounded|cases|population|survey|poll)\b",
    re.I,
)
