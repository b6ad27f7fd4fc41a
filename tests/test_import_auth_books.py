"""The process-wide books behind the sign-in: wrong passwords per address and overall, and the
tokens that keep a sign-in across a page reload."""

from __future__ import annotations

from analytics.auth import (
    EDITOR_SESSION_SECONDS,
    OVERALL_FREE_FAILURES,
    QUIET_SECONDS,
    EditorSessions,
    FailureBook,
    hash_password,
)

STORED = hash_password("dung-mat-khau")


def test_an_address_waits_after_its_wrong_password_whatever_the_session():
    book = FailureBook()
    assert book.attempt("sai", STORED, "10.0.0.1", 100.0) == (False, "Sai mật khẩu. Lần thử tiếp theo sau 1 giây.")
    ok, message = book.attempt("dung-mat-khau", STORED, "10.0.0.1", 100.5)  # a new session: same book
    assert not ok and "vui lòng đợi 1 giây" in message
    assert book.attempt("dung-mat-khau", STORED, "10.0.0.2", 100.5)[0]  # another address is not slowed
    assert book.attempt("dung-mat-khau", STORED, "10.0.0.1", 101.1)[0]
    assert "10.0.0.1" not in book.by_address  # a success clears the address


def test_many_addresses_together_meet_the_overall_wait_and_it_is_forgotten_after_a_quiet_hour():
    book, now = FailureBook(), 1000.0
    for i in range(OVERALL_FREE_FAILURES + 1):
        book.attempt("sai", STORED, f"10.0.1.{i}", now)
    ok, message = book.attempt("dung-mat-khau", STORED, "10.0.2.1", now + 0.5)  # a fresh address
    assert not ok and "vui lòng đợi" in message
    assert book.attempt("dung-mat-khau", STORED, "10.0.2.1", now + QUIET_SECONDS + 1)[0]


def test_a_kept_sign_in_expires_and_is_closed_by_sign_out():
    sessions = EditorSessions()
    token = sessions.open("biên tập viên", 0.0)
    assert sessions.actor(token, 10.0) == "biên tập viên" and sessions.actor("khac", 10.0) is None
    assert sessions.actor(token, EDITOR_SESSION_SECONDS + 1) is None
    token = sessions.open("biên tập viên", 0.0)
    sessions.close(token)
    assert sessions.actor(token, 1.0) is None and token not in str(sessions.tokens)
