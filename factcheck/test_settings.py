"""Settings for the test suite: PostgreSQL and Redis when they answer, else SQLite.

FACTCHECK_TEST_DATABASE_URL (default: the local PostgreSQL, database `test`) and
FACTCHECK_TEST_REDIS_URL (default: the local Redis, db 15) are probed once at start; the
conftest skips tests marked `postgres` / `redis` when the probe failed, and turns those
skips into failures when FACTCHECK_REQUIRE_SERVICES=1 (CI sets it).
"""

import os
import socket
from urllib.parse import urlsplit

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DEBUG", "0")
# The test client and live servers speak plain HTTP (tests/security checks the HTTPS
# defaults in a process of their own).
os.environ.setdefault("FACTCHECK_HTTPS", "0")

import dj_database_url  # noqa: E402

from factcheck.settings import *  # noqa: E402,F403
from factcheck.settings import BASE_DIR  # noqa: E402

TEST_DATABASE_URL = os.environ.get(
    "FACTCHECK_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"
)
TEST_REDIS_URL = os.environ.get("FACTCHECK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def _postgres_answers(url: str) -> bool:
    if not _answers(url, 5432):
        return False
    try:
        import psycopg

        cfg = dj_database_url.parse(url)
        psycopg.connect(
            host=cfg["HOST"],
            port=cfg["PORT"] or 5432,
            user=cfg["USER"],
            password=cfg["PASSWORD"],
            dbname=cfg["NAME"],
            connect_timeout=2,
        ).close()
        return True
    except Exception:
        return False


POSTGRES_AVAILABLE = _postgres_answers(TEST_DATABASE_URL)
REDIS_AVAILABLE = _answers(TEST_REDIS_URL, 6379)

if POSTGRES_AVAILABLE:
    DATABASES = {"default": dj_database_url.parse(TEST_DATABASE_URL)}
    # One test database per pytest process, so concurrent runs on one server never collide.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("FACTCHECK_TEST_DB_NAME", f"factcheck_test_{os.getpid()}")
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "data" / "test.sqlite3",
            "TEST": {"NAME": str(BASE_DIR / "data" / "test-run.sqlite3")},
            "OPTIONS": {"timeout": 20},
        }
    }

# In-process tests run tasks eagerly; end-to-end tests start real workers on Redis.
CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
FACTCHECK_FETCH_ALLOW_PRIVATE = True
# Archived fetches of a test run go to a directory of their own, never data/media.
import tempfile  # noqa: E402

STORAGES = {**STORAGES}  # noqa: F405
STORAGES["archive"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": tempfile.mkdtemp(prefix="factcheck-archive-")},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
