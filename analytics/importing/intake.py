"""The first steps of every import, whatever its kind (results, tasks, criteria, bands…): the file's
name made safe, its bytes read into sheets or turned into the one problem that stops them, and a
warning when the same bytes were already loaded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from analytics.importing.problems import WARNING, FileProblem, ProblemList
from analytics.importing.read import RawFile, read_file, safe_file_name

SAME_FILE_SQL = """
    SELECT max(id) FROM batches WHERE sha256 = ? AND kind = 'import' AND undone_by_batch_id IS NULL
"""


@dataclass
class Intake:
    file_name: str  # safe_file_name of the name given
    problems: ProblemList
    raw: RawFile | None  # None: the file could not be read at all (problems says why)
    sha256: str
    size: int


def take_in(file_name: str, data: bytes, max_bytes: int) -> Intake:
    file_name = safe_file_name(file_name)
    problems = ProblemList(file_name)
    raw = read_reporting(file_name, data, max_bytes, problems)
    digest = raw.sha256 if raw is not None else hashlib.sha256(data).hexdigest()
    return Intake(file_name, problems, raw, digest, len(data))


def read_reporting(file_name: str, data: bytes, max_bytes: int, problems: ProblemList) -> RawFile | None:
    """read_file; a file that cannot be read at all becomes its one problem (and None)."""
    try:
        return read_file(file_name, data, max_bytes)
    except FileProblem as exc:
        problems.add(sheet=exc.sheet, reason=exc.reason, suggestion=exc.suggestion, kind=exc.kind)
        return None


def warn_if_imported_before(con, sha256: str, problems: ProblemList) -> None:
    batch = con.execute(SAME_FILE_SQL, [sha256]).fetchone()[0]
    if batch is not None:
        problems.add(
            value=sha256[:12],
            severity=WARNING,
            kind="already_imported",
            reason=f"Tệp này (cùng nội dung) đã được nạp ở lô #{batch}.",
            suggestion="Kiểm tra lịch sử nạp trước khi nạp lại.",
        )
