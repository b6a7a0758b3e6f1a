"""A watched outlet: a real HTTP server on loopback serving a feed and its article pages."""

from __future__ import annotations

import pytest

from tests.fetching.localserver import respond, start_server


@pytest.fixture
def outlet():
    srv, state = start_server()
    yield state
    srv.shutdown()
    srv.server_close()


@pytest.fixture(autouse=True)
def _fast_fetches(settings):
    # Politeness waits between requests to one host would only slow the tests down.
    settings.FACTCHECK_FETCH_HOST_INTERVAL = 0.0


def page(title: str, paragraphs: list[str], author: str = "Page Author") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="author" content="{author}"></head><body><header><nav>Home · World'
        f"</nav></header><article><h1>{title}</h1>{body}</article><footer>© Example Wire"
        "</footer></body></html>"
    ).encode()


def rss(items: list[dict], title: str = "Example Wire") -> bytes:
    entries = "".join(
        f"<item><title>{i['title']}</title><link>{i['link']}</link>"
        f'<guid isPermaLink="false">{i["guid"]}</guid>'
        f"<pubDate>{i.get('date', 'Fri, 31 Jan 2025 14:30:00 +0000')}</pubDate>"
        f"<dc:creator>{i.get('author', 'Jane Reporter')}</dc:creator></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{title}</title><link>https://wire.example/</link>{entries}</channel></rss>"
    ).encode()


KURSK = page(
    "Troops pulled back from Kursk",
    [
        "North Korean troops have been pulled back from the front in the Kursk region, "
        "Ukrainian officials said on Friday.",
        "Officials who spoke on condition of anonymity said around 11,000 North Korean "
        "soldiers arrived in Russia last November.",
        "Reports suggest that half of them have been killed or wounded since then.",
    ],
)
SHELLS = page(
    "Shells from Pyongyang",
    [
        "More than half of the artillery shells Russia fires in Ukraine now come from North "
        "Korea, according to Ukrainian military intelligence.",
        "In some sectors of the front the share is more than 70 per cent, the agency said.",
    ],
)


def serve(outlet, path: str, body: bytes, content_type: str = "text/html; charset=utf-8"):
    outlet.routes[path] = lambda h: respond(h, 200, body, content_type)
