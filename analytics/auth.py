"""Who may write: the editor password (stored only as a salted scrypt hash) and the slow-down
of repeated wrong passwords. Pure functions, and two process-wide books every session shares:
FAILURES (wrong passwords per client address and overall) and SESSIONS (sign-ins kept across a
page reload by a cookie holding a random token).

Hash format: ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>``; ``pbkdf2_sha256$<iterations>$<salt
hex>$<hash hex>`` is accepted too. Make one with ``python -m analytics hash-password``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, field

SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LENGTH = 2**14, 8, 1, 32
FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 300.0


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=KEY_LENGTH)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """True iff password matches the stored hash; False for a missing or malformed hash."""
    if not stored or not password:
        return False
    try:
        expected, actual = _derive(password, stored.strip())
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, actual)


def _derive(password: str, stored: str) -> tuple[bytes, bytes]:
    scheme, *parts = stored.split("$")
    secret = password.encode("utf-8")
    if scheme == "scrypt" and len(parts) == 5:
        n, r, p, salt, key = parts
        expected = bytes.fromhex(key)
        return expected, hashlib.scrypt(
            secret, salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected), maxmem=2**27
        )
    if scheme == "pbkdf2_sha256" and len(parts) == 3:
        iterations, salt, key = parts
        expected = bytes.fromhex(key)
        return expected, hashlib.pbkdf2_hmac("sha256", secret, bytes.fromhex(salt), int(iterations), len(expected))
    raise ValueError("unknown hash format")


@dataclass(frozen=True)
class Throttle:
    """Wrong passwords of one session: after the k-th, the next try waits 2^(k-1) s (max 5 min)."""

    failures: int = 0
    next_try_at: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds before another password may be tried (0 when one may be tried now)."""
        return max(0.0, self.next_try_at - now)

    def failed(self, now: float) -> Throttle:
        failures = self.failures + 1
        return Throttle(failures, now + delay_after(failures))


def delay_after(failures: int) -> float:
    return 0.0 if failures <= 0 else min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - 1))


def try_password(password: str, stored: str | None, throttle: Throttle, now: float) -> tuple[bool, Throttle, str]:
    """(signed in, new throttle, message for the user). A try during the wait is refused unchecked."""
    wait = throttle.wait(now)
    if wait > 0:
        return False, throttle, f"Sai mật khẩu nhiều lần: vui lòng đợi {int(wait + 0.999)} giây rồi thử lại."
    if stored is None:
        return False, throttle, "Chưa cấu hình mật khẩu biên tập viên (xem README, mục Nạp dữ liệu)."
    if verify_password(password, stored):
        return True, Throttle(), "Đã đăng nhập với quyền biên tập."
    after = throttle.failed(now)
    return False, after, f"Sai mật khẩu. Lần thử tiếp theo sau {int(after.wait(now) + 0.999)} giây."


# --- shared by every session of this server process ------------------------------------------
# Kept in the process rather than the store or a file: one Streamlit server is one process, the
# store stays read-mostly and its schema unchanged, and nothing is written to disk. The trade-off:
# a restart forgets the failures (and signs editors out), and several server processes behind one
# proxy would each keep their own. Addresses are those the server sees (a proxy's, behind one: then
# the per-address and the overall limits coincide, which still slows guessing).

OVERALL_FREE_FAILURES = 10  # wrong passwords from all addresses before the overall wait starts
QUIET_SECONDS = 3600.0  # the overall count is forgotten after an hour without a wrong password
EDITOR_SESSION_SECONDS = 8 * 3600.0


@dataclass
class FailureBook:
    """Wrong passwords per client address and overall; every session of the server sees the same book."""

    by_address: dict[str, Throttle] = field(default_factory=dict)
    overall: int = 0
    last_failure_at: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def throttle(self, address: str, now: float) -> Throttle:
        """The address's throttle, its wait stretched to the overall wait when that is longer."""
        own = self.by_address.get(address, Throttle())
        return Throttle(own.failures, max(own.next_try_at, self.overall_next_try(now)))

    def overall_next_try(self, now: float) -> float:
        if now - self.last_failure_at > QUIET_SECONDS:
            return 0.0
        return self.last_failure_at + delay_after(self.overall - OVERALL_FREE_FAILURES)

    def record(self, address: str, ok: bool, now: float) -> None:
        if ok:
            self.by_address.pop(address, None)
            return
        self.by_address[address] = self.by_address.get(address, Throttle()).failed(now)
        self.overall = (0 if now - self.last_failure_at > QUIET_SECONDS else self.overall) + 1
        self.last_failure_at = now

    def attempt(self, password: str, stored: str | None, address: str, now: float) -> tuple[bool, str]:
        """try_password() against this book: (signed in, message for the user)."""
        with self.lock:
            throttle = self.throttle(address, now)
            ok, after, message = try_password(password, stored, throttle, now)
            if ok or after is not throttle:  # a password was checked (not refused during the wait)
                self.record(address, ok, now)
        return ok, message

    def clear(self) -> None:
        with self.lock:
            self.by_address.clear()
            self.overall, self.last_failure_at = 0, float("-inf")


@dataclass
class EditorSessions:
    """Sign-ins that outlive a page reload: a random token kept in a cookie, its hash kept here."""

    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # sha256(token) -> (actor, expires at)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def open(self, actor: str, now: float) -> str:
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens = {k: v for k, v in self.tokens.items() if v[1] > now}
            self.tokens[_digest(token)] = (actor, now + EDITOR_SESSION_SECONDS)
        return token

    def actor(self, token: str | None, now: float) -> str | None:
        if not token or not isinstance(token, str):
            return None
        with self.lock:
            actor, expires = self.tokens.get(_digest(token), (None, 0.0))
        return actor if expires > now else None

    def close(self, token: str | None) -> None:
        if token:
            with self.lock:
                self.tokens.pop(_digest(token), None)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


FAILURES = FailureBook()
SESSIONS = EditorSessions()
