"""The two rosters (检查对象名录库, 执法检查人员名录库) and the 回避 pairs between them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, now

RISK_LEVELS = ("低风险", "中低风险", "中风险", "高风险")
STATUSES = ("在营", "停业", "注销")
# 证件类型 of an object's identifier (issue 19 item 6): units have a 统一社会信用代码; persons and
# individual businesses a 居民身份证号码, a passport or other travel document, or none.
ID_KIND_CREDIT = "统一社会信用代码"
ID_KIND_RESIDENT = "身份证"
ID_KIND_PASSPORT = "护照"
ID_KIND_OTHER_TRAVEL = "其他证件"
ID_KIND_NONE = "无"
ID_KINDS = (ID_KIND_CREDIT, ID_KIND_RESIDENT, ID_KIND_PASSPORT, ID_KIND_OTHER_TRAVEL, ID_KIND_NONE)
# Object types named in the seeds' plans; the roster may add others.
DEFAULT_OBJECT_TYPES = (
    "旅馆", "保安服务公司", "爆破作业单位", "娱乐场所", "网吧", "典当行", "公章刻制",
    "废旧金属收购", "金融机构营业场所", "易制毒化学品企业", "加油站", "危险化学品单位",
    "机动车修理业", "互联网联网单位", "大型群众性活动承办单位", "烟花爆竹经营单位",
    "民用枪支弹药单位", "重点信息系统运营单位", "工业大麻种植加工单位", "寄递物流企业",
    "机动车驾驶人培训机构", "二手车交易市场",
)


class ObjectType(Base):
    """检查对象类型 — an industry or kind of unit (旅馆, 网吧, 典当行 …)."""

    __tablename__ = "object_types"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class InspectedObject(Base):
    """检查对象 — a unit (or person) on the roster that may be drawn for inspection."""

    __tablename__ = "inspected_objects"
    __table_args__ = (UniqueConstraint("id_kind", "id_country", "credit_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # The identifier: a 统一社会信用代码 for a unit, else the number of the document id_kind names
    # (身份证号, passport …); None for kind 无 (个体 without a licence, no_id_reason says why).
    # Unique within its kind (and country, for travel documents).
    credit_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    id_kind: Mapped[str] = mapped_column(String(12), default=ID_KIND_CREDIT, server_default=ID_KIND_CREDIT)
    id_country: Mapped[str] = mapped_column(String(40), default="", server_default="")  # travel documents
    no_id_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    object_type_id: Mapped[int] = mapped_column(ForeignKey("object_types.id"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    jurisdiction: Mapped[str] = mapped_column(String(100), default="", index=True)
    legal_rep: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    licence_no: Mapped[str] = mapped_column(String(100), default="")
    risk_level: Mapped[str] = mapped_column(String(8), default="低风险")
    status: Mapped[str] = mapped_column(String(8), default="在营")
    # Deactivated objects leave the roster but stay for the records that refer to them.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)
    # Optimistic concurrency: every UPDATE checks and bumps it (SQLAlchemy's version_id_col; the bulk
    # import bumps it too), so an edit made from a stale copy finds no row and is refused, not applied.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    object_type: Mapped[ObjectType] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class Inspector(Base):
    """执法检查人员 — an officer (or partner-department staff) who may be drawn to inspect."""

    __tablename__ = "inspectors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    badge_no: Mapped[str] = mapped_column(String(30), unique=True)
    unit: Mapped[str] = mapped_column(String(100), index=True)
    cert_no: Mapped[str] = mapped_column(String(50), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))  # as objects'

    __mapper_args__ = {"version_id_col": version}


class Recusal(Base):
    """回避 — a declared interest between an inspector and an object; never drawn together."""

    __tablename__ = "recusals"
    __table_args__ = (UniqueConstraint("inspector_id", "object_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id"), index=True)
    object_id: Mapped[int] = mapped_column(ForeignKey("inspected_objects.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    inspector: Mapped[Inspector] = relationship(lazy="joined")
    inspected_object: Mapped[InspectedObject] = relationship(lazy="joined")
