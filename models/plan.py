"""The annual plan (年度抽查计划): its items, their checklists and the object types they cover."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON, Boolean, Column, DateTime, Float, ForeignKey, Integer, String, Table, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, now
from models.roster import ObjectType

plan_item_types = Table(
    "plan_item_types",
    Base.metadata,
    Column("item_id", ForeignKey("plan_items.id", ondelete="CASCADE"), primary_key=True),
    Column("type_id", ForeignKey("object_types.id"), primary_key=True),
)


class Plan(Base):
    """年度"双随机、一公开"抽查计划 — one bureau's plan for one year."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    bureau: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.seq", cascade="all, delete-orphan"
    )


class PlanItem(Base):
    """抽查事项 — one row of the plan table, with the ratio text kept and its parsed rule."""

    __tablename__ = "plan_items"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str] = mapped_column(String(20))          # 编号
    mode: Mapped[str] = mapped_column(String(20), default="")  # 抽查方式 部门联合/公安内部
    field: Mapped[str] = mapped_column(Text, default="")      # 抽查领域
    item: Mapped[str] = mapped_column(Text)                  # 抽查事项
    content: Mapped[str] = mapped_column(Text, default="")    # 抽查内容, as written
    object_text: Mapped[str] = mapped_column(Text, default="")  # 检查对象, as written
    category: Mapped[str] = mapped_column(String(20), default="")  # 事项类别
    ratio_text: Mapped[str] = mapped_column(Text, default="")  # 抽查比例和频次, as written
    # The parsed rule; rule_manual marks a rule the clerk set by hand.
    ratio: Mapped[float | None] = mapped_column(Float, nullable=True)
    ratio_kind: Mapped[str | None] = mapped_column(String(8), nullable=True)
    count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rounds_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rounds_max: Mapped[int | None] = mapped_column(Integer, nullable=True)
    per_event: Mapped[bool] = mapped_column(Boolean, default=False)
    rule_parsed: Mapped[bool] = mapped_column(Boolean, default=False)
    rule_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_differentiated: Mapped[bool] = mapped_column(Boolean, default=False)
    initiator: Mapped[str] = mapped_column(String(100), default="")   # 发起部门
    partners: Mapped[list] = mapped_column(JSON, default=list)        # 配合部门
    subject: Mapped[str] = mapped_column(String(100), default="")     # 检查主体
    time_text: Mapped[str] = mapped_column(String(100), default="")   # 检查时间, as written
    month_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    month_to: Mapped[int | None] = mapped_column(Integer, nullable=True)
    responsible_unit: Mapped[str] = mapped_column(String(100), default="")  # 责任单位
    methods: Mapped[list] = mapped_column(JSON, default=list)         # 检查方式
    basis: Mapped[str] = mapped_column(Text, default="")              # 制定依据
    level: Mapped[str] = mapped_column(String(50), default="")        # 实施层级
    est_count_text: Mapped[str] = mapped_column(String(100), default="")  # 预估抽查对象数
    est_risk_text: Mapped[str] = mapped_column(Text, default="")      # 预估抽查对象风险等级
    est_risk: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # parsed split per level
    remark: Mapped[str] = mapped_column(Text, default="")             # 备注
    # 综合查一次: items sharing a group name have their picks of one object and period grouped into one visit
    joint_group: Mapped[str] = mapped_column(String(50), default="", server_default="")

    plan: Mapped[Plan] = relationship(back_populates="items")
    object_types: Mapped[list[ObjectType]] = relationship(secondary=plan_item_types, lazy="selectin")
    checklist: Mapped[list[ChecklistEntry]] = relationship(
        back_populates="plan_item", order_by="ChecklistEntry.seq", cascade="all, delete-orphan", lazy="selectin"
    )


class ChecklistEntry(Base):
    """抽查内容 entry — one numbered point of an item's checklist; becomes a line of the inspection form."""

    __tablename__ = "checklist_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    plan_item: Mapped[PlanItem] = relationship(back_populates="checklist")
