"""Origins read from a source's text when it is stored, and for sources stored before
(`manage.py read_origins`); two AFP copies are one origin for the claim (issue 14, item 7)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from claims.models import Evidence, Flag, Source
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory
from workers import corroborate, ingest

pytestmark = pytest.mark.django_db

BODY = "The army said 4,000 troops arrived in Kursk on Monday. Other news follows."
REPORT = "The army said 4,000 troops arrived in Kursk on Monday, officials told reporters."


def test_a_source_stored_with_a_wire_credit_relays_the_wire_once():
    source, created = ingest.add_source(
        body=f"MOSCOW (AFP) \u2014 {REPORT}", outlet="The Moscow Times", match=False
    )
    assert created and source.relays == ["AFP"] and source.origin == "afp"
    again, created = ingest.add_source(
        body=f"MOSCOW (AFP) \u2014 {REPORT}", outlet="The Moscow Times", match=False
    )
    assert (again.pk, created) == (source.pk, False)
    again.refresh_from_db()
    assert again.relays == ["AFP"]


def test_declared_relays_come_first_and_the_credit_is_not_repeated():
    source, _ = ingest.add_source(
        body=f"{REPORT}\n\n\u2014 Reuters",
        outlet="Daily One",
        relays=["The New York Times"],
        match=False,
    )
    assert source.relays == ["The New York Times", "Reuters"]
    assert source.origin == "new york times"
    declared, _ = ingest.add_source(
        body=f"{REPORT} (AFP)", outlet="Daily Two", relays=["Agence France-Presse"], match=False
    )
    assert declared.relays == ["Agence France-Presse"] and declared.origin == "afp"


def test_a_wire_byline_is_read_when_stored():
    source, _ = ingest.add_source(
        body=REPORT, outlet="Daily One", byline="Jane Doe, Associated Press", match=False
    )
    assert source.relays == ["AP"] and source.origin == "ap"


def test_read_origins_gives_older_sources_their_credits_once():
    old = SourceFactory(body=f"PARIS (AFP) - {REPORT}", outlet="France 24", origin="france 24")
    plain = SourceFactory(
        body=f"A Reuters Institute report. {REPORT}", outlet="Daily One", origin="daily one"
    )
    out = io.StringIO()
    call_command("read_origins", stdout=out)
    assert "1 source(s)" in out.getvalue()
    old.refresh_from_db()
    plain.refresh_from_db()
    assert (old.relays, old.origin) == (["AFP"], "afp")
    assert plain.relays == []
    out = io.StringIO()
    call_command("read_origins", stdout=out)
    assert "0 source(s)" in out.getvalue()


def test_two_outlets_printing_one_afp_story_are_one_origin_for_the_claim():
    claim = ClaimFactory(article=ArticleFactory(body=BODY))
    for outlet, text in [
        ("The Moscow Times", f"MOSCOW (AFP) \u2014 {REPORT}"),
        ("France 24", f"{REPORT}\n(with AFP)"),
    ]:
        ingest.add_source(body=text, outlet=outlet, match=False)
    assert set(Source.objects.values_list("origin", flat=True)) >= {"afp"}
    (result,) = corroborate.corroborate_claims([claim.pk])
    claim.refresh_from_db()
    assert result["evidence"] == 2
    assert claim.recommended_verdict != "verified"
    kinds = set(Flag.objects.filter(claim=claim).values_list("kind", flat=True))
    assert "single_origin" in kinds


def test_two_independent_outlets_are_two_origins():
    claim = ClaimFactory(article=ArticleFactory(body=BODY))
    for outlet, text in [
        ("The Moscow Times", REPORT),
        ("France 24", f"{REPORT} A Reuters/Ipsos poll about the economy came out too."),
    ]:
        ingest.add_source(body=text, outlet=outlet, match=False)
    corroborate.corroborate_claims([claim.pk])
    claim.refresh_from_db()
    kinds = set(Flag.objects.filter(claim=claim).values_list("kind", flat=True))
    assert "single_origin" not in kinds
    origins = set(Evidence.objects.filter(claim=claim).values_list("origin", flat=True))
    assert origins == {"moscow times", "france 24"}
