"""The task list as files: CSV (UTF-8 with BOM) and Excel, for the page's downloads and the template."""

from __future__ import annotations

import csv
import io

import pandas as pd

from analytics.reports.table_files import Sheet, neutralise, workbook_bytes


def tasks_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM for Excel; text that a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow(["" if v is None or (isinstance(v, float) and pd.isna(v)) else neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def tasks_xlsx(frame: pd.DataFrame, title: str = "Nhiệm vụ") -> bytes:
    return workbook_bytes([Sheet(title, frame.astype(object).where(frame.notna(), None))])
