"""Finding 5: the ClaimReview JSON-LD could carry a raw `</script>`.

ClaimReview is published inside `<script type="application/ld+json">`; the claim text,
headline, byline, outlet and rationale are text an outlet or a user controls. Every
JSON-LD the service emits escapes `<`, `>` and `&`, and a ready-to-paste snippet is one
script element whatever the text.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from claims.models import Claim, Ruling
from tests.factories import ArticleFactory, claim_in_state

pytestmark = pytest.mark.django_db

BREAKOUT = "</script><script>alert('pwned')</script><!-- & -->"


@pytest.fixture
def hostile(alice):
    article = ArticleFactory(
        title=f"Headline {BREAKOUT}", byline=f"By {BREAKOUT}", outlet=f"Outlet {BREAKOUT}"
    )
    claim = claim_in_state("verified", ruler=alice, article=article)
    Claim.objects.filter(pk=claim.pk).update(text=f"Claim {BREAKOUT}", rationale=BREAKOUT)
    Ruling.objects.filter(claim=claim).update(rationale=f"Because {BREAKOUT}")
    return claim


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data):
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


@pytest.mark.parametrize("url", ["/api/claims/{pk}/claimreview/", "/api/claimreviews/"])
def test_every_jsonld_escapes_angle_brackets_and_ampersands(as_bob, hostile, url):
    response = as_bob.get(url.format(pk=hostile.pk))
    assert response.status_code == 200
    raw = response.content.decode()
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert "\\u003c/script\\u003e" in raw
    assert BREAKOUT in json.dumps(response.json(), ensure_ascii=False)  # same data, decoded


def test_the_snippet_is_one_script_element_that_decodes_to_the_review(as_bob, hostile):
    response = as_bob.get(f"/api/claims/{hostile.pk}/claimreview/snippet/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    parser = Scripts()
    parser.feed(response.content.decode())
    assert len(parser.scripts) == 1
    attrs, body = parser.scripts[0]
    assert attrs == {"type": "application/ld+json"}
    review = json.loads(body)
    assert review["claimReviewed"] == f"Claim {BREAKOUT}"
    assert review["itemReviewed"]["appearance"][0]["author"]["name"] == f"By {BREAKOUT}"
    assert review == as_bob.get(f"/api/claims/{hostile.pk}/claimreview/").json()


def test_claimreview_answers_browsers_with_jsonld_not_html(as_bob, hostile):
    # Finding 15: it used to answer a browser with Browsable-API HTML under ld+json.
    response = as_bob.get(
        f"/api/claims/{hostile.pk}/claimreview/",
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )
    assert response["Content-Type"].startswith("application/ld+json")
    assert response.json()["@type"] == "ClaimReview"


def test_an_unruled_claim_has_no_snippet(as_bob, corroborating):
    response = as_bob.get(f"/api/claims/{corroborating.pk}/claimreview/snippet/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
