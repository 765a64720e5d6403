"""Where evidence lives: each attached file's bytes, and the withdrawal of a mistaken attachment (migration 0006).

The bytes are kept in the database itself (``attachment_contents``), one row per attachment with a
file, so that on the office's PostgreSQL server every workstation sees the same evidence and the files
go with every backup (SQLite's online backup, pg_dump) and with migrate-to; nothing is left where the
clerk picked the file. Evidence is never changed or deleted: the three evidence tables refuse UPDATE and
DELETE in the database (triggers made by 0006), and a mistaken attachment is *withdrawn* — a row here
with the reason — while the file and its SHA-256 stay, so what was once filed can always be shown.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, now


class AttachmentContent(Base):
    """The bytes of one attached file (append-only); its SHA-256 is on the attachment row and in the audit log."""

    __tablename__ = "attachment_contents"
    attachment_id: Mapped[int] = mapped_column(ForeignKey("inspection_attachments.id"), primary_key=True,
                                               autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AttachmentWithdrawal(Base):
    """A mistaken attachment withdrawn (撤回) with its reason; the attachment and its bytes stay (append-only)."""

    __tablename__ = "attachment_withdrawals"
    id: Mapped[int] = mapped_column(primary_key=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("inspection_attachments.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    withdrawn_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    withdrawn_by: Mapped[str] = mapped_column(String(50), default="")
