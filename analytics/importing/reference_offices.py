"""Offices named in a reference file: by code or name; a name not yet known becomes a new office."""

from __future__ import annotations

from analytics.importing.problems import WARNING, ProblemList
from analytics.importing.reference_codes import derived_code
from analytics.names import fold

OFFICES_SQL = "SELECT code, name FROM offices"


class OfficeBook:
    def __init__(self, con):
        rows = con.execute(OFFICES_SQL).fetchall()
        self.known = {fold(code): code for code, _ in rows} | {fold(name): code for code, name in rows}
        self.stored_names = dict(rows)
        self.new: dict[str, str] = {}  # code -> name, offices this file adds

    def resolve(self, text: str | None, line: int, table, problems: ProblemList) -> str | None:
        """The office's code; an unknown name is given a new code (a warning names it)."""
        if not text:
            return None
        key = fold(text)
        if key not in self.known:
            code = self.new_code(text)
            self.known[key], self.new[code] = code, text
            problems.add(
                sheet=table.sheet.name,
                row=line,
                column=table.labels.get("office"),
                value=text[:80],
                severity=WARNING,
                kind="new_office",
                reason=f"Cơ quan '{text}' chưa có trong danh mục: sẽ được thêm với mã {code}.",
                suggestion="Nếu là cơ quan đã có với tên khác, ghi mã của cơ quan đó (ví dụ NV).",
            )
        return self.known[key]

    def new_code(self, name: str) -> str:
        return derived_code(name, set(self.known.values()) | set(self.new), fallback="CQ")

    def names(self) -> dict[str, str]:
        return {**self.stored_names, **self.new}

    def write(self):
        from analytics.importing.reference import TableWrite

        codes = list(self.new)
        return TableWrite(
            "offices",
            "list_contains(?, code)",
            [codes],
            ["code", "name", "duties"],
            [(code, name, None) for code, name in self.new.items()],
        )
