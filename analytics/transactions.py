"""Every write to the store goes through `transaction`: all of it or nothing, one writer at a time.

Writers in one process take WRITE_LOCK, so two writes run one after the other; across processes
DuckDB's own file lock keeps a second writer out.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import duckdb

from analytics.errors import CchcError

WRITE_LOCK = threading.RLock()


@contextmanager
def transaction(con):
    """BEGIN … COMMIT under WRITE_LOCK; ROLLBACK on any error, store errors shown in Vietnamese."""
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException as exc:
            _rollback(con)
            if isinstance(exc, duckdb.Error):
                raise CchcError(f"Không ghi được vào kho dữ liệu, chưa có gì thay đổi: {exc}") from exc
            raise


@contextmanager
def trial(con):
    """A transaction that is always rolled back: to see what the store would look like."""
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except duckdb.Error as exc:
            raise CchcError(f"Không xem trước được (kho đang bận?), hãy thử lại: {exc}") from exc
        finally:
            _rollback(con)


def _rollback(con) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # the transaction was already aborted by the failing statement
