"""The measurements. Each returns plain dicts of figures; bench/run.py orders them, takes
medians over runs and prints the table. Django is set up (bench database, bench broker)
before any of these run."""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


# --- extraction -------------------------------------------------------------------------


def extraction(texts: list[str]) -> dict:
    """Articles per second through read + extract, in this one process, no database."""
    from analysis.extraction import extract_claims, read_article

    parsed = [read_article(t) for t in texts]
    t0 = time.perf_counter()
    claims = 0
    for a in parsed:
        claims += len(
            extract_claims(
                a.body, published_at=a.published_at, boilerplate=[tuple(s) for s in a.boilerplate]
            )
        )
    dt = time.perf_counter() - t0
    return {"articles_per_s": len(parsed) / dt, "claims_per_article": claims / len(parsed)}


# --- evidence search ----------------------------------------------------------------------


def claim_queries(texts: list[str]) -> list[list[str]]:
    """The search terms the pipeline sends for every claim of these articles: the same
    call as workers/corroborate.py (`build_query(candidate, context=article body)`)."""
    from analysis.corroboration import build_query
    from analysis.extraction import extract_claims, read_article

    out = []
    for t in texts:
        a = read_article(t)
        for c in extract_claims(
            a.body, published_at=a.published_at, boilerplate=[tuple(s) for s in a.boilerplate]
        ):
            out.append(build_query(c, context=a.body).all_terms())
    return out


def search(queries: list[list[str]], limit: int, warm_up: bool = False) -> dict:
    """p50/p95 of one search per query. `warm_up`: run every query once, untimed, first,
    so the index pages, the term statistics and the stem cache are in memory at every
    corpus size alike (a cold first size made 10,000 sources look slower than 100,000)."""
    from django.conf import settings

    from workers import corpus

    limit = limit or settings.FACTCHECK_EVIDENCE_PER_CLAIM
    if warm_up:
        for terms in queries:
            corpus.search(terms, limit=limit)
    times = []
    for terms in queries:
        t0 = time.perf_counter()
        corpus.search(terms, limit=limit)
        times.append(time.perf_counter() - t0)
    return {"p50_ms": pct(times, 50) * 1000, "p95_ms": pct(times, 95) * 1000}


# --- celery: floor, pipeline, latency ----------------------------------------------------


def _queue_drained(r, queues=("default", "fetch")) -> bool:
    # With acks_late a running task sits in kombu's "unacked" hash until it finishes.
    return all(r.llen(q) == 0 for q in queues) and r.hlen("unacked") == 0


def noop_floor(r, n: int, timeout: float = 300) -> dict:
    from workers.tasks import noop

    t0 = time.perf_counter()
    for _ in range(n):
        noop.delay()
    deadline = time.monotonic() + timeout
    while not _queue_drained(r):
        if time.monotonic() > deadline:
            raise RuntimeError("no-op tasks did not drain; is the worker up?")
        time.sleep(0.01)
    return {"tasks_per_s": n / (time.perf_counter() - t0)}


def _submit(text: str):
    from analysis.extraction import read_article
    from workers.ingest import ingest_article

    return ingest_article(read_article(text))[0]


def _pending(article_ids=None) -> tuple[int, int]:
    from claims.models import Article, Claim, ClaimState

    arts = Article.objects.filter(status__in=[Article.Status.RECEIVED, Article.Status.PROCESSING])
    claims = Claim.objects.filter(corroborated_at__isnull=True).exclude(state=ClaimState.DISMISSED)
    if article_ids is not None:
        arts = arts.filter(pk__in=article_ids)
        claims = claims.filter(article_id__in=article_ids)
    return arts.count(), claims.count()


def _autovacuum_on() -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW autovacuum")
        return cur.fetchone()[0] == "on"


def _analyze_passages() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE claims_passage")


def pipeline(texts: list[str], timeout: float, progress=None) -> dict:
    """Submit every article through the ingest path; wait until all claims are corroborated."""
    from claims.models import Article, Claim, Evidence, Flag

    t0 = time.perf_counter()
    ids = [_submit(t).pk for t in texts]
    submitted = time.perf_counter() - t0
    deadline = time.monotonic() + timeout
    last = 0.0
    analyzed = time.monotonic()
    autovacuum = _autovacuum_on()
    while True:
        if not autovacuum and time.monotonic() - analyzed > 60:
            # This server runs without autovacuum; do what it would do in production
            # (migration 0005 asks for an analyze after ~1% of passages changed).
            _analyze_passages()
            analyzed = time.monotonic()
        arts, claims = _pending()
        if arts == 0 and claims == 0:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"pipeline did not finish in {timeout:.0f}s: {arts} articles, {claims} claims pending"
            )
        if progress and time.monotonic() - last > 15:
            last = time.monotonic()
            progress(
                f"  ... {arts} articles and {claims} claims pending after {time.perf_counter() - t0:.0f}s"
            )
        time.sleep(0.25)
    dt = time.perf_counter() - t0
    return {
        "articles": len(ids),
        "seconds": dt,
        "submit_seconds": submitted,
        "articles_per_s": len(ids) / dt,
        "claims": Claim.objects.filter(article_id__in=ids).count(),
        "evidence": Evidence.objects.filter(claim__article_id__in=ids).count(),
        "flags": Flag.objects.filter(claim__article_id__in=ids).count(),
        "failed_articles": Article.objects.filter(pk__in=ids, status=Article.Status.FAILED).count(),
    }


