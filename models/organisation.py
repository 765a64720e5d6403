"""The bureau's organisation as data (issue 19): partner departments with the names plans call them by,
and the 实施层级 hierarchy (市局 → 县/区局 → 派出所) with the units and 辖区 names that belong to each level.

- departments / department_aliases: a plan's 配合部门 wording (市邮政管理部门, 邮政管理局, 市邮政局 …) is
  matched to one department, whose ``name`` is the unit as written on the inspector roster
  (Inspector.unit). A clerk links an unmatched wording once and it sticks.
- jurisdictions / jurisdiction_units: a tree of 市 / 县 / 所 levels; jurisdiction_units maps every name
  that belongs to a level — an inspector's unit (某县公安局治安大队) or an object's 辖区 (城关派出所) — to it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, now

DEPARTMENT_KINDS = ("公安", "配合部门")
JURISDICTION_LEVELS = ("市", "县", "所")  # 市局, 县/区局, 派出所


class Department(Base):
    """A department that inspects: a police unit or a partner department (市场监督管理局 …)."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)   # as Inspector.unit spells it
    kind: Mapped[str] = mapped_column(String(20), default="配合部门")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    aliases: Mapped[list[DepartmentAlias]] = relationship(
        back_populates="department", cascade="all, delete-orphan", order_by="DepartmentAlias.alias")


class DepartmentAlias(Base):
    """Another name of a department as a plan writes it; each wording names one department only."""

    __tablename__ = "department_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    department: Mapped[Department] = relationship(back_populates="aliases")


class Jurisdiction(Base):
    """One level of the bureau's hierarchy: the 市局, a 县/区局 or a 派出所."""

    __tablename__ = "jurisdictions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    level: Mapped[str] = mapped_column(String(4))  # one of JURISDICTION_LEVELS
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    parent: Mapped[Jurisdiction | None] = relationship(remote_side="Jurisdiction.id")


class JurisdictionUnit(Base):
    """A name that belongs to a jurisdiction: an inspector unit or an object's 辖区 text."""

    __tablename__ = "jurisdiction_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdictions.id", ondelete="CASCADE"), index=True)
    unit: Mapped[str] = mapped_column(String(100), unique=True)

    jurisdiction: Mapped[Jurisdiction] = relationship()
