"""Problems found in a file: every one is reported at once, with its place and a suggestion."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from analytics.errors import CchcError

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem at one place. `row` is the line number a person sees in Excel or a text editor."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    reason: str
    suggestion: str | None = None
    kind: str = "invalid"
    severity: str = ERROR

    @property
    def place(self) -> str:
        parts = [f"tệp {self.file}"]
        if self.sheet:
            parts.append(f"trang '{self.sheet}'")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột '{self.column}'")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        """'tệp a.csv, dòng 5, cột 'Tên đơn vị': Không tìm thấy đơn vị 'X' — có phải 'Y'?'"""
        text = f"{self.place}: {self.reason}"
        return f"{text} — {self.suggestion}" if self.suggestion else text

    def as_dict(self) -> dict:
        return {**asdict(self), "message": self.message}


class HasProblems:
    """The errors and warnings of an analysis that keeps its problems in `problems` (every import kind)."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


@dataclass
class ProblemList:
    """Problems of one file; `at` is a factory bound to the file so callers only name the place."""

    file: str
    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        *,
        sheet=None,
        row=None,
        column=None,
        value=None,
        reason: str,
        suggestion=None,
        kind: str = "invalid",
        severity: str = ERROR,
    ) -> Problem:
        problem = Problem(
            self.file, sheet, row, column, None if value is None else str(value), reason, suggestion, kind, severity
        )
        self.items.append(problem)
        return problem

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.severity != ERROR, p.sheet or "", p.row or 0, p.column or ""))


class FileProblem(CchcError):
    """A problem that stops reading the file at all (empty, too big, unreadable)."""

    def __init__(self, reason: str, kind: str, suggestion: str | None = None, sheet: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.suggestion = suggestion
        self.sheet = sheet


# --- showing many problems: a few of each kind, then one line for the rest ---------------------

PER_KIND = 10  # problems of one kind shown in full
RANGES_SHOWN = 4
NOUNS = {ERROR: "lỗi", WARNING: "cảnh báo"}


def condensed(problems: list[Problem], per_kind: int = PER_KIND) -> tuple[list[Problem], list[str]]:
    """(the problems shown in full, one line per kind for the rest): 'và 128.870 lỗi cùng loại ở các dòng …'."""
    shown: list[Problem] = []
    rest: dict[tuple[str, str], list[Problem]] = {}
    counts: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.severity, problem.kind)
        counts[key] = counts.get(key, 0) + 1
        (shown.append(problem) if counts[key] <= per_kind else rest.setdefault(key, []).append(problem))
    return shown, [rest_line(severity, items) for (severity, _), items in rest.items()]


def rest_line(severity: str, items: list[Problem]) -> str:
    from analytics.formatting import fmt_int

    first = items[0]
    what = f"… và {fmt_int(len(items))} {NOUNS[severity]} cùng loại như '{first.reason[:80]}'"
    rows = sorted({p.row for p in items if p.row is not None})
    return what + (f" ở các dòng {row_ranges(rows)}." if rows else ".")


def row_ranges(rows: list[int]) -> str:
    """[3, 4, 5, 9, 12, 13] -> '3–5, 9, 12–13'; past RANGES_SHOWN ranges, '…' and the last row."""
    from analytics.formatting import fmt_int

    ranges: list[list[int]] = []
    for row in rows:
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1][1] = row
        else:
            ranges.append([row, row])
    texts = [fmt_int(a) if a == b else f"{fmt_int(a)}–{fmt_int(b)}" for a, b in ranges]
    return ", ".join(texts) if len(texts) <= RANGES_SHOWN else ", ".join(texts[:RANGES_SHOWN]) + f", … {texts[-1]}"


def beyond(value: float, limit: float) -> str:
    """The value with enough decimals to differ from the limit shown with two: 10,004 of 10,00 -> '10,004'."""
    from analytics.formatting import fmt_number

    for decimals in range(2, 10):
        if fmt_number(value, decimals) != fmt_number(limit, decimals):
            return fmt_number(value, decimals)
    return fmt_number(value, 10)
