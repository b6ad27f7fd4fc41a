"""Analytics calls whose failure a page shows as a state, not an error: no target set, no reference."""

from __future__ import annotations

import pandas as pd

from analytics.errors import CchcError
from ui import data
from ui.marks import empty_state
from ui.sidebar import Selection


def target_gap(sel: Selection, con, ver: str):
    """The gap to the unit's target rank, or None when no target is set (or it cannot be computed)."""
    rank = data.target_rank(con, ver, sel.unit_code, sel.year)
    if rank is None:
        return None
    try:
        return data.target_gap(con, ver, sel.year, sel.unit_code, rank)
    except CchcError:
        return None


def gaps_or_reason(sel: Selection, con, ver: str, reference: str, depth: int) -> pd.DataFrame | None:
    """Gaps at one depth against a reference; None (with the reason shown) if they cannot be computed."""
    target = data.target_rank(con, ver, sel.unit_code, sel.year) if reference == "target" else None
    try:
        return data.gaps(con, ver, sel.year, sel.unit_code, reference, depth, target)
    except CchcError as error:
        empty_state(error.message)
        return None
