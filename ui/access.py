"""Who may open the chat: anyone on this machine; over a network, only someone logged in.

Beyond loopback the reports and the chat are behind Streamlit's ``st.login`` (an OIDC provider such as
Entra ID, set in the ``[auth]`` section of ``.streamlit/secrets.toml``); without a complete ``[auth]``
the page and ``scripts/start.sh`` refuse. Streamlit listens on every interface when ``server.address``
is unset, so unset counts as beyond loopback (the project's ``.streamlit/config.toml`` sets 127.0.0.1).

``python -m ui.access ADDRESS`` is start.sh's check: standard library only, it runs before the install.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LOOPBACK = ("127.0.0.1", "::1", "localhost")
# What st.login() needs for its default provider (streamlit.auth_util.validate_auth_credentials)
SHARED_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
HOW = ("Either serve it on this machine only (`ADDRESS=127.0.0.1`, the default), or set up a login: "
       "an `[auth]` section in `.streamlit/secrets.toml` with redirect_uri, cookie_secret, client_id, "
       "client_secret and server_metadata_url of your OIDC provider (e.g. Entra ID). "
       "See the README, Serving to a network.")


def is_loopback(address: str | None) -> bool:
    return (address or "").strip().strip("[]").lower() in LOOPBACK


def missing_auth(auth: Mapping[str, Any] | None) -> list[str]:
    """The ``[auth]`` keys st.login() needs that are missing or empty (its provider's may be in [auth.default])."""
    auth = auth or {}
    provider = auth.get("default")
    provider = provider if isinstance(provider, Mapping) else auth
    values = {k: auth.get(k) for k in SHARED_KEYS} | {k: provider.get(k) for k in PROVIDER_KEYS}
    return [k for k, v in values.items() if not str(v or "").strip()]


def authlib_installed() -> bool:
    from streamlit.auth_util import is_authlib_installed

    return is_authlib_installed()


def refusal(address: str | None, auth: Mapping[str, Any] | None, need_authlib: bool = True) -> str | None:
    """Why the chat must not be served on ``address`` with this ``[auth]``, or None when it may."""
    if is_loopback(address):
        return None
    where = f"`{address}`" if address else "every network interface (server.address is not set)"
    missing = missing_auth(auth)
    if missing:
        lacking = ("has no `[auth]` section" if len(missing) == len(SHARED_KEYS + PROVIDER_KEYS)
                   else f"lacks {', '.join(missing)} in `[auth]`")
        return (f"this server listens on {where}, beyond this machine, and no login is set up "
                f"(`.streamlit/secrets.toml` {lacking}). {HOW}")
    if need_authlib and not authlib_installed():
        return ("logging in needs the Authlib package, which is not installed. "
                "Run `bash scripts/install.sh` (or `pip install Authlib`).")
    return None


def server_address() -> str | None:
    from streamlit import config

    return config.get_option("server.address")  # as in effect: --server.address, env, config.toml


def server_refusal() -> str | None:
    """refusal() for this Streamlit server: its address and the ``[auth]`` of its secrets."""
    import streamlit as st

    address = server_address()
    if is_loopback(address):
        return None  # no secrets read: a broken secrets.toml does not stop local use
    return refusal(address, st.secrets.get("auth") if st.secrets.load_if_toml_exists() else None)


def require_access() -> None:
    """First thing on the page: stop the run unless this visitor may see the reports and the chat."""
    import streamlit as st

    if is_loopback(server_address()):
        return  # local use needs no login
    reason = server_refusal()
    if reason:
        st.error(f"The reports and the chat are not shown: {reason}")
        st.stop()
    if not st.user.get("is_logged_in"):  # missing (not just False) when the login never ran: not logged in
        st.button("Log in", key="login", on_click=st.login, type="primary")
        st.stop()
    from ui.text import escape_markdown_inline  # names come from the identity provider

    who = st.user.get("name") or st.user.get("email") or "unknown user"
    st.sidebar.caption(f"Logged in as {escape_markdown_inline(str(who))}")
    st.sidebar.button("Log out", key="logout", on_click=st.logout)


def _secrets_file_auth(root: Path) -> Mapping[str, Any] | None:
    """``[auth]`` as Streamlit reads it by default: ~/.streamlit then ./.streamlit; the later file's wins."""
    import tomllib

    auth = None
    for path in (Path.home() / ".streamlit" / "secrets.toml", root / ".streamlit" / "secrets.toml"):
        if path.is_file():
            auth = tomllib.loads(path.read_text(encoding="utf-8")).get("auth", auth)
    return auth


def main(argv: list[str]) -> int:
    address = argv[0] if argv else ""
    if is_loopback(address):
        return 0  # no secrets read: a broken secrets.toml does not stop local use
    reason = refusal(address, _secrets_file_auth(Path.cwd()), need_authlib=False)  # the install brings Authlib
    if reason:
        print(f"start.sh: not starting the chat: {reason}".replace("`", ""), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
