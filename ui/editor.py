"""Who may write, on the page: editor password (hash in secrets or env) or an OIDC sign-in.

Viewing is open; uploading, replacing and undoing call `editor()` and get None unless the
session has signed in. Wrong passwords are counted in analytics.auth.FAILURES, which every
session of the server shares (per client address and overall), so a reload or a new browser
does not reset the wait.

A sign-in outlives a page reload this way: the server keeps the SHA-256 of a random token
(analytics.auth.SESSIONS, 8 hours, forgotten on sign-out and on a server restart) and the browser
keeps the token in a first-party cookie (SameSite=Strict, Secure over HTTPS) written by a tiny
script component; Streamlit hands the cookies of the page's request to `st.context.cookies`. The
token is not in the URL, so sharing a link never shares the sign-in. The cookie cannot be
HttpOnly (a script writes it); the app renders no text from users as HTML, so no script of
theirs can read it.
"""

from __future__ import annotations

import time

import streamlit as st

from analytics.auth import EDITOR_SESSION_SECONDS, FAILURES, SESSIONS
from analytics.settings import editor_password_hash

EDITOR_KEY = "_editor"
TOKEN_KEY = "_editor_token"
COOKIE_KEY = "_editor_cookie_pending"  # the cookie value to write on this run ("" clears it)
MESSAGE_KEY = "_editor_message"
PASSWORD_ACTOR = "biên tập viên (mật khẩu)"
COOKIE_NAME = "cchc_editor"
COOKIE_JS = """
export default function ({ data }) {
    if (!data || !data.name) return;
    const secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${data.name}=${data.value}; Path=/; Max-Age=${data.max_age}; SameSite=Strict${secure}`;
}
"""
_cookie_writer = st.components.v2.component("cchc_editor_cookie", js=COOKIE_JS)


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml at all: Streamlit raises on first access
        return {}


def oidc_configured() -> bool:
    return "auth" in _secrets()


def _oidc_editor() -> str | None:
    if not oidc_configured() or not st.user.is_logged_in:
        return None
    email = st.user.get("email") or st.user.get("name") or "oidc"
    allowed = _secrets().get("editor_emails")
    return email if not allowed or email in allowed else None


def client_address() -> str:
    """The address the server sees; Streamlit gives None for loopback (so local browsers share one key)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "localhost"


def _cookie_editor() -> str | None:
    """The editor of a sign-in kept across a reload, restored into this session."""
    token = st.context.cookies.get(COOKIE_NAME)
    actor = SESSIONS.actor(token, time.monotonic())
    if actor:
        st.session_state[EDITOR_KEY], st.session_state[TOKEN_KEY] = actor, token
    return actor


def editor() -> str | None:
    """Who is signed in as an editor in this session (the actor of audit rows), or None."""
    return st.session_state.get(EDITOR_KEY) or _cookie_editor() or _oidc_editor()


def _check_password() -> None:
    ok, message = FAILURES.attempt(
        st.session_state.get("editor_password", ""),
        editor_password_hash(_secrets()),
        client_address(),
        time.monotonic(),
    )
    if not ok:  # a success needs no words of its own: the signed-in bar says it, once
        st.session_state[MESSAGE_KEY] = ("error", message)
    else:
        token = SESSIONS.open(PASSWORD_ACTOR, time.monotonic())
        st.session_state[EDITOR_KEY], st.session_state[TOKEN_KEY] = PASSWORD_ACTOR, token
        st.session_state[COOKIE_KEY] = token


def sign_out() -> None:
    SESSIONS.close(st.session_state.pop(TOKEN_KEY, None))
    st.session_state.pop(EDITOR_KEY, None)
    st.session_state[COOKIE_KEY] = ""
    st.session_state[MESSAGE_KEY] = ("info", "Đã đăng xuất.")
    if oidc_configured() and st.user.is_logged_in:
        st.logout()


def write_cookie() -> None:
    """Write (or clear) the sign-in cookie once, on the run after signing in (or out)."""
    value = st.session_state.pop(COOKIE_KEY, None)
    if value is not None:
        _cookie_writer(
            data={"name": COOKIE_NAME, "value": value, "max_age": int(EDITOR_SESSION_SECONDS) if value else 0},
            key="editor_cookie",
            height=0,
        )


def sign_in_panel() -> None:
    """The password form (and the OIDC button when a provider is configured)."""
    write_cookie()
    st.info(
        "Ai cũng xem được dữ liệu. Nạp, thay thế và hoàn tác dữ liệu cần đăng nhập biên tập viên.",
        icon=":material/lock:",
    )
    with st.form("editor_sign_in", clear_on_submit=True):
        st.text_input("Mật khẩu biên tập viên", type="password", key="editor_password")
        st.form_submit_button("Đăng nhập", on_click=_check_password, key="editor_sign_in_button")
    if oidc_configured():
        st.button(
            "Đăng nhập bằng tài khoản tổ chức", on_click=st.login, key="editor_oidc_button", icon=":material/login:"
        )
    show_message()


def show_message() -> None:
    kind, message = st.session_state.pop(MESSAGE_KEY, (None, None))
    if message:
        getattr(st, kind)(message)


def signed_in_bar(actor: str) -> None:
    write_cookie()
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.success(f"Đang đăng nhập: {actor}", icon=":material/verified_user:")
    right.button("Đăng xuất", on_click=sign_out, key="editor_sign_out")
    show_message()
