"""Draw records (抽取记录): locked once saved; a re-draw is a new record pointing to the old one."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, now
from models.roster import InspectedObject, Inspector


class DrawRecord(Base):
    """抽取记录 — one witnessed draw for a plan item and round, with everything to recompute it.

    Rows are immutable (database triggers refuse UPDATE and DELETE); whether a record was
    replaced is derived from later records whose ``replaces_id`` points to it.
    """

    __tablename__ = "draw_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(12), default="draw")  # draw / redraw / substitute
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("draw_records.id"), nullable=True, index=True)
    replaced_object_id: Mapped[int | None] = mapped_column(ForeignKey("inspected_objects.id"), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    algorithm_version: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    place: Mapped[str] = mapped_column(String(200), default="")
    operator: Mapped[str] = mapped_column(String(50), default="")
    witnesses: Mapped[list] = mapped_column(JSON, default=list)
    entropy: Mapped[list] = mapped_column(JSON, default=list)
    fingerprint: Mapped[str] = mapped_column(String(64))
    seed: Mapped[str] = mapped_column(String(64))
    record_json: Mapped[str] = mapped_column(Text)  # canonical JSON of the full record
    record_hash: Mapped[str] = mapped_column(String(64))
    # The sealed announcement (抽取公告) this draw ran against; NULL only for SSJ-DRAW-1 records
    # made before sealing existed. One draw per announcement (a unique index, no FK: added by ALTER).
    announcement_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True, unique=True)

    picks: Mapped[list[DrawPick]] = relationship(back_populates="draw", order_by="DrawPick.order")


class DrawPick(Base):
    """One object selected by a draw, in the order it was revealed."""

    __tablename__ = "draw_picks"
    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw_records.id"), index=True)
    order: Mapped[int] = mapped_column(Integer)
    stratum: Mapped[str] = mapped_column(String(20), default="全部")
    object_id: Mapped[int] = mapped_column(ForeignKey("inspected_objects.id"), index=True)

    draw: Mapped[DrawRecord] = relationship(back_populates="picks")
    inspected_object: Mapped[InspectedObject] = relationship(lazy="joined")
    assignments: Mapped[list[DrawAssignment]] = relationship(back_populates="pick", order_by="DrawAssignment.slot")


class DrawAssignment(Base):
    """An inspector drawn for one pick."""

    __tablename__ = "draw_assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    pick_id: Mapped[int] = mapped_column(ForeignKey("draw_picks.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"), index=True)

    pick: Mapped[DrawPick] = relationship(back_populates="assignments")
    inspector: Mapped[Inspector] = relationship(lazy="joined")
