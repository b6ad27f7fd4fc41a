"""What the benchmark measures: each analytics call a page makes, beside its pandas twin.

A Case pairs the DuckDB call (analytics/) with the same computation in bench/baseline.py
and a comparison that returns None when both agree (ranks equal, points to 1e-9).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics import communes, gaps, plan, recoverable, trend
from analytics import rankings as rk
from analytics.store import connect

TOLERANCE = 1e-9
DEFAULT_HOME = "042"


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "ranking" or "unit": which speed-up target applies
    duckdb: Callable
    pandas: Callable
    compare: Callable


def context_for(con) -> dict:
    """Year, home unit and scopes the pages would use on this store."""
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    home = meta.get("home_unit") or os.environ.get("CCHC_HOME_UNIT", DEFAULT_HOME)
    level, parent = con.execute("SELECT level, parent_code FROM units WHERE code = ?", [home]).fetchone()
    year = rk.years_with_data(con, level, parent)[-1]
    commune = con.execute("SELECT min(code) FROM units WHERE parent_code = ?", [home]).fetchone()[0]
    return {"home": home, "level": level, "parent": parent, "year": year, "commune": commune}


# --- comparisons ---------------------------------------------------------------------------


def _close(left: pd.Series, right: pd.Series) -> bool:
    both_missing = left.isna().to_numpy() & right.isna().to_numpy()
    diff = (left.astype(float) - right.astype(float)).abs().to_numpy()
    return bool(((diff <= TOLERANCE) | both_missing).all())


def compare_rankings(duck: pd.DataFrame, plain: pd.DataFrame) -> str | None:
    duck = duck[duck.has_data].reset_index(drop=True)
    if list(duck.unit_code) != list(plain.unit_code):
        return "different units or order"
    if list(duck["rank"].astype(int)) != list(plain["rank"].astype(int)):
        return "different ranks"
    if not _close(duck.total, plain.total):
        return "different totals"
    if "delta_rank" in plain and "delta_rank" in duck:
        if list(duck.delta_rank.astype("Int64")) != list(plain.delta_rank.astype("Int64")):
            return "different rank changes"
    if list(duck.band.fillna("")) != list(plain.band.fillna("")):
        return "different bands"
    return None


def _keyed_close(duck: pd.DataFrame, plain: pd.DataFrame, key: str, columns: list[str]) -> str | None:
    duck, plain = duck.set_index(key).sort_index(), plain.set_index(key).sort_index()
    if list(duck.index) != list(plain.index):
        return f"different {key} sets"
    for column in columns:
        if not _close(duck[column], plain[column]):
            return f"different {column}"
    return None


def compare_gaps(duck: pd.DataFrame, plain: pd.DataFrame) -> str | None:
    return _keyed_close(duck, plain, "criterion_code", ["points", "reference_points", "gap_points"])


def compare_recoverable(duck: tuple[pd.DataFrame, pd.DataFrame], plain: pd.DataFrame) -> str | None:
    return _keyed_close(duck[0], plain, "office_code", ["lost_points", "reachable_points", "criteria_count"])


def compare_commune_table(duck: pd.DataFrame, plain: pd.DataFrame) -> str | None:
    problem = compare_rankings(duck, plain)
    if problem is None and "band_previous" in plain:
        ranked = duck[duck.has_data]
        if list(ranked.band_previous.fillna("")) != list(plain.band_previous.fillna("")):
            return "different previous bands"
    return problem


def compare_plan(duck, plain: tuple[list[tuple[str, float]], float]) -> str | None:
    steps, resulting = plain
    if [s.criterion_code for s in duck.steps] != [code for code, _ in steps]:
        return "different criteria in the plan"
    if any(abs(s.gain - gain) > TOLERANCE for s, (_, gain) in zip(duck.steps, steps)):
        return "different gains"
    return None if abs(duck.resulting_total - resulting) <= TOLERANCE else "different resulting total"


def compare_trend(duck: pd.DataFrame, plain: pd.DataFrame) -> str | None:
    if list(zip(duck.year, duck.unit_code)) != list(zip(plain.year, plain.unit_code)):
        return "different years, units or order"
    if list(duck["rank"].astype(int)) != list(plain["rank"].astype(int)):
        return "different ranks"
    return None if _close(duck.total, plain.total) else "different totals"


# --- the cases -----------------------------------------------------------------------------


def ranking_cases(ctx: dict) -> list[Case]:
    year, level, parent = ctx["year"], ctx["level"], ctx["parent"]
    scopes = [
        (f"rank {level}s under {parent} (overview)", level, parent),
        ("rank all districts (national)", "district", None),
        ("rank all communes (national)", "commune", None),
    ]
    if ctx["commune"]:
        scopes.insert(1, (f"rank communes of {ctx['home']} (communes page)", "commune", ctx["home"]))
    return [
        Case(
            name,
            "ranking",
            lambda con, lv=lv, p=p: rk.rankings(con, year, lv, p),
            lambda base, lv=lv, p=p: base.rankings(year, lv, p),
            compare_rankings,
        )
        for name, lv, p in scopes
    ]


REFERENCES = ("province-mean", "best", "target", "threshold:80")


def unit_cases(ctx: dict) -> list[Case]:
    year, home = ctx["year"], ctx["home"]
    found = [
        Case(
            f"gaps of {home}, reference {ref}",
            "unit",
            lambda con, ref=ref: gaps.gaps(con, year, home, ref),
            lambda base, ref=ref: base.gaps(year, home, ref),
            compare_gaps,
        )
        for ref in REFERENCES
    ]
    found.append(
        Case(
            f"plan to the target rank for {home}",
            "unit",
            lambda con: plan.plan_to_target(con, year, home),
            lambda base: base.plan(year, home),
            compare_plan,
        )
    )
    found.append(
        Case(
            f"trend of {ctx['level']}s under {ctx['parent']}",
            "ranking",
            lambda con: trend.trend(con, ctx["level"], ctx["parent"]),
            lambda base: base.trend(ctx["level"], ctx["parent"]),
            compare_trend,
        )
    )
    found.append(
        Case(
            f"recoverable points by office of {home}",
            "unit",
            lambda con: recoverable.recoverable_by_office(con, year, home),
            lambda base: base.recoverable_by_office(year, home),
            compare_recoverable,
        )
    )
    return found


def commune_cases(ctx: dict) -> list[Case]:
    if not ctx["commune"]:
        return []
    year, home = ctx["year"], ctx["home"]
    return [
        Case(
            f"commune table of {home}",
            "ranking",
            lambda con: communes.commune_table(con, year, home),
            lambda base: base.commune_table(year, home),
            compare_commune_table,
        )
    ]


def all_cases(ctx: dict) -> list[Case]:
    return ranking_cases(ctx) + unit_cases(ctx) + commune_cases(ctx)


# --- import ----------------------------------------------------------------------------------

IMPORT_CRITERIA = 40


def import_shape(rows: int) -> tuple[int, int]:
    """(districts, years) of one province whose district scores make `rows` long-CSV rows.

    The import takes one level under one parent per file, so the file is a single province's
    districts; the store it goes into has the same tree and criteria but no scores yet.
    """
    years = 10 if rows >= 400_000 else 1
    return max(1, rows // (years * IMPORT_CRITERIA)), years


def _synth_argv(db, districts: int, years: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "analytics",
        "synth",
        "--db",
        str(db),
        "--units",
        str(districts + 1),
        "--provinces",
        "1",
        "--districts",
        str(districts),
        "--years",
        str(years),
        "--criteria",
        str(IMPORT_CRITERIA),
        "--seed",
        "11",
    ]


def measure_import(work: Path, rows: int, run_child, timeout: float) -> dict:
    """Import a long CSV of `rows` rows with `python -m analytics import` into a store without scores."""
    districts, years = import_shape(rows)
    source, target, csv_path = work / "import-source.duckdb", work / "import-target.duckdb", work / "import.csv"
    built = run_child(_synth_argv(source, districts, years) + ["--csv", str(csv_path), "--csv-level", "district"])
    empty = run_child(_synth_argv(target, districts, 0))
    if built["status"] or empty["status"]:
        return {"rows": 0, "error": (built["output"] + empty["output"])[-500:]}
    max_mb = str(math.ceil(csv_path.stat().st_size / 1048576) + 1)  # the CLI's limit raised to fit the file
    result = run_child(
        [
            sys.executable,
            "-m",
            "analytics",
            "import",
            str(csv_path),
            "--level",
            "district",
            "--parent",
            "01",
            "--demo",
            "--max-mb",
            max_mb,
            "--db",
            str(target),
        ],
        timeout=timeout,
    )
    stored = _count_scores(target) if result["status"] == 0 else 0
    return {
        "rows": districts * years * IMPORT_CRITERIA,
        "stored": stored,
        "seconds": result["seconds"],
        "rows_per_s": stored / result["seconds"] if stored else None,
        "peak_mb": result["peak_mb"],
        "file_mb": csv_path.stat().st_size / 1048576,
        "status": result["status"],
        "error": None if stored else result["output"][-400:],
    }


def _count_scores(db: Path) -> int:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM scores").fetchone()[0]
    finally:
        con.close()
