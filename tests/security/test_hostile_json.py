"""Finding 4: deeply nested JSON gave a 500 (an uncaught RecursionError), even anonymously."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def post_raw(api, url, body: str):
    return api.generic("POST", url, body, content_type="application/json")


def test_a_hundred_thousand_nested_brackets_to_the_token_endpoint_is_a_400():
    response = post_raw(APIClient(), "/api/auth/token/", "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "nested too deeply" in response.json()["message"]


def test_json_past_the_depth_bound_is_a_400_even_when_it_parses(alice):
    api = APIClient()
    api.force_authenticate(alice)
    body = '{"a":' * 500 + "1" + "}" * 500
    response = post_raw(api, "/api/factchecks/", body)
    assert response.status_code == 400 and "nested too deeply" in response.json()["message"]


def test_ordinary_json_still_parses(alice):
    response = post_raw(
        APIClient(), "/api/auth/token/", '{"username": "alice", "password": "pw-alice"}'
    )
    assert response.status_code == 200 and "token" in response.json()
