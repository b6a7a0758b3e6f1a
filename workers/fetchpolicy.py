"""The fetch policy from Django settings: the one place the hardened client is configured."""

from __future__ import annotations

from django.conf import settings

from workers.fetching import FetchPolicy


def fetch_policy(**overrides) -> FetchPolicy:
    values = {
        "max_bytes": settings.FACTCHECK_FETCH_MAX_BYTES,
        "total_deadline": settings.FACTCHECK_FETCH_DEADLINE,
        "allow_private_addresses": settings.FACTCHECK_FETCH_ALLOW_PRIVATE,
        "per_host_interval": settings.FACTCHECK_FETCH_HOST_INTERVAL,
    }
    values.update(overrides)
    return FetchPolicy(**values)
