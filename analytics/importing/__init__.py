"""Loading a year's results from CSV or Excel: read, recognise, validate, preview, commit, undo.

The pipeline is pure up to the commit: `analyze` reads bytes, finds the table in each sheet,
validates every cell and computes what the store would look like, without writing anything.
`commit_import` applies one analysed file in one transaction; `analyze_and_commit` does both with
the preview inside the commit's transaction (the rows written once); `undo_batch` puts back
exactly what a batch replaced. See docs/analytics-api.md (section "importing/").
"""

from analytics.importing.commit import commit_import, history, undo_batch
from analytics.importing.pipeline import Analysis, ImportOptions, analyze, analyze_and_commit
from analytics.importing.problems import Problem, ProblemList
from analytics.importing.templates import template_csv, template_xlsx

__all__ = [
    "Analysis",
    "ImportOptions",
    "Problem",
    "ProblemList",
    "analyze",
    "analyze_and_commit",
    "commit_import",
    "history",
    "template_csv",
    "template_xlsx",
    "undo_batch",
]
