"""Download buttons (CSV, Excel, Word, chart PNG) and the "Đánh giá chung" block of the overview.

Files that take a while (the workbook, the brief, chart images) are made only when the button is
clicked: Streamlit runs the callable on its own thread, so it gets its own cursor of the store.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.errors import CchcError
from analytics.names import fold
from analytics.reports.brief_docx import build_brief
from analytics.reports.chart_images import browser_available, figure_to_png
from analytics.reports.paragraph import Summary, summary_paragraph
from analytics.reports.table_files import csv_bytes
from analytics.reports.workbook import analytics_workbook
from ui import data
from ui.marks import escape_markdown

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG_MIME = "image/png"
ICON = ":material/download:"


def file_stem(*parts) -> str:
    """'chi-so-cchc', 2020, '042' -> 'chi-so-cchc-2020-042' (ASCII, safe as a file name)."""
    text = "-".join(str(p) for p in parts if p is not None and str(p) != "")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "bang"


def png_file_name(*parts) -> str:
    """('Xếp hạng', 2020, '042') -> 'bieu-do-xep-hang-2020-042.png': a chart's file says what and which view."""
    return f"{file_stem('bieu-do', *(fold(str(p)) for p in parts if p is not None))}.png"


def as_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers rounded to the precision the page shows: percentages to 1 decimal, points to 2."""
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    return frame.assign(**{c: frame[c].round(1 if c.endswith("pct") else 2) for c in floats})


def csv_button(
    frame: pd.DataFrame,
    name: str,
    key: str,
    columns: list[str] | None = None,
    labels: dict[str, str] | None = None,
    label: str = "Tải CSV",
) -> None:
    """The table as CSV (UTF-8 with BOM, Vietnamese headers, numbers as shown), made now: tables are small."""
    st.download_button(
        label,
        data=csv_bytes(as_shown(frame), columns, labels),
        file_name=f"{file_stem(name)}.csv",
        mime=CSV_MIME,
        key=key,
        icon=ICON,
        on_click="ignore",
    )


def xlsx_button(con, year: int, unit_code: str, key: str = "download_xlsx", label: str = "Tải Excel") -> None:
    """Every table of the reports for the unit and year, as one workbook."""
    worker = con.cursor()
    st.download_button(
        label,
        data=lambda: analytics_workbook(worker, year, unit_code),
        file_name=f"{file_stem('chi-so-cchc', year, unit_code)}.xlsx",
        mime=XLSX_MIME,
        key=key,
        icon=ICON,
        on_click="ignore",
        help="Các bảng: xếp hạng, lĩnh vực, tiêu chí, cơ quan, xã và kế hoạch (có bộ lọc).",
    )


def docx_button(con, year: int, unit_code: str, key: str = "download_docx", label: str = "Tải báo cáo Word") -> None:
    """The Word brief: the paragraph with footnotes, the tables, the plan and the charts."""
    worker = con.cursor()
    st.download_button(
        label,
        data=lambda: build_brief(worker, year, unit_code),
        file_name=f"{file_stem('bao-cao-cchc', year, unit_code)}.docx",
        mime=DOCX_MIME,
        key=key,
        icon=ICON,
        on_click="ignore",
        help="Báo cáo tóm tắt khổ A4, chữ Times New Roman, có chú thích cuối trang và biểu đồ.",
    )


def png_button(figure: go.Figure, name: tuple, key: str, label: str = "Tải ảnh PNG") -> None:
    """The chart as a PNG, drawn by Chromium when clicked; disabled (and saying why) without a browser."""
    if not browser_available():
        st.download_button(
            label,
            data=b"",
            disabled=True,
            key=key,
            icon=ICON,
            type="tertiary",
            help="Máy chủ không có trình duyệt Chromium để vẽ ảnh biểu đồ.",
        )
        return
    st.download_button(
        label,
        data=lambda: figure_to_png(figure),
        file_name=png_file_name(*name),
        mime=PNG_MIME,
        key=key,
        icon=ICON,
        on_click="ignore",
        type="tertiary",
        help="Ảnh biểu đồ khổ rộng 1.800 điểm ảnh, để chèn vào văn bản.",
    )


@st.cache_data(show_spinner=False)
def _summary(_con, data_ver, year: int, unit_code: str) -> Summary:
    return summary_paragraph(_con, year, unit_code)


def summary_block(con, year: int, unit_code: str) -> Summary | None:
    """The "Đánh giá chung" paragraph with its footnotes and a copy button (st.code has one)."""
    try:
        summary = _summary(con, data.version(con), year, unit_code)
    except CchcError as exc:
        st.info(exc.message, icon=":material/info:")
        return None
    with st.container(border=True, key="summary_block"):
        st.markdown(escape_markdown(summary.text))
        if summary.footnotes:
            st.caption("  \n".join(escape_markdown(line) for line in summary.footnote_lines()))
        # Drawn only when opened: st.code brings a 1,5 MB syntax highlighter the first screen need not wait for.
        copy_box = st.expander(
            "Sao chép đoạn văn (kèm chú thích)", icon=":material/content_copy:", key="summary_copy", on_change="rerun"
        )
        if copy_box.open:
            with copy_box:
                st.caption("Bấm nút sao chép ở góc trên bên phải khung dưới đây rồi dán vào văn bản.")
                st.code(summary.full_text(), language=None, wrap_lines=True)
    return summary
