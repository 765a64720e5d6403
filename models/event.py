"""The event register (issue 19 item 4): 大型群众性活动, 焰火晚会 and other per-event items concern events,
not a random organiser from the roster.

An event names its organiser (举办单位), who is on the roster; a per-event item's draw covers the events
of its period (all, or a stated share), and each pick of such a draw is linked to its event by
draw_pick_events (append-only, like the picks themselves).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, now
from models.roster import InspectedObject


class Event(Base):
    """A registered event: 名称, 举办单位, 地点, 日期, 规模, 审批文号."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organiser_id: Mapped[int] = mapped_column(ForeignKey("inspected_objects.id"), index=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    date_from: Mapped[date] = mapped_column(Date, index=True)
    date_to: Mapped[date] = mapped_column(Date)
    scale: Mapped[int | None] = mapped_column(Integer, nullable=True)   # expected attendance (人)
    approval_no: Mapped[str] = mapped_column(String(100), default="")   # 审批文号 / 许可证号
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    organiser: Mapped[InspectedObject] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class DrawPickEvent(Base):
    """Which registered event a pick of a per-event draw covers."""

    __tablename__ = "draw_pick_events"
    pick_id: Mapped[int] = mapped_column(ForeignKey("draw_picks.id"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
