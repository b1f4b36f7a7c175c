"""Nothing leaves the machine: ingest, ask and the app's start with every connection beyond this
machine refused (as behind a council firewall, or on CI with no internet but the package registries)."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from tests.conftest import REPORT, app_over_index, assert_app_ok


def _loopback(host) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return str(host) in ("localhost", "")


@pytest.fixture
def offline(monkeypatch) -> list[str]:
    """Refuse, and record, every attempt to reach a host that is not this machine."""
    attempts: list[str] = []
    connect, resolve = socket.socket.connect, socket.getaddrinfo

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            attempts.append(f"connect {address}")
            raise OSError("network blocked by the test")
        return connect(self, address)

    def guarded_resolve(host, *args, **kwargs):
        if host is not None and not _loopback(host):
            attempts.append(f"resolve {host}")
            raise socket.gaierror("network blocked by the test")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_resolve)
    return attempts


@pytest.mark.slow
def test_ingest_ask_and_app_start_need_no_network(offline, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from assistant import Assistant, Settings
    from assistant.retrieval.embeddings import load_embeddings

    settings = Settings(index_dir=tmp_path / "index", reports=[REPORT])
    bot = Assistant(settings, embeddings=load_embeddings(settings))  # the model loaded and the report ingested here
    answer = bot.ask("How long did care proceedings take on average?")
    assert "28 weeks" in answer.answer and answer.citations
    for _ in app_over_index(monkeypatch, tmp_path / "index", [REPORT]):
        app = AppTest.from_file("../app.py", default_timeout=180).run()
        assert_app_ok(app)
        assert app.chat_input, "the chat box"
    assert offline == []


def test_the_guard_refuses_other_hosts_and_lets_this_machine_through(offline):
    with pytest.raises(OSError):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
    with pytest.raises(OSError):
        socket.getaddrinfo("pypi.org", 443)
    assert len(offline) == 2
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    socket.create_connection(server.getsockname(), timeout=1).close()
    server.close()
    assert len(offline) == 2
