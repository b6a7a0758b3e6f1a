"""`make bench`: prepare data, run every measurement against PostgreSQL, Redis, real celery
workers and gunicorn, print one table with PASS/FAIL against the budgets (issue 8), and
write every figure to bench/results/latest.json.

It uses its own database (BENCH_DATABASE, dropped and created fresh) and its own Redis
database (BENCH_REDIS_URL, flushed), so it can share servers with other work. Knobs, all
optional: BENCH_ARTICLES (2000), BENCH_SOURCES (100000), BENCH_SOURCES_SMALL (10000),
BENCH_MILLION=1 (also search at 1,000,000 sources), BENCH_RUNS (3), BENCH_CONCURRENCY
(worker processes; default: CPU count), BENCH_HTTP_SECONDS (6), BENCH_HTTP_CLIENTS (4).
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DATABASE", "factcheck_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
# The figure: 2,000 articles through the whole pipeline (about 10 minutes of the
# run on 2 cores; BENCH_ARTICLES=800 gives a quicker steady-state sample).
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "2000"))
SOURCES = int(os.environ.get("BENCH_SOURCES", "100000"))
SOURCES_SMALL = int(os.environ.get("BENCH_SOURCES_SMALL", "10000"))
MILLION = os.environ.get("BENCH_MILLION", "") in ("1", "yes", "true")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", str(os.cpu_count() or 2)))
HTTP_SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", "6"))
HTTP_CLIENTS = int(os.environ.get("BENCH_HTTP_CLIENTS", "4"))
ADMIN_CLAIMS = int(os.environ.get("BENCH_ADMIN_CLAIMS", "100000"))
LATENCY_ARTICLES = int(os.environ.get("BENCH_LATENCY_ARTICLES", "15"))
NOOP_TASKS = int(os.environ.get("BENCH_NOOP_TASKS", "3000"))
SEARCH_QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "300"))
RESULTS = ROOT / "bench" / "results" / "latest.json"

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "CELERY_BROKER_URL": REDIS_URL,
    "SECRET_KEY": "bench-only",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SETTINGS_MODULE": "factcheck.settings",
    "LOG_LEVEL": "WARNING",
    "PYTHONPATH": str(ROOT),
}


def say(msg: str) -> None:
    print(msg, flush=True)


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


class Corpus:
    """Grows the source corpus in steps, loading with the GIN index dropped and rebuilt."""

    def __init__(self):
        self.size = 0
        self.passages = 0

    def grow_to(self, n: int) -> float:
        import psycopg

        from bench import data

        t0 = time.perf_counter()
        with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            conn.execute("DROP INDEX IF EXISTS claims_passage_search_gin")
            step = 50_000
            while self.size < n:
                k = min(step, n - self.size)
                with conn.transaction():
                    self.passages += data.load_sources(
                        conn, k, seed=7 + self.size, start_index=self.size
                    )
                self.size += k
            conn.execute(
                "CREATE INDEX claims_passage_search_gin ON claims_passage USING GIN (search) "
                "WITH (fastupdate = off)"  # as migration 0008 leaves it
            )
            conn.execute("VACUUM ANALYZE claims_passage")
            conn.execute("VACUUM ANALYZE claims_source")
        from workers import corpus

        corpus._common_cache.clear()  # the corpus grew tenfold in a minute; re-read its statistics
        return time.perf_counter() - t0


def main() -> int:
    # SIGTERM (timeout, Ctrl-C in make) still stops the workers and gunicorn we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    logdir = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    os.environ.update(ENV)
    say(f"bench: database {DB_NAME}, broker {REDIS_URL}, logs in {logdir}")
    fresh_database()

    import django

    django.setup()
    import redis
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from bench import data, procs, stages

    call_command("migrate", verbosity=0)
    r = redis.Redis.from_url(REDIS_URL)
    r.flushdb()

    user = get_user_model().objects.create_superuser("bench", "bench@example.invalid", "bench-pw")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = session.session_key

    texts = data.articles(ARTICLES + LATENCY_ARTICLES + 200, seed=42)
    pipeline_texts = texts[:ARTICLES]
    latency_texts = texts[ARTICLES : ARTICLES + LATENCY_ARTICLES]
    spare_texts = texts[ARTICLES + LATENCY_ARTICLES :]

    results: dict = {
        "started_at": datetime.now(UTC).isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(__import__("psutil").virtual_memory().total / 2**30, 1),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpu": _cpu_model(),
        },
        "settings": {
            "articles": ARTICLES,
            "sources": SOURCES,
            "sources_small": SOURCES_SMALL,
            "runs": RUNS,
            "worker_concurrency": CONCURRENCY,
            "worker_pool": "prefork",
            "gunicorn_workers": 2,
            "http_clients": HTTP_CLIENTS,
            "http_seconds": HTTP_SECONDS,
        },
    }
    web = worker = None
    try:
        port = procs.free_port()
        web = procs.gunicorn(ENV, logdir, port=port)
        web.start()
        procs.wait_for_port(port)

        # 6a. the admin queue while there are no claims
        say("admin queue, empty ...")
        admin_empty = stages.page_time(port, "/admin/claims/claim/", cookie, 15)
        results["admin_empty"] = admin_empty

        # 3. extraction alone
        say("extraction alone ...")
        runs = [stages.extraction(spare_texts) for _ in range(RUNS)]
        results["extraction"] = {"articles_per_s": med(runs, "articles_per_s"), "runs": runs}

        # 4. search scaling
        queries = stages.claim_queries(spare_texts)[:SEARCH_QUERIES]
        corpus = Corpus()
        search = {}

        def measure_search(size: int) -> None:
            say(f"corpus: loading to {size:,} sources ...")
            load_s = corpus.grow_to(size)
            say(
                f"  {corpus.size:,} sources, {corpus.passages:,} passages in {load_s:.0f}s; searching ..."
            )
            runs = [stages.search(queries, limit=0) for _ in range(RUNS)]
            search[size] = {
                "p50_ms": med(runs, "p50_ms"),
                "p95_ms": med(runs, "p95_ms"),
                "passages": corpus.passages,
                "load_seconds": load_s,
                "queries": len(queries),
                "runs": runs,
            }
            say(
                f"  search p50 {search[size]['p50_ms']:.1f} ms, p95 {search[size]['p95_ms']:.1f} ms"
            )
            results["search"] = {str(k): v for k, v in search.items()}

        measure_search(SOURCES_SMALL)
        measure_search(SOURCES)  # the pipeline runs against this corpus

        # Workers: the same settings for the floor and the pipeline.
        worker = procs.celery_worker(ENV, logdir, name="bench-worker", concurrency=CONCURRENCY)
        worker.start()
        floor_runs = []
        say("no-op floor ...")
        stages.noop_floor(r, 200)  # warm-up: the pool's processes and connections
        floor_runs.append(stages.noop_floor(r, NOOP_TASKS))

        say("latency at light load ...")
        results["latency"] = stages.latency(latency_texts)

        say(f"pipeline: {ARTICLES} articles ...")
        with procs.MemorySampler(worker.pid) as mem:
            pipe = stages.pipeline(pipeline_texts, timeout=1200, progress=say)
        results["pipeline"] = pipe
        results["memory"] = {
            "worker_peak_rss_mb": mem.peak_per_process / 2**20,
            "worker_tree_peak_rss_mb": mem.peak_total / 2**20,
        }
        for _ in range(max(0, RUNS - 1)):
            floor_runs.append(stages.noop_floor(r, NOOP_TASKS))
        results["noop_floor"] = {"tasks_per_s": med(floor_runs, "tasks_per_s"), "runs": floor_runs}
        worker.stop()
        worker = None

        # 5. API under load, 6b. the admin queue at ADMIN_CLAIMS claims
        say(f"claims: topping up to {ADMIN_CLAIMS:,} ...")
        from claims.models import Claim

        results["claims_total"] = stages.top_up_claims(ADMIN_CLAIMS)
        ids = list(Claim.objects.order_by("?").values_list("id", flat=True)[:500])
        endpoints = {
            "floor": ["/bench/floor/"],
            "floor_auth": ["/bench/floor-auth/"],
            "claim_list": stages.list_pages(port, "/api/claims/", cookie, pages=5),
            "claim_detail": [f"/api/claims/{i}/" for i in ids],
        }
        say("API under load ...")
        api = {name: [] for name in endpoints}
        for _ in range(RUNS):
            for name, paths in endpoints.items():
                api[name].append(
                    stages.load(port, paths, cookie, clients=HTTP_CLIENTS, seconds=HTTP_SECONDS)
                )
        results["api"] = {
            name: {
                "rps": med(runs, "rps"),
                "p95_ms": med(runs, "p95_ms"),
                "p50_ms": med(runs, "p50_ms"),
                "queries": med(runs, "queries"),
                "errors": sum(x["errors"] for x in runs),
                "first_error": next((x["first_error"] for x in runs if x["first_error"]), ""),
                "runs": runs,
            }
            for name, runs in api.items()
        }
        say("admin queue, full ...")
        results["admin_full"] = stages.page_time(port, "/admin/claims/claim/", cookie, 15)
        if MILLION:
            measure_search(1_000_000)
    finally:
        for p in (worker, web):
            if p is not None:
                p.stop()

    results["wall_seconds"] = time.perf_counter() - started
    results["budgets"] = budgets(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print_table(results)
    say(f"\nJSON: {RESULTS}   (wall time {results['wall_seconds'] / 60:.1f} min; logs {logdir})")
    return 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def budgets(res: dict) -> list[dict]:
    s_small, s_big = res["search"][str(SOURCES_SMALL)], res["search"][str(SOURCES)]
    admin_ratio = res["admin_full"]["median_ms"] / res["admin_empty"]["median_ms"]
    return [
        _b(
            "pipeline / no-op task throughput",
            res["pipeline"]["articles_per_s"] / res["noop_floor"]["tasks_per_s"],
            ">=",
            0.10,
        ),
        _b("submission to flags visible, p50 (s)", res["latency"]["p50_s"], "<=", 1.0),
        _b(
            f"search p50 at {SOURCES:,} / at {SOURCES_SMALL:,}",
            s_big["p50_ms"] / s_small["p50_ms"],
            "<=",
            1.5,
        ),
        _b(
            "claim list rps / minimal Django view",
            res["api"]["claim_list"]["rps"] / res["api"]["floor"]["rps"],
            ">=",
            0.4,
        ),
        _b(
            "claim list rps / minimal view with session user",
            res["api"]["claim_list"]["rps"] / res["api"]["floor_auth"]["rps"],
            ">=",
            0.4,
        ),
        _b(
            f"admin queue at {res['claims_total']:,} claims / empty",
            admin_ratio,
            "<=",
            3.0,
            extra_ok=res["admin_full"]["queries"] == res["admin_empty"]["queries"],
            note=f"queries {res['admin_full']['queries']:.0f} vs {res['admin_empty']['queries']:.0f}",
        ),
        _b("worker peak memory (MB, one process)", res["memory"]["worker_peak_rss_mb"], "<=", 300),
    ]


def _b(name, value, op, target, extra_ok=True, note=""):
    ok = (value >= target if op == ">=" else value <= target) and extra_ok
    return {"budget": name, "value": value, "op": op, "target": target, "pass": ok, "note": note}


def print_table(res: dict) -> None:
    m = res["machine"]
    rows = [
        (
            "Pipeline throughput",
            f"{res['pipeline']['articles_per_s']:.2f} articles/s",
            f"{res['pipeline']['articles']} articles, {res['pipeline']['claims']} claims, {res['pipeline']['evidence']} evidence, {res['pipeline']['flags']} flags in {res['pipeline']['seconds']:.0f}s; {res['pipeline']['failed_articles']} failed",
        ),
        (
            "No-op task (floor)",
            f"{res['noop_floor']['tasks_per_s']:.0f} tasks/s",
            f"same worker: prefork x{CONCURRENCY}",
        ),
        (
            "Latency submit->flags",
            f"p50 {res['latency']['p50_s']:.2f}s  p95 {res['latency']['p95_s']:.2f}s",
            f"{res['latency']['n']} articles, one at a time",
        ),
        (
            "Extraction alone",
            f"{res['extraction']['articles_per_s']:.1f} articles/s",
            f"one process, {res['extraction']['runs'][0]['claims_per_article']:.1f} claims/article",
        ),
    ]
    for size, s in res["search"].items():
        rows.append(
            (
                f"Search @ {int(size):,} sources",
                f"p50 {s['p50_ms']:.1f} ms  p95 {s['p95_ms']:.1f} ms",
                f"{s['passages']:,} passages, {s['queries']} claim queries",
            )
        )
    for name in ("floor", "floor_auth", "claim_list", "claim_detail"):
        a = res["api"][name]
        err = f", {a['errors']} errors ({a['first_error']})" if a["errors"] else ""
        rows.append(
            (
                f"API {name}",
                f"{a['rps']:.1f} req/s  p95 {a['p95_ms']:.0f} ms",
                f"{a['queries']:.0f} queries/request{err}",
            )
        )
    rows.append(
        (
            "Admin queue, empty",
            f"{res['admin_empty']['median_ms']:.0f} ms",
            f"{res['admin_empty']['queries']:.0f} queries",
        )
    )
    rows.append(
        (
            f"Admin queue, {res['claims_total']:,} claims",
            f"{res['admin_full']['median_ms']:.0f} ms",
            f"{res['admin_full']['queries']:.0f} queries",
        )
    )
    rows.append(
        (
            "Worker peak RSS",
            f"{res['memory']['worker_peak_rss_mb']:.0f} MB",
            f"whole worker tree {res['memory']['worker_tree_peak_rss_mb']:.0f} MB",
        )
    )
    print()
    print(
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB, {m['platform']}, Python {m['python']}"
    )
    w = max(len(r[0]) for r in rows)
    v = max(len(r[1]) for r in rows)
    print(f"\n| {'figure'.ljust(w)} | {'value'.ljust(v)} | detail |")
    print(f"|{'-' * (w + 2)}|{'-' * (v + 2)}|--------|")
    for a, b, c in rows:
        print(f"| {a.ljust(w)} | {b.ljust(v)} | {c} |")
    print("\n| budget | value | target | result |\n|---|---|---|---|")
    for b in res["budgets"]:
        note = f" ({b['note']})" if b["note"] else ""
        print(
            f"| {b['budget']} | {b['value']:.3g}{note} | {b['op']} {b['target']} | {'PASS' if b['pass'] else 'FAIL'} |"
        )


if __name__ == "__main__":
    sys.exit(main())
