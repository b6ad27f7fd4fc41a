"""Controls kept in the URL, so that a link reopens the same view (`?year=2020&ref=best&field=7`).

The URL carries codes and numbers, while the widgets show names: a valid value in the URL seeds the
widget once, and every run writes the current choice back. (Streamlit's `bind="query-params"` would
put the displayed label in the URL.) A value in a link that is no longer offered (`?year=1999`) is
replaced by the default and said in one line, never silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

STALE_KEY = "_stale_link_values"
LIST_SEPARATOR = ","
PLACEHOLDER = "Chọn…"  # instead of Streamlit's "Choose an option"
# What each URL key names, for the one-line notice about a value a link holds that no longer exists.
WHAT = {
    "level": "cấp",
    "year": "năm",
    "unit": "đơn vị",
    "ref": "mốc so sánh",
    "threshold": "ngưỡng",
    "measure": "cách đo",
    "field": "lĩnh vực",
    "office": "cơ quan",
    "target_rank": "hạng mục tiêu",
    "plan_cap": "mức nâng",
    "communes_from": "năm so sánh",
    "communes_profile_unit": "xã",
    "ranking_compare": "đơn vị so sánh",
    "whatif": "điểm thử của lĩnh vực",
    "chart": "biểu đồ",
}


SHARED_KEYS = ("level", "year", "unit")  # the sidebar's choices: the same on every page


def shared_params() -> dict[str, str]:
    """The query parameters a link to another page carries: the sidebar's, never one page's own controls."""
    return {key: st.query_params[key] for key in SHARED_KEYS if key in st.query_params}


def _from_url(key: str, parse: Callable[[str], object]):
    raw = st.query_params.get(key)
    try:
        return parse(raw) if raw is not None else None
    except ValueError:
        return raw


def seed(key: str, options: Sequence, default, parse: Callable[[str], object] = str) -> None:
    """Keep the widget's value if still offered; else take it from the URL; else the default."""
    if key in st.session_state and st.session_state[key] in options:
        return
    from_url = _from_url(key, parse)
    # Only a link's first value is news: later, the URL holds the last choice, which a change of level
    # (say) may leave out of the new options without the link having been wrong.
    if key not in st.session_state and from_url is not None and from_url not in options:
        remember_stale(key, st.query_params.get(key))
    st.session_state[key] = from_url if from_url in options else default


def to_url(key: str, value) -> None:
    """Write a choice to the URL (only when it changed, to avoid needless reruns); None removes it."""
    text = LIST_SEPARATOR.join(map(str, value)) if isinstance(value, list) else value
    if text is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != str(text):
        st.query_params[key] = str(text)


def remember_stale(key: str, raw: str) -> None:
    st.session_state.setdefault(STALE_KEY, []).append((key, raw))


def stale_notice(keys: Sequence[str] | None = None) -> None:
    """One line per link value that no longer exists (those of `keys`, or all), said once."""
    pending = st.session_state.get(STALE_KEY, [])
    said = [(k, raw) for k, raw in pending if keys is None or k in keys]
    st.session_state[STALE_KEY] = [item for item in pending if item not in said]
    for key, raw in said:
        what = WHAT.get(key) or WHAT.get(key.split("_")[0], key)
        st.caption(f":material/link_off: Liên kết có {what} “{raw}” nay không còn; đang hiển thị lựa chọn mặc định.")


def bound(
    widget: Callable,
    key: str,
    options: Sequence,
    default,
    *args,
    parse: Callable[[str], object] = str,
    notice_here: bool = True,
    omit_default: bool = False,
    **kwargs,
):
    """Any single-value widget (selectbox, slider, number input, segmented control…) kept in the URL.

    A stale link value is said under the widget, or (notice_here=False, as in the sidebar) by the page.
    omit_default leaves the default out of the URL (eight what-if sliders at "no change" are noise).
    """
    default = default if default in options else (options[0] if options else None)
    seed(key, options, default, parse)
    value = widget(*args, key=key, **kwargs)
    to_url(key, None if omit_default and value == default else value)
    if notice_here:
        stale_notice([key])
    return value


def url_selectbox(
    label: str,
    options: list,
    key: str,
    default=None,
    parse: Callable[[str], object] = str,
    format_func: Callable = str,
    notice_here: bool = True,
    **kwargs,
):
    """A selectbox whose value is kept in the URL as the option itself (a code, not its label)."""
    kwargs.setdefault("placeholder", PLACEHOLDER)
    return bound(
        st.selectbox,
        key,
        options,
        default,
        label,
        options,
        parse=parse,
        notice_here=notice_here,
        format_func=format_func,
        **kwargs,
    )


def url_tabs(tabs: dict[str, str], key: str) -> dict:
    """Tabs (code -> label) whose chosen tab is kept in the URL by its code (`?chart=history`; the first,
    the default, is left out). Only the chosen tab's content is meant to run: each returned container's
    `.open` says whether it is the one shown (st.tabs with on_change="rerun")."""
    codes, labels = list(tabs), list(tabs.values())
    seed(key, labels, labels[0], parse=lambda code: tabs.get(code, code))  # the widget holds the label
    stale_notice([key])  # above the tabs, where the reader looks for what the link showed
    containers = st.tabs(labels, key=key, on_change="rerun")
    chosen = codes[labels.index(st.session_state[key])]
    to_url(key, None if chosen == codes[0] else chosen)
    return dict(zip(codes, containers, strict=True))


def url_multiselect(label: str, options: list, key: str, default: list, **kwargs) -> list:
    """A multiselect kept in the URL as codes separated by commas; codes no longer offered are said and dropped."""
    if key not in st.session_state and key in st.query_params:
        codes = [c for c in st.query_params[key].split(LIST_SEPARATOR) if c]
        gone = [c for c in codes if c not in options]
        if gone:
            remember_stale(key, LIST_SEPARATOR.join(gone))
        st.session_state[key] = [c for c in codes if c in options] or default
    elif key not in st.session_state:
        st.session_state[key] = default
    value = st.multiselect(label, options, key=key, **{"placeholder": PLACEHOLDER, **kwargs})
    to_url(key, value)
    stale_notice([key])
    return value


def forget(*keys: str) -> None:
    """Remove controls not shown in this run from the URL, so a link does not carry them."""
    for key in keys:
        to_url(key, None)
