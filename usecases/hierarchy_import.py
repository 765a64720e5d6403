"""Import the bureau's 实施层级 from a table: every row checked, then saved in one transaction or not at all."""
from __future__ import annotations

from pathlib import Path

from models.db import Database
from models.hierarchy import HierarchyError, JurisdictionData, import_rows


def import_hierarchy_file(db: Database, path, actor: str) -> list[JurisdictionData]:
    """Save every row of the file (merged into the stored hierarchy), or none: HierarchyError names each bad row."""
    from reports.hierarchy_table import read_hierarchy_table

    path = Path(path)
    try:
        table = read_hierarchy_table(path)
    except (OSError, ValueError) as e:
        raise HierarchyError(f"{path.name}：无法读取（{e}）") from e
    with db.session() as s:
        return import_rows(s, table, actor, path.name)
