"""Recognise the parts of an article body that are not reporting.

Works line by line on the body (every line is a paragraph, caption or label), so it is
linear in the body size. A span found here never becomes a claim. Kinds recognised:

- widget and section labels ("Trending Now", "Read more", "News", "Advertisement");
- photo / image / video credits and captions ("Photo: Wikimedia Commons", "(AP Photo/...)");
- short lines repeated verbatim (captions and labels a CMS printed twice);
- archive and housekeeping notices ("This article is more than 5 years old",
  "This story has been updated", "Copyright ...", "Sign up for ...");
- headings: short lines without sentence punctuation, and standalone questions
  ("Will North Korean Troops Return?"), which are rhetorical in news copy.
"""

from __future__ import annotations

import bisect
import re

_LABELS = frozenset(
    """trending now|trending|most read|most popular|read more|read also|see also|related|
    related articles|related stories|related news|recommended|advertisement|sponsored|
    sponsored content|share|share this|share this article|subscribe|follow us|news|
    world|politics|business|sport|sports|opinion|analysis|culture|science|health|
    technology|tech|economy|entertainment|lifestyle|breaking|breaking news|live|
    latest|latest news|top stories|editor's picks|more from|you may also like|
    listen to this article|watch|video|photos|gallery|comments|show comments|
    world news|europe|asia|africa|americas|middle east|us news|uk news|
    local news|national|international|update|updated|exclusive""".replace("\n", "").split("|")
)
_LABELS = frozenset(s.strip() for s in _LABELS)

_CREDIT = re.compile(
    r"^\(?\s*(?:photo|photos|image|images|picture|pictures|credit|credits|illustration|"
    r"video|graphic|footage|file photo|main image|top image|header image|cover image|"
    r"photograph|caption)s?\b\s*(?:credit)?\s*(?::|by\b|\u2014|-|/|\|)",
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
    r"(?:\b(?:AP|AFP|Reuters|Getty Images|Shutterstock|EPA|Wikimedia Commons|Alamy|"
    r"Unsplash|Pexels|Flickr|PA Images|Bloomberg)\)?\s*$)|(?:\bvia\s+\S+\s*\)?\s*$)|"
    r"(?:\((?:AP|AFP|Reuters)\s+Photo\b[^)]{0,120}\)\s*$)|"
    # Wire caption credits: "... October 13, 2025. REUTERS/Navesh Chitrakar", "AP Photo/Jane Doe"
    r"(?:\b(?:REUTERS|AFP|AP|AP Photo|EPA|EPA-EFE|XINHUA|ANADOLU|GETTY IMAGES|Getty Images|Shutterstock|PA)\s?/\s?"
    r"[A-Z][\w.'\u2019\-]*(?:\s[A-Z][\w.'\u2019\-]*){0,4}\s*$)",
)
# A caption that ends in its own credit, "(Photo: Reuters/Jane Doe)", even when it is a sentence.
_PAREN_CREDIT = re.compile(
    r"\((?:photo|photos|image|picture|credit|video|illustration|file photo|photograph)s?\s*(?::|by\b)[^()]{1,120}\)\s*$",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"^(?:this (?:article|story|piece|report|post) (?:is more than|was (?:originally |first )?"
    r"(?:published|posted|updated)|has been (?:updated|corrected|amended))|from the archives?\b|"
    r"archived?\b|editor'?s note\b|correction\b|clarification\b|copyright\b|\u00a9|"
    r"all rights reserved|sign up\b|subscribe\b|click here\b|read (?:more|the full)\b|"
    r"related:|see also:|more:|also read:|read also:|watch:|listen:|updated:|published:|"
    r"last (?:updated|modified)\b|first published\b|follow (?:us|the)\b|share (?:this|on)\b|"
    r"tags?:|topics?:|filed under\b|advertisement\b|this content\b|"
    r"\(?(?:additional\s+)?(?:reporting|writing|editing|compiled|research|graphics)\s+by\b|"
    r"\((?:corrects|updates|adds|recasts|refiles|changes|fixes|removes|clarifies)\b|"
    r"(?:this (?:article|story|report) (?:was|has been) (?:first |originally )?(?:published|produced|updated|corrected)))",
    re.IGNORECASE,
)
# Wire and agency photo credits that can sit anywhere in a caption line, even after a
# full sentence: "... October 12, 2025. REUTERS/Jane Doe Purchase Licensing Rights",
# "... on Thursday. Photograph: Jo Bloggs/AFP/Getty Images", "... (AP Photo/Jane Doe)".
_WIRE_CREDIT = re.compile(
    r"\b(?:REUTERS|AFP|AP Photo|EPA-EFE|EPA|XINHUA|ANADOLU|GETTY IMAGES)\s?/\s?[A-Z]|"
    r"\bPurchase Licensing Rights\b|,?\s?opens new tab\s*$|"
    r"\((?:AP|AFP|Reuters)\s+Photo\b[^)]{0,120}\)\s*$|"
    r"(?:^|[.!]\s+|\s)(?:Photograph|Photo|Photos|Picture|Image|Illustration|Video)(?:\s(?:credit|illustration))?:\s"
    r"[^.]{0,120}$|"
    r"(?:/|\|\s?)(?:AFP|AP|EPA|Reuters|Bloomberg|Shutterstock|Getty Images|Alamy)\s?(?:via Getty Images)?\s*$|"
    r"\bvia Getty Images\s*$|\bGetty Images\s*$"
)
# List intros and reader-engagement lines: "Here's how the company did ...:", "Follow
# MarketDesk on X", "Support our journalism by becoming a member.", "Most viewed".
_ENGAGEMENT = re.compile(
    r"^(?:here['\u2019]?s|here is|here are|these are|this is)\b[^\n]{0,300}:\s*$|"
    r"^follow\s[^\n]{1,60}?\s(?:on|at)\s(?:x|twitter|facebook|instagram|telegram|linkedin|tiktok|youtube|threads|bluesky|whatsapp)\b|"
    r"\bsupport (?:our|independent) (?:independent\s)?(?:journalism|reporting)\b|\bbecom(?:e|ing) a (?:member|subscriber|supporter)\b|"
    r"^most (?:read|viewed|popular|shared|watched)\b|^(?:related|more on this story|more from|recommended|read next)\s?:|"
    r"^\u00a9\s?(?:19|20)\d{2}\b|^(?:copyright|\(c\))\s(?:\u00a9\s)?(?:19|20)\d{2}\b|"
    r"^data (?:is|are) (?:a real-time snapshot|delayed)\b|^scroll to continue\b|^advertisement\b",
    re.IGNORECASE,
)
# A key-figure line of a results story: "Revenue: $4.82 billion vs. $4.71 billion expected".
_KEY_FIGURE = re.compile(
    r"^[A-Z][A-Za-z\-'\u2019()/&]*(?:\s[A-Za-z\-'\u2019()/&]+){0,5}:\s"
    r"(?=[^\n]{0,80}?(?:[$\u20ac\u00a3\u00a5]\s?\d|\d(?:\.\d+)?\s?(?:%|per\s?cent|percent)))"
    r"[^\n]{0,120}?\b(?:vs\.?|versus|compared with|against|from|expected|estimated|forecast)\b"
)
_SENTENCE_END = re.compile(r"[.!\u2026][\"'\u201d\u2019)\]]*\s*$")
_WORD = re.compile(r"\S+")

