"""综合查一次 (issue 19 item 1): a joint task groups, for one object and one period, the picks of several
plan items into one visit by one team.

Grouping is a scheduling layer on top of verified draws: it refers to draw_picks and never changes them.
A pick is in at most one joint task (joint_task_picks.pick_id is unique). The visit itself is recorded as
the inspections of its picks, each keeping its own item's result, linked by inspections.joint_task_id.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, now
from models.roster import InspectedObject

JOINT_PERIODS = ("Y", "H1", "H2", "Q1", "Q2", "Q3", "Q4")  # the year, a half-year, a quarter
JOINT_STATUSES = ("待检查", "已检查", "已撤销")


class JointTask(Base):
    """One joint visit (联合检查任务) of one object in one period."""

    __tablename__ = "joint_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    period: Mapped[str] = mapped_column(String(4), default="Y")
    object_id: Mapped[int] = mapped_column(ForeignKey("inspected_objects.id"), index=True)
    lead_unit: Mapped[str] = mapped_column(String(100), default="")    # the initiating (lead) department
    visit_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="待检查")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    inspected_object: Mapped[InspectedObject] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class JointTaskPick(Base):
    """A drawn pick grouped into a joint task; a pick belongs to one task at most."""

    __tablename__ = "joint_task_picks"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("joint_tasks.id", ondelete="CASCADE"), index=True)
    pick_id: Mapped[int] = mapped_column(ForeignKey("draw_picks.id"), unique=True)


class JointTaskMember(Base):
    """A member of the joint team: a drawn police officer or a partner department's officer."""

    __tablename__ = "joint_task_members"
    __table_args__ = (UniqueConstraint("task_id", "inspector_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("joint_tasks.id", ondelete="CASCADE"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"), index=True)
    unit: Mapped[str] = mapped_column(String(100), default="")
