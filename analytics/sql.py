"""Reading single values: the one-row queries (a count, an aggregate, a RETURNING) every module makes."""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.errors import StoreError


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    """The first column of the one row `sql` returns (an aggregate or a RETURNING always returns one)."""
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise StoreError(f"Truy vấn không trả về dòng nào: {sql.split()[0]} …")
    return row[0]
