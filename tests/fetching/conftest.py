"""Fixtures for the fetching tests, and the guard that keeps them off the network.

Every test here talks only to servers it starts on 127.0.0.1 / ::1. The autouse
``loopback_only`` guard fails any attempt to dial another address, so an SSRF test
that forgot to refuse cannot send traffic anywhere, and it records every dial so a
test can assert that a refused fetch never connected at all.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from .localserver import LocalServer, start_server


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv, state = start_server()
    yield state
    srv.shutdown()
    srv.server_close()


@dataclass
class DialLog:
    addresses: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> DialLog:
    """Refuse (and fail the test on) any dial that is not to loopback."""
    log = DialLog()
    real = socket.create_connection

    def guarded(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        host, port = address[0], address[1]
        log.addresses.append((host, port))
        if host not in ("127.0.0.1", "::1"):
            pytest.fail(f"test tried to connect to {host}:{port}, which is not loopback")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    return log
