"""双随机 desk: starts the desktop app, or runs a command-line command when one is given."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None, *, end_after_command: bool = False) -> int:
    """Run the GUI or a command; *end_after_command* (the program itself, not a test calling in) ends the
    process as soon as a command-line command returns (end_command)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in argv:
        from usecases.selftest import main_self_test
        from ui.selftest import gui_checks

        return main_self_test(extra=gui_checks)
    from ui.cli import run, wants_cli

    if wants_cli(argv):
        code = run(argv)
        if end_after_command:
            end_command(code)
        return code
    from ui.app import run_gui

    return run_gui(argv)


def end_command(code: int) -> None:
    """End the process after a command-line command, without the interpreter's teardown.

    The command has closed its database, released its lock and written its files (ui.cli.run's
    finally); what is left is freeing every object one by one, about 0.1 s after a 100,000-row import
    (issue 17). The exit handlers (logging, temporary folders, worker threads) still run, and the
    output is flushed, exactly as a normal exit would; then the process ends with *code*.
    """
    import atexit
    import os

    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None:   # another Python without it: the ordinary exit
        sys.exit(code)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # closed, or the reader went away (e.g. `| head`)
            pass
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main(end_after_command=True))
