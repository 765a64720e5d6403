"""A program that imports only the inspection models (a seat's worker, a benchmark) can still use them.

inspections.duty_id refers to routine_duties (models/supervision.py); when nothing else imported that
module, SQLAlchemy could not resolve the foreign key and every inspection save failed.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_inspection_models_resolve_on_their_own():
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from sqlalchemy.orm import configure_mappers\n"
            "from models.inspection import Inspection\n"
            "configure_mappers()\n"
            "print(Inspection.__table__.c.duty_id.foreign_keys.pop().column.table.name)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "routine_duties"
