"""The year's figures of what followed failed 复查 (models.enforcement), for the statistics and the year report.

Definitions:
- 复查未整改: valid notices (of any check, drawn or not) with at least one 复查 dated in the year that found
  the hazards still there; counted once per notice.
- 待处理: of those, the ones whose latest 复查 is still 未整改 and that have no next step recorded.
- per kind (再次责令限期整改 / 立案查处 / 行政处罚 / 通报抄告): the steps recorded on those notices, 已办结 (done)
  and 未办结 (open: a case or decision number not entered, a 抄告函 not made).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import extract, select
from sqlalchemy.orm import Session, selectinload

from models.enforcement import UNRECTIFIED
from models.inspection import RectificationNotice, Reinspection
from models.supervision import ENFORCEMENT_KINDS, EnforcementStep

__all__ = ["EnforcementFigures", "enforcement_figures"]


@dataclass
class EnforcementFigures:
    """复查未整改 N, of which each next step's count, open and done."""

    unrectified: int = 0
    pending: int = 0
    done: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ENFORCEMENT_KINDS, 0))
    open: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ENFORCEMENT_KINDS, 0))

    def rows(self) -> list[tuple[str, int, int, int]]:
        """(kind, recorded, done, open) per kind, in the seed's order."""
        return [(k, self.done[k] + self.open[k], self.done[k], self.open[k]) for k in ENFORCEMENT_KINDS]

    def as_dict(self) -> dict:
        return {"unrectified": self.unrectified, "pending": self.pending,
                "steps": {k: {"recorded": n, "done": d, "open": o} for k, n, d, o in self.rows()}}


def enforcement_figures(session: Session, year: int) -> EnforcementFigures:
    failed = select(Reinspection.notice_id).where(Reinspection.result == UNRECTIFIED,
                                                   extract("year", Reinspection.date) == year)
    notices = list(session.scalars(select(RectificationNotice).where(
        RectificationNotice.voided.is_(False), RectificationNotice.id.in_(failed))
        .options(selectinload(RectificationNotice.reinspections))))
    figures = EnforcementFigures(unrectified=len(notices))
    ids = [n.id for n in notices]
    steps = list(session.scalars(select(EnforcementStep).where(EnforcementStep.notice_id.in_(ids)))) if ids else []
    with_steps = {s.notice_id for s in steps}
    figures.pending = sum(1 for n in notices
                          if n.reinspections[-1].result == UNRECTIFIED and n.id not in with_steps)
    for step in steps:
        bucket = figures.done if step.done_date is not None else figures.open
        bucket[step.kind] = bucket.get(step.kind, 0) + 1
    return figures
