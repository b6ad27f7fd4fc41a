"""The task list as files: CSV (UTF-8 with BOM) and Excel, for the page's downloads and the template."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pandas as pd

from analytics.reports.table_files import Sheet, neutralise, workbook_bytes

TEMPLATE_SHEET = "Mẫu nhiệm vụ"


def tasks_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM for Excel; text that a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def tasks_xlsx(frame: pd.DataFrame, title: str = "Nhiệm vụ") -> bytes:
    return workbook_bytes([Sheet(title, frame.astype(object).where(frame.notna(), None))])


def _csv_text(value):
    """30/11/2021 and 30/11/2026 21:44 as a person writes them (and the import reads them back)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return neutralise(value)
