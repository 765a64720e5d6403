"""Step 1 of a draw (准备): which objects and inspectors an item may draw, and how many — before any randomness."""
from __future__ import annotations

import calendar
import math
from collections import Counter
from datetime import date
from fractions import Fraction
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.named_rows import collector_paused
from models.draw_engine import ALL_STRATUM, MIN_PER_OBJECT, STRATA_ORDER, Candidate, DrawError, InspectorCandidate
from models.draw_engine import (
    canonical_candidates, canonical_order, fingerprint_canonical, split_canonical,
)
from models.draw_engine import CountyPools
from models.draw_levels import plan_levels
from models import departments
from models.draw_record import PreparedDraw, prepare_canonical
from models.draw_rows import (  # noqa: F401 - the excluded keys and public_rows are re-exported
    EXCLUDED_ALREADY_DRAWN, EXCLUDED_DEACTIVATED, EXCLUDED_NOT_OPEN, EXCLUDED_OTHER_JURISDICTION, public_rows,
    read_eligible,
)
from models.draw_history import effective_picks, picks_in_round
from models.plan import Plan, PlanItem
from models.plan_rules import SamplingRule, parse_rule, sample_size
from models.roster import Inspector, Recusal
from models.workdays import format_cn_date

JOINT_MODE = "部门联合"


@dataclass
class DrawPreparation:
    """Everything fixed before the witnesses give entropy: the eligible list, its fingerprint, sizes and inspectors.

    ``problems`` block the draw (shown to the clerk in Chinese); ``notes`` only inform.
    """

    plan_item_id: int
    year: int
    item_number: str
    item_name: str
    round: int
    rule_text: str
    rule_desc: str
    jurisdiction: str | None
    strata: dict[str, list[Candidate]]
    sizes: dict[str, int]
    responsible_units: list[str]
    partner_units: list[str]
    per_object: int
    inspectors: list[InspectorCandidate]
    recusals: set[tuple[int, int]]
    fingerprint: str
    excluded: dict[str, int]
    problems: list[str]
    notes: list[str] = field(default_factory=list)
    stratify: bool = False
    bureau: str = ""
    size_override: int | None = None
    level: str = ""  # 实施层级 (市抽市查, 县抽县查, …): tells the clerk whether to narrow to one 辖区
    level_rule: str = ""  # the rule applied (models/draw_levels.py): "" before a hierarchy exists
    # Why a 部门联合 item is drawn short of partner officers (models/departments.py); sealed when not "".
    partner_gap_reason: str = ""
    # Commits to sizes, inspectors, units and 回避 pairs; shown beside the fingerprint.
    setup_fingerprint: str = ""
    # What prepare_draw was called with, so the service can re-check the list inside the saving transaction.
    params: dict = field(default_factory=dict)
    # The engine's view (checked, canonical, fingerprinted) when the list is ready: sealing and drawing reuse it.
    engine: PreparedDraw | None = field(default=None, repr=False, compare=False)
    # A per-event item's draw (models/event_draw.py): candidate (event) id -> the organiser's roster id.
    event_organisers: dict[int, int] | None = field(default=None, repr=False, compare=False)

    @property
    def total_eligible(self) -> int:
        return sum(len(m) for m in self.strata.values())

    @property
    def total_size(self) -> int:
        return sum(self.sizes.values())

    @property
    def candidates(self) -> list[Candidate]:
        """All eligible objects in canonical order (by 统一社会信用代码, then id)."""
        if self.engine is not None:
            return self.engine.candidates
        return canonical_order(c for m in self.strata.values() for c in m)

    @property
    def ready(self) -> bool:
        return not self.problems


def find_item(session: Session, year: int, item_number: str) -> PlanItem:
    item = session.execute(
        select(PlanItem).join(Plan).where(Plan.year == year, PlanItem.number == str(item_number))
    ).scalar_one_or_none()
    if item is None:
        raise DrawError(f"{year} 年度抽查计划中没有编号为「{item_number}」的抽查事项")
    return item


def item_rule(item: PlanItem) -> SamplingRule:
    """The item's parsed rule as stored (or set by hand); the text is parsed again when it never was."""
    if item.rule_parsed or item.rule_manual:
        return SamplingRule(ratio=item.ratio, ratio_kind=item.ratio_kind, count=item.count,
                            rounds_min=item.rounds_min, rounds_max=item.rounds_max,
                            per_event=item.per_event, parsed=True)
    return parse_rule(item.ratio_text)


