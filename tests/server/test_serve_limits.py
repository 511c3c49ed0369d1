"""Connection limits of one server process: slow or silent clients are cut off,
and connections over the cap get a clear 503 instead of starving everyone."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx

from tests.conftest import ServerProcess


def _connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    return s


def _read_all(s: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = s.recv(4096)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_connection_cap_and_header_timeout(
        server_factory: Callable[..., ServerProcess], sqlite_url: str) -> None:
    server = server_factory(sqlite_url, env={
        "RAATI_MAX_CONNECTIONS": "12", "RAATI_HEADER_TIMEOUT": "1", "RAATI_BODY_TIMEOUT": "1"})
    held = [_connect(server.port) for _ in range(12)]
    held[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    extra = _connect(server.port)
    refused = _read_all(extra)
    assert refused.startswith(b"HTTP/1.1 503"), refused
    assert b"ruuhkainen" in refused and b"retry-after" in refused.lower()
    # Silent and slow-header clients are cut off; their places free up.
    for s in held:
        answer = _read_all(s)
        assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer
        s.close()
    extra.close()
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200


def test_slow_body_is_cut_off(server_factory: Callable[..., ServerProcess],
                              sqlite_url: str) -> None:
    server = server_factory(sqlite_url, env={"RAATI_BODY_TIMEOUT": "1"})
    s = _connect(server.port)
    # The login form reads its body before anything else; this one stalls.
    s.sendall(b"POST /staff/login HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/x-www-form-urlencoded\r\n"
              b"Content-Length: 100\r\n\r\nusername=a")
    answer = _read_all(s)
    s.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
