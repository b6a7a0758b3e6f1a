"""Ingest and processing in-process: idempotency, bad input, the report shape."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from analysis.extraction import ArticleError
from claims.models import Article, Claim, ClaimState, Evidence, Flag, Passage, Source, Transition
from claims.report import report_dict
from tests.conftest import SEED_ARTICLE
from workers import corroborate, ingest

pytestmark = pytest.mark.django_db(transaction=True)

SEED_META = {
    "outlet": "dagens.com",
    "byline": "Camilla Jessen",
    "published": "2025-01-31T09:25:00+01:00",
}


def _seed(**overrides):
    raw, fmt = ingest.read_path(str(SEED_ARTICLE))
    return ingest.parse_article(raw, fmt=fmt, **{**SEED_META, **overrides})


def _load_demo_corpus():
    call_command("seed_demo", "--no-article", "--force", stdout=open("/dev/null", "w"))


def _counts():
    return {
        "articles": Article.objects.count(),
        "claims": Claim.objects.count(),
        "evidence": Evidence.objects.count(),
        "flags": Flag.objects.count(),
        "transitions": Transition.objects.count(),
        "sources": Source.objects.count(),
        "passages": Passage.objects.count(),
    }


def test_ingesting_the_same_article_twice_gives_one_article():
    first, created_first = ingest.ingest_article(_seed())
    second, created_second = ingest.ingest_article(_seed())
    assert first.pk == second.pk
    assert (created_first, created_second) == (True, False)
    assert Article.objects.count() == 1


def test_processing_twice_leaves_the_same_rows():
    _load_demo_corpus()
    article, _ = ingest.ingest_article(_seed())  # processed in-process on commit
    article.refresh_from_db()
    assert article.status == Article.Status.PROCESSED
    before = _counts()
    assert before["claims"] >= 8
    ingest.process_article(article.pk)
    ingest.process_article(article.pk, force=True)
    for claim_id in Claim.objects.values_list("id", flat=True):
        corroborate.corroborate_claim(claim_id)
    assert _counts() == before


def test_every_claim_is_corroborated_and_logged_once():
    _load_demo_corpus()
    article, _ = ingest.ingest_article(_seed())
    claims = list(Claim.objects.filter(article=article))
    assert claims and all(c.state == ClaimState.CORROBORATING for c in claims)
    assert all(c.recommended_verdict for c in claims)
    for c in claims:
        rows = list(c.transitions.values_list("from_state", "to_state", "worker"))
        assert rows == [("extracted", "corroborating", "corroborate_claims")]


def test_report_spans_point_into_the_body():
    _load_demo_corpus()
    article, _ = ingest.ingest_article(_seed())
    report = report_dict(article)
    body = report["article"]["body"]
    assert len(report["claims"]) >= 8
    for claim in report["claims"]:
        assert body[claim["start"] : claim["end"]] == claim["text"]
        for key in (
            "id",
            "state",
            "checkworthiness",
            "type",
            "attribution",
            "hedges",
            "quantities",
            "times",
            "flags",
            "evidence",
            "recommended_verdict",
        ):
            assert key in claim
        assert 0 <= claim["checkworthiness"] <= 1
    texts = " ".join(c["text"] for c in report["claims"])
    assert "Trending Now" not in texts and "TRENDING NOW" not in texts and "Photo:" not in texts


def test_a_source_added_twice_is_one_document():
    a, created_a = ingest.add_source(body="The army denied the report on Monday.", outlet="Wire")
    b, created_b = ingest.add_source(
        body="The army  denied the report on Monday.\n", outlet="Other"
    )
    assert a.pk == b.pk and (created_a, created_b) == (True, False)
    assert Passage.objects.filter(source=a).count() == 1


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        (b"", "body", "empty"),
        (b"   \n\t  ", "body", ""),
        (b"\x00\x01\x02binary\x00\xff", "body", ""),
        ("caf\u00e9 au lait ".encode("latin-1") * 20, "body", ""),
    ],
)
def test_bad_article_input_is_refused_and_nothing_is_written(raw, field, message):
    with pytest.raises(ArticleError) as err:
        ingest.ingest_article(ingest.parse_article(raw))
    assert err.value.field and err.value.message
    assert message in err.value.message
    assert _counts()["articles"] == 0


def test_oversized_article_is_refused_with_the_limit(settings):
    settings.FACTCHECK_MAX_ARTICLE_BYTES = 1000
    with pytest.raises(ArticleError, match="limit is 1,000 bytes"):
        ingest.parse_article(b"Officials said troops left. " * 100)
    assert Article.objects.count() == 0


def test_malformed_date_names_the_field():
    with pytest.raises(ArticleError) as err:
        _seed(published="31/31/2025")
    assert err.value.field == "published"


def test_malformed_url_names_the_field():
    with pytest.raises(ArticleError) as err:
        _seed(url="htp:/nowhere")
    assert err.value.field == "url"


def test_ingest_command_refuses_bad_input_with_a_clear_message(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00\x00")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="refused"):
        call_command("ingest", str(bad))
    assert Article.objects.count() == 0


@pytest.fixture
def eager_retries():
    """Run eager tasks as the embedded default does: retries happen in-process, errors are recorded."""
    from factcheck.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_a_failing_article_is_marked_failed_with_its_reason(monkeypatch, eager_retries, settings):
    calls = []
    settings.FACTCHECK_TASK_MAX_ATTEMPTS = 3

    def boom(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("extractor exploded")

    monkeypatch.setattr(ingest, "extract", boom)
    article, _ = ingest.ingest_article(_seed())
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "extractor exploded" in article.last_error
    assert "after 3 attempts" in article.last_error
    assert len(calls) == 3
    assert Claim.objects.count() == 0


def test_a_later_contradicting_source_reopens_a_ruled_claim(alice):
    from claims import workflow

    article, _ = ingest.ingest_article(
        ingest.parse_article(
            b"Officials said the army withdrew all troops from the northern border town of Kalmar on Monday.",
            published="2025-01-10T10:00:00+00:00",
            outlet="Daily Example",
        )
    )
    claim = Claim.objects.get(article=article)
    workflow.rule(claim, user=alice, verdict="verified", rationale="confirmed by two agencies")
    ingest.add_source(
        body="The army denied that it withdrew troops from Kalmar; reports of a withdrawal from the border town were simply wrong.",
        outlet="Army Press Office",
        published_at=ingest.parse_published("2025-01-12T10:00:00+00:00"),
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.CORROBORATING and claim.reopened
    assert claim.flags.filter(kind="contradicted").exists()
    last = claim.transitions.last()
    assert last.worker and "new evidence" in last.reason


def _corroboration_rows():
    evidence = sorted(
        Evidence.objects.values_list("claim_id", "passage_id", "stance", "reason", "strength")
    )
    flags = sorted(
        Flag.objects.exclude(key__startswith="span:")
        .exclude(key="article")
        .values_list("claim_id", "kind", "key", "message")
    )
    recs = sorted(
        Claim.objects.values_list(
            "id", "recommended_verdict", "recommendation_reason", "same_as_id", "similar"
        )
    )
    return evidence, flags, recs


def test_a_batch_records_what_one_claim_at_a_time_records():
    _load_demo_corpus()
    article, _ = ingest.ingest_article(_seed())  # batches of FACTCHECK_CORROBORATION_BATCH
    batched = _corroboration_rows()
    assert batched[0] and batched[1]
    # Forget what corroboration wrote and do it again, one claim per call.
    Evidence.objects.all().delete()  # their flags go with them
    Flag.objects.filter(key="recommendation").delete()
    Claim.objects.update(recommended_verdict="", recommendation_reason="", same_as=None, similar=[])
    for claim_id in Claim.objects.filter(article=article).values_list("id", flat=True):
        corroborate.corroborate_claim(claim_id)
    assert _corroboration_rows() == batched


def test_a_redelivered_batch_changes_nothing():
    _load_demo_corpus()
    article, _ = ingest.ingest_article(_seed())
    ids = list(Claim.objects.filter(article=article).values_list("id", flat=True))
    before, rows = _counts(), _corroboration_rows()
    again = corroborate.corroborate_claims(ids)
    assert [r["claim"] for r in again] == ids and all(r["new_flags"] == [] for r in again)
    assert _counts() == before and _corroboration_rows() == rows


def test_one_claim_that_cannot_be_judged_does_not_hold_up_its_batch(monkeypatch, caplog):
    _load_demo_corpus()
    monkeypatch.setattr(ingest, "enqueue_claims", lambda ids: None)  # corroborate by hand
    article, _ = ingest.ingest_article(_seed())
    ids = list(Claim.objects.filter(article=article).order_by("id").values_list("id", flat=True))
    broken = Claim.objects.get(pk=ids[1])
    real_judge = corroborate.judge_documents

    def judge_documents(candidate, documents, **kw):
        if candidate.text == broken.text:
            raise ValueError("a defect in judging")
        return real_judge(candidate, documents, **kw)

    monkeypatch.setattr(corroborate, "judge_documents", judge_documents)
    results = corroborate.corroborate_claims(ids)
    by_id = {r["claim"]: r for r in results}
    assert "ValueError: a defect in judging" in by_id[broken.pk]["failed"]
    assert "a defect in judging" in caplog.text
    others = Claim.objects.filter(pk__in=ids).exclude(pk=broken.pk)
    assert all(c.corroborated_at and c.recommended_verdict for c in others)
    broken.refresh_from_db()
    # Left for the sweeper: taken, but not corroborated.
    assert broken.state == ClaimState.CORROBORATING and broken.corroborated_at is None


@pytest.mark.parametrize(
    ("n", "size", "lengths"),
    [(0, 6, []), (1, 6, [1]), (6, 6, [6]), (7, 6, [4, 3]), (11, 6, [6, 5]), (13, 6, [5, 4, 4])],
)
def test_claims_go_out_in_even_batches(n, size, lengths):
    batches = corroborate.claim_batches(list(range(n)), size)
    assert [len(b) for b in batches] == lengths
    assert [i for b in batches for i in b] == list(range(n))


def test_a_redelivered_article_queues_its_uncorroborated_claims_again(monkeypatch):
    """A worker killed between the commit and the send lost the corroboration tasks; the
    redelivered article task sends them again instead of leaving them to the sweeper."""
    from factcheck import queue

    article, _ = ingest.ingest_article(_seed())  # processed and corroborated in-process
    ids = sorted(Claim.objects.filter(article=article).values_list("id", flat=True))
    Claim.objects.filter(article=article).update(corroborated_at=None)
    sent = []
    monkeypatch.setattr(queue, "send", lambda name, *args: sent.append((name, args)))
    assert sorted(ingest.process_article(article.pk)) == ids
    assert {name for name, _ in sent} == {queue.CORROBORATE_CLAIMS}
    assert sorted(i for _, (batch,) in sent for i in batch) == ids
    # Once they are corroborated, a redelivery sends nothing.
    Claim.objects.filter(article=article).update(corroborated_at=timezone.now())
    sent.clear()
    ingest.process_article(article.pk)
    assert sent == []
