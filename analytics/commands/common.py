"""Options and helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import io
import json
import math
import re
import sys
from contextlib import contextmanager

import pandas as pd

from analytics.reports.table_files import neutralise
from analytics.settings import db_path
from analytics.store import connect, init_store, is_built

FORMATS = ("table", "json", "csv")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="đường dẫn kho DuckDB (mặc định: $CCHC_DB hoặc data/cchc.duckdb)")


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="định dạng kết quả")


def open_store(args: argparse.Namespace, read_only: bool = True):
    """Open the store named by --db / $CCHC_DB, building it from the demo data if missing."""
    path = db_path(getattr(args, "db", None))
    if not is_built(path):
        init_store(path)
    return connect(path, read_only=read_only)


def emit(payload, fmt: str) -> None:
    """Print a DataFrame or a dict in the chosen format; a CSV's text cells neutralised as the exports do."""
    if fmt == "json":
        print(json.dumps(to_jsonable(payload), ensure_ascii=False, indent=2))
    elif isinstance(payload, pd.DataFrame):
        if fmt == "csv":
            neutralised(payload).to_csv(sys.stdout, index=False)
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


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell a spreadsheet would run as a formula prefixed by an apostrophe."""
    return frame.rename(columns=lambda c: neutralise(str(c))).map(neutralise)


# --- the terminal: text from files and names never reaches it as control characters ------------

# C0 controls but tab and line feed, DEL, C1 controls (CSI 0x9b works like ESC [ on some terminals),
# and the marks that reorder or hide text (bidi overrides and isolates, zero-width characters).
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Control characters written as \\uXXXX: readable on a terminal, still valid inside JSON strings."""
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class EscapingWriter(io.TextIOBase):
    """A text stream that writes `visible()` text to the stream it wraps."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def writable(self) -> bool:
        return True


@contextmanager
def escaped_output():
    """stdout and stderr escape control characters while a command runs (every command, every path)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingWriter(saved[0]), EscapingWriter(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


# --- option values checked before anything runs ------------------------------------------------


def finite_positive(text: str) -> float:
    """argparse type: a finite number > 0 (refuses nan, inf, 0 and negatives with one clear line)."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải là số") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"cần một số dương hữu hạn, đã ghi '{text}'")
    return value


def year_value(text: str) -> int:
    """argparse type: a year within the range the importer accepts."""
    from analytics.importing.validate import year_problem

    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' không phải là một năm") from None
    if year_problem(year):
        raise argparse.ArgumentTypeError(year_problem(year))
    return year
