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
