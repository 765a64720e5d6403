"""Inspections of drawn objects, the hazards found, the notices issued and the re-inspections."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, now
from models.draw import DrawPick
from models.roster import InspectedObject, Inspector
from models.supervision import RoutineDuty  # noqa: F401 - inspections.duty_id refers to its table

# 检查结果 — the national credit-publicity categories.
RESULT_CATEGORIES = (
    "未发现问题",
    "发现问题已责令改正",
    "发现问题待后续处理",
    "未发现开展本次抽查涉及的经营活动",
    "已关闭停业或正在组织清算",
    "不配合检查情节严重",
    "通过登记的住所（经营场所）无法联系",
    "注销",
    "被吊销",
    "被撤销",
    "迁出",
)
CHECK_VERDICTS = ("符合", "不符合", "不适用")
# 检查来源 — why a check was made. Only 双随机抽查 comes from a draw pick and counts as a draw result;
# the others are the office's daily supervision (seed 003: 日常巡查, 专项督察, 举报投诉 随报随查, …).
DRAWN_SOURCE = "双随机抽查"
CHECK_SOURCES = (DRAWN_SOURCE, "日常巡查", "专项检查", "专项督察", "全面检查", "举报投诉", "案后倒查",
                 "上级交办", "暗访", "其他")
REINSPECTION_RESULTS = ("已整改", "未整改")


class Inspection(Base):
    """检查记录 — one check of one roster object: of a drawn object (``pick_id``), or of any object for
    another ``source`` (日常巡查, 举报投诉 …), which then has no pick and never counts as a draw result."""

    __tablename__ = "inspections"
    id: Mapped[int] = mapped_column(primary_key=True)
    pick_id: Mapped[int | None] = mapped_column(ForeignKey("draw_picks.id"), unique=True, nullable=True)
    object_id: Mapped[int] = mapped_column(ForeignKey("inspected_objects.id"), index=True)
    source: Mapped[str] = mapped_column(String(20), default=DRAWN_SOURCE, server_default=DRAWN_SOURCE)
    source_ref: Mapped[str] = mapped_column(String(100), default="", server_default="")  # complaint / case / 交办 No.
    source_date: Mapped[date | None] = mapped_column(Date, nullable=True)     # e.g. when the complaint came in
    reply_due: Mapped[date | None] = mapped_column(Date, nullable=True)       # a complaint's reply deadline
    # The checklist of a check that was not drawn: a plan item's (optional); a drawn one takes its pick's.
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id"), nullable=True, index=True)
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("routine_duties.id"), nullable=True, index=True)
    # 综合查一次: the joint visit this check was part of (one record, one notice for the task's inspections)
    joint_task_id: Mapped[int | None] = mapped_column(ForeignKey("joint_tasks.id"), nullable=True, index=True)
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    result_category: Mapped[str] = mapped_column(String(40), default="")
    result_subkind: Mapped[str] = mapped_column(String(60), default="")  # e.g. 违反公安部门相关规定
    method: Mapped[str] = mapped_column(String(20), default="实地检查")  # 核查方式
    follow_up: Mapped[str] = mapped_column(Text, default="")           # 后续处置措施
    finished: Mapped[bool] = mapped_column(Boolean, default=False)     # 是否完结
    finished_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    executing_unit: Mapped[str] = mapped_column(String(100), default="")  # 检查执行部门
    signed_refused: Mapped[bool] = mapped_column(Boolean, default=False)  # 被检查单位拒绝签字
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    pick: Mapped[DrawPick | None] = relationship()
    inspected_object: Mapped[InspectedObject] = relationship()
    inspectors: Mapped[list[InspectionInspector]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="InspectionInspector.id"
    )
    checks: Mapped[list[ChecklistResult]] = relationship(back_populates="inspection", cascade="all, delete-orphan")
    hazards: Mapped[list[Hazard]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Hazard.seq"
    )


class InspectionInspector(Base):
    """An officer who actually went; ``change_reason`` is set when it differs from the draw."""

    __tablename__ = "inspection_inspectors"
    __table_args__ = (UniqueConstraint("inspection_id", "inspector_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"))
    change_reason: Mapped[str] = mapped_column(Text, default="")

    inspection: Mapped[Inspection] = relationship(back_populates="inspectors")
    inspector: Mapped[Inspector] = relationship(lazy="joined")


class ChecklistResult(Base):
    """The verdict on one checklist entry (符合 / 不符合 / 不适用)."""

    __tablename__ = "checklist_results"
    __table_args__ = (UniqueConstraint("inspection_id", "entry_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("checklist_entries.id"))
    verdict: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text, default="")

    inspection: Mapped[Inspection] = relationship(back_populates="checks")


class Hazard(Base):
    """治安隐患 — one hazard found, with the clause it breaches."""

    __tablename__ = "hazards"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(Text, default="")

    inspection: Mapped[Inspection] = relationship(back_populates="hazards")


class RectificationNotice(Base):
    """责令限期整改治安隐患通知书 — numbered per year without gaps; voided ones keep their number."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("year", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[str] = mapped_column(String(80), unique=True)
    issue_date: Mapped[date] = mapped_column(Date)
    served_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    deadline: Mapped[date] = mapped_column(Date)
    extended_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    completion_reported: Mapped[date | None] = mapped_column(Date, nullable=True)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    file_path: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    inspection: Mapped[Inspection] = relationship()
    reinspections: Mapped[list[Reinspection]] = relationship(back_populates="notice", order_by="Reinspection.id")


class Reinspection(Base):
    """复查 — the re-inspection after the deadline, with its own 复查意见书 number."""

    __tablename__ = "reinspections"
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    date: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(Text, default="")
    doc_number: Mapped[str] = mapped_column(String(80), default="")
    file_path: Mapped[str] = mapped_column(Text, default="", server_default="")  # the 复查意见书 written
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    notice: Mapped[RectificationNotice] = relationship(back_populates="reinspections")
