"""The dashboard's pages, in menu order: app.py builds the navigation from this list, tests read it.

Not a folder called "pages/": that name beside app.py switches Streamlit to its legacy multipage
mode until st.navigation runs, so a deep link's first run skips app.py (and its sidebar) or shows a
spurious "Page not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent.parent / "app_pages"


@dataclass(frozen=True)
class PageSpec:
    file: str  # in app_pages/
    title: str
    icon: str
    url_path: str | None  # None: the default page, at "/"

    @property
    def script(self) -> str:
        """The path AppTest.switch_page takes: relative to app.py."""
        return f"app_pages/{self.file}"


PAGE_SPECS = (
    PageSpec("overview.py", "Tổng quan", ":material/dashboard:", None),
    PageSpec("ranking.py", "Xếp hạng", ":material/leaderboard:", "xep-hang"),
    PageSpec("criteria.py", "Tiêu chí", ":material/checklist:", "tieu-chi"),
    PageSpec("communes.py", "Cấp xã", ":material/holiday_village:", "cap-xa"),
    PageSpec("plan.py", "Kế hoạch đạt mục tiêu", ":material/flag:", "ke-hoach"),
    PageSpec("tasks.py", "Nhiệm vụ", ":material/task_alt:", "nhiem-vu"),
    PageSpec("data.py", "Dữ liệu", ":material/upload_file:", "du-lieu"),
)


def pages() -> list[st.Page]:
    return [
        st.Page(
            PAGES_DIR / spec.file,
            title=spec.title,
            icon=spec.icon,
            default=spec.url_path is None,
            **({"url_path": spec.url_path} if spec.url_path else {}),
        )
        for spec in PAGE_SPECS
    ]
