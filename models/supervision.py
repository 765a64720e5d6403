"""The supervision around the draws (seed 003, 事中事后监督管理): routine duties, evidence, and what follows
a failed 复查.

- RoutineDuty: 日常巡查 declared as data ("旅馆业要求每月对辖区所有旅馆进行1次监督检查"): which object
  type, which unit (blank: the 派出所 of the object's 辖区), how often and what share of the objects.
- InspectionAttachment: evidence filed with an inspection (the scanned signed record, photos, a
  执法记录仪 file or number); the file's bytes are copied into the database (models.attachment) and
  its SHA-256 is kept here and in the audit log, so a swapped file is detected (models.evidence).
- EnforcementStep: when a 复查 finds the hazards still there — 再次责令限期整改, 立案查处, 行政处罚,
  通报/抄告 — each stays on the to-do list until it is done.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, now
from models.roster import ObjectType

# How often a routine duty falls due, in the seed's words; the value is the period's length in months.
DUTY_PERIODS = {"每月": 1, "每两个月": 2, "每季度": 3, "每半年": 6, "每年": 12}
# The evidence kinds an inspection can carry.
ATTACHMENT_KINDS = ("签字检查记录", "照片", "执法记录仪", "其他")
# The next steps after a 复查 that found the hazards still there (seed 003: 行政处罚, 立案查处, 通报).
ENFORCEMENT_KINDS = ("再次责令限期整改", "立案查处", "行政处罚", "通报抄告")


class RoutineDuty(Base):
    """日常巡查 duty: every object of a type (or a share of them) checked once (or more) per period."""

    __tablename__ = "routine_duties"
    id: Mapped[int] = mapped_column(primary_key=True)
    object_type_id: Mapped[int] = mapped_column(ForeignKey("object_types.id"), index=True)
    unit: Mapped[str] = mapped_column(String(100), default="")       # "": the 派出所 of the object's 辖区
    period: Mapped[str] = mapped_column(String(10))                   # a key of DUTY_PERIODS
    times: Mapped[int] = mapped_column(Integer, default=1)            # checks per object per period
    share_percent: Mapped[int] = mapped_column(Integer, default=100)  # 100: all objects of the type
    basis: Mapped[str] = mapped_column(Text, default="")              # the rule's own sentence
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    object_type: Mapped[ObjectType] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class InspectionAttachment(Base):
    """Evidence filed with an inspection: the stored copy, its SHA-256 and size, or a reference only.

    The bytes are in ``attachment_contents`` (models.attachment), in the database itself, not in a
    folder: so ``stored_name`` stays "" — the column dates from a plan to keep files in a managed
    folder; a copy saved out is named by models.evidence.export_name (``<id>-<original name>``).
    Rows are append-only (database triggers, migration 0006); a mistaken one is withdrawn
    (models.attachment.AttachmentWithdrawal), never changed or deleted.
    """

    __tablename__ = "inspection_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))                     # one of ATTACHMENT_KINDS
    original_name: Mapped[str] = mapped_column(Text, default="")      # the file's name where the clerk picked it
    stored_name: Mapped[str] = mapped_column(Text, default="")        # always "": the bytes are in attachment_contents
    sha256: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    reference: Mapped[str] = mapped_column(Text, default="")          # e.g. the 执法记录仪's number or clip
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class EnforcementStep(Base):
    """A next step after a failed 复查, open until ``done_date`` is set."""

    __tablename__ = "enforcement_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    reinspection_id: Mapped[int | None] = mapped_column(ForeignKey("reinspections.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(20))                     # one of ENFORCEMENT_KINDS
    reference: Mapped[str] = mapped_column(String(100), default="")   # case / decision number, once known
    department: Mapped[str] = mapped_column(String(100), default="")  # 通报/抄告: the department told
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    new_notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"), nullable=True)
    done_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    file_path: Mapped[str] = mapped_column(Text, default="")          # e.g. the 抄告函 written
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
