"""Every setting of the app and the CLI: its environment variable, its default and what it means.

This is the one place that reads the environment. An empty variable counts as unset, in the app and
the CLI alike. The README's "Cài đặt" table is checked against SETTINGS by tests/test_docs.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    default: str | None
    meaning: str

    def from_environment(self) -> str | None:
        """The variable's value; None when it is unset or empty."""
        return os.environ.get(self.name) or None

    def value(self) -> str | None:
        """The variable's value, else the default."""
        return self.from_environment() or self.default


DEFAULT_DB = "data/cchc.duckdb"  # in the checkout
DB_PATH = Setting("CCHC_DB", DEFAULT_DB, "Đường dẫn kho DuckDB (tham số --db của CLI được ưu tiên hơn).")
HOME_UNIT = Setting(
    "CCHC_HOME_UNIT", "042", "Mã đơn vị chủ quản mà bảng điều khiển phục vụ (mặc định 042, Huyện Bảo Lâm)."
)
EDITOR_PASSWORD_HASH = Setting(
    "CCHC_EDITOR_PASSWORD_HASH",
    None,
    "Mã băm scrypt của mật khẩu người nhập liệu (khi không có secrets.toml); "
    "tạo bằng `python -m analytics hash-password`.",
)
BROWSER_PATH = Setting("CCHC_BROWSER_PATH", None, "Trình duyệt Chromium dùng để vẽ ảnh biểu đồ (PNG, Word).")
GENERIC_BROWSER_PATH = Setting(
    "BROWSER_PATH", "/usr/bin/chromium", "Như CCHC_BROWSER_PATH, được dùng khi biến đó không đặt."
)
IMPORT_PAUSE_SECONDS = Setting(
    "CCHC_IMPORT_PAUSE_SECONDS", None, "Chỉ dùng cho kiểm thử: số giây dừng trong giao dịch nhập, ngay trước COMMIT."
)

EDITOR_HASH_SECRET = "editor_password_hash"  # its key in .streamlit/secrets.toml

SETTINGS = (DB_PATH, HOME_UNIT, EDITOR_PASSWORD_HASH, BROWSER_PATH, GENERIC_BROWSER_PATH, IMPORT_PAUSE_SECONDS)


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db, else $CCHC_DB, else data/cchc.duckdb in the checkout."""
    return Path(explicit or DB_PATH.from_environment() or ROOT / DEFAULT_DB)


def home_unit_code() -> str:
    """The unit the dashboard is for: $CCHC_HOME_UNIT, else 042 (Huyện Bảo Lâm)."""
    return HOME_UNIT.value() or "042"


def browser_path(explicit: str | os.PathLike | None = None) -> str:
    """The Chromium to draw chart images with: explicit, else $CCHC_BROWSER_PATH, else $BROWSER_PATH,
    else Debian's."""
    return str(explicit or BROWSER_PATH.value() or GENERIC_BROWSER_PATH.value())


def editor_password_hash(secrets_map=None) -> str | None:
    """The editor's hash from the app's secrets ("editor_password_hash"), else the environment."""
    value = secrets_map.get(EDITOR_HASH_SECRET) if secrets_map else None
    return value or EDITOR_PASSWORD_HASH.value()


def import_pause_seconds() -> float | None:
    value = IMPORT_PAUSE_SECONDS.value()
    return float(value) if value else None
