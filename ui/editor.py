"""Who may write, on the page: editor password (hash in secrets or env) or an OIDC sign-in.

Viewing is open; uploading, replacing and undoing call `editor()` and get None unless the
session has signed in. The slow-down of wrong passwords lives in analytics/auth.py.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from analytics.auth import Throttle, configured_hash, try_password

EDITOR_KEY = "_editor"
THROTTLE_KEY = "_editor_throttle"
MESSAGE_KEY = "_editor_message"
PASSWORD_ACTOR = "biên tập viên (mật khẩu)"


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


def editor() -> str | None:
    """Who is signed in as an editor in this session (the actor of audit rows), or None."""
    return st.session_state.get(EDITOR_KEY) or _oidc_editor()


def _check_password() -> None:
    throttle = st.session_state.get(THROTTLE_KEY, Throttle())
    ok, throttle, message = try_password(st.session_state.get("editor_password", ""),
                                         configured_hash(_secrets(), os.environ), throttle, time.monotonic())
    st.session_state[THROTTLE_KEY] = throttle
    st.session_state[MESSAGE_KEY] = ("success" if ok else "error", message)
    if ok:
        st.session_state[EDITOR_KEY] = PASSWORD_ACTOR


def sign_out() -> None:
    st.session_state.pop(EDITOR_KEY, None)
    st.session_state[MESSAGE_KEY] = ("info", "Đã đăng xuất.")
    if oidc_configured() and st.user.is_logged_in:
        st.logout()


def sign_in_panel() -> None:
    """The password form (and the OIDC button when a provider is configured)."""
    st.info("Ai cũng xem được dữ liệu. Nạp, thay thế và hoàn tác dữ liệu cần đăng nhập biên tập viên.",
            icon=":material/lock:")
    with st.form("editor_sign_in", clear_on_submit=True):
        st.text_input("Mật khẩu biên tập viên", type="password", key="editor_password")
        st.form_submit_button("Đăng nhập", on_click=_check_password, key="editor_sign_in_button")
    if oidc_configured():
        st.button("Đăng nhập bằng tài khoản tổ chức", on_click=st.login, key="editor_oidc_button",
                  icon=":material/login:")
    show_message()


def show_message() -> None:
    kind, message = st.session_state.pop(MESSAGE_KEY, (None, None))
    if message:
        getattr(st, kind)(message)


def signed_in_bar(actor: str) -> None:
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.success(f"Đang đăng nhập: {actor}", icon=":material/verified_user:")
    right.button("Đăng xuất", on_click=sign_out, key="editor_sign_out")
    show_message()
