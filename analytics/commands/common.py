"""Options and helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from analytics.store import connect, init_store, is_built, resolve_db_path

FORMATS = ("table", "json", "csv")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="đường dẫn kho DuckDB (mặc định: $CCHC_DB hoặc data/cchc.duckdb)")


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="định dạng kết quả")


def open_store(args: argparse.Namespace, read_only: bool = True):
    """Open the store named by --db / $CCHC_DB, building it from the demo data if missing."""
    path = resolve_db_path(getattr(args, "db", None))
    if not is_built(path):
        init_store(path)
    return connect(path, read_only=read_only)


def emit(payload, fmt: str, key: str | None = None) -> None:
    """Print a DataFrame or a dict in the chosen format."""
    if fmt == "json":
        print(json.dumps(to_jsonable(payload), ensure_ascii=False, indent=2))
    elif isinstance(payload, pd.DataFrame):
        if fmt == "csv":
            payload.to_csv(sys.stdout, index=False)
        else:
            print(payload.to_string(index=False))
    else:
        print(json.dumps(to_jsonable(payload), ensure_ascii=False, indent=2))


def to_jsonable(value):
    if isinstance(value, pd.DataFrame):
        return [{k: to_jsonable(v) for k, v in row.items()} for row in value.to_dict(orient="records")]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
