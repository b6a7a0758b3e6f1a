"""The Fact Check Tools client against a real local server serving the documented
`claims:search` shape: paging with nextPageToken, errors, and the import command."""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command

from claims.models import FactCheck
from tests.fetching.localserver import make_policy, respond, start_server
from workers import factcheck_tools

KEY = "test-key-123"


def _review(n: int) -> dict:
    return {
        "text": f"Claim number {n} about the harbour bridge closing.",
        "claimant": "A council member",
        "claimDate": "2024-04-30T00:00:00Z",
        "claimReview": [
            {
                "publisher": {"name": "Full Fact", "site": "fullfact.org"},
                "url": f"https://fullfact.example/bridge-{n}",
                "title": f"Bridge claim {n}",
                "reviewDate": "2024-05-02T00:00:00Z",
                "textualRating": "Incorrect",
                "languageCode": "en",
            }
        ],
    }


@pytest.fixture
def api():
    """claims:search on loopback: two pages, then errors on demand by query."""
    srv, state = start_server()

    @state.route("/v1alpha1/claims:search")
    def search(h):
        params = {k: v[0] for k, v in parse_qs(urlsplit(h.path).query).items()}
        if params.get("key") != KEY:
            respond(h, 403, b'{"error": {"code": 403, "message": "bad key"}}', "application/json")
            return
        query = params.get("query", "")
        if query == "boom":
            respond(h, 503, b'{"error": {"code": 503}}', "application/json")
            return
        if query == "garbage":
            respond(h, 200, b"<html>not json</html>", "application/json")
            return
        if query == "error-body":
            body = {
                "error": {"code": 400, "message": f"Request contains an invalid argument {KEY}"}
            }
            respond(h, 200, json.dumps(body).encode(), "application/json")
            return
        if params.get("pageToken") == "page-2":
            page = {"claims": [_review(3), {"text": "no reviews here"}]}
        else:
            page = {"claims": [_review(1), _review(2)], "nextPageToken": "page-2"}
        respond(h, 200, json.dumps(page).encode(), "application/json; charset=UTF-8")

    yield state
    srv.shutdown()
    srv.server_close()


def _search(api, query="bridge", **kw):
    return factcheck_tools.search(
        query,
        api_key=kw.pop("api_key", KEY),
        url=api.url("/v1alpha1/claims:search"),
        policy=make_policy(),
        **kw,
    )


def test_paging_follows_next_page_token(api):
    doc = _search(api, language="en")
    assert [i.review_url for i in doc.items] == [
        "https://fullfact.example/bridge-1",
        "https://fullfact.example/bridge-2",
        "https://fullfact.example/bridge-3",
    ]
    assert [str(s) for s in doc.skipped] == ["page 2 claim 2: no claimReview list"]
    first, second = (parse_qs(urlsplit(p).query) for p in api.paths)
    assert first["query"] == ["bridge"] and first["languageCode"] == ["en"]
    assert "pageToken" not in first and second["pageToken"] == ["page-2"]
    assert first["key"] == [KEY]


def test_max_pages_stops_paging(api):
    doc = _search(api, max_pages=1)
    assert len(doc.items) == 2 and doc.next_page_token == "page-2"
    assert len(api.paths) == 1


@pytest.mark.parametrize(
    ("kwargs", "match", "transient"),
    [
        ({"api_key": "wrong"}, "refused the key", False),
        ({"query": "boom"}, "server error", True),
        ({"query": "garbage"}, "not JSON", False),
        ({"query": "error-body"}, "answered an error", False),
    ],
)
def test_errors_are_readable_and_never_show_the_key(api, kwargs, match, transient):
    with pytest.raises(factcheck_tools.FactCheckToolsError) as caught:
        _search(api, **kwargs)
    assert match in caught.value.reason
    assert caught.value.transient is transient
    assert KEY not in caught.value.reason and "wrong" not in caught.value.reason


def test_no_key_no_request(api, settings):
    settings.FACTCHECK_TOOLS_API_KEY = ""
    with pytest.raises(factcheck_tools.FactCheckToolsError, match="FACTCHECK_TOOLS_API_KEY"):
        factcheck_tools.search("bridge", url=api.url("/v1alpha1/claims:search"))
    assert api.paths == []


@pytest.mark.django_db
def test_the_command_imports_a_google_search(api, settings):
    settings.FACTCHECK_TOOLS_API_KEY = KEY
    settings.FACTCHECK_TOOLS_URL = api.url("/v1alpha1/claims:search")
    out = io.StringIO()
    call_command("import_factchecks", "--google", "bridge", stdout=out)
    assert "google: bridge (factchecktools): 3 imported" in out.getvalue()
    assert "1 skipped" in out.getvalue()
    fc = FactCheck.objects.get(review_url="https://fullfact.example/bridge-1")
    assert (fc.publisher, fc.rating_text, fc.claimant, fc.language) == (
        "Full Fact",
        "Incorrect",
        "A council member",
        "en",
    )
    settings.FACTCHECK_TOOLS_API_KEY = "wrong"
    with pytest.raises(CommandError, match="Fact Check Tools: page 1: the API refused the key"):
        call_command("import_factchecks", "--google", "bridge", stdout=io.StringIO())
