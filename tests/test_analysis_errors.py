"""No text stops a claim: a failed analysis is shown on the claim, and one bad source
does not stop the others being judged (issue 14, item 8)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from analysis.corroboration import documents as judging
from claims.models import Claim, ClaimState, Evidence
from claims.report import render_table, report_dict
from tests.api.conftest import client_for
from tests.factories import ArticleFactory, ClaimFactory
from workers import corroborate, ingest

pytestmark = pytest.mark.django_db

BODY = "The army said 4,000 troops arrived in Kursk on Monday. Other news follows."
REPORT = "The army said 4,000 troops arrived in Kursk on Monday, officials told reporters."


@pytest.fixture
def claim():
    article = ArticleFactory(body=BODY)
    claim = ClaimFactory(article=article)
    assert claim.text.startswith("The army said 4,000 troops")
    return claim


@pytest.fixture
def two_sources():
    good, _ = ingest.add_source(body=REPORT, outlet="Good Outlet", title="good", match=False)
    bad, _ = ingest.add_source(
        body=REPORT + " He faces six years\u2019 imprisonment.",
        outlet="Bad Outlet",
        title="bad",
        match=False,
    )
    return good, bad


def _breaks_judging(monkeypatch):
    def boom(*args, **kwargs):
        raise KeyError("years\u2019")

    monkeypatch.setattr(corroborate, "judge_documents", boom)


def test_a_failed_analysis_is_recorded_on_the_claim_with_its_reason(
    claim, two_sources, monkeypatch
):
    _breaks_judging(monkeypatch)
    (result,) = corroborate.corroborate_claims([claim.pk])
    claim.refresh_from_db()
    assert result["failed"] == claim.analysis_error
    assert claim.analysis_error == "corroboration failed: KeyError: 'years\u2019'"
    assert claim.state == ClaimState.CORROBORATING and claim.corroborated_at is None
    # Idempotent: the same failure again writes the same reason.
    corroborate.corroborate_claims([claim.pk])
    claim.refresh_from_db()
    assert claim.analysis_error == "corroboration failed: KeyError: 'years\u2019'"


def test_a_failed_analysis_shows_in_the_report_the_api_and_the_admin(
    claim, two_sources, monkeypatch, alice
):
    _breaks_judging(monkeypatch)
    corroborate.corroborate_claims([claim.pk])
    (shown,) = report_dict(claim.article)["claims"]
    assert shown["analysis_error"].startswith("corroboration failed: KeyError")
    table = render_table(claim.article)
    assert "analysis failed for claims 1" in table
    assert "✗ analysis failed: corroboration failed: KeyError" in table

    api = client_for(alice).get(f"/api/claims/{claim.pk}/").json()
    assert api["analysis_error"].startswith("corroboration failed: KeyError")

    web = client_for(alice)
    web.force_login(alice)
    page = web.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "Analysis failed" in page.content.decode()
    assert "corroboration failed: KeyError" in page.content.decode()
    changelist = reverse("admin:claims_claim_changelist")
    failed = web.get(changelist, {"analysis": "failed", "queue": "all"})
    assert [c.pk for c in failed.context["cl"].result_list] == [claim.pk]
    ran = web.get(changelist, {"analysis": "ok", "queue": "all"})
    assert claim.pk not in [c.pk for c in ran.context["cl"].result_list]


def test_a_later_successful_run_clears_the_error(claim, two_sources, monkeypatch):
    with monkeypatch.context() as m:
        _breaks_judging(m)
        corroborate.corroborate_claims([claim.pk])
    claim.refresh_from_db()
    assert claim.analysis_error
    (result,) = corroborate.corroborate_claims([claim.pk])
    claim.refresh_from_db()
    assert "failed" not in result and result["evidence"] >= 1
    assert claim.analysis_error == "" and claim.corroborated_at is not None
    assert report_dict(claim.article)["claims"][0]["analysis_error"] == ""


def test_one_bad_document_is_skipped_and_the_others_still_give_evidence(
    claim, two_sources, monkeypatch, caplog
):
    good, bad = two_sources
    rules = judging.judge_passage

    def judge_but_not_bad(claim_, passage, **kwargs):
        if passage.source_id == bad.pk:
            raise KeyError("years\u2019")
        return rules(claim_, passage, **kwargs)

    monkeypatch.setattr(judging, "judge_passage", judge_but_not_bad)
    (result,) = corroborate.corroborate_claims([claim.pk])
    claim.refresh_from_db()
    assert "failed" not in result
    assert set(Evidence.objects.filter(claim=claim).values_list("source_id", flat=True)) == {
        good.pk
    }
    assert claim.recommended_verdict and claim.corroborated_at is not None
    assert claim.analysis_error == (
        f"1 of 2 sources not judged: source {bad.pk} (Bad Outlet): KeyError: 'years\u2019'"
    )
    assert f"source {bad.pk} not judged" in caplog.text


def test_a_source_whose_features_fail_is_skipped_too(claim, two_sources, monkeypatch):
    from analysis.models import stance

    good, bad = two_sources
    featurise = stance.featurise_passages

    def featurise_but_not_bad(texts):
        if any("imprisonment" in t for t in texts):
            raise ValueError("cannot read this text")
        return featurise(texts)

    monkeypatch.setattr(stance, "featurise_passages", featurise_but_not_bad)
    corroborate.corroborate_claims([claim.pk])
    claim.refresh_from_db()
    assert Evidence.objects.filter(claim=claim, source=good).exists()
    assert f"source {bad.pk} (Bad Outlet): ValueError: cannot read this text" in (
        claim.analysis_error
    )


def test_judge_documents_gives_each_bad_document_its_error():
    from analysis.types import ClaimCandidate, Passage

    class Model:
        def judge(self, claim_text, features):
            if "bad" in features:
                raise RuntimeError("no features for this one")
            return [
                {"label": "mentions", "probs": {"mentions": 1.0}, "top_passages": [0]}
                for _ in features
            ]

    claim = ClaimCandidate(
        text="Troops arrived.",
        start=0,
        end=15,
        normalized="",
        checkworthiness=1,
        claim_type="event",
    )
    docs = [
        judging.Document(
            passages=[Passage(source_id=1, text="Troops arrived.", start=0, end=15)],
            features="good",
        ),
        judging.Document(passages=[Passage(source_id=2, text="x", start=0, end=1)], features="bad"),
        judging.Document(
            passages=[Passage(source_id=3, text="y", start=0, end=1)],
            features=None,
            error="ValueError: unreadable",
        ),
    ]
    out = judging.judge_documents(claim, docs, model=Model())
    assert out[0].judgement is not None and out[0].error == ""
    assert out[1].judgement is None and out[1].error == "RuntimeError: no features for this one"
    assert out[2].judgement is None and out[2].error == "ValueError: unreadable"


def test_check_article_exits_non_zero_naming_the_failed_claims(
    seed_text, tmp_path, monkeypatch, django_capture_on_commit_callbacks, capsys
):
    _breaks_judging(monkeypatch)
    path = tmp_path / "a.txt"
    path.write_text(seed_text)
    args = ("check_article", str(path), "--published", "2025-01-31T09:25:00+01:00")
    with django_capture_on_commit_callbacks(execute=True):
        call_command(*args)  # the pipeline runs as the callbacks do, after the first print
    capsys.readouterr()
    with pytest.raises(
        CommandError, match=r"analysis failed for \d+ claims? of article \d+: claim"
    ):
        call_command(*args)
    assert Claim.objects.exclude(analysis_error="").exists()
    assert "✗ analysis failed: corroboration failed: KeyError" in capsys.readouterr().out
