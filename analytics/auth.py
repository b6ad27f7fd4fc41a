"""Who may write: the editor password (stored only as a salted scrypt hash) and the slow-down
of repeated wrong passwords. Pure functions; the page keeps the Throttle in its session.

Hash format: ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>``; ``pbkdf2_sha256$<iterations>$<salt
hex>$<hash hex>`` is accepted too. Make one with ``python -m analytics hash-password``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

HASH_ENV = "CCHC_EDITOR_PASSWORD_HASH"
HASH_SECRET = "editor_password_hash"
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LENGTH = 2**14, 8, 1, 32
FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 300.0


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                         dklen=KEY_LENGTH)
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
        return expected, hashlib.scrypt(secret, salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                        dklen=len(expected), maxmem=2**27)
    if scheme == "pbkdf2_sha256" and len(parts) == 3:
        iterations, salt, key = parts
        expected = bytes.fromhex(key)
        return expected, hashlib.pbkdf2_hmac("sha256", secret, bytes.fromhex(salt), int(iterations), len(expected))
    raise ValueError("unknown hash format")


def configured_hash(secrets_map, environ=os.environ) -> str | None:
    """The editor hash from secrets ("editor_password_hash"), else from $CCHC_EDITOR_PASSWORD_HASH."""
    value = secrets_map.get(HASH_SECRET) if secrets_map else None
    return value or environ.get(HASH_ENV) or None


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
