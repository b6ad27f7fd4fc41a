"""Tiêu chí (Phòng Nội vụ): field and criterion gaps against a reference, units × fields, points by office."""

import streamlit as st

from analytics.charts import field_heatmap, gap_bars, office_bars
from analytics.formatting import fmt_signed
from analytics.reports.workbook import CRITERIA_COLUMNS, FIELD_COLUMNS, FIELD_LABELS, OFFICE_DETAIL_COLUMNS
from ui import data, exports, tables
from ui import tasks as tasks_ui
from ui.analyses import gaps_or_reason
from ui.marks import chart, demo_badge, empty_state, escape_markdown, stop_without_data
from ui.page import begin
from ui.url import bound, forget, url_selectbox

REFERENCES = {
    "province-mean": "Trung bình các đơn vị cùng cấp",
    "best": "Mức cao nhất của các đơn vị khác",
    "target": "Đơn vị giữ hạng mục tiêu",
    "threshold": "Một ngưỡng tự chọn (% điểm tối đa)",
}
REFERENCE_SLUGS = {"province-mean": "so-voi-trung-binh", "best": "so-voi-cao-nhat", "target": "so-voi-hang-muc-tieu"}
MEASURES = {"gap_points": "Điểm", "gap_pct": "% điểm tối đa"}
THRESHOLDS = list(range(50, 101, 5))
ALL = "__all__"

sel, con, ver = begin("Tiêu chí")
stop_without_data(sel)

# --- the reference and the measure --------------------------------------------------------------
st.subheader(f"{sel.unit_name} — năm {sel.year}")
controls = st.columns([3, 2, 2])
with controls[0]:
    ref = url_selectbox("So sánh với", list(REFERENCES), "ref", format_func=REFERENCES.get)
    if ref == "threshold":
        threshold = bound(st.slider, "threshold", THRESHOLDS, 80, "Ngưỡng (% điểm tối đa)", 50, 100, step=5, parse=int)
        ref_value, reference_words = f"threshold:{threshold}", f"ngưỡng {threshold}% điểm tối đa"
    else:
        forget("threshold")
        ref_value, reference_words = ref, REFERENCES[ref].lower()
with controls[1]:
    measure = bound(
        st.segmented_control,
        "measure",
        list(MEASURES),
        "gap_points",
        "Đo chênh lệch bằng",
        list(MEASURES),
        format_func=MEASURES.get,
        required=True,
    )
reference_slug = REFERENCE_SLUGS.get(ref, ref_value.replace(":", "-"))

fields = gaps_or_reason(sel, con, ver, ref_value, 1)
if fields is None:
    st.stop()
if fields.empty:
    empty_state(f"{sel.unit_name} chưa có điểm theo lĩnh vực năm {sel.year}.")
    st.stop()
demo_badge(True)
criteria = gaps_or_reason(sel, con, ver, ref_value, 2)
offices = (criteria if criteria is not None else fields)[["owner_office", "owner_office_name"]].dropna()
office_names = dict(zip(offices.owner_office, offices.owner_office_name))
with controls[2]:
    office = url_selectbox(
        "Cơ quan phụ trách",
        [ALL, *sorted(office_names, key=office_names.get)],
        "office",
        format_func=lambda c: "Tất cả" if c == ALL else office_names[c],
    )

# --- fields against the reference ---------------------------------------------------------------
weak = fields[fields.gap_points < 0].sort_values("gap_points")
if len(weak):
    named = zip(weak.criterion_code, weak.criterion_name, weak.gap_points)
    names = escape_markdown("; ".join(f"{c}. {n} ({fmt_signed(g)} điểm)" for c, n, g in named))
    st.markdown(f"Thấp hơn {reference_words} ở **{len(weak)}** lĩnh vực: {names}.")
else:
    st.markdown(f"Không có lĩnh vực nào thấp hơn {reference_words}.")

unit_words = "điểm" if measure == "gap_points" else "điểm phần trăm"
view = f"{sel.unit_name}, năm {sel.year}"
chart(
    gap_bars(fields, measure, title=f"Chênh lệch theo lĩnh vực so với {reference_words}: {view}"),
    "criteria_fields",
    f"Mỗi thanh là một lĩnh vực. Thanh sang trái (màu cam) là số {unit_words} {sel.unit_name} thấp hơn mốc so "
    f"sánh, thanh sang phải (màu xanh lá) là cao hơn. Lĩnh vực yếu nhất ở trên cùng. Mốc so sánh: {reference_words}.",
    ("Chênh lệch lĩnh vực", sel.year, sel.unit_code, reference_slug),
)
exports.csv_button(
    fields,
    f"linh-vuc-{sel.unit_code}-{sel.year}-{reference_slug}",
    "criteria_fields_csv",
    FIELD_COLUMNS,
    FIELD_LABELS,
    label="Tải CSV các lĩnh vực",
)

