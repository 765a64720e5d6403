"""Demo persons on the objects roster (issue 19 item 6): 废旧金属 个人 collectors by 居民身份证号码, a stall without
any licence (证件类型 无, with the reason), and foreigners whose passports 出入境管理大队 checks (seed 001, 平邑)."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from models.db import Database
from models.identifiers import resident_check
from models.roster import ID_KIND_CREDIT, InspectedObject
from models.roster_service import ObjectData, add_object

__all__ = ["load_demo_persons", "DEMO_PERSONS"]

FOREIGNERS_TYPE = "境外人员"


def _resident(first17: str) -> str:
    return first17 + resident_check(first17)


# name, 证件类型, number, country, reason, type, address, 辖区, risk
DEMO_PERSONS = (
    ("刘长顺", "身份证", _resident("37132619680312451"), "", "", "废旧金属收购", "平邑县城关街道东关村", "城关派出所",
     "中风险"),
    ("孙桂兰", "身份证", _resident("37132619750628362"), "", "", "废旧金属收购", "平邑县地方镇南街", "地方派出所",
     "低风险"),
    ("周德胜", "身份证", _resident("37132619820117253"), "", "", "废旧金属收购", "平邑县仲村镇北村", "仲村派出所",
     "低风险"),
    ("王记废品摊", "无", "", "", "流动摊贩，未办理营业执照", "废旧金属收购", "平邑县城关集市西口", "城关派出所",
     "中风险"),
    ("Michael Brown", "护照", "545123987", "美国", "", FOREIGNERS_TYPE, "平邑县浚河路某酒店", "城关派出所", "低风险"),
    ("Tanaka Hiroshi", "护照", "TK8765432", "日本", "", FOREIGNERS_TYPE, "平邑县金花路某小区", "城关派出所", "低风险"),
    ("Nguyen Van An", "护照", "C4567891", "越南", "", FOREIGNERS_TYPE, "平邑县经济开发区某厂宿舍", "地方派出所",
     "中风险"),
    ("陈嘉明", "其他证件", "H12345678", "中国香港", "", FOREIGNERS_TYPE, "平邑县浚河路某酒店", "城关派出所", "低风险"),
)


def load_demo_persons(db: Database, actor: str = "演示数据", progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> dict:
    """Add the demo persons through the roster service (checked and audited as a clerk's entries); a second run
    adds nothing. Returns {"persons": n}."""
    with db.session() as s:
        if s.scalar(select(InspectedObject.id).where(InspectedObject.id_kind != ID_KIND_CREDIT).limit(1)):
            return {"persons": 0}
        for n, (name, kind, number, country, reason, type_name, address, place, risk) in enumerate(DEMO_PERSONS):
            add_object(s, ObjectData(name, number, type_name, address=address, jurisdiction=place, risk_level=risk,
                                     id_kind=kind, id_country=country, no_id_reason=reason), actor)
            if progress is not None:
                progress(n + 1, len(DEMO_PERSONS))
    return {"persons": len(DEMO_PERSONS)}
