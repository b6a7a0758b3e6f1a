"""build_query(): terms, and renderings that cannot inject query syntax."""

import sqlite3

import pytest

from analysis.corroboration import build_query
from tests.corroboration.helpers import arrival_claim, claim, sources, two_weeks_claim

HOSTILE = (
    'North Korean "troops" OR NOT) NEAR(x y) col:val * ^start -- \'; DROP TABLE t; '
    "\\ & | ! <-> :* 11,000 'quoted' (paren"
)


def _fts(rows):
    db = sqlite3.connect(":memory:")
    db.execute("create virtual table doc using fts5(outlet, body)")
    db.executemany("insert into doc values (?, ?)", rows)
    return db


def test_terms_carry_names_and_numbers():
    q = build_query(arrival_claim())
    assert "North Korean" in q.phrases
    assert "11,000" in q.terms
    assert q.weights["North Korean"] > q.weights["11,000"] > q.weights["arrival"]
    q2 = build_query(two_weeks_claim())
    assert "2" in q2.terms and "two" in q2.terms


def test_fts5_query_finds_the_right_sources_first():
    db = _fts([(d["outlet"], d["body"]) for d in sources().values()])
    q = build_query(two_weeks_claim()).to_fts5()
    hits = [
        r[0]
        for r in db.execute(
            "select outlet from doc where doc match ? order by bm25(doc) limit 3", (q,)
        )
    ]
    assert "RBC-Ukraine" in hits and "Reuters" in hits


def test_hostile_text_cannot_inject_fts5_syntax():
    db = _fts([("x", "North Korean troops were seen"), ("y", "col val start")])
    q = build_query(claim(HOSTILE)).to_fts5()
    db.execute("select * from doc where doc match ?", (q,)).fetchall()  # no syntax error
    assert "NEAR(" not in q and "col:val" not in q


def test_hostile_text_renders_quoted_tsquery_terms():
    q = build_query(claim(HOSTILE))
    ts = q.to_tsquery()
    for part in ts.split(" | "):
        assert part.startswith(("'", "(")), part
    assert '"' not in q.to_websearch().replace('" or "', "").strip('"')


@pytest.mark.postgres
def test_hostile_text_parses_in_postgresql():
    """Runs in PostgreSQL itself (the shared gate skips it, or fails it in CI, when the
    server does not answer)."""
    import psycopg
    from django.conf import settings

    conn = psycopg.connect(settings.TEST_DATABASE_URL, connect_timeout=2)
    q = build_query(claim(HOSTILE))
    with conn:
        row = conn.execute(
            "select to_tsvector('english', %s) @@ to_tsquery('english', %s),"
            " to_tsvector('english', %s) @@ websearch_to_tsquery('english', %s)",
            ("North Korean troops", q.to_tsquery(), "North Korean troops", q.to_websearch()),
        ).fetchone()
    assert row == (True, True)


def test_expansion_adds_the_words_reports_use_and_nothing_else():
    from analysis.models.evaluate import claim_candidate

    q = build_query(
        claim_candidate("Officials said 40 deaths were recorded after the storm.", None)
    )
    assert "died" in q.related
    assert set(q.related).isdisjoint(q.terms)  # never a duplicate of the claim's own terms
    assert "death" not in q.related  # an inflection is the stemmer's job
    assert q.all_terms()[-len(q.related) :] == q.related
    assert (
        build_query(claim_candidate("Officials said 40 deaths.", None), expand=False).related == []
    )