def _active_units(session: Session) -> list[str]:
    rows = session.execute(select(Inspector.unit).where(Inspector.active.is_(True)).distinct())
    return sorted({u for (u,) in rows if u})


def default_responsible_units(item: PlanItem, units: list[str]) -> list[str]:
    """The item's 责任单位 when inspectors have exactly that unit, else roster units named inside its text."""
    text = (item.responsible_unit or "").strip()
    if not text:
        return []
    if text in units:
        return [text]
    return [u for u in units if u in text]


def default_partner_units(item: PlanItem, units: list[str], responsible: list[str]) -> list[str]:
    """Roster units named in the item's 配合部门 (or naming one) — only for a 部门联合 item."""
    if (item.mode or "").strip() != JOINT_MODE:
        return []
    partners = [p.strip() for p in (item.partners or []) if isinstance(p, str) and p.strip()]
    return [u for u in units if u not in responsible and any(u in p or p in u for p in partners)]


def _sizes(item: PlanItem, rule: SamplingRule, strata: dict[str, list[Candidate]], stratify: bool,
           size_override: int | None, problems: list[str], notes: list[str]) -> dict[str, int]:
    eligible = sum(len(m) for m in strata.values())
    if size_override is not None:
        if size_override < 1:
            problems.append(f"指定的抽取数量「{size_override}」应为正整数")
            return dict.fromkeys(strata, 0)
        if size_override > eligible:
            notes.append(f"指定的抽取数量 {size_override} 超过可抽对象数 {eligible}，按 {eligible} 抽取")
        return {ALL_STRATUM: min(size_override, eligible)}
    if not rule.parsed:
        problems.append(f"抽查比例和频次「{item.ratio_text}」无法识别（{rule.problem}），请在计划中修正或指定抽取数量")
        return dict.fromkeys(strata, 0)
    if rule.per_event:
        problems.append("本事项按实际活动抽取（无固定比例），请指定本次抽取数量")
        return dict.fromkeys(strata, 0)
    if stratify and rule.risk_ratios:
        ratios = dict(rule.risk_ratios)
        sizes = {}
        for level in STRATA_ORDER:
            have = len(strata[level])
            ratio = ratios.get(level)
            sizes[level] = min(have, math.ceil(Fraction(str(ratio)) * have)) if ratio and have else 0
            if have and not ratio:
                notes.append(f"抽查比例未规定{level}的比例，{level}的 {have} 户本次不抽取")
        if eligible and not sum(sizes.values()):
            problems.append("按各风险等级的抽查比例分层后抽取数量为 0，请指定抽取数量")
        return sizes
    if stratify:
        sizes = {}
        for level in STRATA_ORDER:
            wanted = int((item.est_risk or {}).get(level) or 0)
            have = len(strata[level])
            if wanted > have:
                notes.append(f"{level}预估抽取 {wanted} 户，可抽仅 {have} 户，按 {have} 户抽取")
            sizes[level] = min(wanted, have)
        unknown = [k for k, v in (item.est_risk or {}).items() if k not in STRATA_ORDER and v]
        if unknown:
            notes.append(f"预估风险等级中的「{'、'.join(unknown)}」不是名录中的风险等级，未计入分层抽取")
        if eligible and not sum(sizes.values()):
            problems.append("按预估风险等级分层后抽取数量为 0，请指定抽取数量")
        return sizes
    if not rule.fixes_size():
        notes.append("抽查比例和频次只规定了频次，按最少 1 户抽取；如需更多请指定抽取数量")
    return {ALL_STRATUM: sample_size(rule, eligible)}


def _already_drawn(session: Session, item: PlanItem, round_: int, ignore_records: set[int],
                   all_ever: bool) -> set[int]:
    if all_ever:
        return picks_in_round(session, item.id, round_)
    rows = effective_picks(session, item.plan.year, item.id, ignore_records=ignore_records, with_inspectors=False)
    return {p.object_id for p in rows if p.round == round_}


