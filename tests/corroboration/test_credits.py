"""Origins from the text: wire credits and wire bylines make a relay; a wire named in
another sense does not; "X reported" gives the passage its origin (issue 14, item 7)."""

from __future__ import annotations

import pytest

from analysis.corroboration import cited_outlets, origin_key, recommend, wire_credits
from analysis.corroboration.credits import WIRE_SPELLINGS, relays_with_credits, with_cited_origin
from analysis.corroboration.origins import canonical_outlet
from analysis.types import SINGLE_ORIGIN, SUPPORTS, Judgement, Passage
from tests.corroboration.helpers import claim

NBSP, EN, EM, RSQ, LDQ, RDQ = "\u00a0", "\u2013", "\u2014", "\u2019", "\u201c", "\u201d"
STORY = "Ukraine said on Monday that North Korean troops had left the front."

CREDITED = [
    (f"PARIS (AFP) - {STORY}", "AFP"),
    (f"PARIS (AFP) {EM} {STORY}", "AFP"),
    (f"KYIV, Jan 31 (Reuters) - {STORY}", "Reuters"),
    (f"KYIV, Ukraine (AP) {EM} {STORY}", "AP"),
    (f"(Reuters) - {STORY}", "Reuters"),
    (f"BERLIN (dpa) - {STORY}", "dpa"),
    (f"SEOUL (Yonhap) -- {STORY}", "Yonhap"),
    (f"{STORY}\n\n{EM} Reuters", "Reuters"),
    (f"{STORY} {EM}AFP", "AFP"),
    (f"{STORY} (AFP)", "AFP"),
    (f"{STORY}\n(with AFP)", "AFP"),
    (f"{STORY}\nWith AFP", "AFP"),
    (f"{STORY}\n\nAP contributed to this report.", "AP"),
    (f"{STORY}\n\nThe Associated Press contributed to this report.", "AP"),
    (f"{STORY}\n\nAdditional reporting by Agence France-Presse.", "AFP"),
    (f"{STORY}\n(Reporting by Jane Doe; Editing by John Roe)", "Reuters"),
    (f"{STORY}\nReporting by Jane Doe in Kyiv; Writing by Max Moe; Editing by Tom Toe", "Reuters"),
    (f"{STORY}\n\u00a9 Agence France-Presse", "AFP"),
    (f"{STORY}\nCopyright 2025 The Associated Press. All rights reserved.", "AP"),
    (f"{STORY}\n\u00a9 Deutsche Presse-Agentur", "dpa"),
    (f"Troops leave\nBy Jane Doe, Associated Press\n\n{STORY}", "AP"),
    (f"Troops leave\nBy JANE DOE AP Diplomatic Writer\n\n{STORY}", "AP"),
    (f"Troops leave\nBy Jane Doe | Reuters\n{STORY}", "Reuters"),
]


@pytest.mark.parametrize(("text", "wire"), CREDITED, ids=[t for t, _ in CREDITED])
def test_wire_credits_make_a_relay(text, wire):
    assert wire_credits(text) == [wire]


TYPESET = [
    (f"WASHINGTON{NBSP}(AP){NBSP}{EM} {STORY}", "AP"),
    (f"KYIV, Jan{NBSP}31 (Reuters) {EN} {STORY}", "Reuters"),
    (f"{STORY}\n\n{EN}{NBSP}Reuters", "Reuters"),
    (f"{STORY}\n({NBSP}with{NBSP}AFP{NBSP})", "AFP"),
    (f"{STORY}\n\nAP{NBSP}contributed to this report.", "AP"),
    (f"{STORY}\n(Reporting by Jane O{RSQ}Doe; Editing by John Roe)", "Reuters"),
    (f"{STORY} {LDQ}We left,{RDQ} he said. {EM}{NBSP}AFP", "AFP"),
    (f"{STORY}\n\u00a9{NBSP}Agence{NBSP}France{EN}Presse", "AFP"),
]


@pytest.mark.parametrize(("text", "wire"), TYPESET, ids=[repr(t) for t, _ in TYPESET])
def test_wire_credits_read_through_typography(text, wire):
    assert wire_credits(text) == [wire]


@pytest.mark.parametrize(
    "byline",
    ["Jane Doe, Associated Press", "Associated Press", "By The Associated Press", "AP"],
)
def test_a_wire_byline_is_a_relay(byline):
    assert wire_credits(STORY, byline=byline) == ["AP"]


def test_each_wire_spelling_is_the_wire_and_its_origin_key():
    for wire, spellings in WIRE_SPELLINGS.items():
        for spelling in spellings:
            assert wire_credits(f"CITY ({spelling}) - {STORY}") == [wire], spelling
            assert canonical_outlet(spelling) == canonical_outlet(wire), spelling


def test_two_wires_in_one_credit_are_both_relays_in_order():
    assert wire_credits(f"{STORY}\n\nReuters and AFP contributed to this report.") == [
        "Reuters",
        "AFP",
    ]
    assert wire_credits(f"PARIS (AFP/Reuters) - {STORY}") == ["AFP", "Reuters"]


