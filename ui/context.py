"""What every screen is given: the open database, who is working, and the task runner."""
from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from typing import Callable

from models.db import Database
from ui.tasks import TaskRunner


@dataclass
class AppContext:
    db: Database
    runner: TaskRunner
    user: str = field(default_factory=getpass.getuser)
    role: str = "管理员"
    # Screens call this after they change shared data so other screens can refresh.
    listeners: list[Callable[[str], None]] = field(default_factory=list)

    def actor(self) -> str:
        return self.user

    def can_write(self) -> bool:
        return self.role != "只读"

    def notify(self, topic: str) -> None:
        """Tell every screen that *topic* ("roster", "plan", "draw", …) changed."""
        for listener in list(self.listeners):
            listener(topic)

    def subscribe(self, listener: Callable[[str], None]) -> None:
        self.listeners.append(listener)