def outside_window_note(year: int, month_from: int | None, month_to: int | None, today: date) -> str:
    """A note when *today* lies outside the item's 检查时间 (e.g. 5—10月 of the plan year); "" inside it or
    when the plan gives no months. Drawing is still allowed: the clerk is told, not stopped."""
    if not month_from and not month_to:
        return ""
    first, last = month_from or 1, month_to or 12
    if not (1 <= first <= last <= 12):
        return ""
    start = date(year, first, 1)
    end = date(year, last, calendar.monthrange(year, last)[1])
    if start <= today <= end:
        return ""
    months = f"{first}月" if first == last else f"{first}—{last}月"
    if today < start:
        return (f"本事项的检查时间为 {year} 年 {months}，今天（{format_cn_date(today)}）尚未开始："
                "抽中的对象应在检查时间内检查，请确认是否现在抽取")
    return (f"本事项的检查时间为 {year} 年 {months}，到今天（{format_cn_date(today)}）已经结束："
            "抽中的对象将在检查时间之外检查，请确认是否现在抽取")


@collector_paused()  # 100,000 candidates hold no cycles: the collector's passes over them were a fifth of a draw
def prepare_draw(session: Session, year: int, item_number: str, round: int = 1, jurisdiction: str | None = None,
                 size_override: int | None = None, responsible_units: list[str] | None = None,
                 partner_units: list[str] | None = None, per_object: int = MIN_PER_OBJECT, *,
                 _ignore_records: set[int] | None = None, _exclude_all_drawn: bool = False,
                 _exclude_objects: set[int] | None = None, today: date | None = None,
                 event_share: int | None = None, event_period=None, partner_gap_reason: str = "") -> DrawPreparation:
    """List the eligible objects and inspectors for one item and round, with counts, sizes and the fingerprint.

    Raises DrawError only when the item does not exist; every other obstacle goes into ``problems``.
    The underscore arguments serve redraw (ignore the records being replaced) and substitute
    (exclude everything drawn in the round).
    """
    item = find_item(session, year, item_number)
    problems: list[str] = []
    notes: list[str] = []
    if round < 1:
        problems.append(f"抽查轮次「{round}」应为正整数")
    rule = item_rule(item)
    from models.event_draw import is_event_item, prepare_event_draw

    if rule.per_event and is_event_item(item):  # 按…活动实际执行: the candidates are the period's registered events
        return prepare_event_draw(session, item, year, round, (jurisdiction or "").strip() or None, size_override,
                                  event_share, event_period, responsible_units, partner_units, per_object, today)
    if rule.parsed and rule.rounds_max is not None and round > rule.rounds_max:
        notes.append(f"本事项每年至多抽查 {rule.rounds_max} 次，这是第 {round} 轮")
    outside = outside_window_note(year, item.month_from, item.month_to, today or date.today())
    if outside:
        notes.append(outside)
    jurisdiction = (jurisdiction or "").strip() or None
    levels = plan_levels(session, item.level, jurisdiction)  # 实施层级: the object area and whose officers

    type_ids = [t.id for t in item.object_types]
    if not type_ids:
        problems.append(f"抽查事项「{item.item}」未关联检查对象类型，请在计划中为其选择对象类型")
    drawn = _already_drawn(session, item, round, _ignore_records or set(), _exclude_all_drawn)
    drawn |= _exclude_objects or set()
    excluded: Counter[str] = Counter()
    cands: list[Candidate] = []
    reused_order: list[Candidate] | None = None
    eligible: list = []
    if type_ids:
        # read a chunk at a time; checked and sorted once per distinct list: seal and draw read the preview's
        # rows again (draw_reuse). eligible: the rows 市抽县查 reads, else [].
        cands, reused_order, eligible = read_eligible(session, item.id, drawn, levels, excluded)

    # 差异化抽查: by the rule's ratio per risk level, else by the plan's estimated count per level.
    stratify = bool(size_override is None and ((rule.parsed and rule.risk_ratios)
                                               or (item.risk_differentiated and item.est_risk)))
    if item.risk_differentiated and not item.est_risk and not rule.risk_ratios and size_override is None:
        notes.append("本事项为差异化抽查，但计划中没有各风险等级的预估抽取数，按比例统一抽取")
    ordered = None  # checked and sorted once; the engine's view below reuses it
    try:
        ordered = reused_order if reused_order is not None else canonical_candidates(cands)
        strata = split_canonical(ordered, stratify)
    except DrawError as e:
        problems.append(str(e))
        stratify = False
        if ordered is None:
            ordered = canonical_candidates(cands)  # raises again, as it always did
        strata = split_canonical(ordered, False)
    if type_ids and not cands:
        problems.append("没有符合条件的检查对象（在营、未停用、本轮未抽取）")
    sizes = _sizes(item, rule, strata, stratify, size_override, problems, notes)

    units = _active_units(session)
    responsible = list(responsible_units) if responsible_units is not None else default_responsible_units(item, units)
    # 配合部门 matched through the department table; a 部门联合 item short of them needs the clerk's reason.
    partner_setup = departments.partner_setup(session, item, units, responsible, partner_units, partner_gap_reason)
    partners = partner_setup.units
    problems += partner_setup.problems
    notes += partner_setup.notes
    responsible = levels.inspection_units(units, responsible, item.responsible_unit or "",
                                          responsible_units is not None)
    if isinstance(per_object, bool) or not isinstance(per_object, int) or per_object < MIN_PER_OBJECT:
        problems.append(f"每个检查对象的检查人员不得少于 {MIN_PER_OBJECT} 人")
    if not responsible:
        problems.append(f"责任单位「{item.responsible_unit or '（空）'}」在检查人员名录中没有在岗人员，请指定责任单位")

    wanted_units = set(responsible) | set(partners)
    people = [InspectorCandidate(i, n, b, u) for i, n, b, u in session.execute(
        select(Inspector.id, Inspector.name, Inspector.badge_no, Inspector.unit)
        .where(Inspector.active.is_(True), Inspector.unit.in_(wanted_units)))]
    per_unit = Counter(p.unit for p in people)
    n_responsible = sum(per_unit[u] for u in responsible)
    if responsible and n_responsible < per_object:
        problems.append(f"责任单位（{'、'.join(responsible)}）在岗检查人员仅 {n_responsible} 人，"
                        f"每个对象需要 {per_object} 人")
    for unit in partners:
        if not per_unit[unit]:
            problems.append(f"配合部门「{unit}」没有在岗检查人员")
    ids = {p.id for p in people}
    cand_ids = {c.id for c in cands}
    recusals = {(i, o) for i, o in session.execute(select(Recusal.inspector_id, Recusal.object_id))
                if i in ids and o in cand_ids}
    pools = levels.county_pools(eligible, people, responsible, per_object)
    counties = CountyPools(*pools) if pools is not None else None
    problems += levels.problems
    notes += levels.notes

    setup = fp = ""
    engine_view = None
    if not problems:
        try:
            engine_view = prepare_canonical(ordered, sizes=sizes, stratify=stratify, inspectors=people,
                                            recusals=recusals, responsible_units=responsible,
                                            partner_units=partners, per_object=per_object, strata=strata,
                                            counties=counties)
            setup, fp = engine_view.setup_fingerprint, engine_view.fingerprint
        except DrawError as e:
            problems.append(str(e))
    if not fp:
        fp = fingerprint_canonical(ordered)
    return DrawPreparation(
        plan_item_id=item.id, year=year, item_number=item.number, item_name=item.item, round=round,
        rule_text=item.ratio_text, rule_desc=rule.describe(), jurisdiction=jurisdiction, strata=strata,
        sizes=sizes, responsible_units=responsible, partner_units=partners, per_object=per_object,
        inspectors=people, recusals=recusals, fingerprint=fp, excluded=dict(excluded), problems=problems,
        notes=notes, stratify=stratify, bureau=item.plan.bureau, size_override=size_override,
        level=(item.level or "").strip(), level_rule=levels.label, partner_gap_reason=partner_setup.reason,
        setup_fingerprint=setup, engine=engine_view,
        params=dict(year=year, item_number=item.number, round=round, jurisdiction=jurisdiction,
                    size_override=size_override, responsible_units=responsible, partner_units=partners,
                    partner_gap_reason=partner_setup.reason,
                    per_object=per_object, _ignore_records=set(_ignore_records or ()),
                    _exclude_all_drawn=_exclude_all_drawn, _exclude_objects=set(_exclude_objects or ())),
    )


CANDIDATE_HEADERS = ("序号", "分层", "单位名称", "统一社会信用代码", "风险等级")


class CandidateRow(NamedTuple):
    """One line of the 待抽名单 (CANDIDATE_HEADERS, in that order)."""

    n: int
    stratum: str
    name: str
    code: str
    risk: str


def candidate_list_rows(prep: DrawPreparation) -> list[CandidateRow]:
    """The eligible list as printed before the draw: stratum by stratum, canonical order inside each."""
    rows = []
    n = 0
    for stratum, members in prep.strata.items():
        for c in members:
            n += 1
            rows.append(CandidateRow(n, stratum, c.name, c.code, c.risk))
    return rows

