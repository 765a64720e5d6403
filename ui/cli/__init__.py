"""The command line: the same services as the desktop app, for scripted work and for checking.

Each feature module registers its sub-commands; none of them imports Qt.
"""
from __future__ import annotations

import argparse
import errno
import gc
import importlib
import os
import sys
import traceback

from models.errors import UserError
from ui.cli import argparse_zh, command_index, early

# Feature modules, each with register(subparsers) adding commands whose handler is
# func(args, ctx) -> exit code. Which module registers each command, and its one-line help, is listed in
# ui/cli/command_index.py, so a command line loads only its own module and --help none of them
# (tests/ui/test_cli_lazy_commands.py holds the list equal to what the modules register).
COMMAND_MODULES = [f"ui.cli.{module}" for module in command_index.MODULES]
COMMAND_HOMES = {name: module for name, module, _ in command_index.COMMANDS}


def _top_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    argparse_zh.install()
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description="双随机 desk —— 公安机关“双随机、一公开”抽查工作软件。不带命令时启动图形界面。",
    )
    parser.add_argument("--db", metavar="PATH|URL",
                        help="数据库文件（请放在本地磁盘上），或办公室服务器地址 postgresql+psycopg://用户@主机:5432/库名"
                             "（默认：环境变量 SSJ_DATABASE_URL、设置中保存的服务器，否则本机用户数据目录中的数据库）")
    parser.add_argument("--user", metavar="NAME", help="以此用户身份操作（启用登录时需要）")
    return parser, parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with *command* (a known command's name) only that command's module is
    loaded, which is all its parsing needs."""
    parser, sub = _top_parser()
    home = COMMAND_HOMES.get(command or "")
    for name in ([f"ui.cli.{home}"] if home else COMMAND_MODULES):
        importlib.import_module(name).register(sub)
    _bound_integers(parser)
    return parser


def listing_parser() -> argparse.ArgumentParser:
    """The command line with every command named and described but none of its arguments, from the index:
    all that --help, a missing command or a mistyped one need, without loading a feature module."""
    parser, sub = _top_parser()
    for name, _module, help_text in command_index.COMMANDS:
        sub.add_parser(name, help=help_text)
    return parser


# Every integer argument (--round, --year, --add, --count …) is a count or an id of this office's
# work; a 20-digit number only ever reaches SQLite or a loop and fails there with a traceback.
INT_LIMIT = 10 ** 9


def bounded_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"值 {text!r} 无效（应为整数）") from None
    if abs(value) > INT_LIMIT:
        raise argparse.ArgumentTypeError(f"值 {text} 超出范围（绝对值不能超过 {INT_LIMIT}）")
    return value


def _bound_integers(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:  # argparse offers no public walk of its actions
        if action.type is int:
            action.type = bounded_int
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _bound_integers(child)


_OS_PROBLEMS = {
    errno.ENOENT: "不存在（或其所在的文件夹不存在）",
    errno.EACCES: "没有读写权限",
    errno.EPERM: "没有读写权限",
    errno.EISDIR: "是一个文件夹，请给出文件名",
    errno.ENOTDIR: "路径中有一项是文件而不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "位于只读的磁盘上",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EEXIST: "已存在",
}


def explain_unexpected(exc: BaseException) -> tuple[str, int]:
    """The Chinese message and exit code for an exception no service turned into a UserError.

    File-system and database conditions a clerk can meet get their own words (exit 1); anything
    else is a defect of the software and says so (exit 2). SSJ_TRACEBACK=1 prints the traceback.
    """
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, OSError):
        where = exc.filename or ""
        what = _OS_PROBLEMS.get(exc.errno or 0, exc.strerror or str(exc))
        return (f"无法读写文件 {where}：{what}。" if where else f"文件读写失败：{what}。"), 1
    if isinstance(exc, RecursionError):
        return "输入的数据嵌套层数过深（文件可能已损坏或被人为构造），无法处理。", 1
    if isinstance(exc, OverflowError):
        return f"数值超出范围，无法处理（{exc}）。", 1
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.DatabaseError)):
        text = str(getattr(exc, "orig", exc))
        if "locked" in text or "busy" in text:
            return ("数据库正在被另一个程序写入，请稍后重试；如果另一个程序一直打开着它，请先关闭。", 1)
        if any(w in text for w in ("malformed", "not a database", "corrupt", "Could not decode")):
            return (f"数据库文件已损坏，请从备份恢复（{text}）。"
                    "命令行：python main.py restore 备份文件；或“设置 → 备份与恢复”。", 1)
    return (f"发生意外错误（这是软件的缺陷，请将此信息告知维护人员）：{type(exc).__name__}：{exc}", 2)


def command_of(argv: list[str]) -> str | None:
    """The command named in *argv* (the first word that is not a global option or its value)."""
    words = iter(argv)
    for word in words:
        if word in ("--db", "--user"):
            next(words, None)
        elif word.startswith("-"):
            if word in ("-h", "--help"):
                return None
        else:
            return word
    return None


def run(argv: list[str]) -> int:
    command = command_of(argv)
    early.start(argv, command)   # an import's workbook is parsed while the rest loads (ui/cli/early.py)
    # Loading SQLAlchemy and the models allocates hundreds of thousands of objects that all live on; the cyclic
    # collector's passes over them while they load cost about 0.1 s of every command, and on the one
    # interpreter lock they slow an early read too (issue 17). It is back on before the command runs.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv, command, collecting)
    finally:
        if collecting:
            gc.enable()
        early.stop()


def _run(argv: list[str], command: str | None, collecting: bool) -> int:
    parser = build_parser(command) if command in COMMAND_HOMES else listing_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    # Here, not at the top: it loads SQLAlchemy (~0.25 s), which an early read overlaps and --help never needs.
    from ui.cli.context import CliContext

    ctx = CliContext(db_path=args.db, user=args.user)
    if collecting:
        gc.enable()
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
    except Exception as e:  # noqa: BLE001 - a traceback is never what a clerk should see
        message, code = explain_unexpected(e)
        if os.environ.get("SSJ_TRACEBACK"):
            traceback.print_exc()
        print(message, file=sys.stderr)
        return code
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
