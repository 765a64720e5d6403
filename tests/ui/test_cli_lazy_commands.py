"""A command line loads only the module of the command it runs, so a light command starts quickly
(issue 17: `show-settings`, `list-plans` … on a 100,000-object office), and every command still parses
exactly as with the whole command line loaded."""
from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

from ui.cli import COMMAND_HOMES, COMMAND_MODULES, argparse_zh, build_parser, command_index, command_of

ROOT = Path(__file__).resolve().parents[2]


def test_every_command_is_found_in_the_module_that_registers_it():
    argparse_zh.install()
    registered = {}
    sub = argparse.ArgumentParser().add_subparsers(dest="command")
    for name in COMMAND_MODULES:
        before = set(sub.choices)
        importlib.import_module(name).register(sub)
        registered.update(dict.fromkeys(set(sub.choices) - before, name.rsplit(".", 1)[1]))
    assert registered == COMMAND_HOMES


def test_the_index_lists_every_command_with_its_own_help_in_order():
    # After a command is added, renamed or re-described: python -m ui.cli.command_index prints the table anew.
    assert command_index.registered() == command_index.COMMANDS


def test_help_lists_the_commands_without_loading_any_feature_or_the_database_layer():
    code = ("import sys, contextlib\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            "from ui.cli import run\n"
            "with contextlib.suppress(SystemExit):\n"
            "    run(['--help'])\n"
            "print(sorted(m for m in sys.modules if m.endswith('_cmds') or m.split('.')[0] == 'sqlalchemy'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    text, loaded = out.stdout.rsplit("\n", 2)[0], out.stdout.strip().splitlines()[-1]
    assert loaded == "[]", out.stderr
    for name, _module, help_text in command_index.COMMANDS:   # every command, described as its module does
        assert name in text and help_text[:12] in text.replace("\n", "")
    assert "无效的选项 'import-object'" in subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import-object", "名录.xlsx"], capture_output=True, text=True,
        check=False).stderr


def test_the_command_is_picked_out_of_the_global_options():
    assert command_of(["--db", "office.sqlite3", "--user", "张三", "show-settings"]) == "show-settings"
    assert command_of(["--db=office.sqlite3", "stats", "--year", "2024"]) == "stats"
    assert command_of(["--help"]) is None and command_of([]) is None
    assert command_of(["--db", "list-plans"]) is None  # a file that happens to be named like a command


def test_a_command_parses_the_same_with_only_its_module_loaded():
    argv = ["--db", "x.sqlite3", "draw", "--year", "2024", "--seal", "3", "--witness", "王监督", "--entropy", "37 82"]
    alone, whole = build_parser("draw").parse_args(argv), build_parser().parse_args(argv)
    assert {k: v for k, v in vars(alone).items() if k != "func"} == {k: v for k, v in vars(whole).items()
                                                                      if k != "func"}
    assert alone.func.__qualname__ == whole.func.__qualname__


def test_a_light_command_does_not_load_the_other_features(tmp_path):
    code = ("import sys; sys.argv = ['main.py', '--db', sys.argv[1], 'show-settings']\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            "from ui.cli import run\n"
            "run(sys.argv[1:])\n"
            "print(sorted(m for m in sys.modules if m.startswith('ui.cli.') and m.endswith('_cmds')))")
    db = tmp_path / "office.sqlite3"
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=False,
                         env={"PATH": "", "SSJ_DATA_DIR": str(tmp_path / "userdata")})
    assert out.stdout.strip().splitlines()[-1] == "['ui.cli.admin_cmds']", out.stderr