MAX_HEADING_WORDS = 14


def boilerplate_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) spans of `body` that are boilerplate, one per line, in order."""
    lines: list[tuple[int, int, str]] = []
    pos = 0
    n = len(body)
    while pos < n:
        nl = body.find("\n", pos)
        end = n if nl < 0 else nl
        lo, hi = pos, end
        while lo < hi and body[lo].isspace():
            lo += 1
        while hi > lo and body[hi - 1].isspace():
            hi -= 1
        if hi > lo:
            lines.append((lo, hi, body[lo:hi] if hi - lo <= 600 else ""))
        if nl < 0:
            break
        pos = nl + 1

    counts: dict[str, int] = {}
    for _, _, text in lines:
        if text:
            key = text.casefold()
            counts[key] = counts.get(key, 0) + 1

    spans: list[tuple[int, int]] = []
    verdicts: dict[str, bool] = {}
    for lo, hi, text in lines:
        if not text:
            continue
        verdict = verdicts.get(text)
        if verdict is None:
            verdict = is_boilerplate_line(text, repeated=counts.get(text.casefold(), 0) > 1)
            verdicts[text] = verdict
        if verdict:
            spans.append((lo, hi))
    return spans


def is_boilerplate_line(line: str, *, repeated: bool = False) -> bool:
    text = line.strip()
    if not text:
        return False
    low = text.casefold().rstrip(":").strip()
    if low in _LABELS:
        return True
    if _CREDIT.match(text) or (
        len(text) < 200 and _CREDIT_TAIL.search(text) and not _SENTENCE_END.search(text)
    ):
        return True
    if len(text) < 400 and _PAREN_CREDIT.search(text):
        return True
    if len(text) < 400 and (_WIRE_CREDIT.search(text) or _ENGAGEMENT.search(text)):
        return True
    if len(text) < 400 and _NOTICE.match(text):
        return True
    words = len(_WORD.findall(text[:400]))
    if words <= 30 and _KEY_FIGURE.match(text):
        return False  # "Earnings per share: $1.52 adjusted vs. $1.44 expected" is data, not a label
    ends_sentence = bool(_SENTENCE_END.search(text))
    if repeated and words <= 20 and not ends_sentence:
        return True
    if text.endswith("?") and words <= MAX_HEADING_WORDS + 6 and not _has_quote(text):
        return True  # standalone question: a heading or rhetorical question
    if not ends_sentence and words <= MAX_HEADING_WORDS and not text.endswith((",", ";", ":")):
        return True  # heading / label / title-like line
    return False


def _has_quote(text: str) -> bool:
    return any(q in text for q in '"\u201c\u201d')


class SpanSet:
    """Sorted, merged spans with O(log n) overlap queries (hostile bodies can have 10^6)."""

    def __init__(self, spans: list[tuple[int, int]] | None) -> None:
        merged: list[list[int]] = []
        items = [(int(a), int(b)) for a, b in (spans or []) if b > a]
        if any(items[i][0] > items[i + 1][0] for i in range(len(items) - 1)):
            items.sort()
        for s, e in items:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [m[0] for m in merged]
        self.ends = [m[1] for m in merged]

    def covered(self, start: int, end: int, *, fraction: float = 0.5) -> bool:
        """True when at least `fraction` of [start, end) lies inside the spans."""
        if end <= start or not self.starts:
            return False
        i = bisect.bisect_right(self.starts, start) - 1
        i = max(i, 0)
        inside = 0
        while i < len(self.starts) and self.starts[i] < end:
            lo, hi = max(start, self.starts[i]), min(end, self.ends[i])
            if hi > lo:
                inside += hi - lo
            i += 1
        return inside >= fraction * (end - start)
