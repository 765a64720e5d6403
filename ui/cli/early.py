"""Work a command can begin before the program has loaded.

An import names its workbook on the command line; parsing it (python-calamine, which releases the
GIL) runs on a second thread while SQLAlchemy and the command's modules load and the database opens.
Only commands whose reader takes the early read (reports.xlsx_read.read_sheets with raw values) are
listed: for any other the parse would be wasted work.
"""
from __future__ import annotations

# The roster imports read every sheet raw (usecases.roster_import).
READS_WORKBOOK = frozenset({"import-objects", "import-inspectors"})


def start(argv: list[str], command: str | None) -> None:
    """Start reading the workbook of *command* when it is one of READS_WORKBOOK and names an .xlsx file."""
    if command not in READS_WORKBOOK:
        return
    path = workbook_argument(argv, command)
    if path is None or not path.lower().endswith(".xlsx"):
        return
    from reports.xlsx_read import start_early_read

    start_early_read(path)


def stop() -> None:
    """Forget a read the command never took (it failed first, e.g. a mistyped option)."""
    import sys

    if "reports.xlsx_read" in sys.modules:
        sys.modules["reports.xlsx_read"].forget_early_reads()


def workbook_argument(argv: list[str], command: str) -> str | None:
    """FILE of ``[global options] COMMAND [--flag] FILE``: the first word after the command that is not an option.

    Global options (--db, --user) come before the command, as argparse requires of a parent parser's options.
    """
    try:
        words = argv[argv.index(command) + 1:]
    except ValueError:
        return None
    return next((w for w in words if not w.startswith("-")), None)
