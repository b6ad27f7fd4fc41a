"""Streamlit side of the upload flow: analyse once per file and options, confirm, undo.

Commit and undo run in button callbacks, before the next script run draws anything, so the
sidebar of that run already sees the new data version and can be moved to the new year.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from analytics import scope
from analytics.errors import CchcError
from analytics.formatting import fmt_int, fmt_number, fmt_rank, fmt_signed
from analytics.importing import ImportOptions, analyze, commit_import, undo_batch
from analytics.importing.commit import batch_content, reference_undo_preview, undo_preview
from analytics.importing.pipeline import Analysis
from analytics.importing.problems import condensed
from analytics.importing.read import MAX_FILE_BYTES
from analytics.importing.reference import KIND_LABELS, REFERENCE_KINDS
from ui import data

UPLOAD_COUNTER = "_upload_counter"
ANALYSIS_KEY = "_analysis"
RESULT_KEY = "_import_result"
UNDO_ASKED = "_undo_asked"
LEVEL_CHOICES = {None: "Tự nhận biết", **{level: scope.LEVEL_LABELS[level] for level in scope.RANKED_LEVELS}}
DEMO_CHOICES = {None: "Theo tệp", True: "Có", False: "Không"}
PROBLEM_COLUMNS = {
    "severity": "Mức",
    "sheet": "Trang",
    "row": "Dòng",
    "column": "Cột",
    "value": "Giá trị",
    "text": "Vấn đề — gợi ý",
}
SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo"}
# The uploader's own English ("Drag and drop file here", "Limit 20MB per file", "Upload") cannot be
# set by configuration: hidden here, the label says the same in Vietnamese with the import's own limit.
UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {
  content: "Chọn tệp"; font-size: 1rem; }
</style>"""


def file_uploader(what: str, shown_types: str, types: list[str], key: str):
    """Every page's uploader: "Chọn tệp" on its button, the import's limit (not the server's) in its label."""
    st.html(UPLOADER_CSS)
    return st.file_uploader(f"{what} ({shown_types}; tối đa {MAX_FILE_BYTES // 1048576} MB)", type=types, key=key)


def uploader_key() -> str:
    return f"upload_{st.session_state.setdefault(UPLOAD_COUNTER, 0)}"


def analysis_for(con, name: str, payload: bytes, options: ImportOptions) -> Analysis:
    """Analyse once per (file, options, data version) in this session."""
    key = (name, hash(payload), repr(options), data.version(con))
    cached = st.session_state.get(ANALYSIS_KEY)
    if cached is None or cached[0] != key:
        cached = (key, analyze(con, name, payload, options))
        st.session_state[ANALYSIS_KEY] = cached
    return cached[1]


def confirm_import(name: str, payload: bytes, options: ImportOptions, actor: str) -> None:
    """Button callback: analyse again against the store as it is now, commit, move the sidebar."""
    con = data.connection()
    try:
        analysis = analyze(con, name, payload, options)
        batch_id = commit_import(con, analysis, actor)
    except CchcError as exc:
        st.session_state[RESULT_KEY] = ("error", exc.message)
        return
    years = ", ".join(map(str, analysis.years))
    st.session_state[RESULT_KEY] = (
        "success",
        f"Đã nạp lô #{batch_id}: {fmt_int(len(analysis.rows))} dòng điểm "
        f"năm {years}. Mọi trang đã hiển thị dữ liệu mới.",
    )
    st.session_state[UPLOAD_COUNTER] = st.session_state.get(UPLOAD_COUNTER, 0) + 1
    st.session_state.pop(ANALYSIS_KEY, None)
    show_year(analysis)


def show_year(analysis: Analysis) -> None:
    """Point the shared sidebar at the imported year (and level), as the user will look there next."""
    scopes = sorted(analysis.preview.rankings) if analysis.preview else []
    if scopes:
        year, level, _ = scopes[-1]
        st.session_state["level"] = level
        st.session_state["year"] = year


def ask_undo(batch_id: int) -> None:
    """Button callback: the first click only asks; the confirmation below says what undo removes."""
    st.session_state[UNDO_ASKED] = batch_id


def cancel_undo() -> None:
    st.session_state.pop(UNDO_ASKED, None)


def undo_question(con, batch_id: int, label: str) -> str:
    """'Hoàn tác lô #2 — tệp … sẽ xóa 80 dòng điểm năm 2021 của 10 đơn vị; không có dòng nào được trả lại.'"""
    content = batch_content(con, batch_id)
    if content in REFERENCE_KINDS:
        removed, restored = reference_undo_preview(con, batch_id)
        return (
            f"{label} ({KIND_LABELS[content]}) sẽ bị hoàn tác: xóa {fmt_int(removed)} dòng lô này đã ghi, "
            f"trả lại {fmt_int(restored)} dòng lô này đã thay. Bấm Xác nhận hoàn tác để làm, hoặc Hủy."
        )
    what = undo_preview(con, batch_id)
    years = ", ".join(map(str, what.years)) or "–"
    back = (
        f"trả lại {fmt_int(what.rows_restored)} dòng điểm mà lô này đã thay thế"
        if what.rows_restored
        else "không có dòng nào được trả lại (lô này không thay thế dữ liệu nào)"
    )
    return (
        f"{label} sẽ bị hoàn tác: xóa {fmt_int(what.rows_removed)} dòng điểm năm {years} của "
        f"{fmt_int(what.units)} đơn vị; {back}. Bấm Xác nhận hoàn tác để làm, hoặc Hủy."
    )


