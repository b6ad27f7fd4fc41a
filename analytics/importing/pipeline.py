"""analyze(): bytes in, an Analysis out (rows to store, every problem, the preview); writes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from analytics.importing.fastlong import analyze_fast
from analytics.importing.plan import Preview, preview
from analytics.importing.problems import ERROR, WARNING, FileProblem, Problem, ProblemList
from analytics.importing.read import read_file
from analytics.importing.rows import ScoreRows
from analytics.importing.validate import ImportOptions, validate_file
from analytics.names import fold

DEMO_PHRASES = ("du lieu minh hoa", "so lieu minh hoa")
SAME_FILE_SQL = """
    SELECT id FROM batches WHERE sha256 = ? AND kind = 'import' AND undone_by_batch_id IS NULL ORDER BY id
"""
# Errors that a preview can still be computed with (it shows what replacing would do).
PREVIEWABLE = {"exists"}


@dataclass
class Analysis:
    file_name: str
    sha256: str
    size: int
    options: ImportOptions
    problems: list[Problem]
    rows: ScoreRows = field(default_factory=ScoreRows.empty)  # (year, unit, criterion, points, self_points)
    is_demo: bool = False
    preview: Preview | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    separator: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def years(self) -> list[int]:
        return self.rows.years


def analyze(con, file_name: str, data: bytes, options: ImportOptions | None = None) -> Analysis:
    """Read, recognise, validate and preview one file against the store, without writing."""
    options = options or ImportOptions()
    problems = ProblemList(file_name)
    fast = analyze_fast(con, file_name, data, options, problems) if len(data) <= options.max_bytes else None
    if fast is not None:
        raw, parsed, rows = fast.raw, fast.parsed, fast.rows
    else:
        try:
            raw = read_file(file_name, data, options.max_bytes)
        except FileProblem as exc:
            problems.add(sheet=exc.sheet, reason=exc.reason, suggestion=exc.suggestion, kind=exc.kind)
            return Analysis(file_name, hashlib.sha256(data).hexdigest(), len(data), options, problems.sorted())
        parsed = validate_file(con, raw, options, problems)
        rows = ScoreRows.from_tuples(parsed.rows())
    is_demo = options.demo if options.demo is not None else looks_illustrative(parsed.texts)
    result = None
    if rows and all(p.kind in PREVIEWABLE for p in problems.errors):
        result = preview(con, parsed, rows, is_demo, problems)
    warn_if_imported_before(con, raw.sha256, problems)
    return Analysis(file_name, raw.sha256, raw.size, options, problems.sorted(), rows, is_demo, result,
                    parsed.sheets, raw.encoding, raw.separator)


def looks_illustrative(texts: list[str]) -> bool:
    """Files that say of themselves "dữ liệu minh họa" are stored flagged as illustrative."""
    folded = fold(" ".join(texts))
    return any(phrase in folded for phrase in DEMO_PHRASES)


def warn_if_imported_before(con, sha256: str, problems: ProblemList) -> None:
    ids = [r[0] for r in con.execute(SAME_FILE_SQL, [sha256]).fetchall()]
    if ids:
        problems.add(value=sha256[:12], severity=WARNING, kind="already_imported",
                     reason=f"Tệp này (cùng nội dung) đã được nạp ở lô #{ids[-1]}.",
                     suggestion="Kiểm tra lịch sử nạp trước khi nạp lại.")
