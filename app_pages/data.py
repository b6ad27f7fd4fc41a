"""Dữ liệu: load a year's results (upload, check, preview, confirm), reference data (the criteria set in
force as a tree, loading each kind), the history with undo, templates."""

import streamlit as st

from analytics import scope
from analytics.errors import CchcError
from analytics.formatting import MISSING, fmt_int
from analytics.importing import ImportOptions, template_csv, template_xlsx
from analytics.importing.history_view import HISTORY_COLUMNS, readable_history
from analytics.importing.reference import REFERENCE_KINDS
from analytics.importing.templates import REFERENCE_FILE_STEMS
from ui import data, imports, reference
from ui.editor import editor, sign_in_panel, signed_in_bar
from ui.marks import demo_badge, how_to_read
from ui.sidebar import current

VERDICT_ICONS = {"error": ":material/error:", "warning": ":material/warning:", "success": ":material/check_circle:"}

sel = current()
con = data.connection()
actor = editor()
st.title("Dữ liệu")
imports.show_result()
# Keyed and tracked, so that a button inside a tab (undo, confirm) keeps that tab open after its rerun.
upload_tab, reference_tab, history_tab, template_tab = st.tabs(
    ["Nạp kết quả", "Danh mục", "Lịch sử nạp", "Tệp mẫu"], key="data_tab", on_change="rerun"
)


def draw_analysis(analysis) -> None:
    st.html(imports.file_line_html(analysis))
    demo_badge(analysis.is_demo)
    kind, text = imports.verdict(analysis)
    getattr(st, kind)(text, icon=VERDICT_ICONS[kind])
    if analysis.problems:
        st.html(imports.problem_html(analysis))
        with st.expander(f"Bảng các vấn đề ({fmt_int(len(analysis.problems))})"):
            if len(analysis.problems) > imports.SHOWN_PROBLEMS_TABLE:
                st.caption(
                    f"{fmt_int(imports.SHOWN_PROBLEMS_TABLE)} vấn đề đầu tiên; các dòng phía trên tóm tắt phần còn lại."
                )
            st.dataframe(imports.problems_frame(analysis), hide_index=True, key="import_problems", placeholder=MISSING)
    if analysis.preview is not None:
        draw_preview(analysis.preview)


def draw_preview(preview) -> None:
    st.subheader("Xem trước: thay đổi theo đơn vị")
    if preview.new_years:
        st.info(f"Năm mới trong kho: {', '.join(map(str, preview.new_years))}", icon=":material/event:")
    st.dataframe(imports.units_frame(preview.units), hide_index=True, key="import_units", placeholder=MISSING)
    for (year, level, _), frame in preview.rankings.items():
        st.markdown(f"**Xếp hạng năm {year} sau khi nạp** ({'cấp huyện' if level == 'district' else 'cấp xã'})")
        st.dataframe(
            imports.ranking_frame(frame), hide_index=True, key=f"import_ranking_{year}_{level}", placeholder=MISSING
        )
    with st.expander(f"Điểm thêm hoặc thay đổi ({len(preview.changes)} dòng)"):
        st.dataframe(imports.changes_frame(preview.changes), hide_index=True, key="import_changes", placeholder=MISSING)


with upload_tab:
    if actor is None:
        sign_in_panel()
    else:
        signed_in_bar(actor)
        uploaded = imports.file_uploader(
            "Tệp kết quả", ".xlsx, .csv, .txt", ["xlsx", "csv", "txt", "tsv"], imports.uploader_key()
        )
        cols = st.columns(4)
        level = cols[0].selectbox(
            "Cấp", list(imports.LEVEL_CHOICES), format_func=imports.LEVEL_CHOICES.get, key="import_level"
        )
        year = cols[1].number_input(
            "Năm (để trống: lấy từ tệp)", min_value=2000, max_value=2100, value=None, step=1, key="import_year"
        )
        demo = cols[2].selectbox(
            "Dữ liệu minh họa?", list(imports.DEMO_CHOICES), format_func=imports.DEMO_CHOICES.get, key="import_demo"
        )
        replace = cols[3].checkbox(
            "Thay thế dữ liệu đã có",
            key="import_replace",
            help="Ghi đè điểm của các đơn vị đã có dữ liệu cùng năm; hoàn tác được.",
        )
        if uploaded is not None:
            options = ImportOptions(year=int(year) if year else None, level=level, replace=replace, demo=demo)
            payload = uploaded.getvalue()
            analysis = imports.analysis_for(con, uploaded.name, payload, options)
            draw_analysis(analysis)
            st.button(
                "Xác nhận nạp",
                type="primary",
                disabled=not analysis.ok,
                key="import_confirm",
                icon=":material/upload:",
                on_click=imports.confirm_import,
                args=(uploaded.name, payload, options, actor),
            )
    how_to_read(
        "Tải lên bảng kết quả tỉnh gửi (Excel hoặc CSV). Hệ thống tự tìm dòng tiêu đề, bỏ qua dòng "
        "tiêu đề phụ, ghi chú và chữ ký; kiểm tra từng ô và liệt kê mọi lỗi kèm dòng, cột. Chưa có gì "
        "được ghi cho đến khi bấm **Xác nhận nạp**; mỗi lần nạp là một lô, có thể hoàn tác."
    )

