"""Kế hoạch đạt mục tiêu: the criteria that close the gap to the target rank, and what-if sliders per field."""

import streamlit as st

from analytics.charts import plan_waterfall
from analytics.errors import CchcError
from analytics.formatting import fmt_number, fmt_rank, fmt_signed, rank_change_words
from analytics.reports.workbook import PLAN_COLUMNS
from analytics.trend import projection_sentence
from ui import data, exports, tables
from ui import tasks as tasks_ui
from ui.marks import Card, cards, change_card, chart, demo_badge, empty_state, stop_without_data, verdict
from ui.page import begin
from ui.url import bound, url_selectbox
from ui.whatif import field_sliders

CAPS = {"best": "mức cao nhất đơn vị khác đã đạt", "max": "điểm tối đa của tiêu chí"}

sel, con, ver = begin("Kế hoạch đạt mục tiêu")

stop_without_data(sel)
ranking = data.rankings(con, ver, sel.year, sel.level, sel.parent_code)
row = ranking[ranking.unit_code == sel.unit_code].iloc[0]
if not row.has_data:
    empty_state(f"{sel.unit_name} chưa có dữ liệu năm {sel.year}, nên chưa lập được kế hoạch.")
    st.stop()

st.subheader(f"{sel.unit_name} — từ kết quả năm {sel.year}")
demo_badge(True)
set_target = data.target_rank(con, ver, sel.unit_code, sel.year)
rank_of = int(row.rank_of)
controls = st.columns([1, 2, 2])
with controls[0]:
    target_rank = int(
        bound(
            st.number_input,
            "target_rank",
            range(1, rank_of + 1),
            min(set_target, rank_of) if set_target else max(1, int(row["rank"]) - 1),
            "Hạng mục tiêu",
            min_value=1,
            max_value=rank_of,
            step=1,
            parse=int,
            help="Mặc định là chỉ tiêu đã đặt trong kho dữ liệu (nếu có).",
        )
    )
with controls[1]:
    cap = url_selectbox("Mỗi tiêu chí được nâng tới", list(CAPS), "plan_cap", format_func=CAPS.get)

try:
    plan = data.plan(con, ver, sel.year, sel.unit_code, target_rank, cap)
except CchcError as error:
    empty_state(error.message)
    st.stop()

# --- the cards and the verdict --------------------------------------------------------------------
cards(
    [
        Card("Hiện tại", fmt_number(plan.current_total), f"hạng {fmt_rank(row['rank'], rank_of)}"),
        Card(f"Điểm của hạng {target_rank}", fmt_number(plan.target_total), plan.target_unit_name),
        Card("Điểm cần thêm", fmt_number(plan.points_needed)),
        Card(
            "Sau kế hoạch",
            fmt_number(plan.resulting_total),
            f"hạng {fmt_rank(plan.resulting_rank, plan.rank_of)}",
        ),
    ],
    "plan",
)

if plan.points_needed <= 0:
    verdict(f"{sel.unit_name} đã đạt hoặc vượt hạng {target_rank}/{plan.rank_of} năm {sel.year}.")
elif plan.reachable:
    verdict(
        f"Nâng {len(plan.steps)} tiêu chí dưới đây (tổng +{fmt_number(plan.resulting_total - plan.current_total)}"
        f" điểm) là đủ để đạt hạng {fmt_rank(plan.resulting_rank, plan.rank_of)}."
    )
else:
    verdict(
        f"Kể cả khi nâng mọi tiêu chí lên mức giới hạn vẫn còn thiếu {fmt_number(plan.shortfall)} điểm "
        f"để đạt hạng {target_rank}/{plan.rank_of}."
    )
st.info(f"**Giới hạn của kế hoạch.** {plan.assumption}", icon=":material/rule:")


# --- the criteria to raise, in order ------------------------------------------------------------
steps = tables.plan_steps(plan.steps)
if steps.empty:
    empty_state("Kế hoạch không cần nâng tiêu chí nào.")
else:
    chart(
        plan_waterfall(
            steps,
            plan.current_total,
            plan.target_total,
            target_rank,
            title=f"Từ điểm hiện tại đến hạng {target_rank}: {sel.unit_name}, kết quả năm {sel.year}",
        ),
        "plan_waterfall",
        "Thanh cam trên cùng là tổng điểm hiện tại, mỗi thanh xanh là số điểm một tiêu chí đóng góp thêm, "
        "thanh cam dưới cùng là tổng điểm sau kế hoạch. Đường nét đứt là điểm của đơn vị đang giữ hạng mục "
        "tiêu: thanh cuối chạm hoặc vượt đường này là đạt. Trục ngang không bắt đầu từ 0 để thấy rõ từng phần tăng.",
        ("Kế hoạch", sel.year, sel.unit_code, f"hang {target_rank}"),
    )
    st.markdown("**Các tiêu chí cần nâng, theo thứ tự ưu tiên**")
    tables.show(
        tables.plan_table(steps, plan.current_total),
        "plan_table",
        tables.PLAN_FORMATS,
        widths={"Tiêu chí": "medium", "Tăng thêm": "small", "Tổng điểm lũy kế": "small"},
    )
    exports.csv_button(steps, f"ke-hoach-{sel.unit_code}-{sel.year}-hang-{target_rank}-{cap}", "plan_csv", PLAN_COLUMNS)
    tasks_ui.plan_button(plan)
projection = data.projection(con, ver, sel.unit_code, target_rank, sel.level, sel.parent_code)
if projection is not None and projection.last_year == sel.year:
    st.caption(f"{projection_sentence(projection)} {projection.basis}")

# --- what if: a new score per field -------------------------------------------------------------
st.subheader("Thử nếu… (điểm từng lĩnh vực)")
st.caption(
    "Kéo thanh trượt để đặt điểm mới cho từng lĩnh vực; tổng điểm và thứ hạng mới được tính lại ngay, "
    "với điểm của các đơn vị khác giữ nguyên như năm " + str(sel.year) + "."
)
fields = data.gaps(con, ver, sel.year, sel.unit_code, "province-mean", 1, None)
outcome = st.container(key="whatif_outcome")  # filled after the sliders, shown above them
changes = field_sliders(fields)
result = data.what_if(con, ver, sel.year, sel.unit_code, tuple(sorted(changes.items())))
moved = round(result.new_total - result.old_total, 2)
places = result.old_rank - result.new_rank
reached = result.new_rank <= target_rank
with outcome:
    cards(
        [
            change_card("Tổng điểm mới", fmt_number(result.new_total), moved, f"{fmt_signed(moved)} điểm"),
            change_card("Thứ hạng mới", fmt_rank(result.new_rank, result.rank_of), places, rank_change_words(places)),
            Card(
                f"Còn thiếu để đạt hạng {target_rank}",
                "Đã đạt" if reached else fmt_number(max(0.0, (plan.target_total or 0) - result.new_total)),
            ),
        ],
        "whatif",
        wrap=True,
    )
