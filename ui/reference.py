"""Streamlit side of reference data (tab Danh mục of Dữ liệu): the set in force as a tree, and loading
each kind (criteria annex, bands, offices, ownership, targets, indicators, aliases) through the same
check → preview → confirm path as results."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics import scope
from analytics.criteria import criteria_listing, set_codes
from analytics.errors import CchcError
from analytics.formatting import MISSING, fmt_int, fmt_number
from analytics.importing.reference import (
    KIND_LABELS,
    REFERENCE_KINDS,
    ReferenceAnalysis,
    ReferenceOptions,
    analyze_reference,
    commit_reference,
)
from analytics.importing.templates import reference_template_csv, reference_template_xlsx
from ui import data, imports
from ui.marks import demo_badge

ANALYSIS_KEY = "_reference_analysis"
COUNTER = "_reference_upload_counter"
INDENT = "\u2003"  # an em space per level of the tree
LEVELS = {level: scope.LEVEL_LABELS[level] for level in scope.RANKED_LEVELS}
NEEDS_SET = ("bands", "ownership")


def tree_frame(listing: pd.DataFrame) -> pd.DataFrame:
    """The set as people read it: names indented by depth, maxima the Vietnamese way, owners."""
    return pd.DataFrame(
        {
            "Mã": listing.code.mask(listing.depth == 0, ""),  # the root's code (TOTAL) is the store's, not the annex's
            "Điểm tối đa": listing.max_points.map(fmt_number),  # before the long names: seen on a phone too
            "Lĩnh vực / tiêu chí": [INDENT * int(d) + str(n) for d, n in zip(listing.depth, listing.name)],
            "Cơ quan chủ trì": listing.office_name.fillna(""),
        }
    )


@st.cache_data(show_spinner=False)
def template_bytes(kind: str, fmt: str) -> bytes:
    """A template of the Tệp mẫu tab (they never change: made once per process)."""
    return reference_template_xlsx(kind) if fmt == "xlsx" else reference_template_csv(kind)


@st.cache_data(show_spinner=False)
def set_listing(_con, data_ver: str, level: str, year: int) -> pd.DataFrame:
    return criteria_listing(_con, level, year)


def draw_set_in_force(con, year: int | None) -> None:
    cols = st.columns(2)
    level = cols[0].selectbox("Cấp", list(LEVELS), format_func=LEVELS.get, key="tree_level")
    shown_year = cols[1].number_input(
        "Năm", min_value=2000, max_value=2100, value=year or date.today().year, step=1, key="tree_year"
    )
    try:
        listing = set_listing(con, data.version(con), level, int(shown_year))
    except CchcError as exc:
        st.info(exc.message + " Hãy nạp phụ lục bộ tiêu chí bên dưới.", icon=":material/info:")
        return
    year_from, year_to = listing.attrs["set_years"]
    span = f"từ năm {year_from}" + (f" đến năm {year_to}" if year_to else "")
    st.html(  # the set's name and code come from a file: inert text, never Markdown
        f"<p><b>Bộ tiêu chí đang áp dụng:</b> {imports.inert(listing.attrs['set_name'])} "
        f"(mã {imports.inert(listing.attrs['set_code'])}, áp dụng {span})</p>"
    )
    demo_badge(listing.attrs["is_demo"])
    with st.container(key="criteria_tree_box"):  # a place the browser tests and screenshots find
        st.dataframe(tree_frame(listing), hide_index=True, key="criteria_tree", placeholder=MISSING)


def options_form(con, kind: str) -> ReferenceOptions:
    """The fields a kind needs that its file may not say (the CLI's --level, --year-from, --set…)."""
    if kind == "criteria":
        cols = st.columns(4)
        level = cols[0].selectbox("Cấp áp dụng", [None, *LEVELS], format_func=level_label, key="ref_level")
        year_from = cols[1].number_input(
            "Áp dụng từ năm", min_value=2000, max_value=2100, value=None, step=1, key="ref_year_from"
        )
        year_to = cols[2].number_input("Đến năm", min_value=2000, max_value=2100, value=None, step=1, key="ref_year_to")
        code = cols[3].text_input("Mã bộ (để trống: tự đặt)", key="ref_code") or None
        name = st.text_input("Tên bộ (để trống: lấy từ dòng tiêu đề của phụ lục)", key="ref_name").strip() or None
        remove = st.checkbox(
            "Gỡ cùng lô các dòng điểm đã lưu không khớp bộ mới (hoàn tác được)", key="ref_remove_stranded"
        )
        return ReferenceOptions(
            level=level,
            year_from=int(year_from) if year_from else None,
            year_to=int(year_to) if year_to else None,
            code=code,
            name=name,
            remove_stranded=remove,
        )
    if kind in NEEDS_SET:
        chosen = st.selectbox(
            "Bộ tiêu chí", set_codes(con), key="ref_set", placeholder="Chưa có bộ tiêu chí nào: nạp bộ trước"
        )
        return ReferenceOptions(set_code=chosen)
    return ReferenceOptions()


def level_label(level: str | None) -> str:
    return "Theo tiêu đề tệp" if level is None else LEVELS[level]


def analysis_for(con, kind: str, name: str, payload: bytes, options: ReferenceOptions) -> ReferenceAnalysis:
    key = (kind, name, hash(payload), repr(options), data.version(con))
    cached = st.session_state.get(ANALYSIS_KEY)
    if cached is None or cached[0] != key:
        cached = (key, analyze_reference(con, kind, name, payload, options))
        st.session_state[ANALYSIS_KEY] = cached
    return cached[1]


def confirm(kind: str, name: str, payload: bytes, options: ReferenceOptions, actor: str) -> None:
    """Button callback: analyse again against the store as it is now, then commit."""
    con = data.connection()
    try:
        analysis = analyze_reference(con, kind, name, payload, options)
        batch_id = commit_reference(con, analysis, actor, options)
    except CchcError as exc:
        st.session_state[imports.RESULT_KEY] = ("error", exc.message)
        return
    st.session_state[imports.RESULT_KEY] = (
        "success",
        f"Đã nạp lô #{batch_id} ({KIND_LABELS[kind]}): {fmt_int(analysis.row_count)} dòng. {analysis.summary}.",
    )
    st.session_state[COUNTER] = st.session_state.get(COUNTER, 0) + 1
    st.session_state.pop(ANALYSIS_KEY, None)


def draw_loader(con, actor: str) -> None:
    kind = st.selectbox("Loại tệp", list(REFERENCE_KINDS), format_func=kind_label, key="ref_kind")
    uploaded = imports.file_uploader(
        "Tệp danh mục",
        ".xlsx, .csv",
        ["xlsx", "csv", "txt", "tsv"],
        f"ref_upload_{st.session_state.setdefault(COUNTER, 0)}",
    )
    options = options_form(con, kind)
    if uploaded is None:
        return
    payload = uploaded.getvalue()
    analysis = analysis_for(con, kind, uploaded.name, payload, options)
    draw_analysis(analysis)
    st.button(
        "Xác nhận nạp",
        type="primary",
        disabled=not analysis.ok,
        key="ref_confirm",
        icon=":material/upload:",
        on_click=confirm,
        args=(kind, uploaded.name, payload, options, actor),
    )


def kind_label(kind: str) -> str:
    label = KIND_LABELS[kind]
    return label[0].upper() + label[1:]


def draw_analysis(analysis: ReferenceAnalysis) -> None:
    st.html(
        f"<p><b>{imports.inert(analysis.file_name)}</b> — {imports.inert(KIND_LABELS[analysis.kind])}: "
        f"{imports.inert(analysis.summary or 'chưa đọc được')}</p>"
    )
    kind, text = imports.verdict(analysis)
    getattr(st, kind)(text)
    if analysis.problems:
        st.html(imports.problem_html(analysis))
    if analysis.affected_years:
        st.info(
            f"Các năm đã có điểm sẽ tính theo bộ này: {', '.join(map(str, analysis.affected_years))}",
            icon=":material/event:",
        )
    if analysis.tree is not None and not analysis.errors:
        st.subheader("Xem trước: cây bộ tiêu chí")
        listing = analysis.tree.assign(office_name=analysis.tree.office)
        shown = tree_frame(listing)
        if analysis.tree["before"].any():  # compared with the set in force until now: '=', its maximum, 'mới'
            shown.insert(2, "Bộ đang áp dụng", analysis.tree["before"].tolist())
        st.dataframe(shown, hide_index=True, key="ref_preview_tree", placeholder=MISSING)
    elif analysis.preview is not None and not analysis.errors:
        st.subheader("Xem trước: thay đổi")
        st.dataframe(analysis.preview, hide_index=True, key="ref_preview", placeholder=MISSING)
