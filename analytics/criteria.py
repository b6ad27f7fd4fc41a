"""The criteria tree in force for a level and year, with the office that owns each node."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.errors import NotFoundError
from analytics.rankings import criteria_set_for
from analytics.scope import LEVEL_WORDS

# Depth 0 is the root (total), 1 a field, 2 a criterion, 3 a sub-criterion. A node without an
# office of its own is owned by the office of its nearest ancestor that has one.
CRITERIA_TREE_SQL = """
WITH RECURSIVE walk AS (
    SELECT code, 0 AS depth, CAST(NULL AS VARCHAR) AS field_code, office_code AS owner
    FROM criteria WHERE set_code = $set AND parent_code IS NULL
    UNION ALL
    SELECT c.code, w.depth + 1, CASE WHEN w.depth = 0 THEN c.code ELSE w.field_code END,
           coalesce(c.office_code, w.owner)
    FROM walk w JOIN criteria c ON c.set_code = $set AND c.parent_code = w.code
)
SELECT w.code AS criterion_code, c.parent_code, c.name AS criterion_name, w.depth, w.field_code,
       c.max_points, w.owner AS office_code, o.name AS office_name, c.sort_order
FROM walk w
JOIN criteria c ON c.set_code = $set AND c.code = w.code
LEFT JOIN offices o ON o.code = w.owner
ORDER BY c.sort_order, w.code
"""

SET_IS_DEMO_SQL = "SELECT is_demo FROM criteria_sets WHERE code = ?"

TREE_COLUMNS = ["criterion_code", "parent_code", "criterion_name", "depth", "field_code", "max_points",
                "office_code", "office_name", "sort_order"]


def require_set(con: duckdb.DuckDBPyConnection, level: str, year: int) -> str:
    set_code = criteria_set_for(con, level, year)
    if set_code is None:
        raise NotFoundError(f"Chưa có bộ tiêu chí {LEVEL_WORDS.get(level, level)} áp dụng cho năm {year}.")
    return set_code


def criteria_tree(con: duckdb.DuckDBPyConnection, level: str, year: int) -> pd.DataFrame:
    """Every node of the criteria set in force (the latest one starting on or before `year`)."""
    set_code = require_set(con, level, year)
    tree = con.execute(CRITERIA_TREE_SQL, {"set": set_code}).df()[TREE_COLUMNS]
    tree["depth"] = tree["depth"].astype(int)
    tree.attrs["set_code"] = set_code
    tree.attrs["is_demo"] = bool(con.execute(SET_IS_DEMO_SQL, [set_code]).fetchone()[0])
    return tree


def code_sort_key(code: str) -> tuple:
    """'3.10' after '3.9', deterministic for any code: numbers compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in str(code).split("."))
