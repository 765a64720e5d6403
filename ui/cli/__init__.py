"""The command line: the same services as the desktop app, for scripted work and for checking.

Each feature module registers its sub-commands; none of them imports Qt.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from models.errors import UserError
from ui.cli.context import CliContext

# Feature modules, each with register(subparsers) adding commands whose handler is
# func(args, ctx) -> exit code.
COMMAND_MODULES = [
    "ui.cli.roster_cmds",
    "ui.cli.admin_cmds",
    "ui.cli.plan_cmds",
    "ui.cli.draw_cmds",
    "ui.cli.notice_cmds",
    "ui.cli.publicity_cmds",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description="双随机 desk —— 公安机关“双随机、一公开”抽查工作软件。不带命令时启动图形界面。",
    )
    parser.add_argument("--db", metavar="PATH", help="数据库文件（默认：本机用户数据目录中的数据库；请放在本地磁盘上）")
    parser.add_argument("--user", metavar="NAME", help="以此用户身份操作（启用登录时需要）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    ctx = CliContext(db_path=args.db, user=args.user)
    try:
        return int(args.func(args, ctx) or 0)
    except UserError as e:
        # Every expected refusal (CliError included) prints its Chinese message, never a traceback.
        print(str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped reading: end quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        ctx.close()


def wants_cli(argv: list[str]) -> bool:
    """True when the arguments name a command or ask for help; otherwise the GUI starts."""
    # Plain GUI start-up (no word that could be a command) must not import every command
    # module: openpyxl alone costs about a second of cold start.
    words = [a for i, a in enumerate(argv) if not a.startswith("-") and not (i and argv[i - 1] in ("--db", "--user"))]
    if not words and not any(a in ("-h", "--help") for a in argv):
        return False
    parser = build_parser()
    names: set[str] = set()
    for action in parser._actions:  # noqa: SLF001 - argparse has no public accessor
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            names.update(action.choices)
    return any(a in names or a in ("-h", "--help") for a in argv)
