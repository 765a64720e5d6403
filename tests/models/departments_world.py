"""咸宁's roster for the seed 000 stories: 民爆 units, 寄递 sites, 治安支队 officers and a postal office's officers."""
from __future__ import annotations

from models.credit_code import make_code
from models.roster import InspectedObject, Inspector, ObjectType

SEED_000 = "seed_000_xianning.tsv"
YEAR = 2025
POSTAL_UNIT = "咸宁市邮政局"   # as the roster spells it; the plan says 市邮政管理部门


def build_xianning(db, *, blasting: int = 7, couriers: int = 5, police: int = 6, postal: int = 2) -> dict:
    """Object types the plan links to, units of each, and the officers of 治安支队 and (optionally) the post office."""
    with db.session() as s:
        blast, courier = ObjectType(name="爆破作业单位"), ObjectType(name="寄递物流企业")
        s.add_all([blast, courier])
        s.flush()
        objs = [InspectedObject(name=f"咸宁{n}号民爆器材有限公司", credit_code=make_code(100 + n, "421200"),
                                object_type_id=blast.id, jurisdiction="咸安区") for n in range(blasting)]
        objs += [InspectedObject(name=f"咸宁{n}号快递服务部", credit_code=make_code(500 + n, "421200"),
                                 object_type_id=courier.id, jurisdiction="咸安区") for n in range(couriers)]
        s.add_all(objs)
        people = [Inspector(name=f"治安民警{n}", badge_no=f"42{n:04d}", unit="治安支队") for n in range(police)]
        people += [Inspector(name=f"邮政{n}", badge_no=f"YZ{n:04d}", unit=POSTAL_UNIT) for n in range(postal)]
        s.add_all(people)
        s.flush()
        return {"blasting": [o.id for o in objs[:blasting]], "couriers": [o.id for o in objs[blasting:]]}


def import_seed_000(db, data_dir, replace: bool = False):
    from usecases.plan_import import import_plan_file

    return import_plan_file(db, data_dir / SEED_000, YEAR, "李文书", replace=replace)