def confirm_undo(batch_id: int, actor: str) -> None:
    st.session_state.pop(UNDO_ASKED, None)
    try:
        undo_id = undo_batch(data.connection(), batch_id, actor)
    except CchcError as exc:
        st.session_state[RESULT_KEY] = ("error", exc.message)
        return
    st.session_state[RESULT_KEY] = ("success", f"Đã hoàn tác lô #{batch_id} (lô hoàn tác #{undo_id}).")
    st.session_state.pop(ANALYSIS_KEY, None)


def show_result() -> None:
    kind, message = st.session_state.pop(RESULT_KEY, (None, None))
    if message:
        getattr(st, kind)(message)


def problems_frame(analysis: Analysis) -> pd.DataFrame:
    """One row per problem (the first SHOWN_PROBLEMS_TABLE); the sheet column only for workbooks."""
    problems = analysis.problems[:SHOWN_PROBLEMS_TABLE]
    frame = pd.DataFrame(
        {
            "severity": [SEVERITY[p.severity] for p in problems],
            "sheet": [p.sheet or "" for p in problems],
            "row": ["" if p.row is None else str(p.row) for p in problems],
            "column": [p.column or "" for p in problems],
            "value": [p.value or "" for p in problems],
            "text": [f"{p.reason} — {p.suggestion}" if p.suggestion else p.reason for p in problems],
        }
    )
    if not frame["sheet"].any():
        frame = frame.drop(columns="sheet")
    return frame.rename(columns=PROBLEM_COLUMNS)


SHOWN_PROBLEMS_TABLE = 1000  # rows of the problems table; the lines above it group the rest
# Backslash-escapes for text put into st.markdown (the task pages use it). Not enough on its own: Markdown
# autolinks "www.x.vn" whatever is escaped, so this page shows user text through inert() instead.
MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#$|~"})
CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def inert(text: str) -> str:
    """Text from a file or its name as HTML text: escaped, control characters shown as \\uXXXX.

    st.markdown cannot be made safe by escaping (its autolinks turn 'www.x.vn' into a link whatever
    is escaped), so user text is only ever placed, escaped, into the few tags written here."""
    return html.escape(CONTROL_OR_BREAK.sub(lambda m: f"\\u{ord(m.group()):04x}", text), quote=True)


def problem_place(p) -> str:
    parts = (
        f"trang '{p.sheet}'" if p.sheet else "",
        f"dòng {fmt_int(p.row)}" if p.row else "",
        f"cột '{p.column}'" if p.column else "",
    )
    return ", ".join(x for x in parts if x) or "toàn tệp"


def problem_html(analysis: Analysis) -> str:
    """The problems as a list a person reads top to bottom: errors first, ten of each kind in full,
    one line for the rest of that kind."""
    shown, rest = condensed(analysis.problems)
    items = [
        f"<li>{SEVERITY[p.severity]}, <b>{inert(problem_place(p))}</b>: "
        f"{inert(f'{p.reason} — {p.suggestion}' if p.suggestion else p.reason)}</li>"
        for p in shown
    ]
    items += [f"<li>{inert(line)}</li>" for line in rest]
    return f"<ul class='import-problems'>{''.join(items)}</ul>"


def file_line_html(analysis: Analysis) -> str:
    years = ", ".join(map(str, analysis.years)) or "–"
    return (
        f"<p><b>{inert(analysis.file_name)}</b> — {fmt_number(analysis.size / 1024, 1)} KB, "
        f"{fmt_int(len(analysis.rows))} dòng điểm, năm {years}; SHA-256 <code>{analysis.sha256[:12]}…</code></p>"
    )


def verdict(analysis: Analysis) -> tuple[str, str]:
    """(kind of box, its text): errors, or an explicit 'Không có lỗi' with the warnings counted."""
    if analysis.errors:
        return "error", (
            f"Tệp có {fmt_int(len(analysis.errors))} lỗi; chưa thể nạp. Sửa các lỗi dưới đây rồi tải lên lại."
        )
    if analysis.warnings:
        return "warning", f"Không có lỗi; {fmt_int(len(analysis.warnings))} cảnh báo dưới đây, vẫn có thể nạp."
    return "success", "Không có lỗi, không có cảnh báo: tệp sẵn sàng để nạp."


def units_frame(units: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Năm": units.year.astype(str),
            "Đơn vị": units.unit_name,
            "Tình trạng": units.status,
            "Điểm cũ": units.old_total.map(fmt_number),
            "Điểm mới": units.new_total.map(fmt_number),
            "Thay đổi": units.delta_total.map(fmt_signed),
            "Hạng cũ": [fmt_rank(r, n) for r, n in zip(units.old_rank, units.rank_of)],
            "Hạng mới": [fmt_rank(r, n) for r, n in zip(units.new_rank, units.rank_of)],
            "Dòng thêm / đổi / bỏ": [
                f"{a} / {c} / {r}" for a, c, r in zip(units.rows_added, units.rows_changed, units.rows_removed)
            ],
        }
    )


def ranking_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Hạng": [fmt_rank(r, n) for r, n in zip(frame["rank"], frame.rank_of)],
            "Đơn vị": frame.unit_name,
            "Tổng điểm": frame.total.map(fmt_number),
            "So với năm trước": frame.delta_total.map(fmt_signed),
        }
    )


def changes_frame(changes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Năm": changes.year.astype(str),
            "Đơn vị": changes.unit_name,
            "Tiêu chí": changes.criterion_code,
            "Điểm cũ": changes.old_points.map(fmt_number),
            "Điểm mới": changes.new_points.map(fmt_number),
        }
    )


def undoable(frame: pd.DataFrame) -> dict[int, str]:
    rows = frame[frame.can_undo.astype(bool)]
    return {int(r.id): f"Lô #{r.id} — {r.source_name} ({r.note})" for r in rows.itertuples()}
