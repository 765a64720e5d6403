"""The event register (活动登记, issue 19 item 4): add, edit, deactivate and list the events a per-event item
(大型群众性活动, 焰火晚会 …) is drawn over, check an imported sheet's rows, and the events of a period.

The screen, the command line and the import all go through these functions, so they refuse the same things
with the same Chinese messages naming the field (and, for an import, the row).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import audit
from models.errors import ConcurrentEdit, UserError
from models.event import DrawPickEvent, Event
from models.roster import InspectedObject
from models.text import trimmed

NAME_MAX, PLACE_MAX, APPROVAL_MAX, NOTE_MAX = 200, 300, 100, 1000
# The fields and their labels, in the order of the form, the list and the import sheet.
LABELS = {"name": "活动名称", "organiser": "举办单位", "place": "地点", "date_from": "开始日期",
          "date_to": "结束日期", "scale": "规模（人）", "approval_no": "审批文号", "note": "备注"}
_FORBIDDEN = ("\t", "\n", "\r")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class EventError(UserError, ValueError):
    """An event cannot be saved as given; ``field`` names the field (a key of LABELS) when one is at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass
class EventData:
    """What the clerk types for one event; ``organiser`` is a roster object's 统一社会信用代码/证件号码 or its name."""

    name: str
    organiser: str
    date_from: date | str
    date_to: date | str | None = None
    place: str = ""
    scale: int | str | None = None
    approval_no: str = ""
    note: str = ""


class EventRow(NamedTuple):
    """One registered event as the lists show it."""

    id: int
    name: str
    organiser_id: int
    organiser_name: str
    organiser_code: str
    place: str
    date_from: date
    date_to: date
    scale: int | None
    approval_no: str
    note: str
    active: bool
    drawn: bool
    version: int

    @property
    def dates(self) -> str:
        return event_dates(self.date_from, self.date_to)

    @property
    def status(self) -> str:
        return ("已抽取" if self.drawn else "待抽取") if self.active else "已停用"


def event_dates(first: date, last: date) -> str:
    """"2024-05-01" for one day, "2024-05-01至05-03" (or with the year) for several."""
    if first == last:
        return first.isoformat()
    tail = last.strftime("%m-%d") if last.year == first.year else last.isoformat()
    return f"{first.isoformat()}至{tail}"


