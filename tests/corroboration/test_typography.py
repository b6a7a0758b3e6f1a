"""Typographic punctuation next to every number and unit form reads as its plain form.

Curly quotes and apostrophes, no-break (and narrow or thin) spaces, en and em dashes: in
claims and in sources they must neither crash the readers (a curly apostrophe after
"years" once raised KeyError in the duration table and stopped a claim) nor change what
is read: each typeset text gives the readings of its plain-ASCII form (issue 14).
"""

from __future__ import annotations

from datetime import date

import pytest

from analysis.corroboration import judge
from analysis.corroboration.quantities import read_dates, read_quantities
from analysis.types import Passage
from tests.corroboration.helpers import claim

PUBLISHED = date(2025, 1, 31)
NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"
EN, EM, RSQ, LDQ, RDQ, NBHY = "\u2013", "\u2014", "\u2019", "\u201c", "\u201d", "\u2011"

# (plain ASCII, typeset): the same text, as a keyboard and as a newsroom would write it.
FORMS = [
    # counts
    (
        "around 11,000 North Korean troops arrived",
        f"around 11{NBSP}000 North Korean troops arrived",
    ),
    (
        "around 11,000 North Korean troops arrived",
        f"around 11{NNBSP}000 North Korean troops arrived",
    ),
    (
        "around 11,000 North Korean troops arrived",
        f"around 11{THIN}000{NBSP}North Korean troops arrived",
    ),
    (
        "some 300 soldiers were killed and 2,700 wounded",
        f"some 300{NBSP}soldiers were killed and 2,700{NBSP}wounded",
    ),
    ("killed 12 people - officials said", f"killed 12 people {EM} officials said"),
    ("killed 12 people -- officials said", f"killed 12{NBSP}people{EM}officials said"),
    ('"About 3,000 people died," he said', f"{LDQ}About 3,000 people died,{RDQ} he said"),
    ("the soldiers' 3,000 rifles", f"the soldiers{RSQ} 3,000 rifles"),
    # percentages and fractions
    (
        "over 50% - and in some areas more than 70% - of the shells",
        f"over 50%{EM}and in some areas more than 70%{EM}of the shells",
    ),
    (
        "over 50% - and in some areas more than 70% - of the shells",
        f"over 50% {EN} and in some areas more than 70% {EN} of the shells",
    ),
    ("over 50 % of the shells", f"over 50{NBSP}% of the shells"),
    ("over 50 % of the shells", f"over 50{NNBSP}% of the shells"),
    ("up 5.5 per cent on last year", f"up 5.5{NBSP}per{NBSP}cent on last year"),
    ("their numbers have been cut in half", f"their numbers have been cut in{NBSP}half"),
    ("two thirds of the troops", f"two{NBSP}thirds of the troops"),
    ("two-thirds of the troops", f"two{NBHY}thirds of the troops"),
    # money
    ("the deal is worth $4.8 billion", f"the deal is worth $4.8{NBSP}billion"),
    ("a fine of EUR 300 million", f"a fine of EUR{NBSP}300{NBSP}million"),
    ("40 million euros in aid", f"40{NBSP}million{NBSP}euros in aid"),
    ("a $2,500,000 payout", f"a $2{THIN}500{THIN}000 payout"),
    # durations
    ("He was given six years' imprisonment", f"He was given six years{RSQ} imprisonment"),
    ("He was given six years' imprisonment", f"He was given six{NBSP}years{RSQ} imprisonment"),
    ("He faces 10 years' jail", f"He faces 10{NBSP}years{RSQ} jail"),
    ("a two-week pause", f"a two{NBHY}week pause"),
    ("not seen for about three weeks", f"not seen for about three{NBSP}weeks"),
    ("for 10 days - then more", f"for 10{NBSP}days {EM} then more"),
    # dates
    ("on 31 January 2025 the troops left", f"on 31{NBSP}January{NBSP}2025 the troops left"),
    ("on January 31, 2025 the troops left", f"on January{NBSP}31,{NBSP}2025 the troops left"),
    ("between 3-5 March troops left", f"between 3{EN}5 March troops left"),
    ("from 2014-2016 there were 400 cases", f"from 2014{EN}2016 there were 400{NBSP}cases"),
    ("last November 2,000 troops arrived", f"last{NBSP}November 2,000 troops arrived"),
]

