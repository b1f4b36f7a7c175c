"""Who may open the chat (ui/access.py): anyone on this machine; beyond it only after st.login, and
without a login set up not at all: the page, serve.py and scripts/start.sh refuse."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

import ui.access
from conftest import assert_app_ok
from ui.access import is_loopback, missing_auth, refusal

ROOT = Path(__file__).resolve().parents[2]
# Placeholders in the shape Entra ID's are; nothing here is ever sent anywhere.
AUTH = {
    "redirect_uri": "https://chat.example.org/oauth2callback",
    "cookie_secret": "a-long-random-string-for-signing-the-cookie",
    "client_id": "00000000-0000-0000-0000-000000000000",
    "client_secret": "placeholder-secret",
    "server_metadata_url": "https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration",
}
AUTH_TOML = "[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in AUTH.items())


def test_only_this_machines_own_addresses_are_loopback():
    assert all(is_loopback(a) for a in ("127.0.0.1", "::1", "[::1]", "localhost", " LOCALHOST "))
    # unset or empty: Streamlit listens on every interface
    assert not any(is_loopback(a) for a in ("0.0.0.0", "::", "", None, "192.168.1.20", "chat.example.org"))


def test_a_login_needs_every_key_st_login_reads():
    assert missing_auth(AUTH) == []
    assert missing_auth(None) == list(AUTH)
    assert missing_auth({**AUTH, "client_secret": " "}) == ["client_secret"]
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    assert missing_auth({"redirect_uri": "x", "cookie_secret": "y", "default": provider}) == []


def test_refused_beyond_this_machine_without_a_login():
    assert refusal("127.0.0.1", None) is None
    assert "has no `[auth]` section" in refusal("0.0.0.0", None)
    assert "lacks client_id, client_secret in `[auth]`" in refusal("0.0.0.0", {**AUTH, "client_id": "", "client_secret": ""})
    assert "server.address is not set" in refusal(None, {"redirect_uri": "x"})
    assert refusal("0.0.0.0", AUTH, need_authlib=False) is None


def _app(address: str | None, monkeypatch) -> AppTest:
    """app.py run once as if Streamlit listened on ``address``, with no secrets file at all."""
    import streamlit
    from streamlit.runtime.secrets import Secrets

    monkeypatch.setattr(streamlit, "secrets", Secrets())  # not one this process may have read already
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    with patch_config_options({"server.address": address, "secrets.files": [str(ROOT / "no-such-secrets.toml")]}):
        at.run()
    return at


def _nothing_of_the_reports(at: AppTest) -> None:
    assert not at.chat_input and not at.title and not at.tabs and not at.markdown
    assert not at.sidebar.children


def test_every_interface_without_a_login_shows_only_why_and_how(monkeypatch):
    at = _app("0.0.0.0", monkeypatch)
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "0.0.0.0" in message and "[auth]" in message and ".streamlit/secrets.toml" in message
    assert "Serving to a network" in message
    _nothing_of_the_reports(at)
    assert not at.button


def test_with_a_login_set_up_a_visitor_sees_only_the_log_in_button(monkeypatch):
    """The one faked part: AppTest cannot reach an OIDC provider, so the login itself is not completed;
    the button is checked to call st.login, and Authlib (needed by st.login) is taken as installed."""
    monkeypatch.setattr(ui.access, "authlib_installed", lambda: True)
    logins = []
    monkeypatch.setattr("streamlit.login", lambda provider=None: logins.append(provider))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}  # as Streamlit seeds it once [auth] exists
    with patch_config_options({"server.address": "0.0.0.0"}):
        at.run()
        assert_app_ok(at)
        assert [b.label for b in at.button] == ["Log in"]
        _nothing_of_the_reports(at)
        at.button(key="login").click().run()
    assert logins == [None]


def test_logged_in_the_chat_shows_who_and_a_log_out(monkeypatch):
    """Logged in as the provider would leave st.user (faked: AppTest cannot complete the OIDC login)."""
    monkeypatch.setattr(ui.access, "authlib_installed", lambda: True)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "name": "Ada *Lovelace*", "email": "ada@example.org"}
    with patch_config_options({"server.address": "0.0.0.0"}):
        at.run()
        assert_app_ok(at)
        assert at.chat_input(key="question")
        assert [c.value for c in at.sidebar.caption][0] == r"Logged in as Ada \*Lovelace\*"
        at.sidebar.button(key="logout").click().run()  # st.logout clears st.user: back to the button
        assert [b.label for b in at.button] == ["Log in"]
        assert not at.chat_input


def test_on_this_machine_the_chat_needs_no_login(monkeypatch):
    at = _app("127.0.0.1", monkeypatch)
    assert_app_ok(at)
    assert at.chat_input(key="question") and at.title[0].value.startswith("Ofsted report assistant")
    assert not any(b.label in ("Log in", "Log out") for b in at.button)


def _start(tmp_path: Path, address: str | None, secrets: str | None = None) -> tuple[subprocess.CompletedProcess, Path]:
    """scripts/start.sh in a copy of the project where install.sh only leaves a mark: nothing is installed."""
    project = Path(tempfile.mkdtemp(dir=tmp_path))
    (project / "scripts").mkdir(parents=True)
    (project / "ui").mkdir()
    shutil.copy(ROOT / "scripts" / "start.sh", project / "scripts")
    (project / "scripts" / "install.sh").write_text("touch installing; exit 7\n")
    for name in ("__init__.py", "access.py"):
        shutil.copy(ROOT / "ui" / name, project / "ui")
    if secrets is not None:
        (project / ".streamlit").mkdir()
        (project / ".streamlit" / "secrets.toml").write_text(secrets)
    env = {k: v for k, v in os.environ.items() if k not in ("ADDRESS", "PYTHONPATH")}
    env |= {"HOME": str(tmp_path), "PYTHON": sys.executable}  # no ~/.streamlit/secrets.toml
    if address is not None:
        env["ADDRESS"] = address
    run = subprocess.run(["bash", str(project / "scripts" / "start.sh")], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    return run, project


def test_start_refuses_every_interface_without_a_login_before_installing(tmp_path):
    run, project = _start(tmp_path, "0.0.0.0")
    assert run.returncode == 2
    assert "not starting the chat" in run.stderr and "0.0.0.0" in run.stderr and "[auth]" in run.stderr
    assert not (project / "installing").exists()
    incomplete = AUTH_TOML.replace("client_secret", "# client_secret")
    run, _ = _start(tmp_path, "192.168.1.20", incomplete)
    assert run.returncode == 2 and "lacks client_secret" in run.stderr


@pytest.mark.parametrize("address", [None, "", "127.0.0.1", "0.0.0.0"])
def test_start_goes_on_to_install_on_this_machine_or_with_a_login(tmp_path, address):
    run, project = _start(tmp_path, address, AUTH_TOML if address == "0.0.0.0" else None)
    assert run.returncode == 7, run.stderr  # the stand-in install.sh was reached
    assert (project / "installing").exists()


@pytest.mark.slow
def test_serve_py_does_not_start_beyond_this_machine_without_a_login(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = subprocess.run(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.address", "0.0.0.0",
         "--server.port", str(port), "--secrets.files", str(tmp_path / "no-such-secrets.toml")],
        cwd=ROOT, env={**os.environ, "HOME": str(tmp_path)}, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode != 0
    assert "not serving the chat" in run.stderr + run.stdout
    assert "Application startup failed" in run.stderr + run.stdout  # before the first visitor: no model loaded
