"""双随机 desk: starts the desktop app, or runs a command-line command when one is given."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in argv:
        from usecases.selftest import main_self_test
        from ui.selftest import gui_checks

        return main_self_test(extra=gui_checks)
    from ui.cli import run, wants_cli

    if wants_cli(argv):
        return run(argv)
    from ui.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
