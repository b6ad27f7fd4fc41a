"""The docs keep up with the code: every CLI command and every setting is documented (as sqlite-utils does)."""

import argparse
import re

from analytics import settings
from analytics.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md")))


def _commands() -> dict[str, argparse.ArgumentParser]:
    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(subparsers.choices)


def test_every_cli_command_is_in_the_readme():
    documented = set(re.findall(r"python -m analytics ([a-z][a-z-]*)", README))
    assert set(_commands()) - documented == set()


def test_every_option_of_every_command_is_in_the_docs():
    missing = []
    for name, parser in _commands().items():
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and option not in DOCS:
                    missing.append(f"{name} {option}")
    assert missing == []


def test_every_setting_is_in_the_readme_settings_table_with_its_default():
    section = README.split("## Cài đặt", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip(" `"): line for line in section.splitlines() if line.startswith("| `")}
    assert set(rows) == {setting.name for setting in settings.SETTINGS}
    for setting in settings.SETTINGS:
        assert (setting.default or "—") in rows[setting.name], setting.name


def test_no_module_but_settings_reads_the_environment():
    readers = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "analytics").rglob("*.py")
        if re.search(r"os\.environ|getenv\(", path.read_text(encoding="utf-8"))
    ]
    assert readers == ["analytics/settings.py"]
