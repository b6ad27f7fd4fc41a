"""analyze(): bytes in, an Analysis out (rows to store, every problem, the preview); writes nothing.
analyze_and_commit(): the same, and the commit of a file without errors in the same transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from analytics.importing.commit import commit_import, finish_batch, transaction, write_batch
from analytics.importing.fastlong import analyze_fast
from analytics.importing.intake import read_reporting, warn_if_imported_before
from analytics.importing.preview import Preview, preview
from analytics.importing.problems import HasProblems, Problem, ProblemList
from analytics.importing.read import safe_file_name
from analytics.importing.rows import ScoreRows
from analytics.importing.validate import ImportOptions, validate_file
from analytics.names import fold

DEMO_PHRASES = ("du lieu minh hoa", "so lieu minh hoa")
# Errors that a preview can still be computed with (it shows what replacing would do).
PREVIEWABLE = {"exists"}


@dataclass
class Analysis(HasProblems):
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
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def years(self) -> list[int]:
        return self.rows.years


def analyze(con, file_name: str, data: bytes, options: ImportOptions | None = None) -> Analysis:
    """Read, recognise, validate and preview one file against the store, without writing."""
    return _analyze(con, file_name, data, options or ImportOptions(), actor=None)[0]


def analyze_and_commit(
    con, file_name: str, data: bytes, options: ImportOptions | None, actor: str
) -> tuple[Analysis, int | None]:
    """analyze() and, when the file is ok, commit_import(): (analysis, batch id or None).

    When validation finds no error and the file has no rank column (the one thing the preview
    checks), the preview is computed inside the commit's own transaction instead of a trial one,
    so the rows are written once. Otherwise it is analyze() then commit_import() when ok.
    """
    analysis, batch_id = _analyze(con, file_name, data, options or ImportOptions(), actor=actor)
    if batch_id is None and analysis.ok:
        batch_id = commit_import(con, analysis, actor)
    return analysis, batch_id


def _analyze(con, file_name: str, data: bytes, options: ImportOptions, actor: str | None):
    file_name = safe_file_name(file_name)
    problems = ProblemList(file_name)
    fast = analyze_fast(con, file_name, data, options, problems) if len(data) <= options.max_bytes else None
    if fast is not None:
        raw, parsed, rows = fast.raw, fast.parsed, fast.rows
    else:
        read = read_reporting(file_name, data, options.max_bytes, problems)
        if read is None:
            return Analysis(file_name, hashlib.sha256(data).hexdigest(), len(data), options, problems.sorted()), None
        raw = read
        parsed = validate_file(con, raw, options, problems)
        rows = ScoreRows.from_tuples(parsed.rows())
    is_demo = options.demo if options.demo is not None else looks_illustrative(parsed.texts)
    warn_if_imported_before(con, raw.sha256, problems)
    result, batch_id = None, None
    if rows and actor is not None and not problems.errors and not parsed.ranks:
        result, batch_id = _preview_and_commit(
            con,
            parsed,
            rows,
            is_demo,
            problems,
            dict(file_name=file_name, sha256=raw.sha256, actor=actor, replace=options.replace, is_demo=is_demo),
        )
    elif rows and all(p.kind in PREVIEWABLE for p in problems.errors):
        result = preview(con, parsed, rows, is_demo, problems)
    analysis = Analysis(
        file_name,
        raw.sha256,
        raw.size,
        options,
        problems.sorted(),
        rows,
        is_demo,
        result,
        parsed.sheets,
        raw.encoding,
        raw.separator,
    )
    return analysis, batch_id


class _PreviewFoundErrors(Exception):
    """Raised inside the commit's transaction to roll it back (should the preview ever find an error)."""


def _preview_and_commit(con, parsed, rows, is_demo, problems, batch_fields: dict):
    """(preview, batch id), the preview computed inside the commit's transaction; (preview, None) when
    the preview found an error and the transaction was rolled back."""
    batch = {}

    def write() -> None:
        batch["id"] = write_batch(con, rows, **batch_fields)

    try:
        with transaction(con):
            result = preview(con, parsed, rows, is_demo, problems, write=write)
            if problems.errors:
                raise _PreviewFoundErrors
            finish_batch(con)
    except _PreviewFoundErrors:
        return result, None
    return result, batch["id"]


def looks_illustrative(texts: list[str]) -> bool:
    """Files that say of themselves "dữ liệu minh họa" are stored flagged as illustrative."""
    folded = fold(" ".join(texts))
    return any(phrase in folded for phrase in DEMO_PHRASES)
