"""The history of batches as people read it, for the Dữ liệu page and `history` alike: 1.165 rows,
30/11/2026 12:20, Vietnamese names of kinds, contents and modes."""

from __future__ import annotations

import pandas as pd

from analytics.formatting import fmt_int
from analytics.importing.commit import history
from analytics.importing.reference import KIND_LABELS
from analytics.store import actor_label

HISTORY_COLUMNS = {
    "id": "Lô",
    "created_at": "Thời điểm",
    "kind": "Loại",
    "content": "Dữ liệu",
    "source_name": "Tệp / thao tác",
    "note": "Nội dung",
    "row_count": "Số dòng",
    "actor": "Người thực hiện",
    "mode": "Cách nạp",
    "sha256": "SHA-256",
    "status": "Tình trạng",
}
KINDS = {"demo": "Dữ liệu minh họa", "import": "Nạp tệp", "undo": "Hoàn tác", "edit": "Sửa nhiệm vụ"}
CONTENTS = {
    **{k: v[0].upper() + v[1:] for k, v in KIND_LABELS.items()},
    "demo": "Bộ dữ liệu minh họa",
    "units": "Danh mục đơn vị hành chính",
}
MODES = {"insert": "Thêm mới", "replace": "Thay thế", "demo": "–", "tasks": "Nhiệm vụ"}


def readable_history(con) -> pd.DataFrame:
    """The history as people read it: 1.165 rows, 30/11/2026 12:20."""
    frame = history(con)
    frame["row_count"] = frame["row_count"].map(fmt_int)
    frame["created_at"] = frame["created_at"].dt.strftime("%d/%m/%Y %H:%M")
    frame["actor"] = [actor_label(a, c) for a, c in zip(frame["actor"], frame["content"])]
    frame["kind"] = frame["kind"].map(KINDS)
    frame["content"] = frame["content"].map(CONTENTS).fillna("–")
    frame["mode"] = frame["mode"].map(MODES).fillna("–")
    frame["sha256"] = frame["sha256"].fillna("").str[:12]
    frame["status"] = [f"Đã hoàn tác (lô #{u})" if pd.notna(u) else "" for u in frame.undone_by_batch_id]
    return frame


def history_table(con) -> pd.DataFrame:
    """readable_history with only the columns people read, under their Vietnamese names."""
    return readable_history(con)[list(HISTORY_COLUMNS)].rename(columns=HISTORY_COLUMNS)
