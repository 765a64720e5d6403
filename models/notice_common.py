"""What the notice services share.

The locked write transaction, rectification rules per item, names and output paths.
"""
from __future__ import annotations

from models.errors import UserError
import contextlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from models import audit
from models import settings as app_settings
from models.admin import Setting
from models.db import Database
from models.deadlines import DEFAULT_RECTIFY_RULE, TRAFFIC_RECTIFY_RULE, RectifyRule, add_months, max_rectify_deadline
from models.draw import DrawPick, DrawRecord
from models.inspection import Inspection, RectificationNotice
from models.paths import data_dir
from models.plan import Plan, PlanItem
from models.text import nonblank
from models.workdays import WorkCalendar

__all__ = [
    "NoticeError", "DEFAULT_LEGAL_BASIS", "RULE_PRESETS", "rule_key", "rectify_rule_for", "set_rectify_rule",
    "describe_rule", "write_transaction", "with_retry", "bureau_name_for", "plan_item_of", "safe_filename",
    "default_out_dir", "default_deadline", "get_notice",
]

T = TypeVar("T")
RETRIES = 8


# The clause a notice cites unless the clerk writes another.
DEFAULT_LEGAL_BASIS = "《企业事业单位内部治安保卫条例》第十九条"


class NoticeError(UserError, ValueError):
    """A notice operation that cannot be done (message in Chinese)."""


# The rules a clerk can pick for a plan item; seed 003 gives both.
RULE_PRESETS: dict[str, RectifyRule] = {
    "一般（自送达之日起不超过2个月）": DEFAULT_RECTIFY_RULE,
    "交通安全（15日，可延长一次至30日）": TRAFFIC_RECTIFY_RULE,
}


def rule_key(plan_item_id: int) -> str:
    return f"rectify_rule:{plan_item_id}"


def describe_rule(rule: RectifyRule) -> str:
    for label, preset in RULE_PRESETS.items():
        if preset == rule:
            return label
    extra = f"，可延长至{rule.extend_days}日" if rule.extend_days else ""
    return f"不超过{rule.describe()}{extra}"


def rectify_rule_for(session: Session, plan_item_id: int | None) -> RectifyRule:
    """The rectification rule of a plan item: its stored override, else at most two months."""
    if plan_item_id is None:
        return DEFAULT_RECTIFY_RULE
    row = session.get(Setting, rule_key(plan_item_id))
    if row is None or not isinstance(row.value, dict):
        return DEFAULT_RECTIFY_RULE
    try:
        return RectifyRule(**row.value)
    except TypeError:
        return DEFAULT_RECTIFY_RULE


def set_rectify_rule(session: Session, plan_item_id: int, rule: RectifyRule | None, actor: str) -> None:
    """Store (or with None remove) the rectification rule of one plan item, audited."""
    item = session.get(PlanItem, plan_item_id)
    if item is None:
        raise NoticeError(f"没有编号为 {plan_item_id} 的抽查事项")
    if rule is not None and rule.max_days is None and rule.max_months is None:
        raise NoticeError("整改期限规则须规定最长天数或最长月数")
    row = session.get(Setting, rule_key(plan_item_id))
    old = row.value if row is not None else None
    if rule is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Setting(key=rule_key(plan_item_id), value=asdict(rule)))
    else:
        row.value = asdict(rule)
    session.flush()
    audit.append(session, user=actor, action="设置整改期限规则", entity="plan_item", entity_id=plan_item_id,
                 detail={"事项": item.item, "原规则": old, "新规则": asdict(rule) if rule else None})


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Session]:
    """A session that holds SQLite's write lock from its first statement (BEGIN IMMEDIATE semantics).

    The engine emits a plain BEGIN; a write statement that touches no row takes the
    RESERVED lock at once, so the max(seq)+1 read that follows cannot be raced by another
    writer: a second writer waits (busy timeout) until this one commits or rolls back.
    On PostgreSQL the same is a table lock that conflicts with itself and with every write to
    notices (readers go on), held until commit: seats issuing at once take turns for a number.
    """
    with db.session() as s:
        conn = s.connection()
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("UPDATE notices SET seq = seq WHERE 0")
        else:
            conn.exec_driver_sql("LOCK TABLE notices IN SHARE ROW EXCLUSIVE MODE")
        yield s


def with_retry(fn: Callable[[], T]) -> T:
    """Run one whole transaction again when a concurrent writer got there first.

    The UNIQUE(year, seq) constraint is the final guarantee; a lost race surfaces as an
    IntegrityError (or a lock timeout) and the next attempt reads the new maximum.
    """
    for attempt in range(RETRIES):
        try:
            return fn()
        except IntegrityError as exc:
            if "notices" not in str(exc) or attempt == RETRIES - 1:
                raise
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == RETRIES - 1:
                raise NoticeError("数据库正被其他用户写入，请稍后重试") from exc
        time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def plan_item_of(session: Session, inspection: Inspection) -> PlanItem | None:
    """The plan item of a drawn inspection (through its pick), or the item a check that was not drawn named."""
    if inspection.pick_id is None:
        return session.get(PlanItem, inspection.plan_item_id) if inspection.plan_item_id is not None else None
    return session.scalar(select(PlanItem).join(DrawRecord, DrawRecord.plan_item_id == PlanItem.id)
                          .join(DrawPick, DrawPick.draw_id == DrawRecord.id)
                          .where(DrawPick.id == inspection.pick_id))


def bureau_name_for(session: Session, item: PlanItem | None) -> str:
    """The issuing bureau: the 单位名称 setting, else the bureau named on the plan."""
    name = (app_settings.get(session, "bureau_name") or "").strip()
    if not name and item is not None:
        name = (session.scalar(select(Plan.bureau).where(Plan.id == item.plan_id)) or "").strip()
    if not name:
        raise NoticeError("尚未设置单位名称：请先在“设置 → 单位与文号”中填写单位名称（印在通知书抬头和落款）")
    return name


_UNSAFE = re.compile(r'[\\/:*?"<>|\r\n\t]+')


def safe_filename(*parts: str) -> str:
    """A file name from ``parts`` that every file system accepts (〔〕 and Chinese are kept)."""
    name = "_".join(nonblank(parts))
    return _UNSAFE.sub("_", name)[:150] + ".docx"


def default_out_dir(kind: str, year: int) -> Path:
    """Where documents go when the clerk does not choose: <data folder>/文书/<kind>/<year>."""
    return data_dir() / "文书" / kind / str(year)


def default_deadline(issue_date: date, rule: RectifyRule, cal: WorkCalendar | None = None) -> date:
    """A suggested deadline: one month after issue, or less when the rule is stricter."""
    return min(add_months(issue_date, 1), max_rectify_deadline(issue_date, rule, cal))


def get_notice(session: Session, notice_id: int) -> RectificationNotice:
    notice = session.get(RectificationNotice, notice_id)
    if notice is None:
        raise NoticeError(f"没有编号为 {notice_id} 的整改通知书")
    return notice
