"""HTTPS with a pinned address: the client dials the validated IP but still sends SNI
for, and verifies the certificate against, the original host name."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from workers.fetching import ConnectError, fetch

from .localserver import StubResolver, make_policy, respond, start_server

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl CLI")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for pinned.test (and nothing else)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", "/CN=pinned.test", "-addext", "subjectAltName=DNS:pinned.test",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(certificate):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    srv, state = start_server(wrap=lambda sock: context.wrap_socket(sock, server_side=True))
    state.sni_names = names
    yield state
    srv.shutdown()
    srv.server_close()


def trusting(certificate):
    return ssl.create_default_context(cafile=str(certificate[0]))


def test_https_to_a_pinned_address_uses_the_host_name_for_sni_and_verification(
    tls_server, certificate, loopback_only
):
    tls_server.routes["/"] = lambda h: respond(h, 200, b"over tls")
    resolver = StubResolver({"pinned.test": ["127.0.0.1"]})
    policy = make_policy(resolver=resolver, ssl_context=trusting(certificate), respect_robots=False)

    result = fetch(f"https://pinned.test:{tls_server.port}/", policy)

    assert result.body == b"over tls"
    assert tls_server.sni_names == ["pinned.test"]
    assert loopback_only.addresses == [("127.0.0.1", tls_server.port)]
    assert tls_server.requests[0].headers["host"] == f"pinned.test:{tls_server.port}"


def test_certificate_for_another_name_is_refused(tls_server, certificate):
    tls_server.routes["/"] = lambda h: respond(h, 200, b"should not be read")
    resolver = StubResolver({"other.test": ["127.0.0.1"]})
    policy = make_policy(resolver=resolver, ssl_context=trusting(certificate), respect_robots=False)

    with pytest.raises(ConnectError) as caught:
        fetch(f"https://other.test:{tls_server.port}/", policy)

    assert "TLS certificate of other.test could not be verified" in caught.value.reason
    assert caught.value.transient is False
    assert tls_server.requests == []


def test_untrusted_certificate_is_refused(tls_server):
    resolver = StubResolver({"pinned.test": ["127.0.0.1"]})
    policy = make_policy(resolver=resolver, respect_robots=False)  # default trust store

    with pytest.raises(ConnectError, match="could not be verified"):
        fetch(f"https://pinned.test:{tls_server.port}/", policy)
    assert tls_server.requests == []
