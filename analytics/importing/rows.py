"""The score rows of one file, carried from read to commit as one Arrow table.

A million rows as Python tuples cost seconds each time they are built or turned back into
columns; as one table they are registered on the connection and inserted in one statement.
ScoreRows still reads like the list of (year, unit_code, criterion_code, points, self_points)
tuples it replaces: len(), iteration, comparison with a list, and the years it covers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

ROW_SCHEMA = pa.schema(
    [
        ("year", pa.int32()),
        ("unit_code", pa.string()),
        ("criterion_code", pa.string()),
        ("points", pa.float64()),
        ("self_points", pa.float64()),
    ]
)


class ScoreRows:
    """(year, unit_code, criterion_code, points, self_points) rows, sorted, as an Arrow table."""

    # Compared by content, like the list it replaces; defining __eq__ without __hash__ makes Python
    # set __hash__ to None, so instances stay unhashable without an assignment the type checker refuses.

    def __init__(self, table: pa.Table):
        self.table = table.select(ROW_SCHEMA.names).cast(ROW_SCHEMA)

    @classmethod
    def from_tuples(cls, rows: Iterable[tuple]) -> ScoreRows:
        """Rows from tuples (the cell-by-cell path), in the order given."""
        rows = list(rows)
        columns = [[row[i] for row in rows] for i in range(len(ROW_SCHEMA))]  # faster than zip(*rows)
        return cls(
            pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, ROW_SCHEMA)], schema=ROW_SCHEMA)
        )

    @classmethod
    def empty(cls) -> ScoreRows:
        return cls(ROW_SCHEMA.empty_table())

    def __len__(self) -> int:
        return self.table.num_rows

    def __bool__(self) -> bool:
        return self.table.num_rows > 0

    def __iter__(self) -> Iterator[tuple]:
        for batch in self.table.to_batches():
            yield from zip(*(column.to_pylist() for column in batch.columns))

    def __eq__(self, other) -> bool:
        if isinstance(other, ScoreRows):
            return self.table.equals(other.table)
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and list(self) == [tuple(r) for r in other]
        return NotImplemented

    def __repr__(self) -> str:
        return f"ScoreRows({len(self)} rows)"

    @property
    def years(self) -> list[int]:
        return sorted(pc.unique(self.table["year"]).to_pylist())

    @property
    def unit_count(self) -> int:
        """How many (year, unit) pairs the rows cover."""
        return self.table.group_by(["year", "unit_code"]).aggregate([]).num_rows
