"""Sealed draw announcements (抽取公告): the setup and the named entropy source, fixed before any entropy exists."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, now


class DrawAnnouncement(Base):
    """抽取公告 — one sealed setup for a plan item, round and 辖区, numbered without gaps per year.

    Rows are append-only (database triggers refuse UPDATE and DELETE). Whether it was drawn
    is derived from the draw record naming it; whether it was voided, from a void row.
    ``commitment`` is SHA-256 of ``announcement_json`` (canonical JSON, docs/draw-protocol.md).
    """

    __tablename__ = "draw_announcements"
    __table_args__ = (UniqueConstraint("year", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    jurisdiction: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(12), default="draw")  # draw / redraw / substitute
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("draw_records.id"), nullable=True)
    replaced_object_id: Mapped[int | None] = mapped_column(ForeignKey("inspected_objects.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    sealed_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    operator: Mapped[str] = mapped_column(String(50), default="")
    entropy_source: Mapped[str] = mapped_column(Text, default="")
    lottery_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    announcement_json: Mapped[str] = mapped_column(Text)
    # How the setup was asked for (sizes given by hand, units chosen), so the draw can derive it again.
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    commitment: Mapped[str] = mapped_column(String(64))


class AnnouncementVoid(Base):
    """作废 — an announcement withdrawn before it was drawn, with the reason; append-only like the announcement."""

    __tablename__ = "draw_announcement_voids"
    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("draw_announcements.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    voided_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    operator: Mapped[str] = mapped_column(String(50), default="")
