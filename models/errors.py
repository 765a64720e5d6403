"""The one family of expected refusals.

Every error a clerk can trigger by what they typed, chose or imported derives from ``UserError``.
Its message is Chinese and complete: the screens show it in a message box and the command line
prints it and exits 1, neither with a traceback. Anything else that escapes is a bug.
"""
from __future__ import annotations


class UserError(Exception):
    """An expected refusal, explained in Chinese for the clerk (shown as is, never as a traceback)."""


class ConcurrentEdit(UserError):
    """Someone else saved the same record after it was loaded here: the edit is refused, nothing is
    overwritten, and the screen reloads the record (optimistic concurrency, the rows' ``version``)."""


class DatabaseBusy(UserError):
    """Another seat held what this write needed for too long (or the two waited on each other): nothing was
    saved; trying again a moment later normally succeeds."""