_PLAIN = str.maketrans({RSQ: "'", "\u2018": "'", LDQ: '"', RDQ: '"', NBHY: "-", EN: "-", EM: "-"})


def _readings(text: str) -> list[tuple]:
    """What the readers make of `text`, without the offsets and spelling of the words."""
    mentions = read_quantities(text, PUBLISHED) + read_dates(text, PUBLISHED)
    return [
        (
            m.kind,
            m.value,
            m.low,
            m.high,
            m.qualifier,
            " ".join(m.unit.translate(_PLAIN).split()).replace("' ", " "),
            m.family,
            " ".join(m.modifier.split()),
            m.scoped,
            m.reduction,
            m.role,
            len(m.parts),
        )
        for m in mentions
    ]


@pytest.mark.parametrize(("plain", "typeset"), FORMS, ids=[t for _, t in FORMS])
def test_typeset_numbers_read_as_their_plain_form(plain, typeset):
    plain_readings = _readings(plain)
    assert plain_readings, f"nothing read in {plain!r}"
    assert _readings(typeset) == plain_readings


def test_no_break_thousands_are_one_number_not_two():
    (m,) = read_quantities(f"around 11{NBSP}000 North Korean troops")
    assert (m.value, m.qualifier, m.family) == (11000, "about", "personnel")


def test_a_curly_apostrophe_after_years_is_a_duration_in_days():
    (m,) = read_quantities(f"He was sentenced to six years{RSQ} imprisonment.")
    assert (m.kind, m.value) == ("duration", 6 * 365)


# (claim, source): judged plain and typeset, the stance, the flags and the reason agree.
JUDGED = [
    (
        "Around 11,000 North Korean troops were deployed to Kursk.",
        "Some 11,000 North Korean troops were deployed to the Kursk region, officials said.",
    ),
    (
        "Around 11,000 North Korean troops were deployed to Kursk.",
        "About 3,000 North Korean troops were deployed to the Kursk region, officials said.",
    ),
    (
        "The court sentenced him to six years' imprisonment on 31 January 2025.",
        "The court sentenced him to eight years' imprisonment on 31 January 2025, his lawyer said.",
    ),
    (
        "Over 50% - and in some areas more than 70% - of the shells came from North Korea.",
        "About 50% of the shells came from North Korea, the ministry said.",
    ),
    (
        "The company agreed to buy the studio for $2.5 billion.",
        "The company agreed to buy the studio for $2.5 billion, the studio said.",
    ),
    (
        '"About 300 soldiers were killed," the general said on January 20, 2025.',
        "Some 300 soldiers were killed and 2,700 wounded, the general said on January 20, 2025.",
    ),
]


def _typeset(text: str) -> str:
    """The text as typeset: curly quotes and apostrophes, no-break spaces in numbers and
    before units, em dashes for spaced hyphens."""
    out = text.replace(" - ", EM).replace("' ", RSQ + " ")
    if out.startswith('"'):
        out = LDQ + out[1:]
    out = out.replace(',"', "," + RDQ)
    for thousands in ("11,000", "3,000", "2,700"):
        out = out.replace(thousands, thousands.replace(",", NBSP))
    for unit in (" North", " soldiers", " billion", " years", " January", " 2025", " %", " shells"):
        out = out.replace(unit, NBSP + unit[1:])
    return out


def _judged(claim_text: str, source_text: str) -> tuple:
    c = claim(claim_text)
    p = Passage(source_id=1, text=source_text, start=0, end=len(source_text), outlet="Wire")
    j = judge(c, p, claim_published_at=None)
    reason = j.reason.translate({**_PLAIN, ord(NBSP): " "})
    return (
        j.stance,
        sorted(f.kind for f in j.flags),
        round(j.strength, 3),
        reason.replace("-", " ").replace(",", " ").split(),
    )


@pytest.mark.parametrize(("claim_text", "source_text"), JUDGED)
def test_typeset_claims_and_sources_are_judged_as_their_plain_form(claim_text, source_text):
    plain = _judged(claim_text, source_text)
    assert _judged(_typeset(claim_text), _typeset(source_text)) == plain
    assert _judged(_typeset(claim_text), source_text)[:3] == plain[:3]
    assert _judged(claim_text, _typeset(source_text))[:3] == plain[:3]
