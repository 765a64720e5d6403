"""The layers point one way (models ← reports ← usecases ← ui) and the core knows nothing of Qt."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    return sorted(
        f"{package}." + p.relative_to(ROOT / package).with_suffix("").as_posix().replace("/", ".")
        for p in (ROOT / package).rglob("*.py")
        if p.name != "__init__.py" and "migrations" not in p.parts
    )


def test_models_reports_and_usecases_never_load_qt():
    modules = _modules("models") + _modules("reports") + _modules("usecases")
    assert "models.db" in modules and any(m.startswith("reports.") for m in modules)
    assert any(m.startswith("usecases.") for m in modules)
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "loaded = sorted(n for n in sys.modules if n.startswith('PySide6') or n.startswith('ui'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"the core loaded Qt or ui modules: {out.stdout}"


def _imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import statement in a file, lazy ones inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _layer_violations(package: str, forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted((root / package).rglob("*.py")):
        for line, module in _imports_of(path):
            if module.split(".")[0] in forbidden:
                problems.append(f"{path.relative_to(root).as_posix()}:{line} imports {module}")
    return problems


def test_models_import_neither_reports_nor_usecases_nor_ui():
    assert _layer_violations("models", ("reports", "usecases", "ui")) == []


def test_reports_import_neither_usecases_nor_ui():
    """reports/ holds documents (Word, Excel, charts); what writes the database lives in usecases/."""
    assert _layer_violations("reports", ("usecases", "ui")) == []


def test_usecases_never_import_ui():
    assert _layer_violations("usecases", ("ui",)) == []


def test_the_layer_check_names_the_file_and_line(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "bad.py").write_text(
        "import os\n\n\ndef f():\n    from reports.notice_docs import render_notice\n", encoding="utf-8")
    assert _layer_violations("models", ("reports", "ui"), tmp_path) == ["models/bad.py:5 imports reports.notice_docs"]


def test_the_command_line_starts_without_qt():
    code = "import sys; from ui.cli import build_parser; build_parser(); print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# Libraries a plain start must not load: each costs a tenth of a second or more, and only exports,
# imports, documents and charts need them (issue 17: --help ≤ 0.5 s, the main window without them).
HEAVY_MODULES = ("openpyxl", "numpy", "docx", "docxtpl", "matplotlib", "python_calamine", "xlsxwriter")
_REPORT_HEAVY = (
    "import sys\n"
    f"heavy = {HEAVY_MODULES!r}\n"
    "print('LOADED:' + ','.join(sorted({n.split('.')[0] for n in sys.modules if n.split('.')[0] in heavy})))\n"
)


def _heavy_loaded(code: str, tmp_path: Path) -> list[str]:
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code + _REPORT_HEAVY], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("LOADED:"))
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


def test_the_command_line_help_loads_no_heavy_library(tmp_path):
    code = (
        "import contextlib, io\n"
        "from ui.cli import build_parser\n"
        "with contextlib.redirect_stdout(io.StringIO()) as help_text, contextlib.suppress(SystemExit):\n"
        "    build_parser().parse_args(['--help'])\n"
        "assert '命令' in help_text.getvalue(), help_text.getvalue()[:200]\n"
    )
    loaded = _heavy_loaded(code, tmp_path)
    assert loaded == [], f"building the command line and printing --help imported {', '.join(loaded)}"


def test_the_main_window_opens_without_heavy_libraries(tmp_path):
    code = (
        "from pathlib import Path\n"
        "import ui.main_window\n"
        "from ui.app import build_main_window, ensure_app\n"
        "app = ensure_app([])\n"
        f"window = build_main_window(Path({str(tmp_path / 'empty.sqlite3')!r}))\n"
        "window.show_fitted()\n"
        "import time\n"
        "deadline = time.monotonic() + 30\n"
        "while getattr(window.page('roster').objects, 'loading', False) and time.monotonic() < deadline:\n"
        "    app.processEvents()\n"   # the first paint, then the roster's rows
        "assert window.isVisible() and not getattr(window.page('roster').objects, 'loading', False)\n"
        "window.ctx.runner.wait()\n"
        "window.ctx.db.dispose()\n"
    )
    loaded = _heavy_loaded(code, tmp_path)
    assert loaded == [], f"showing the main window imported {', '.join(loaded)}"
