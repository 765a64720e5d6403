"""Optional screenshots from the UI stories, for a developer to look at: set SSJ_SCREENSHOTS to a folder."""
from __future__ import annotations

import os
from pathlib import Path


def save_screenshot(widget, name: str) -> None:
    """Save *widget* as PNG into $SSJ_SCREENSHOTS when that folder is set; otherwise do nothing."""
    folder = os.environ.get("SSJ_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / name))
