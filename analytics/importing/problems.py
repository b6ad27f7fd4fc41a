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


@dataclass
class ProblemList:
    """Problems of one file; `at` is a factory bound to the file so callers only name the place."""

    file: str
    items: list[Problem] = field(default_factory=list)

    def add(self, *, sheet=None, row=None, column=None, value=None, reason: str, suggestion=None,
            kind: str = "invalid", severity: str = ERROR) -> Problem:
        problem = Problem(self.file, sheet, row, column, None if value is None else str(value), reason,
                          suggestion, kind, severity)
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
