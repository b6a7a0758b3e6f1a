"""The corpus index: passages of every document, searchable in the database.

PostgreSQL: a stored tsvector column (`claims_passage.search`, generated from the text)
with a GIN index. SQLite: an FTS5 external-content table kept in step by triggers.
Both are created by migration claims/0002; this module is the only code that queries
them. Search returns the top-ranked passages and never scans the corpus: the index
narrows to passages that share a term with the query before ranking.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence

from django.db import connection
from django.utils import timezone

from claims.models import Passage, Source
from workers.corroboration.lexicon import STOPWORDS
from workers.extraction import split_sentences
from workers.types import Passage as PassageHit

# Words that carry no evidence value in a query: the corroboration stopwords plus the
# reporting verbs every news passage shares.
_STOP = STOPWORDS | frozenset({"said", "says", "say", "according", "reportedly"})
# Word tokens only: letters and digits. Apostrophes and hyphens split words, so no
# user text can reach tsquery/FTS5 syntax.
_WORD = re.compile(r"[^\W_]+")
MAX_PASSAGE = 1200
# A term that ANALYZE estimates in more passages than this is "common": it still counts in
# the ranking, but it does not select candidates. Ranking every passage that shares one
# common word with a claim ("troops", "officials") grows linearly with the corpus; the
# rarer terms (names, numbers) select a candidate set that stays small.
COMMON_TERM_PASSAGES = 500
# When every term is common: rank only the newest matches.
COMMON_ONLY_CANDIDATES = 5000
_STATS_TTL = 60.0  # autovacuum re-analyzes passages often (migration 0005)
_common_cache: dict[str, tuple[float, frozenset[str]]] = {}


def split_passages(body: str) -> list[tuple[int, int]]:
    """Sentence-sized (start, end) windows of a document, from the extractor's splitter
    (linear time, abbreviation- and quote-aware), with over-long runs cut to MAX_PASSAGE."""
    spans = [(sentence.start, sentence.end) for sentence in split_sentences(body)]
    out = []
    for start, end in spans:
        # trim whitespace, split over-long runs so one passage stays a readable window
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        while end - start > MAX_PASSAGE:
            cut = body.rfind(" ", start, start + MAX_PASSAGE)
            cut = cut if cut > start else start + MAX_PASSAGE
            out.append((start, cut))
            start = cut + 1
        if end - start >= 3:
            out.append((start, end))
    return out


def index_source(source: Source) -> int:
    """Split a source into passages and index them. Idempotent: re-indexing adds nothing."""
    if source.indexed_at is not None:
        return 0
    rows = [
        Passage(source=source, position=i, start=s, end=e, text=source.body[s:e])
        for i, (s, e) in enumerate(split_passages(source.body))
    ]
    Passage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    Source.objects.filter(pk=source.pk, indexed_at__isnull=True).update(indexed_at=timezone.now())
    source.indexed_at = timezone.now()
    return len(rows)


def query_terms(text_or_terms: str | Iterable[str], *, limit: int = 16) -> list[str]:
    """Safe query terms: plain word tokens only, so no user text reaches the query syntax."""
    if isinstance(text_or_terms, str):
        raw = _WORD.findall(text_or_terms)
    else:
        raw = [w for term in text_or_terms for w in _WORD.findall(str(term))]
    seen: dict[str, None] = {}
    for word in raw:
        word = word.lower()
        if len(word) < 2 or word in _STOP:
            continue
        seen.setdefault(word, None)
    return list(seen)[:limit]


def search(
    terms: Sequence[str],
    *,
    exclude_source_ids: Iterable[int] = (),
    source_kind: str | None = None,
    limit: int = 10,
) -> list[PassageHit]:
    """The top `limit` passages matching any of `terms`, best first."""
    terms = query_terms(terms)
    if not terms:
        return []
    exclude = {i for i in exclude_source_ids if i is not None}
    # Over-fetch so exclusions and the kind filter still leave `limit` hits.
    fetch = limit + len(exclude) * 4 + 20
    if connection.vendor == "postgresql":
        ranked = _search_postgres(terms, fetch, source_kind=source_kind)
    else:
        ranked = _search_sqlite(terms, fetch)
    if not ranked:
        return []
    ids = [pid for pid, _ in ranked]
    passages = {
        p.id: p
        for p in Passage.objects.filter(id__in=ids)
        .exclude(source_id__in=exclude)
        .select_related("source")
    }
    hits: list[PassageHit] = []
    for pid, rank in ranked:
        p = passages.get(pid)
        if p is None or (source_kind and p.source.kind != source_kind):
            continue
        s = p.source
        hits.append(
            PassageHit(
                source_id=s.id,
                text=p.text,
                start=p.start,
                end=p.end,
                outlet=s.outlet,
                title=s.title,
                url=s.url,
                published_at=s.published_at,
                relays=list(s.relays or []),
                origin=s.origin,
                rank=float(rank),
                passage_id=p.id,
            )
        )
        if len(hits) >= limit:
            break
    return hits


def _common_lexemes(cur) -> frozenset[str]:
    """Lexemes ANALYZE estimates in more than COMMON_TERM_PASSAGES passages.

    pg_stats keeps the most common elements of the tsvector column with their
    frequencies; with no statistics yet (a fresh or small database) nothing is common
    and search ranks every match, as it always did. Cached per process for a few minutes.
    """
    key = str(connection.settings_dict.get("NAME"))
    cached = _common_cache.get(key)
    if cached and time.monotonic() - cached[0] < _STATS_TTL:
        return cached[1]
    cur.execute(
        """
        SELECT u.e FROM pg_stats s
        CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(e, f)
        WHERE s.schemaname = current_schema() AND s.tablename = 'claims_passage' AND s.attname = 'search'
          AND u.e IS NOT NULL
          AND u.f * (SELECT reltuples FROM pg_class WHERE oid = 'claims_passage'::regclass) > %s
        """,
        [COMMON_TERM_PASSAGES],
    )
    common = frozenset(row[0] for row in cur.fetchall())
    _common_cache[key] = (time.monotonic(), common)
    return common


def _search_postgres(
    terms: list[str], limit: int, source_kind: str | None = None
) -> list[tuple[int, float]]:
    # Terms are word tokens only (query_terms), so quoting them is enough for to_tsquery.
    tsquery = " | ".join(f"'{t}'" for t in terms)
    kind_join = (
        "JOIN claims_source s ON s.id = p.source_id AND s.kind = %(kind)s" if source_kind else ""
    )
    with connection.cursor() as cur:
        common = _common_lexemes(cur)
        selective = terms
        if common:
            cur.execute(
                "SELECT w FROM unnest(%s::text[]) AS w "
                "WHERE NOT tsvector_to_array(to_tsvector('english', w)) <@ %s::text[]",
                [terms, list(common)],
            )
            selective = [row[0] for row in cur.fetchall()]
        params = {"q": tsquery, "limit": limit, "kind": source_kind, "cap": COMMON_ONLY_CANDIDATES}
        if selective:
            # Candidates share a rare term (so they match the whole query too); every
            # term, common ones included, counts in the rank. Only the rare terms go to
            # the index: the common ones' long posting lists are never read.
            params["sel"] = " | ".join(f"'{t}'" for t in selective)
            where = "p.search @@ to_tsquery('english', %(sel)s)"
        else:
            where = (
                "p.id IN (SELECT id FROM claims_passage WHERE search @@ to_tsquery('english', %(q)s) "
                "ORDER BY id DESC LIMIT %(cap)s)"
            )
        cur.execute(
            f"""
            SELECT p.id, ts_rank_cd(p.search, q) AS rank
            FROM claims_passage p {kind_join}, to_tsquery('english', %(q)s) AS q
            WHERE {where}
            ORDER BY rank DESC, p.id DESC
            LIMIT %(limit)s
            """,
            params,
        )
        return [(row[0], row[1]) for row in cur.fetchall()]


def _search_sqlite(terms: list[str], limit: int) -> list[tuple[int, float]]:
    match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT rowid, -bm25(claims_passage_fts) AS rank
            FROM claims_passage_fts
            WHERE claims_passage_fts MATCH %s
            ORDER BY rank DESC
            LIMIT %s
            """,
            [match, limit],
        )
        return [(row[0], row[1]) for row in cur.fetchall()]
