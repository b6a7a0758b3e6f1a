"""The corpus index: passages of every document, searchable in the database.

PostgreSQL: a stored tsvector column (`claims_passage.search`, generated from the text)
with a GIN index. SQLite: an FTS5 external-content table kept in step by triggers.
Both are created by migration claims/0002; this module is the only code that queries
them. Search returns the top-ranked passages and never scans the corpus: the index
narrows to passages that share a term with the query before ranking.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from analysis.corroboration.documents import Document, describe_error
from analysis.corroboration.lexicon import STOPWORDS
from analysis.passages import split_passages
from analysis.types import Passage as PassageHit
from claims.models import Passage, Source

# Words that carry no evidence value in a query: the corroboration stopwords plus the
# reporting verbs every news passage shares.
_STOP = STOPWORDS | frozenset({"said", "says", "say", "according", "reportedly"})
# Word tokens only: letters and digits. Apostrophes and hyphens split words, so no
# user text can reach tsquery/FTS5 syntax.
_WORD = re.compile(r"[^\W_]+")
# A term that ANALYZE estimates in more passages than this is "common": it still counts in
# the ranking, but it does not select candidates. Ranking every passage that shares one
# common word with a claim ("troops", "officials") grows linearly with the corpus; the
# rarer terms (names, numbers) select a candidate set that stays small.
COMMON_TERM_PASSAGES = 500
# When every term is common: rank only the newest matches.
COMMON_ONLY_CANDIDATES = 5000
# The candidates of one query are bounded: its rare terms select, rarest first (by the
# counts ANALYZE keeps), until their passages would pass this many; terms rarer than
# anything the statistics list always select, and the others still count in the rank.
# Ranking is the cost of a search (ts_rank about 4 microseconds a candidate, then
# ts_rank_cd on the shortlist), so this keeps a claim of a dozen half-common words
# ("artillery", "areas", "40") from ranking thousands as the corpus grows. On the
# benchmark's 20,000-source corpus the top 8 hits of 220 claims were the unbounded
# search's; at 300, a sixth of them changed and fewer became evidence.
CANDIDATE_BUDGET = 2000
# Cover density (ts_rank_cd) orders the hits; the plain ts_rank, a quarter of its cost,
# first shortlists this many times the hits wanted. A query with fewer candidates than
# the shortlist (every query on a small corpus) is ranked exactly as before.
SHORTLIST = 3
_STATS_TTL = 60.0  # autovacuum re-analyzes passages often (migration 0005)
_common_cache: dict[str, tuple[float, dict[str, float]]] = {}
_lexeme_cache: dict[str, tuple[str, ...]] = {}
_LEXEME_CACHE_MAX = 200_000

log = logging.getLogger(__name__)


def index_source(source: Source) -> int:
    """Split a source into passages and index them. Idempotent: re-indexing adds nothing."""
    if source.indexed_at is not None:
        return 0
    rows = [
        Passage(
            source=source,
            source_kind=source.kind,
            position=i,
            start=s,
            end=e,
            text=source.body[s:e],
        )
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
    (hits,) = search_many(
        [terms], exclude=[exclude_source_ids], source_kind=source_kind, limit=limit
    )
    return hits


def search_many(
    term_lists: Sequence[Sequence[str]],
    *,
    exclude: Sequence[Iterable[int]] | None = None,
    source_kind: str | None = None,
    limit: int = 10,
) -> list[list[PassageHit]]:
    """`search` for many queries (an article's claims) in two round trips, not two each.

    `exclude[k]` are the source ids query k must not return (the claim's own article).
    Returns one list of hits per query, in order; each exactly what `search` returns.
    """
    # The claim's terms (16 words at most) and the words its query expansion adds (4).
    queries = [query_terms(t, limit=20) for t in term_lists]
    excludes = [
        {i for i in (exclude[k] if exclude else ()) if i is not None} for k in range(len(queries))
    ]
    # Over-fetch so exclusions and the kind filter still leave `limit` hits.
    fetch = [limit + len(ex) * 4 + 20 for ex in excludes]
    if connection.vendor == "postgresql":
        ranked = _search_postgres(queries, fetch, source_kind=source_kind)
    else:
        ranked = [_search_sqlite(q, f) if q else [] for q, f in zip(queries, fetch, strict=True)]
    ids = {pid for r in ranked for pid, _ in r}
    passages = {hit.passage_id: hit for hit in passage_hits(Passage.objects.filter(id__in=ids))}
    out: list[list[PassageHit]] = []
    for k, hits_ranked in enumerate(ranked):
        hits: list[PassageHit] = []
        for pid, rank in hits_ranked:
            p = passages.get(pid)
            if p is None or p.source_id in excludes[k]:
                continue
            if source_kind and p.source_kind != source_kind:
                continue
            hits.append(dataclasses.replace(p, rank=float(rank)))
            if len(hits) >= limit:
                break
        out.append(hits)
    return out


# What passage_hits reads: never the source's body, which can be megabytes.
_HIT_COLUMNS = (
    "id",
    "start",
    "end",
    "text",
    "source_id",
    "source_kind",
    "source__outlet",
    "source__title",
    "source__url",
    "source__published_at",
    "source__relays",
    "source__origin",
)


def hit_columns(prefix: str = "") -> list[str]:
    """The columns `hit_from_row` reads, after `prefix` (e.g. "passage__" from Evidence)."""
    return [prefix + c for c in _HIT_COLUMNS]


def hit_from_row(row) -> PassageHit:
    """A row of `hit_columns()` as the analysis sees a passage."""
    pid, start, end, text, source_id, kind, outlet, title, url, published_at, relays, origin = row
    return PassageHit(
        passage_id=pid,
        start=start,
        end=end,
        text=text,
        source_id=source_id,
        source_kind=kind,
        outlet=outlet,
        title=title,
        url=url,
        published_at=published_at,
        relays=list(relays or []),
        origin=origin,
    )


def passage_hits(passages: QuerySet[Passage]) -> list[PassageHit]:
    """The passages of a queryset as the analysis sees them, in the queryset's order.
    Plain rows, not model instances: a claim's batch reads thousands."""
    return [hit_from_row(row) for row in passages.values_list(*hit_columns())]


# Passages of one document the judge reads (a long page is cut here, in document order).
MAX_DOCUMENT_PASSAGES = 80
# Stance features of recently judged documents, per worker process: an article's claims
# share most of their candidate documents, which one batch reads at once. Bounded (about
# 30 KB a document; 400 is a few articles' candidates) so that a worker process stays
# under the benchmark's 300 MB with its models loaded.
_FEATURES_MAX = 400
_features: OrderedDict[tuple[int, int | None, int], object] = OrderedDict()


def documents(source_ids: Iterable[int]) -> dict[int, Document]:
    """The corpus documents `source_ids` as the judge reads them: their passages (first
    MAX_DOCUMENT_PASSAGES, in order) and the stance features of those passages. A source
    whose features cannot be built comes back with its `error` (skipped by the judge)."""
    from analysis.models.stance import featurise_passages

    ids = sorted({int(i) for i in source_ids})
    if not ids:
        return {}
    by_source: dict[int, list[PassageHit]] = {}
    rows = Passage.objects.filter(source_id__in=ids, position__lt=MAX_DOCUMENT_PASSAGES).order_by(
        "source_id", "position"
    )
    for p in passage_hits(rows):
        by_source.setdefault(p.source_id, []).append(p)
    out = {}
    for source_id, passages in by_source.items():
        # Keyed by the passages' own ids and text too: an id alone can name another
        # document after a database is flushed or restored (ids restart).
        key = (
            source_id,
            passages[0].passage_id,
            zlib.crc32("\x00".join(p.text for p in passages).encode()),
        )
        feats = _features.get(key)
        if feats is None:
            try:
                feats = featurise_passages([p.text for p in passages])
            except Exception as exc:  # one source's text must not stop the others
                error = describe_error(exc)
                log.warning("source %s could not be read for judging: %s", source_id, error)
                out[source_id] = Document(passages=passages, features=None, error=error)
                continue
            _features[key] = feats
            if len(_features) > _FEATURES_MAX:
                _features.popitem(last=False)
        else:
            _features.move_to_end(key)
        out[source_id] = Document(passages=passages, features=feats)
    return out


def _lexeme_counts(cur) -> dict[str, float]:
    """The passages ANALYZE estimates each of the column's most common lexemes in.

    pg_stats keeps the most common elements of the tsvector column with their
    frequencies (down to a few passages, at the statistics target migration 0005 sets);
    with no statistics yet (a fresh or small database) nothing is listed, nothing is
    common, and search ranks every match, as it always did. Cached per process for a
    minute.
    """
    key = str(connection.settings_dict.get("NAME"))
    cached = _common_cache.get(key)
    if cached and time.monotonic() - cached[0] < _STATS_TTL:
        return cached[1]
    cur.execute(
        """
        SELECT u.e, u.f * (SELECT reltuples FROM pg_class WHERE oid = 'claims_passage'::regclass)
        FROM pg_stats s
        CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(e, f)
        WHERE s.schemaname = current_schema() AND s.tablename = 'claims_passage' AND s.attname = 'search'
          AND u.e IS NOT NULL
        """
    )
    counts = {row[0]: float(row[1]) for row in cur.fetchall()}
    _common_cache[key] = (time.monotonic(), counts)
    return counts


def selecting_terms(terms: Sequence[str], lexemes: dict, counts: dict[str, float]) -> list[str]:
    """The terms of one query that select its candidates (see CANDIDATE_BUDGET), in the
    query's order. A stopword has no lexeme: it never selects (it never matches either)."""

    def passages(term: str) -> float:
        # The passages ANALYZE estimates the term in (0: rarer than anything it lists).
        return max((counts.get(x, 0.0) for x in lexemes[term]), default=0.0)

    rare = [t for t in terms if lexemes[t] and passages(t) <= COMMON_TERM_PASSAGES]
    chosen: set[str] = set()
    total = 0.0
    for term in sorted(rare, key=passages):
        n = passages(term)
        if n and chosen and total + n > CANDIDATE_BUDGET:
            break
        chosen.add(term)
        total += n
    return [t for t in terms if t in chosen]


def _lexemes(cur, terms: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Each term's lexemes under the 'english' configuration, as the index stores them.

    The stemmer lives in PostgreSQL, so unseen terms are asked for in one round trip and
    remembered for the life of the process (a term always stems the same way).
    """
    missing = [t for t in terms if t not in _lexeme_cache]
    if missing:
        if len(_lexeme_cache) + len(missing) > _LEXEME_CACHE_MAX:
            _lexeme_cache.clear()
        cur.execute(
            "SELECT w, tsvector_to_array(to_tsvector('english', w)) FROM unnest(%s::text[]) AS w",
            [missing],
        )
        for word, lexemes in cur.fetchall():
            _lexeme_cache[word] = tuple(lexemes or ())
    return {t: _lexeme_cache.get(t, ()) for t in terms}


def _search_postgres(
    queries: list[list[str]], fetch: list[int], source_kind: str | None = None
) -> list[list[tuple[int, float]]]:
    """(passage id, rank) best first for each query; one statement for all of them."""
    out: list[list[tuple[int, float]]] = [[] for _ in queries]
    with connection.cursor() as cur:
        counts = _lexeme_counts(cur)
        lexemes = _lexemes(cur, sorted({t for q in queries for t in q})) if counts else {}
        batch, common_only = [], []
        for k, terms in enumerate(queries):
            if not terms:
                continue
            # Articles (seen-before search) are bounded the same way, by the corpus's
            # counts: many articles on one story share all but their rarest words.
            selective = selecting_terms(terms, lexemes, counts) if counts else list(terms)
            # Terms are word tokens only (query_terms), so quoting them is enough for
            # to_tsquery.
            tsquery = " | ".join(f"'{t}'" for t in terms)
            if selective:
                batch.append((k, tsquery, " | ".join(f"'{t}'" for t in selective), fetch[k]))
            else:
                common_only.append((k, tsquery, fetch[k]))
        # The passage's own copy of its source's kind: for articles, the partial index
        # of migration 0015 (the kind is a literal in the statement, so the planner can
        # match the index's predicate).
        kind_filter = "AND p.source_kind = %(kind)s" if source_kind else ""
        if batch:
            # Per query, candidates share one of its rare terms (so they match the whole
            # query too) and every term, common ones included, counts in the rank. Only the
            # rare terms go to the index: common ones' long posting lists are never read.
            # The tsqueries are parsed once per query (the materialized CTE), not once per
            # candidate row, which is what a to_tsquery(qs.q) in the ranking costs.
            cur.execute(
                f"""
                WITH qs AS MATERIALIZED (
                    SELECT i, to_tsquery('english', q) AS q, to_tsquery('english', sel) AS sel, lim
                    FROM unnest(%(i)s::int[], %(q)s::text[], %(sel)s::text[], %(lim)s::int[])
                        AS u(i, q, sel, lim)
                )
                SELECT qs.i, h.id, h.rank
                FROM qs
                CROSS JOIN LATERAL (
                    SELECT c.id, ts_rank_cd(c.search, qs.q) AS rank
                    FROM (
                        SELECT p.id, p.source_id, p.search FROM claims_passage p
                        WHERE p.search @@ qs.sel {kind_filter}
                        ORDER BY ts_rank(p.search, qs.q) DESC, p.id DESC
                        LIMIT qs.lim * %(shortlist)s
                    ) AS c
                    ORDER BY rank DESC, c.id DESC
                    LIMIT qs.lim
                ) AS h
                ORDER BY qs.i, h.rank DESC, h.id DESC
                """,
                {
                    "i": [b[0] for b in batch],
                    "q": [b[1] for b in batch],
                    "sel": [b[2] for b in batch],
                    "lim": [b[3] for b in batch],
                    "shortlist": SHORTLIST,
                    "kind": source_kind,
                },
            )
            for k, pid, rank in cur.fetchall():
                out[k].append((pid, rank))
        for k, tsquery, limit in common_only:
            # Every term is common: rank only the newest matches.
            cur.execute(
                f"""
                SELECT c.id, ts_rank_cd(c.search, q) AS rank
                FROM (
                    SELECT p.id, p.source_id, p.search FROM claims_passage p
                    WHERE p.search @@ to_tsquery('english', %(q)s) {kind_filter}
                    ORDER BY p.id DESC LIMIT %(cap)s
                ) AS c, to_tsquery('english', %(q)s) AS q
                ORDER BY rank DESC, c.id DESC
                LIMIT %(limit)s
                """,
                {"q": tsquery, "limit": limit, "kind": source_kind, "cap": COMMON_ONLY_CANDIDATES},
            )
            out[k] = [(row[0], row[1]) for row in cur.fetchall()]
    return out


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