def parse_day(value: date | str | None, label: str, key: str) -> date:
    """A date typed as 2024-05-01, 2024/5/1, 2024.5.1 or 2024年5月1日 (an Excel date cell reads as the first)."""
    if isinstance(value, date):
        return value
    text = trimmed(value)
    if not text:
        raise EventError(f"请填写{label}", key)
    m = _DATE.fullmatch(text.split(" ")[0] if " " in text and ":" in text else text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise EventError(f"{label}「{text}」不是有效日期，请写成 YYYY-MM-DD，例如 2024-05-01", key)


def _text(value: object, key: str, max_len: int, *, required: bool = False) -> str:
    label = LABELS[key]
    text = trimmed(value)
    if required and not text:
        raise EventError(f"请填写{label}", key)
    if len(text) > max_len:
        raise EventError(f"{label}过长：最多 {max_len} 个字，现有 {len(text)} 个字", key)
    if key != "note" and any(ch in text for ch in _FORBIDDEN):
        raise EventError(f"{label}「{text.split()[0] if text.split() else ''}…」含有制表符或换行符，请改为一行", key)
    return text


def _scale(value: int | str | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    else:
        text = trimmed(value).replace(",", "").replace("，", "").removesuffix("人")
        n = int(text) if text.isdigit() else -1
    if n < 0:
        raise EventError(f"规模「{trimmed(value)}」应为人数（非负整数），可不填", "scale")
    return n


def find_organiser(session: Session, text: str) -> InspectedObject:
    """The roster object named by its 统一社会信用代码 / 证件号码 or its exact name; refused naming candidates."""
    key = trimmed(text)
    if not key:
        raise EventError("请填写举办单位（检查对象名录中的单位名称或统一社会信用代码）", "organiser")
    rows = session.scalars(select(InspectedObject).where(
        or_(InspectedObject.credit_code == key, InspectedObject.name == key))).all()
    by_code = [o for o in rows if o.credit_code == key]
    found = by_code or rows
    active = [o for o in found if o.active]
    if len(active) == 1:
        return active[0]
    if len(active) > 1:
        names = "、".join(f"{o.name}({o.credit_code or o.id_kind})" for o in active[:5])
        raise EventError(f"名录中有 {len(active)} 个名为「{key}」的检查对象（{names}），请改填统一社会信用代码",
                         "organiser")
    if found:
        raise EventError(f"举办单位「{key}」在检查对象名录中已停用", "organiser")
    like = session.scalars(select(InspectedObject).where(InspectedObject.name.contains(key),
                                                         InspectedObject.active.is_(True)).limit(5)).all()
    hint = f"，名称相近的有：{'、'.join(o.name for o in like)}" if like else "，请先把它加入检查对象名录"
    raise EventError(f"举办单位「{key}」不在检查对象名录中{hint}", "organiser")


@dataclass
class CheckedEvent:
    """An event's values after every check, ready to save."""

    name: str
    organiser: InspectedObject
    place: str
    date_from: date
    date_to: date
    scale: int | None
    approval_no: str
    note: str
    problems: list = field(default_factory=list)

    def values(self) -> dict:
        return dict(name=self.name, organiser_id=self.organiser.id, place=self.place, date_from=self.date_from,
                    date_to=self.date_to, scale=self.scale, approval_no=self.approval_no, note=self.note)


def check_event(session: Session, data: EventData) -> CheckedEvent:
    """Every field checked in the form's order; the first problem raises EventError naming its field."""
    name = _text(data.name, "name", NAME_MAX, required=True)
    organiser = find_organiser(session, data.organiser)
    first = parse_day(data.date_from, LABELS["date_from"], "date_from")
    last = first if data.date_to in (None, "") else parse_day(data.date_to, LABELS["date_to"], "date_to")
    if last < first:
        raise EventError(f"结束日期 {last.isoformat()} 早于开始日期 {first.isoformat()}", "date_to")
    if (last - first).days > 366:
        raise EventError(f"活动持续 {(last - first).days + 1} 天，超过一年，请检查开始和结束日期", "date_to")
    place = _text(data.place, "place", PLACE_MAX)
    scale = _scale(data.scale)
    approval = _text(data.approval_no, "approval_no", APPROVAL_MAX)
    note = _text(data.note, "note", NOTE_MAX)
    return CheckedEvent(name, organiser, place, first, last, scale, approval, note)


def _clash(session: Session, c: CheckedEvent, exclude_id: int | None) -> None:
    query = select(Event.id).where(Event.name == c.name, Event.date_from == c.date_from,
                                   Event.organiser_id == c.organiser.id, Event.active.is_(True))
    if exclude_id is not None:
        query = query.where(Event.id != exclude_id)
    other = session.scalar(query)
    if other is not None:
        raise EventError(f"「{c.name}」（{c.organiser.name}，{c.date_from.isoformat()}）已登记（编号 {other}）", "name")


def is_drawn(session: Session, event_id: int) -> bool:
    return session.scalar(select(DrawPickEvent.pick_id).where(DrawPickEvent.event_id == event_id).limit(1)) is not None


def add_event(session: Session, data: EventData, actor: str) -> int:
    c = check_event(session, data)
    _clash(session, c, None)
    row = Event(**c.values(), created_by=actor or "")
    session.add(row)
    session.flush()
    audit.append(session, user=actor, action="登记活动", entity="event", entity_id=row.id,
                 detail=_detail(c))
    return row.id


def _detail(c: CheckedEvent) -> dict:
    return {"name": c.name, "organiser": c.organiser.name, "organiser_code": c.organiser.credit_code,
            "place": c.place, "date_from": c.date_from.isoformat(), "date_to": c.date_to.isoformat(),
            "scale": c.scale, "approval_no": c.approval_no}


# What a draw has sealed of an event (its canonical identity, docs/draw-protocol.md §14): fixed once drawn.
SEALED_FIELDS = ("name", "organiser_id", "place", "date_from", "date_to", "approval_no")


def _load(session: Session, event_id: int, expected_version: int | None) -> Event:
    row = session.get(Event, event_id)
    if row is None:
        raise EventError(f"没有编号为 {event_id} 的活动")
    if expected_version is not None and row.version != expected_version:
        raise ConcurrentEdit(f"活动「{row.name}」已被他人修改（保存于您打开之后），请重新打开后再修改")
    return row


def update_event(session: Session, event_id: int, data: EventData, actor: str,
                 expected_version: int | None = None) -> None:
    """Save an edit; once a draw covered the event, only 规模 and 备注 may change (the rest is in a sealed record)."""
    row = _load(session, event_id, expected_version)
    c = check_event(session, data)
    _clash(session, c, event_id)
    new = c.values()
    changed = [k for k, v in new.items() if getattr(row, k) != v]
    if not changed:
        return
    if is_drawn(session, event_id):
        sealed = [k for k in changed if k in SEALED_FIELDS]
        if sealed:
            key = sealed[0].removesuffix("_id")
            raise EventError(f"活动「{row.name}」已被抽取，{LABELS[key]}等已写入抽取记录，不能修改；"
                             "只能修改规模和备注", key)
    for k in changed:
        setattr(row, k, new[k])
    try:
        session.flush()
    except StaleDataError:
        raise ConcurrentEdit(f"活动「{row.name}」已被他人修改，请重新打开后再修改") from None
    audit.append(session, user=actor, action="修改活动登记", entity="event", entity_id=event_id,
                 detail={**_detail(c), "changed": changed})


def set_event_active(session: Session, event_id: int, active: bool, actor: str) -> None:
    """停用 an event (cancelled, registered by mistake) or use it again; it stays listed for the records."""
    row = _load(session, event_id, None)
    if row.active == active:
        return
    row.active = active
    session.flush()
    audit.append(session, user=actor, action="启用活动登记" if active else "停用活动登记", entity="event",
                 entity_id=event_id, detail={"name": row.name, "date_from": row.date_from.isoformat()})


def _rows(session: Session, query) -> list[EventRow]:
    drawn = set(session.scalars(select(DrawPickEvent.event_id).distinct()))
    result = []
    for e, oname, ocode in session.execute(query):
        result.append(EventRow(e.id, e.name, e.organiser_id, oname, ocode or "", e.place, e.date_from, e.date_to,
                               e.scale, e.approval_no, e.note, e.active, e.id in drawn, e.version))
    return result


def _select():
    return (select(Event, InspectedObject.name, InspectedObject.credit_code)
            .join(InspectedObject, InspectedObject.id == Event.organiser_id)
            .order_by(Event.date_from, Event.id))


def list_events(session: Session, *, year: int | None = None, date_from: date | None = None,
                date_to: date | None = None, include_inactive: bool = False, text: str = "") -> list[EventRow]:
    """Registered events by date; *year* or a date range keep those starting inside it."""
    query = _select()
    if year is not None:
        date_from, date_to = date(year, 1, 1), date(year, 12, 31)
    if date_from is not None:
        query = query.where(Event.date_from >= date_from)
    if date_to is not None:
        query = query.where(Event.date_from <= date_to)
    if not include_inactive:
        query = query.where(Event.active.is_(True))
    key = trimmed(text)
    if key:
        query = query.where(or_(Event.name.contains(key), Event.place.contains(key),
                                InspectedObject.name.contains(key), Event.approval_no.contains(key)))
    return _rows(session, query)


def get_event(session: Session, event_id: int) -> EventRow:
    rows = _rows(session, _select().where(Event.id == event_id))
    if not rows:
        raise EventError(f"没有编号为 {event_id} 的活动")
    return rows[0]


def events_of_period(session: Session, first: date, last: date) -> list[EventRow]:
    """The active events that start within [first, last]: what a per-event item of that period covers."""
    return list_events(session, date_from=first, date_to=last)


# ---------------------------------------------------------------- import

class EventLine(NamedTuple):
    """One imported row as text; ``row`` is the row number the clerk sees in the sheet."""

    row: int
    cells: dict[str, str]


class RowProblem(NamedTuple):
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        col = f"，“{self.column}”列" if self.column else ""
        return f"{where}{col}：{self.message}"


def check_lines(session: Session, lines: list[EventLine], file_name: str = "") -> tuple[list[tuple[int, EventData]],
                                                                                      list[RowProblem]]:
    """Every row checked as the form would check it, and against the register and the rows above it."""
    prefix = f"{file_name}：" if file_name else ""
    good: list[tuple[int, EventData]] = []
    problems: list[RowProblem] = []
    seen: dict[tuple, int] = {}
    for line in lines:
        c = line.cells
        data = EventData(name=c.get("name", ""), organiser=c.get("organiser", ""), date_from=c.get("date_from", ""),
                         date_to=c.get("date_to") or None, place=c.get("place", ""), scale=c.get("scale"),
                         approval_no=c.get("approval_no", ""), note=c.get("note", ""))
        try:
            checked = check_event(session, data)
            _clash(session, checked, None)
        except EventError as e:
            problems.append(RowProblem(line.row, LABELS.get(e.field, ""), f"{prefix}{e}"))
            continue
        key = (checked.name, checked.date_from, checked.organiser.id)
        if key in seen:
            problems.append(RowProblem(line.row, LABELS["name"],
                                       f"{prefix}与第 {seen[key]} 行是同一活动（名称、举办单位和开始日期相同）"))
            continue
        seen[key] = line.row
        good.append((line.row, data))
    if not lines:
        problems.append(RowProblem(0, "", f"{prefix}没有找到任何活动"))
    return good, problems


def import_lines(session: Session, lines: list[EventLine], actor: str, file_name: str = "") -> list[int]:
    """All rows or none: any problem raises EventImportError listing each, and nothing is written."""
    good, problems = check_lines(session, lines, file_name)
    if problems:
        raise EventImportError(problems)
    ids = [add_event(session, data, actor) for _row, data in good]
    audit.append(session, user=actor, action="导入活动登记", entity="event",
                 detail={"file": file_name, "events": len(ids)})
    return ids


class EventImportError(EventError):
    """An import refused; ``problems`` name each row and column."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__("\n".join(str(p) for p in problems) + "\n导入未进行，没有登记任何活动。")
        self.problems = problems
