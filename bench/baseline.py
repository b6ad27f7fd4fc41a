"""The same computations as analytics/, written the plain way in pandas.

Everything is loaded once into DataFrames (`PandasBaseline.load`), as a pandas dashboard
would keep it in memory; each call then filters and groups those frames. The benchmark
times these calls beside the DuckDB ones and checks that both give the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

LOAD_SQL = {
    "scores": "SELECT year, unit_code, criterion_code, points FROM scores",
    "units": "SELECT code, name, level, parent_code, valid_from, valid_to FROM units",
    "criteria": "SELECT set_code, code, parent_code, name, max_points, office_code, sort_order FROM criteria",
    "criteria_sets": "SELECT code, level, year_from FROM criteria_sets",
    "bands": "SELECT set_code, code, name, min_pct FROM bands",
    "offices": "SELECT code, name FROM offices",
    "targets": "SELECT year, unit_code, metric, comparator, value FROM targets",
}


@dataclass
class PandasBaseline:
    scores: pd.DataFrame
    units: pd.DataFrame
    criteria: pd.DataFrame
    criteria_sets: pd.DataFrame
    bands: pd.DataFrame
    offices: pd.DataFrame
    targets: pd.DataFrame

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> PandasBaseline:
        return cls(**{name: con.execute(sql).df() for name, sql in LOAD_SQL.items()})

    # --- the criteria tree ---------------------------------------------------------------

    def set_for(self, level: str, year: int) -> str:
        sets = self.criteria_sets[(self.criteria_sets.level == level) & (self.criteria_sets.year_from <= year)]
        return sets.sort_values("year_from").code.iloc[-1]

    def tree(self, set_code: str) -> pd.DataFrame:
        return self.criteria[self.criteria.set_code == set_code]

    def ancestors(self, set_code: str) -> dict[str, list[str]]:
        """code -> [itself, parent, ..., root]."""
        parent = dict(zip(self.tree(set_code).code, self.tree(set_code).parent_code))
        chains = {}
        for code in parent:
            chain, node = [], code
            while isinstance(node, str):
                chain.append(node)
                node = parent.get(node)
            chains[code] = chain
        return chains

    def root(self, set_code: str) -> pd.Series:
        tree = self.tree(set_code)
        return tree[tree.parent_code.isna()].iloc[0]

    # --- scores in scope -----------------------------------------------------------------

    def scope_units(self, level: str, parent: str | None) -> pd.DataFrame:
        units = self.units[self.units.level == level]
        return units if parent is None else units[units.parent_code == parent]

    def lowest_rows(self, year: int, level: str, parent: str | None) -> pd.DataFrame:
        """Scored rows of the year and scope that have no scored descendant (as analytics counts)."""
        set_code = self.set_for(level, year)
        chains = self.ancestors(set_code)
        rows = self.scores[
            (self.scores.year == year)
            & self.scores.unit_code.isin(self.scope_units(level, parent).code)
            & self.scores.criterion_code.isin(chains.keys())
        ]
        above = (
            rows[["unit_code", "criterion_code"]]
            .assign(criterion_code=rows.criterion_code.map(lambda c: chains[c][1:]))
            .explode("criterion_code")
            .dropna()
        )
        covered = pd.MultiIndex.from_frame(above.drop_duplicates())
        keys = pd.MultiIndex.from_frame(rows[["unit_code", "criterion_code"]])
        return rows[~keys.isin(covered)]

    def node_values(self, year: int, level: str, parent: str | None) -> pd.DataFrame:
        """unit_code, criterion_code, value for every tree node with data."""
        chains = self.ancestors(self.set_for(level, year))
        rows = self.lowest_rows(year, level, parent)
        spread = rows.assign(criterion_code=rows.criterion_code.map(chains)).explode("criterion_code")
        values = spread.groupby(["unit_code", "criterion_code"], as_index=False).points.sum()
        values["points"] = values.points.round(6)  # as analytics does, to drop binary noise
        return values.rename(columns={"points": "value"})

    def unit_totals(self, year: int, level: str, parent: str | None) -> pd.DataFrame:
        root = self.root(self.set_for(level, year)).code
        values = self.node_values(year, level, parent)
        return values[values.criterion_code == root].rename(columns={"value": "total"})[["unit_code", "total"]]

    # --- rankings --------------------------------------------------------------------------

    def previous_year(self, year: int, level: str, parent: str | None) -> int | None:
        years = self.scores[self.scores.unit_code.isin(self.scope_units(level, parent).code)].year
        earlier = years[years < year]
        return None if earlier.empty else int(earlier.max())

    def ranked(self, year: int, level: str, parent: str | None) -> pd.DataFrame:
        totals = self.unit_totals(year, level, parent)
        totals["rank"] = totals.total.round(2).rank(method="min", ascending=False).astype(int)
        return totals

    def rankings(self, year: int, level: str, parent: str | None) -> pd.DataFrame:
        """unit_code, total, rank, rank_previous, delta_rank, band for units with data."""
        frame = self.ranked(year, level, parent)
        before = self.previous_year(year, level, parent)
        if before is not None:
            prev = self.ranked(before, level, parent).rename(
                columns={"total": "total_previous", "rank": "rank_previous"}
            )
            frame = frame.merge(prev, on="unit_code", how="left")
            frame["delta_rank"] = frame.rank_previous - frame["rank"]
        set_code = self.set_for(level, year)
        bands = self.bands[self.bands.set_code == set_code].sort_values("min_pct")
        pct = frame.total / self.root(set_code).max_points * 100
        position = np.searchsorted(bands.min_pct.to_numpy(), pct.round(6).to_numpy(), side="right") - 1
        frame["band"] = [bands.name.iloc[i] if i >= 0 else None for i in position]
        return frame.sort_values(["rank", "unit_code"]).reset_index(drop=True)

    # --- one unit against its peers ---------------------------------------------------------

    def unit(self, code: str) -> pd.Series:
        return self.units[self.units.code == code].iloc[0]

    def target_rank(self, code: str, year: int) -> int:
        rows = self.targets[
            (self.targets.unit_code == code) & (self.targets.metric == "rank") & (self.targets.year <= year)
        ].sort_values("year")
        comparator, value = rows.comparator.iloc[-1], int(rows.value.iloc[-1])
        return value - 1 if comparator == "<" else value

    def target_holder(self, year: int, code: str) -> str:
        """The other unit at the target rank (set for the next year) when sorted best first."""
        unit = self.unit(code)
        others = self.unit_totals(year, unit.level, unit.parent_code)
        others = others[others.unit_code != code].assign(rounded=lambda f: f.total.round(2))
        ordered = others.sort_values(["rounded", "unit_code"], ascending=[False, True])
        return ordered.unit_code.iloc[self.target_rank(code, year + 1) - 1]

    def tree_with_depth(self, set_code: str) -> pd.DataFrame:
        chains = self.ancestors(set_code)
        tree = self.tree(set_code).rename(columns={"code": "criterion_code"})
        return tree.assign(depth=tree.criterion_code.map(lambda c: len(chains[c]) - 1))

    def gaps(self, year: int, code: str, reference: str) -> pd.DataFrame:
        """criterion_code, points, reference_points, gap_points for every node of depth >= 1."""
        unit = self.unit(code)
        values = self.node_values(year, unit.level, unit.parent_code)
        by_node = values.groupby("criterion_code").value
        stats = pd.DataFrame(
            {"mean": by_node.mean(), "best": values[values.unit_code != code].groupby("criterion_code").value.max()}
        )
        own = values[values.unit_code == code].set_index("criterion_code").value.rename("points")
        tree = self.tree_with_depth(self.set_for(unit.level, year))
        frame = tree[tree.depth >= 1].join(own, on="criterion_code", how="inner").join(stats, on="criterion_code")
        if reference.startswith("threshold:"):
            frame["reference_points"] = frame.max_points * float(reference.split(":")[1]) / 100
        elif reference == "target":
            holder = values[values.unit_code == self.target_holder(year, code)]
            frame["reference_points"] = frame.criterion_code.map(holder.set_index("criterion_code").value)
        else:
            frame["reference_points"] = frame["mean" if reference == "province-mean" else "best"]
        frame["gap_points"] = (frame.points - frame.reference_points).round(6)
        return frame[["criterion_code", "points", "reference_points", "gap_points"]]

    def recoverable_by_office(self, year: int, code: str) -> pd.DataFrame:
        """office_code, lost_points, reachable_points, criteria_count per owning office."""
        unit = self.unit(code)
        own = self.lowest_rows(year, unit.level, unit.parent_code)
        own = own[own.unit_code == code]
        values = self.node_values(year, unit.level, unit.parent_code)
        best = values[values.unit_code != code].groupby("criterion_code").value.max().rename("best")
        tree = self.tree(self.set_for(unit.level, year)).rename(columns={"code": "criterion_code"})
        frame = own.merge(tree, on="criterion_code").join(best, on="criterion_code")
        best_points = np.minimum(frame.best, frame.max_points)
        frame["lost_points"] = (frame.max_points - frame.points).clip(lower=0).round(6)
        frame["reachable_points"] = (best_points - frame.points).clip(lower=0).fillna(0).round(6)
        summary = frame.groupby("office_code", as_index=False).agg(
            lost_points=("lost_points", "sum"),
            reachable_points=("reachable_points", "sum"),
            criteria_count=("criterion_code", "count"),
        )
        return summary.round({"lost_points": 6, "reachable_points": 6})

    def commune_table(self, year: int, parent: str) -> pd.DataFrame:
        """rankings of the communes of `parent`, with last year's band."""
        frame = self.rankings(year, "commune", parent)
        before = self.previous_year(year, "commune", parent)
        if before is not None:
            previous = self.rankings(before, "commune", parent)[["unit_code", "band"]]
            frame = frame.merge(previous.rename(columns={"band": "band_previous"}), on="unit_code", how="left")
        return frame

    def plan(self, year: int, code: str) -> tuple[list[tuple[str, float]], float]:
        """(steps as (criterion, gain), resulting total): the fewest criteria, most room first,
        each raised at most to the best other unit's points, until the target rank's total is met."""
        unit = self.unit(code)
        totals = self.unit_totals(year, unit.level, unit.parent_code).set_index("unit_code").total
        current, target_total = float(totals[code]), round(float(totals[self.target_holder(year, code)]), 2)
        own = self.lowest_rows(year, unit.level, unit.parent_code)
        own = own[own.unit_code == code]
        values = self.node_values(year, unit.level, unit.parent_code)
        best = values[values.unit_code != code].groupby("criterion_code").value.max()
        maxima = self.tree(self.set_for(unit.level, year)).set_index("code").max_points
        cap = np.minimum(own.criterion_code.map(best), own.criterion_code.map(maxima)).fillna(own.points)
        rooms = own.assign(room=(cap - own.points).clip(lower=0).round(6))
        rooms = rooms.assign(
            key=rooms.criterion_code.map(
                lambda c: tuple(int(p) for p in c.split(".")) if c.replace(".", "").isdigit() else (999, c)
            )
        )
        rooms = rooms[rooms.room > 0].sort_values(["room", "key"], ascending=[False, True])
        steps, total = [], current
        for criterion, room in zip(rooms.criterion_code, rooms.room):
            if round(total, 2) >= target_total - 1e-9:
                break
            gain = min(room, max(0.0, np.ceil(round((target_total - total) * 100, 6)) / 100))
            steps.append((criterion, round(gain, 6)))
            total += gain
        return steps, round(current + sum(g for _, g in steps), 6)

    def trend(self, level: str, parent: str | None) -> pd.DataFrame:
        """year, unit_code, total, rank for every year with data in the scope."""
        years = sorted(self.scores[self.scores.unit_code.isin(self.scope_units(level, parent).code)].year.unique())
        frames = [self.ranked(int(year), level, parent).assign(year=int(year)) for year in years]
        return pd.concat(frames, ignore_index=True).sort_values(["year", "rank", "unit_code"]).reset_index(drop=True)