with reference_tab:
    if reference_tab.open:  # drawn only when open: the page's other tabs cost nothing more
        reference.draw_set_in_force(con, sel.year)
        st.subheader("Nạp danh mục")
        if actor is None:
            st.caption("Đăng nhập biên tập viên (thẻ Nạp kết quả) để nạp bộ tiêu chí, xếp loại, cơ quan, chỉ tiêu…")
        else:
            reference.draw_loader(con, actor)
        how_to_read(
            "Bộ tiêu chí lấy từ phụ lục quyết định của tỉnh (Excel hoặc CSV): đánh số 1, 1.1, 1.1.1; hoặc I, II "
            "cho lĩnh vực; hoặc a), b) cho cấp thấp nhất. Mỗi mục cha phải bằng tổng các mục con. Bộ mới áp "
            "dụng cho một cấp từ năm đã chọn; điểm đã lưu không khớp bộ mới sẽ bị nêu tên và chặn lại. Mỗi lần "
            "nạp là một lô, hoàn tác được ở thẻ Lịch sử nạp."
        )

with history_tab:
    batches = readable_history(con)
    st.dataframe(
        batches[list(HISTORY_COLUMNS)].rename(columns=HISTORY_COLUMNS),
        hide_index=True,
        key="import_history",
        placeholder=MISSING,
    )
    choices = imports.undoable(batches)
    if actor is None:
        st.caption("Đăng nhập biên tập viên (thẻ Nạp kết quả) để hoàn tác một lô.")
    elif choices:
        batch = st.selectbox("Lô cần hoàn tác", list(choices), format_func=choices.get, key="undo_batch")
        if st.session_state.get(imports.UNDO_ASKED) == batch:
            st.warning(imports.undo_question(con, batch, f"Lô #{batch}"), icon=":material/warning:")
            left, right = st.columns(2)
            left.button(
                "Xác nhận hoàn tác",
                key="undo_confirm",
                type="primary",
                icon=":material/undo:",
                on_click=imports.confirm_undo,
                args=(batch, actor),
            )
            right.button("Hủy", key="undo_cancel", on_click=imports.cancel_undo)
        else:
            st.button(
                "Hoàn tác lô đã chọn…", key="undo_ask", icon=":material/undo:", on_click=imports.ask_undo, args=(batch,)
            )
    else:
        st.caption("Chưa có lô nạp nào có thể hoàn tác.")

with template_tab:
    st.markdown(
        "Tệp mẫu có sẵn đơn vị và tiêu chí của bộ tiêu chí đang áp dụng, kèm điểm tối đa; "
        "chỉ cần điền cột **Điểm** rồi tải lên ở thẻ Nạp kết quả."
    )
    cols = st.columns(2)
    template_year = cols[0].number_input(
        "Năm", min_value=2000, max_value=2100, value=(sel.year or 2020) + 1, step=1, key="template_year"
    )
    template_level = cols[1].selectbox(
        "Cấp", ["district", "commune"], key="template_level", format_func=imports.LEVEL_CHOICES.get
    )
    parent = scope.default_parent_in(con, template_level, int(template_year))
    try:
        xlsx = template_xlsx(con, int(template_year), template_level, parent)
        text = template_csv(con, int(template_year), template_level, parent)
    except CchcError as exc:
        st.warning(exc.message)
    else:
        stem = f"mau-{'huyen' if template_level == 'district' else 'xa'}-{int(template_year)}"
        cols = st.columns(2)
        cols[0].download_button(
            "Tải mẫu Excel (.xlsx)",
            xlsx,
            file_name=f"{stem}.xlsx",
            key="template_xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
        )
        cols[1].download_button(
            "Tải mẫu CSV",
            text,
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="template_csv",
            icon=":material/download:",
        )

    if template_tab.open:  # the reference templates only when the tab is open
        st.markdown("**Tệp mẫu danh mục** (thay các dòng ví dụ bằng số liệu của tỉnh rồi nạp ở thẻ Danh mục):")
        cols = st.columns([2, 1, 1], vertical_alignment="bottom")
        kind = cols[0].selectbox(
            "Loại danh mục", list(REFERENCE_KINDS), format_func=reference.kind_label, key="template_kind"
        )
        cols[1].download_button(
            "Tải mẫu Excel (.xlsx)",
            reference.template_bytes(kind, "xlsx"),
            file_name=f"{REFERENCE_FILE_STEMS[kind]}.xlsx",
            key="template_reference_xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
        )
        cols[2].download_button(
            "Tải mẫu CSV",
            reference.template_bytes(kind, "csv"),
            file_name=f"{REFERENCE_FILE_STEMS[kind]}.csv",
            mime="text/csv",
            key="template_reference_csv",
            icon=":material/download:",
        )
