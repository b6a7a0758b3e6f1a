"""The API personas of tests/api, for the security tests."""

from tests.api.conftest import (  # noqa: F401 (fixtures)
    as_alice,
    as_anon,
    as_bob,
    as_charlie,
    corroborating,
    personas,
    verified,
)