# --- one field's criteria -----------------------------------------------------------------------
st.subheader("Đi sâu vào một lĩnh vực")
field_labels = dict(zip(fields.criterion_code, fields.criterion_name))
field_codes = [ALL, *fields.criterion_code]
field = url_selectbox(
    "Lĩnh vực",
    field_codes,
    "field",
    default=field_codes[1],
    format_func=lambda c: "Tất cả lĩnh vực" if c == ALL else f"{c}. {field_labels[c]}",
)
if criteria is None or criteria.empty:
    empty_state(f"{sel.unit_name} chưa có điểm theo tiêu chí năm {sel.year}, chỉ có điểm theo lĩnh vực.")
else:
    shown = criteria if field == ALL else criteria[criteria.field_code == field]
    shown = shown if office == ALL else shown[shown.owner_office == office]
    drill_view = (  # what the drill shows, in its PNG's and CSV's file names
        reference_slug,
        None if field == ALL else f"linh-vuc-{field}",
        None if office == ALL else f"co-quan-{office}",
    )
    if shown.empty:
        empty_state("Không có tiêu chí nào thuộc lĩnh vực và cơ quan đã chọn.")
    else:
        scope = "mọi lĩnh vực" if field == ALL else f"lĩnh vực {field}"
        chart(
            gap_bars(shown, measure, title=f"Chênh lệch từng tiêu chí, {scope}: {view}"),
            "criteria_drill",
            f"Mỗi thanh là một tiêu chí của {scope}"
            + ("" if office == ALL else f" do {office_names[office]} phụ trách")
            + ". Thanh sang trái là điểm còn thiếu so với mốc so sánh; di chuột để xem điểm đạt và điểm tối đa.",
            ("Chênh lệch tiêu chí", sel.year, sel.unit_code, *drill_view),
        )
        exports.csv_button(
            shown,
            exports.file_stem("tieu-chi", sel.unit_code, sel.year, *drill_view),
            "criteria_drill_csv",
            CRITERIA_COLUMNS,
            label="Tải CSV các tiêu chí",
        )

tasks_ui.criterion_button(sel, criteria)

# --- units × fields -----------------------------------------------------------------------------
st.subheader("Bản đồ nhiệt: các đơn vị × lĩnh vực")
matrix = data.field_matrix(con, ver, sel.year, sel.level, sel.parent_code)
if matrix.empty:
    empty_state(f"Chưa có điểm theo lĩnh vực của các đơn vị năm {sel.year}.")
else:
    chart(
        field_heatmap(
            matrix,
            sel.unit_code,
            title=f"Tỷ lệ điểm đạt (% điểm tối đa), năm {sel.year}, "
            + data.scope_words(con, ver, sel.level, sel.parent_code, sel.year),
        ),
        "criteria_heatmap",
        "Mỗi hàng là một đơn vị (đơn vị có tổng điểm cao nhất ở trên cùng), mỗi cột là một lĩnh vực, ghi bằng số thứ "
        "tự; tên các lĩnh vực ở dưới bản đồ. Ô ghi phần trăm điểm tối đa của lĩnh vực mà đơn vị đạt; ô càng đậm, "
        f"càng gần điểm tối đa. Tên {sel.unit_name} in đậm màu cam. Đọc theo cột để thấy lĩnh vực nào cả tỉnh "
        "cùng yếu, theo hàng để thấy điểm yếu riêng của một đơn vị.",
        ("Ban do nhiet", sel.year, sel.level_label, sel.parent_code),
    )

# --- points by office ---------------------------------------------------------------------------
st.subheader("Điểm có thể lấy lại, theo cơ quan phụ trách")
summary, detail = data.recoverable(con, ver, sel.year, sel.unit_code)
if office != ALL:
    summary, detail = summary[summary.office_code == office], detail[detail.office_code == office]
if summary.empty:
    empty_state("Không có điểm nào bị mất ở các tiêu chí của cơ quan đã chọn.")
else:
    chart(
        office_bars(summary, title=f"Điểm bị mất và điểm có thể lấy lại theo cơ quan: {view}"),
        "criteria_offices",
        "Thanh nhạt: điểm các tiêu chí của cơ quan đã bị mất so với điểm tối đa. Thanh xanh: phần có thể lấy "
        "lại nếu mỗi tiêu chí đạt bằng đơn vị cùng cấp làm tốt nhất tiêu chí đó năm nay (một mức đã có đơn vị "
        "làm được). Bảng dưới liệt kê các tiêu chí đứng sau mỗi con số.",
        ("Cơ quan", sel.year, sel.unit_code, None if office == ALL else office),
    )
    lost = detail[detail.lost_points > 0]
    tables.show(
        tables.office_detail(lost), "criteria_detail", tables.OFFICE_DETAIL_FORMATS, widths={"Tiêu chí": "medium"}
    )
    exports.csv_button(
        lost,
        exports.file_stem(
            "tieu-chi-theo-co-quan", sel.unit_code, sel.year, None if office == ALL else f"co-quan-{office}"
        ),
        "criteria_detail_csv",
        OFFICE_DETAIL_COLUMNS,
    )
