"""The command line: the same services as the desktop app, for scripted work and for checking.

Each feature module registers its sub-commands; none of them imports Qt.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from models.errors import UserError
from ui.cli import argparse_zh
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
    "ui.cli.verify_kit_cmds",
]


def build_parser() -> argparse.ArgumentParser:
    argparse_zh.install()
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
    """True when the arguments hold a word (a command, or a mistyped one) or ask for help.

    Only options start the GUI: ``--db PATH`` and ``--user NAME``, and Qt's own single-dash
    options with their values (``-platform offscreen``). A word that is not a command is handed
    to the command line, which names it as unknown in Chinese, rather than opening a window.
    Deciding this needs no command module: openpyxl alone costs about a second of cold start.
    """
    for i, a in enumerate(argv):
        if a in ("-h", "--help"):
            return True
        if a.startswith("-"):
            continue
        previous = argv[i - 1] if i else ""
        if previous in ("--db", "--user") or (previous.startswith("-") and not previous.startswith("--")):
            continue
        return True
    return False
