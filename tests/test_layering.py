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
