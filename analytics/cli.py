"""`python -m analytics ...`: a thin shell over library calls.

Each module in COMMAND_MODULES has `register(subparsers)`, which adds its sub-commands and
sets `func(args) -> int` on each. A CchcError becomes one line on stderr and exit status 2.
Everything printed goes through `escaped_output`: no control character reaches the terminal.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from analytics.commands.common import escaped_output
from analytics.errors import CchcError

COMMAND_MODULES = (
    "analytics.commands.store",
    "analytics.commands.analysis",
    "analytics.commands.imports",
    "analytics.commands.reports",
    "analytics.commands.synth",
    "analytics.commands.tasks",
    "analytics.commands.reference",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line and status 2, like any other bad input
        print(f"{self.prog}: lỗi: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description="Chỉ số CCHC: kho dữ liệu và phân tích")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        with escaped_output():  # text from files and file names may carry terminal escape sequences
            args = build_parser().parse_args(argv)
            try:
                return args.func(args) or 0
            except CchcError as exc:
                print(f"Lỗi: {exc.message}", file=sys.stderr)
                return 2
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """The output was piped into a reader that stopped early (`| head`): stop quietly, as Unix tools do.

    Python would still flush stdout at exit and print a second BrokenPipeError, so stdout is pointed at
    /dev/null first (the recipe of Python's signal module documentation)."""
    if sys.__stdout__ is not None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.__stdout__.fileno())
    return 1