def latency(texts: list[str], gap: float = 0.2, timeout: float = 60) -> dict:
    """One article at a time: submission to every claim corroborated (its flags visible)."""
    times = []
    for t in texts:
        t0 = time.perf_counter()
        article = _submit(t)
        deadline = time.monotonic() + timeout
        while _pending([article.pk]) != (0, 0):
            if time.monotonic() > deadline:
                raise RuntimeError(f"article {article.pk} not done after {timeout}s")
            time.sleep(0.01)
        times.append(time.perf_counter() - t0)
        time.sleep(gap)
    return {"p50_s": pct(times, 50), "p95_s": pct(times, 95), "n": len(times)}


# --- HTTP --------------------------------------------------------------------------------


def session_auth(cookie: str) -> dict[str, str]:
    """Request headers of a signed-in browser (the admin pages)."""
    return {"Cookie": f"sessionid={cookie}"}


def token_auth(key: str) -> dict[str, str]:
    """Request headers of an API client with a token."""
    return {"Authorization": f"Token {key}"}


def obtain_token(port: int, username: str, password: str) -> str:
    """The user's API token, through the service's own password exchange
    (POST /api/auth/token/), whatever the service stores behind it."""
    import json

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/api/auth/token/",
            body=json.dumps({"username": username, "password": password}),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        resp = conn.getresponse()
        body = resp.read()
    finally:
        conn.close()
    if resp.status != 200:
        raise RuntimeError(f"POST /api/auth/token/ answered {resp.status}: {body[:200]!r}")
    return json.loads(body)["token"]


def _get(port: int, path: str, auth: dict[str, str]) -> tuple[int, int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={**auth, "Accept": "application/json"})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, int(resp.getheader("X-Bench-Queries") or -1), body
    finally:
        conn.close()


def load(
    port: int, paths: list[str], auth: dict[str, str], *, clients: int, seconds: float
) -> dict:
    """`clients` threads request paths (round robin from a random start) for `seconds`."""
    lat: list[float] = []
    queries: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine, q = [], []
        while time.perf_counter() < stop_at:
            path = rng.choice(paths)
            t0 = time.perf_counter()
            try:
                status, nq, _ = _get(port, path, auth)
            except OSError as exc:
                with lock:
                    errors.append(str(exc))
                continue
            mine.append(time.perf_counter() - t0)
            q.append(nq)
            if status != 200:
                with lock:
                    errors.append(f"{status} {path}")
        with lock:
            lat.extend(mine)
            queries.extend(q)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    dt = time.perf_counter() - t0
    return {
        "rps": len(lat) / dt,
        "p95_ms": pct(lat, 95) * 1000,
        "p50_ms": pct(lat, 50) * 1000,
        "queries": statistics.median(queries) if queries else -1,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def list_pages(port: int, first: str, auth: dict[str, str], pages: int) -> list[str]:
    """The first `pages` pages of a list, following its `next` links (cursor or page number)."""
    import json
    from urllib.parse import urlsplit

    paths, path = [], first
    while path and len(paths) < pages:
        paths.append(path)
        status, _, body = _get(port, path, auth)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:200]!r}")
        nxt = json.loads(body).get("next")
        path = (urlsplit(nxt).path + "?" + urlsplit(nxt).query) if nxt else None
    return paths


def page_time(port: int, path: str, auth: dict[str, str], n: int) -> dict:
    """One client, `n` requests after a warm-up: median time and the query count."""
    _get(port, path, auth)
    times, queries = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        status, nq, _ = _get(port, path, auth)
        times.append(time.perf_counter() - t0)
        queries.append(nq)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
    return {"median_ms": statistics.median(times) * 1000, "queries": statistics.median(queries)}


# --- data -------------------------------------------------------------------------------


def top_up_claims(target: int) -> int:
    """Copy existing claims (with their flags and evidence) at shifted spans until there are
    `target` claims: a big queue with the same shape as the pipeline's."""
    from django.db import connection

    from claims.models import Claim, Evidence, Flag

    def cols(model, skip):
        return [f'"{f.column}"' for f in model._meta.concrete_fields if f.column not in skip]

    ccols = cols(Claim, {"id", "start", "end"})
    fcols = cols(Flag, {"id", "claim_id"})
    ecols = cols(Evidence, {"id", "claim_id"})
    base = Claim.objects.count()
    if base == 0:
        raise RuntimeError("no claims to copy; run the pipeline first")
    k = 0
    with connection.cursor() as cur:
        while Claim.objects.count() < target:
            k += 1
            shift = k * 10_000_000
            need = target - Claim.objects.count()
            cur.execute(
                f"""
                INSERT INTO claims_claim ({", ".join(ccols)}, start, "end")
                SELECT {", ".join(ccols)}, start + %s, "end" + %s FROM claims_claim
                WHERE start < 10000000 ORDER BY id LIMIT %s
                """,
                [shift, shift, need],
            )
            for table, cs in (("claims_flag", fcols), ("claims_evidence", ecols)):
                if table == "claims_flag":
                    # Flags may point at evidence; the copies do not (their own evidence rows are new).
                    select = ", ".join("NULL" if c == '"evidence_id"' else f"x.{c}" for c in cs)
                else:
                    select = ", ".join(f"x.{c}" for c in cs)
                cur.execute(
                    f"""
                    INSERT INTO {table} (claim_id, {", ".join(cs)})
                    SELECT c2.id, {select} FROM {table} x
                    JOIN claims_claim c1 ON c1.id = x.claim_id AND c1.start < 10000000
                    JOIN claims_claim c2 ON c2.article_id = c1.article_id
                        AND c2.start = c1.start + %s AND c2."end" = c1."end" + %s
                    """,
                    [shift, shift],
                )
        # Every table, as autovacuum would (this server runs without it): with articles
        # never analyzed after the pipeline added 2,000, the planner read the admin's
        # "from watched feeds" count as "most claims" and scanned them all (270 ms).
        cur.execute("ANALYZE")
    return Claim.objects.count()
