"""The corpus index: one query's search, many queries at once, and rare-term selection."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.models import Source
from workers import corpus, ingest

pytestmark = pytest.mark.django_db(transaction=True)


def _add(body: str, **fields) -> Source:
    source, _ = ingest.add_source(body=body, match=False, **fields)
    return source


@pytest.fixture
def small_corpus():
    docs = [
        "Halmaria sent 1,200 troops to the border on Monday. Officials confirmed the move.",
        "The army of Fentoria denied that troops had left the front. A spokesman said so.",
        "Halmaria and Fentoria signed a grain deal in Vienna. Prices fell the next day.",
        "Rain is expected in Vienna all week. Farmers welcomed it.",
    ]
    return [_add(body, outlet=f"outlet{i}.example") for i, body in enumerate(docs)]


def _ids(hits):
    return [(h.source_id, h.passage_id) for h in hits]


def test_search_many_answers_each_query_as_search_would(small_corpus):
    queries = [
        ["Halmaria", "troops", "border"],
        ["Fentoria", "army", "denied"],
        ["grain", "Vienna"],
        ["nothing", "matches", "this"],
        [],
    ]
    excludes = [[small_corpus[0].pk], [], [small_corpus[3].pk], [], []]
    many = corpus.search_many(queries, exclude=excludes, limit=3)
    one_by_one = [
        corpus.search(q, exclude_source_ids=ex, limit=3)
        for q, ex in zip(queries, excludes, strict=True)
    ]
    assert [_ids(h) for h in many] == [_ids(h) for h in one_by_one]
    assert many[0] and all(h.source_id != small_corpus[0].pk for h in many[0])
    assert many[2] and all(h.source_id != small_corpus[3].pk for h in many[2])
    assert many[3] == [] and many[4] == []


def test_a_hit_carries_its_passage_and_source_but_not_the_body(small_corpus):
    (hit,) = corpus.search(["Fentoria", "denied"], limit=1)
    assert hit.source_id == small_corpus[1].pk
    assert "denied" in hit.text and hit.outlet == "outlet1.example"
    assert small_corpus[1].body[hit.start : hit.end] == hit.text


def test_the_kind_filter_keeps_only_that_kind(small_corpus):
    article_source, _ = ingest.store_source(
        body="Halmaria moved troops to the border, the paper reported.", kind=Source.Kind.ARTICLE
    )
    corpus.index_source(article_source)
    hits = corpus.search(["Halmaria", "troops"], source_kind=Source.Kind.ARTICLE, limit=10)
    assert {h.source_id for h in hits} == {article_source.pk}
    (batched,) = corpus.search_many(
        [["Halmaria", "troops"]], source_kind=Source.Kind.ARTICLE, limit=10
    )
    assert _ids(batched) == _ids(hits)


def test_passages_carry_their_sources_kind(small_corpus):
    """Seen-before search reads article passages through their own index (migration
    0015): an article's passages are marked at indexing, a source's are not."""
    from analysis.extraction import read_article
    from claims.models import Passage

    article, _ = ingest.ingest_article(read_article("Halmaria closed its airspace on Monday."))
    ingest.process_article(article.pk)
    kinds = set(Passage.objects.filter(source=article.source).values_list("source_kind", flat=True))
    assert kinds == {Source.Kind.ARTICLE}
    assert set(
        Passage.objects.filter(source=small_corpus[0]).values_list("source_kind", flat=True)
    ) == {Source.Kind.SOURCE}
    hits = corpus.search(["Halmaria", "airspace"], source_kind=Source.Kind.ARTICLE, limit=10)
    assert {h.source_id for h in hits} == {article.source_id}


def test_query_words_never_reach_the_query_syntax(small_corpus):
    hostile = ["Halmaria') | !('x", "troops & !", "*:", "\"'\\"]
    hits = corpus.search(hostile, limit=5)
    assert hits and hits[0].source_id == small_corpus[0].pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_stats: PostgreSQL only")
def test_common_terms_rank_but_do_not_select(monkeypatch):
    # "troops" in 60 passages is common once the threshold is 20; "halmaria" is rare.
    monkeypatch.setattr(corpus, "COMMON_TERM_PASSAGES", 20)
    for i in range(60):
        _add(f"Report {i}: troops were seen near village number {i}.")
    rare = _add("Halmaria closed its airspace.")
    both = _add("Halmaria moved troops overnight.")
    with connection.cursor() as cur:
        cur.execute("ANALYZE claims_passage")
    corpus._common_cache.clear()
    with connection.cursor() as cur:
        assert corpus._lexeme_counts(cur)["troop"] > corpus.COMMON_TERM_PASSAGES
    hits = corpus.search(["troops", "Halmaria"], limit=10)
    # Only passages with the rare term are candidates; the common term orders them.
    assert [h.source_id for h in hits] == [both.pk, rare.pk]
    # A query of common terms alone still answers, from the newest matches.
    only_common = corpus.search(["troops"], limit=3)
    assert len(only_common) == 3 and all("troops" in h.text for h in only_common)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_stats: PostgreSQL only")
def test_rarest_terms_select_within_the_candidate_budget(monkeypatch):
    # "border" in 40 passages is not common (the threshold is 1,000) but past the budget
    # of 10 candidates: the rarer "Halmaria" selects alone, and "border" still ranks.
    monkeypatch.setattr(corpus, "COMMON_TERM_PASSAGES", 1000)
    monkeypatch.setattr(corpus, "CANDIDATE_BUDGET", 10)
    for i in range(40):
        _add(f"Report {i}: the border crossing near village number {i} reopened.")
    rare = _add("Halmaria closed its airspace.")
    both = _add("Halmaria closed the border overnight.")
    with connection.cursor() as cur:
        cur.execute("ANALYZE claims_passage")
    corpus._common_cache.clear()
    hits = corpus.search(["border", "Halmaria"], limit=10)
    assert [h.source_id for h in hits] == [both.pk, rare.pk]
    # Under the budget every rare term selects, as before.
    monkeypatch.setattr(corpus, "CANDIDATE_BUDGET", 1000)
    hits = corpus.search(["border", "Halmaria"], limit=10)
    assert len(hits) == 10 and hits[0].source_id == both.pk


def test_a_report_in_other_words_is_found_through_query_expansion():
    """The claim says "deaths"; the report says "died". Without expansion the only shared
    word would be the town's name, which a dozen other reports share too."""
    from analysis.corroboration import build_query
    from analysis.models.evaluate import claim_candidate

    for i in range(12):
        _add(f"Kestrelton council met on day {i} to discuss parking.", outlet=f"n{i}.example")
    report = _add(
        "Eleven people died when the footbridge at Kestrelton collapsed.", outlet="r.example"
    )
    claim = claim_candidate("The footbridge collapse caused eleven deaths in Kestrelton.", None)
    plain = build_query(claim, expand=False).all_terms()
    expanded = build_query(claim).all_terms()
    assert "died" not in plain and "died" in expanded
    hits = corpus.search(expanded, limit=3)
    assert hits and hits[0].source_id == report.pk


def test_cached_features_never_outlive_their_document():
    """An id can name another document after a flush or a restore (ids restart): the
    per-process feature cache must not hand the old document's features to the new one."""
    first = _add("Kestrelton opened a new library on Monday.", outlet="a.example")
    before = corpus.documents([first.pk])[first.pk]
    pk = first.pk
    from claims.models import Passage

    Passage.objects.filter(source_id=pk).delete()
    Source.objects.filter(pk=pk).delete()
    if connection.vendor == "postgresql":  # what a flush does: the ids start again
        with connection.cursor() as cur:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('claims_source', 'id'), %s, false)", [pk]
            )
    second = _add("The ferry to Osmund Island was cancelled for a week.", outlet="b.example")
    assert second.pk == pk or connection.vendor != "postgresql"
    pk = second.pk
    after = corpus.documents([pk])[pk]
    assert [p.text for p in after.passages] != [p.text for p in before.passages]
    assert after.features is not before.features
