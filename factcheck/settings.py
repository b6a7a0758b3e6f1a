"""Settings, read from the environment (see README "Configuration").

Nothing set gives the embedded default: an SQLite file under FACTCHECK_DATA_DIR, tasks
run in-process, DEBUG on with a development secret. Setting DATABASE_URL and a broker
gives the production shape; there SECRET_KEY is required.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from factcheck.env import (
    env_bool,
    env_float,
    env_fraction_or_none,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("FACTCHECK_DATA_DIR", str(BASE_DIR / "data")))

DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED = not DATABASE_URL

# The embedded default is a developer's machine; a configured database means a deployment.
DEBUG = env_bool("DEBUG", default=EMBEDDED)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- HTTPS and browser hardening (README "Running the production shape") ----------------
# On whenever DEBUG is off: HSTS, the redirect to https, secure session and CSRF cookies.
# FACTCHECK_HTTPS=0 is the one switch that turns them off, for a local plain-HTTP run
# (docker compose on localhost); `check --deploy` then warns, as it should.
FACTCHECK_HTTPS = env_bool("FACTCHECK_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = FACTCHECK_HTTPS
SESSION_COOKIE_SECURE = FACTCHECK_HTTPS
CSRF_COOKIE_SECURE = FACTCHECK_HTTPS
SECURE_HSTS_SECONDS = (
    env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0) if FACTCHECK_HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    # Before rest_framework, so its template rest_framework/api.html (a log-out button
    # that works under the Content-Security-Policy) overrides DRF's.
    "claims",
    "rest_framework",
    # API tokens stored as digests, named and expiring (claims.ApiToken, KNOX_TOKEN_MODEL).
    "knox",
    "django_filters",
    "drf_spectacular",
    # Swagger UI's files served from here, pinned with the package (not a CDN's @latest).
    "drf_spectacular_sidecar",
    "csp",
    "workers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): nothing from elsewhere, no inline script. The admin,
# the Browsable API and the Swagger UI (served from drf-spectacular-sidecar, its start-up
# script a file of its own) work under it. A view that sets its own policy keeps it (the
# archived-copy download sends `default-src 'none'; sandbox`). django-csp leaves Django's
# debug 404/500 pages alone when DEBUG is on.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "factcheck.urls"
# The DEBUG page and error emails hide the URL settings that carry passwords.
DEFAULT_EXCEPTION_REPORTER_FILTER = "factcheck.reporting.RedactingExceptionReporterFilter"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
                # Reused connections (web and workers) are pinged once per request or task,
                # so one dropped by a database restart is replaced, not failed on.
                conn_health_checks=True,
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "factcheck.sqlite3",
            # Workers and the web process share the file; wait for the lock rather than fail.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's four: not like the username or email, at least 8 characters, not one of the
# 20,000 most common passwords ("password"), not all digits ("12345678"). They run on the
# admin's user forms, password changes and createsuperuser.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded and archived files. Nothing under it is served by URL: an archived copy is
# only ever a download through its view (workers.archive.download).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))

# Archived fetches (raw bytes, optional WARC) go to the "archive" storage: the filesystem
# under MEDIA_ROOT/archive unless FACTCHECK_ARCHIVE_STORAGE names another backend, e.g.
# "storages.backends.s3.S3Storage" (pip install "factcheck[s3]") with its options as JSON
# in FACTCHECK_ARCHIVE_STORAGE_OPTIONS ('{"bucket_name": "evidence"}').
_archive_backend = env_str(
    "FACTCHECK_ARCHIVE_STORAGE", "django.core.files.storage.FileSystemStorage"
)
try:
    _archive_options = json.loads(env_str("FACTCHECK_ARCHIVE_STORAGE_OPTIONS") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"FACTCHECK_ARCHIVE_STORAGE_OPTIONS is not JSON: {exc}") from None
if not isinstance(_archive_options, dict):
    raise ImproperlyConfigured("FACTCHECK_ARCHIVE_STORAGE_OPTIONS must be a JSON object")
if _archive_backend == "django.core.files.storage.FileSystemStorage":
    _archive_options.setdefault("location", str(MEDIA_ROOT / "archive"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "archive": {"BACKEND": _archive_backend, "OPTIONS": _archive_options},
}

LOGIN_URL = "/admin/login/"
# A login with no ?next= (the Browsable API's) lands on the API root, not Django's
# /accounts/profile/, which this service does not have.
LOGIN_REDIRECT_URL = "/api/"

# Request bodies past this are refused before a view runs (Django raises
# RequestDataTooBig -> 400); the article limit below is checked on the decoded text.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 3 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 200, minimum=10)

# --- the fact-check service -------------------------------------------------------------
FACTCHECK_MAX_ARTICLE_BYTES = env_int("FACTCHECK_MAX_ARTICLE_BYTES", 2 * 1024 * 1024, minimum=1)
FACTCHECK_EVIDENCE_PER_CLAIM = env_int("FACTCHECK_EVIDENCE_PER_CLAIM", 8, minimum=1)
# The check-worthiness a sentence needs to become a claim. Unset: the model's own
# threshold, chosen on dev data (see analysis/models/data/checkworthiness.md). Lower it
# to see more claims, raise it to see fewer; sentences below it stay visible in the
# admin's article view for a fact-checker to promote.
FACTCHECK_CHECKWORTHY_THRESHOLD = env_fraction_or_none("FACTCHECK_CHECKWORTHY_THRESHOLD")
FACTCHECK_TASK_MAX_ATTEMPTS = env_int("FACTCHECK_TASK_MAX_ATTEMPTS", 5, minimum=1)
# Claims per corroboration task: an article's claims go out in tasks of at most this many
# (split evenly), which share one search statement, one read of their candidate
# documents and one transaction of writes. 16 holds a usual article's claims in one
# task (throughput); smaller spreads one article over more worker processes (latency).
FACTCHECK_CORROBORATION_BATCH = env_int("FACTCHECK_CORROBORATION_BATCH", 16, minimum=1)
# CPU seconds per pipeline stage, summed in Redis across workers (factcheck/stagetimes.py);
# `make bench` turns it on to print where an article's time goes. Off in production.
FACTCHECK_STAGE_TIMES = env_bool("FACTCHECK_STAGE_TIMES", False)
# Local and private addresses are refused by the fetcher unless this is set (tests, demo).
FACTCHECK_FETCH_ALLOW_PRIVATE = env_bool("FACTCHECK_FETCH_ALLOW_PRIVATE", False)
FACTCHECK_FETCH_MAX_BYTES = env_int("FACTCHECK_FETCH_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
FACTCHECK_FETCH_DEADLINE = env_float("FACTCHECK_FETCH_DEADLINE", 20.0, minimum=0.1)
# Seconds between two requests to one host (politeness).
FACTCHECK_FETCH_HOST_INTERVAL = env_float("FACTCHECK_FETCH_HOST_INTERVAL", 1.0, minimum=0.0)
# Archived evidence: also write a WARC record (warcio) beside the raw bytes; prune copies
# older than this many days with `manage.py prune_archives` (0: keep them forever).
FACTCHECK_ARCHIVE_WARC = env_bool("FACTCHECK_ARCHIVE_WARC", False)
FACTCHECK_ARCHIVE_RETENTION_DAYS = env_int("FACTCHECK_ARCHIVE_RETENTION_DAYS", 0, minimum=0)
# Alerts to people: the stale-assignment reminder's threshold and the digest's hour
# (in TIME_ZONE); both run from beat.
FACTCHECK_STALE_HOURS = env_int("FACTCHECK_STALE_HOURS", 48, minimum=1)
FACTCHECK_DIGEST_HOUR = env_int("FACTCHECK_DIGEST_HOUR", 7, minimum=0)
if FACTCHECK_DIGEST_HOUR > 23:
    raise ImproperlyConfigured(f"FACTCHECK_DIGEST_HOUR={FACTCHECK_DIGEST_HOUR} must be 0-23")
FACTCHECK_PUBLIC_URL = env_str("FACTCHECK_PUBLIC_URL", "http://127.0.0.1:8000")
# The review author in ClaimReview exports.
FACTCHECK_ORG_NAME = env_str("FACTCHECK_ORG_NAME", "Fact-check desk")

# Email for alerts: the console (the message printed) in the embedded default, SMTP
# (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) otherwise.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if EMBEDDED
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per message.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "factcheck@localhost")
# Publishing: a ruling is a proposal until a second person signs it off.
FACTCHECK_SIGNOFF_REQUIRED = env_bool("FACTCHECK_SIGNOFF_REQUIRED", False)
# Claims against fact-checks published elsewhere (analysis.matching): at or above SUGGEST
# a possible match is flagged, at or above AUTO a matching claim (defaults: the claim
# similarity's SIMILARITY_SUGGEST and SIMILARITY_LINK).
FACTCHECK_MATCH_SUGGEST = env_float("FACTCHECK_MATCH_SUGGEST", 0.55, minimum=0.01)
FACTCHECK_MATCH_AUTO = env_float("FACTCHECK_MATCH_AUTO", 0.8, minimum=0.01)
if not FACTCHECK_MATCH_SUGGEST <= FACTCHECK_MATCH_AUTO <= 1:
    raise ImproperlyConfigured(
        "FACTCHECK_MATCH_SUGGEST must not exceed FACTCHECK_MATCH_AUTO, and both must be at most 1"
    )
# ClaimReview imports (files, URLs, the API, feeds): documents over this are refused.
FACTCHECK_IMPORT_MAX_BYTES = env_int("FACTCHECK_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
FACTCHECK_IMPORT_MAX_ITEMS = env_int("FACTCHECK_IMPORT_MAX_ITEMS", 50_000, minimum=1)
# Webhooks: at most this many per user, and this many subscriptions (anyone's) to one URL.
FACTCHECK_WEBHOOKS_PER_USER = env_int("FACTCHECK_WEBHOOKS_PER_USER", 10, minimum=1)
FACTCHECK_WEBHOOKS_PER_URL = env_int("FACTCHECK_WEBHOOKS_PER_URL", 3, minimum=1)
# Google Fact Check Tools (claims:search); unset key: the client refuses to run.
FACTCHECK_TOOLS_API_KEY = env_str("FACTCHECK_TOOLS_API_KEY")
FACTCHECK_TOOLS_URL = env_str(
    "FACTCHECK_TOOLS_URL", "https://factchecktools.googleapis.com/v1alpha1/claims:search"
)

# One lockout policy for every login (admin, API session, token exchange): django-axes,
# per username and address together (claims/lockout.py).
FACTCHECK_LOGIN_MAX_FAILURES = env_int("FACTCHECK_LOGIN_MAX_FAILURES", 5, minimum=1)
FACTCHECK_LOGIN_WINDOW_SECONDS = env_int("FACTCHECK_LOGIN_WINDOW_SECONDS", 900, minimum=1)
# API tokens (claims/tokens.py, django-rest-knox): stored as a SHA-512 digest, shown once,
# named, and expiring after FACTCHECK_API_TOKEN_TTL_DAYS unless the request asks for
# fewer or more days (at most FACTCHECK_API_TOKEN_MAX_DAYS; no token lives for ever).
# Each password exchange issues a new token; a user holds at most
# FACTCHECK_API_TOKENS_PER_USER live ones.
FACTCHECK_API_TOKEN_TTL_DAYS = env_int("FACTCHECK_API_TOKEN_TTL_DAYS", 90, minimum=1)
FACTCHECK_API_TOKEN_MAX_DAYS = env_int("FACTCHECK_API_TOKEN_MAX_DAYS", 365, minimum=1)
if FACTCHECK_API_TOKEN_TTL_DAYS > FACTCHECK_API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured(
        "FACTCHECK_API_TOKEN_TTL_DAYS must not exceed FACTCHECK_API_TOKEN_MAX_DAYS"
    )
FACTCHECK_API_TOKENS_PER_USER = env_int("FACTCHECK_API_TOKENS_PER_USER", 20, minimum=1)
KNOX_TOKEN_MODEL = "claims.ApiToken"
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=FACTCHECK_API_TOKEN_TTL_DAYS),
    # `Authorization: Token <key>`, as with DRF's tokens, so scripts keep their header.
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# Knox's migrations create its own token table even when the model is swapped out for
# claims.ApiToken (they carry no `swappable` option); without them nothing creates it.
MIGRATION_MODULES = {"knox": None}

AUTHENTICATION_BACKENDS = [
    "claims.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "claims.lockout.failure_limit"
AXES_COOLOFF_TIME = "claims.lockout.cool_off"
AXES_COOLOFF_MESSAGE = "Too many failed logins. Wait a few minutes and try again."
AXES_CLIENT_IP_CALLABLE = "claims.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# How many reverse proxies in front of the service append to X-Forwarded-For. 0 (the
# default): the header is ignored and the client is REMOTE_ADDR, since any client can
# send the header itself. Used by the login lockout and DRF's throttles (NUM_PROXIES).
FACTCHECK_NUM_PROXIES = env_int("FACTCHECK_NUM_PROXIES", 0, minimum=0)
# Behind a proxy that ends TLS, the request reaches us as http: trust its
# X-Forwarded-Proto, or the https redirect never ends. Only when proxies are named.
if FACTCHECK_NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Shared by every web process when set (the API's throttles).
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: only redis:// URLs are supported")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL")
# No broker configured: the embedded default runs every task in-process, at once.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = env_bool("CELERY_TASK_EAGER_PROPAGATES", False)
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# At-least-once: acknowledge after the task ran, requeue when the worker process dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180, minimum=2)
# Must exceed every task's hard limit, or Redis redelivers a task that is still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1),
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT, or Redis hands a task "
        "that is still running to a second worker"
    )
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "workers.tasks.fetch_source_request": {"queue": "fetch"},
    "workers.tasks.poll_feed": {"queue": "fetch"},
    "workers.tasks.deliver_webhook": {"queue": "fetch"},
    "workers.tasks.fetch_feed_item": {"queue": "fetch"},
    "workers.tasks.deliver_alert": {"queue": "fetch"},
    "workers.tasks.poll_factcheck_feed": {"queue": "fetch"},
}
CELERY_BEAT_SCHEDULE = {
    "poll-feeds": {"task": "workers.tasks.poll_due_feeds", "schedule": 60.0},
    "sweep-stuck": {"task": "workers.tasks.sweep_stuck", "schedule": 300.0},
    # Hourly: each quiet stretch of an assignment is reminded once (idempotent per stretch).
    "stale-reminders": {"task": "workers.tasks.send_stale_reminders", "schedule": 3600.0},
    "daily-digest": {
        "task": "workers.tasks.send_daily_digests",
        "schedule": crontab(hour=FACTCHECK_DIGEST_HOUR, minute=0),
    },
    "poll-factcheck-feeds": {"task": "workers.tasks.poll_due_factcheck_feeds", "schedule": 300.0},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- REST framework ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes anonymous requests 401, not 403.
        # Knox's digest lookup, with a clear 401 for an expired token (claims/tokens.py).
        "claims.api.authentication.ApiTokenAuthentication",
        # Browser sessions; DRF enforces CSRF on their unsafe methods.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["claims.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.filters.Pagination",
    "PAGE_SIZE": 50,
    # Declared-oversized bodies are refused (413) before they are read.
    "DEFAULT_PARSER_CLASSES": ["claims.api.errors.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "claims.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_TOKEN_THROTTLE", "20/minute")},
    # Unset, DRF keys throttles on whatever X-Forwarded-For a client sends.
    "NUM_PROXIES": FACTCHECK_NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check workflow API",
    "DESCRIPTION": (
        "Claims extracted from articles, their evidence and flags, comments and rulings. "
        "Authenticate with `Authorization: Token <key>` (POST /api/auth/token/ issues a named, "
        "expiring token and shows its key that once) or a session "
        "(with the CSRF token on writes). Errors share one shape: {code, message, fields}."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimStateEnum": "claims.models.ClaimState",
        "FlagKindEnum": "claims.models.FlagKind",
        "RecommendationEnum": "claims.models.Recommendation",
        "ArticleStatusEnum": "claims.models.Article.Status",
        "SourceRequestStatusEnum": "claims.models.SourceRequest.Status",
        "DeliveryStatusEnum": "claims.models.WebhookDelivery.Status",
        "VerdictEnum": "claims.models.Suggestion.Verdict",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "factcheck": {"level": env_str("LOG_LEVEL", "INFO"), "propagate": True},
        "workers": {"level": env_str("LOG_LEVEL", "INFO"), "propagate": True},
        "claims": {"level": env_str("LOG_LEVEL", "INFO"), "propagate": True},
    },
}

if EMBEDDED:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