NOT_CREDITS = [
    "A Reuters Institute report found that trust in news fell last year.",
    "According to the Reuters Institute Digital News Report, trust fell.",
    "A Reuters/Ipsos poll found 40% of Americans approve of the president.",
    "In a Reuters/Ipsos poll about the economy, most were worried.",
    "The military spokesman told Reuters he could not comment.",
    "The AP style guide changed its advice on datelines.",
    "Reuters reported that the troops had left.",  # a citation, read per passage
    "Photo: AFP",
    "(Photo: AFP)",
    "PARIS - President Macron (AFP photo) said the talks would go on.",
    "The agency, Agence France-Presse (AFP), said it would appeal.",
    "By contrast, Reuters reported otherwise.",
    "The Associated Press Stylebook is updated every year.",
]


@pytest.mark.parametrize("text", NOT_CREDITS)
def test_a_wire_named_in_another_sense_is_no_credit(text):
    assert wire_credits(text) == []
    assert wire_credits(text, byline="Camilla Jessen") == []


def test_credits_join_the_declared_relays_once():
    text = f"PARIS (AFP) - {STORY}"
    assert relays_with_credits([], text) == ["AFP"]
    assert relays_with_credits(["The New York Times"], text) == ["The New York Times", "AFP"]
    # Declared already, in another spelling: not twice.
    assert relays_with_credits(["Agence France-Presse"], text) == ["Agence France-Presse"]
    assert relays_with_credits(relays_with_credits([], text), text) == ["AFP"]


def _support(p: Passage) -> tuple[Passage, Judgement]:
    return p, Judgement(stance=SUPPORTS, reason="reports the same event", strength=0.9)


def _copy(source_id: int, outlet: str, text: str) -> Passage:
    relays = wire_credits(text)
    return Passage(
        source_id=source_id,
        text=text,
        start=0,
        end=len(text),
        outlet=outlet,
        relays=relays,
        origin=origin_key(outlet, relays),
    )


def test_two_afp_credited_outlets_are_one_origin():
    c = claim("North Korean troops had left the front.")
    a = _copy(1, "The Moscow Times", f"MOSCOW (AFP) - {STORY}")
    b = _copy(2, "France 24", f"{STORY}\n(with AFP)")
    rec = recommend(c, [_support(a), _support(b)])
    assert rec.verdict != "verified"
    assert [f.kind for f in rec.flags] == [SINGLE_ORIGIN]
    assert "afp" in rec.flags[0].message.lower()


def test_outlets_that_only_mention_reuters_stay_independent():
    c = claim("North Korean troops had left the front.")
    a = _copy(1, "Daily One", f"{STORY} A Reuters/Ipsos poll about the economy came out too.")
    b = _copy(2, "Daily Two", f"{STORY} The Reuters Institute published its report.")
    assert a.relays == b.relays == []
    rec = recommend(c, [_support(a), _support(b)])
    assert rec.verdict == "verified"
    assert SINGLE_ORIGIN not in [f.kind for f in rec.flags]


# --- "X reported" / "according to X", per passage ---------------------------------------


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("Reuters reported that 300 troops had died.", ["Reuters"]),
        ("About 300 troops died, according to the BBC.", ["the BBC"]),
        ("The Times reported that the units were withdrawn.", ["The Times"]),
        (
            "Units were withdrawn, The New York Times reported, citing U.S. officials.",
            ["The New York Times"],
        ),
        ("Yonhap news agency reported that the troops left.", ["Yonhap"]),
        (f"The{NBSP}New{NBSP}York{NBSP}Times reported that", ["The New York Times"]),
        ("The Los Angeles Times reported that the troops left.", []),
        ("Trust fell, according to a Reuters/Ipsos poll.", []),
        ("Trust fell, according to the Reuters Institute.", []),
        ("According to Ukrainian officials, the troops left.", []),
    ],
)
def test_cited_outlets_are_known_outlets_telling_the_story(text, cited):
    assert cited_outlets(text) == cited


def test_a_passage_that_cites_an_outlet_takes_its_origin():
    p = _copy(1, "Daily One", "The troops left, Reuters reported on Monday.")
    cited = with_cited_origin(p)
    assert cited.origin == "reuters" and cited.relays == ["Reuters"]
    # An outlet citing itself, or a passage citing nobody, keeps its origin.
    own = _copy(2, "Reuters", "The troops left, Reuters reported on Monday.")
    assert with_cited_origin(own) == own
    plain = _copy(3, "Daily One", STORY)
    assert with_cited_origin(plain) == plain


def test_two_outlets_telling_what_reuters_reported_are_one_origin():
    c = claim("North Korean troops had left the front.")
    a = with_cited_origin(_copy(1, "Daily One", f"{STORY[:-1]}, Reuters reported."))
    b = with_cited_origin(
        _copy(2, "Daily Two", f"According to Reuters, {STORY[0].lower()}{STORY[1:]}")
    )
    rec = recommend(c, [_support(a), _support(b)])
    assert rec.verdict != "verified"
    assert [f.kind for f in rec.flags] == [SINGLE_ORIGIN]
