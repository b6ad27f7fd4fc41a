"""analytics/ is the data layer: it never imports streamlit (also enforced by analytics/ruff.toml)."""

import ast
from pathlib import Path

ANALYTICS = Path(__file__).resolve().parent.parent / "analytics"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_analytics_never_imports_streamlit():
    files = list(ANALYTICS.rglob("*.py"))
    assert len(files) > 5
    offenders = [str(f) for f in files if "streamlit" in _imported_modules(f)]
    assert offenders == []


def test_the_rule_catches_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom streamlit import session_state\n")
    assert "streamlit" in _imported_modules(bad)


# analytics/ in parts: the analyses (modules at the top), importing/, reports/, commands/ (the CLI).
# Each part may use the analyses; the analyses use none of the others; the CLI uses them all.
FORBIDDEN = {
    "analyses": ("analytics.importing", "analytics.reports", "analytics.commands"),
    "importing": ("analytics.reports", "analytics.commands"),
    "reports": ("analytics.importing", "analytics.commands"),
}


def _part(path: Path) -> str | None:
    relative = path.relative_to(ANALYTICS)
    if len(relative.parts) == 1:
        return None if relative.name in ("cli.py", "__main__.py") else "analyses"
    return relative.parts[0] if relative.parts[0] in FORBIDDEN else None


def _full_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_each_part_of_analytics_uses_only_the_parts_below_it():
    offenders = []
    for path in ANALYTICS.rglob("*.py"):
        part = _part(path)
        for name in _full_imports(path) if part else ():
            if name.startswith(FORBIDDEN[part]):
                offenders.append(f"{path.relative_to(ANALYTICS)} imports {name}")
    assert offenders == []
