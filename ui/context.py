"""What every screen is given: the open database, who is working, the task runner and the change topics."""
from __future__ import annotations

from enum import Enum
from typing import Callable, Iterable

from models.db import Database
from models.users import Role, os_user
from ui.tasks import TaskRunner


class Topic(str, Enum):
    """What changed, announced after a write so the screens that show it refresh.

    A str enum: the legacy string topics ("roster", "draw", …) still compare equal.
    """

    ROSTER = "roster"
    PLANS = "plan"
    DRAWS = "draw"
    INSPECTIONS = "inspection"
    NOTICES = "notice"
    SETTINGS = "settings"
    CALENDAR = "calendar"
    USERS = "users"
    DATABASE = "database"   # the whole file was replaced (a restore)

    __str__ = str.__str__   # the plain value, which listeners receive


# Anything a year's figures, publicity tables or to-do list depend on.
ALL_DATA = (Topic.ROSTER, Topic.PLANS, Topic.DRAWS, Topic.INSPECTIONS, Topic.NOTICES, Topic.SETTINGS)


class AppContext:
    """The screens' shared state. Who is working lives on the Database (``db.user`` / ``db.role``),
    whose write guard enforces the role; ``user`` and ``role`` here read and write it there."""

    def __init__(self, db: Database, runner: TaskRunner, user: str | None = None, role: str | None = None,
                 lock=None):
        self.db = db
        self.runner = runner
        # The app's models.lock.DatabaseLock (None in tests without one): a restore on screen moves
        # its hold onto the new file (lock.follow_replaced_file), as the command line's does.
        self.lock = lock
        self.listeners: list[Callable[[str], None]] = []
        if user is not None or not db.user:
            db.user = user or os_user()
        if role is not None:
            db.role = str(role)
        runner.set_notifier(self.notify)

    @property
    def user(self) -> str:
        return self.db.user

    @user.setter
    def user(self, value: str) -> None:
        self.db.user = value

    @property
    def role(self) -> str:
        return self.db.role

    @role.setter
    def role(self, value: str) -> None:
        self.db.role = str(value)

    def actor(self) -> str:
        return self.db.user

    def can_write(self) -> bool:
        return self.db.role != Role.READ_ONLY

    def is_admin(self) -> bool:
        return self.db.role == Role.ADMIN

    def notify(self, *topics: Topic | str | Iterable[Topic | str]) -> None:
        """Tell every screen that *topics* changed (``ctx.notify(Topic.ROSTER)``)."""
        flat: list[str] = []
        for t in topics:
            flat.extend([str(t)] if isinstance(t, str) else (str(x) for x in t))
        batch = list(dict.fromkeys(flat))
        for listener in list(self.listeners):
            wanted = getattr(listener, "topics", None)
            if wanted is None:              # a plain listener hears each topic
                for topic in batch:
                    listener(topic)
            else:                           # an on_notify listener refreshes once per announcement
                hit = next((t for t in batch if t in wanted), None)
                if hit is not None:
                    listener(hit)

    def subscribe(self, listener: Callable[[str], None]) -> None:
        self.listeners.append(listener)
