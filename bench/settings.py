"""Settings for the benchmark's gunicorn: the product's settings plus a floor view and a
per-request query counter. Nothing here is served by the product itself."""

from factcheck.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCount", *MIDDLEWARE]  # noqa: F405
