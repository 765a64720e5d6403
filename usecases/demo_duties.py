"""Demo routine duties: the 日常巡查 of seed 003 (鹿泉 事中事后监督管理制度) declared from its own sentences, so the
巡查覆盖 tab and the to-do list show what falls due (the demo's round checks count toward them)."""
from __future__ import annotations

from models.db import Database
from models.duties import add_duty, duties_from_sentence

__all__ = ["DEMO_DUTIES", "load_demo_duties"]

# (the seed's sentence, the object type when the sentence names none, the unit; "" = each 辖区's 派出所)
DEMO_DUTIES = (
    ("其中旅馆业要求每月对辖区所有旅馆进行1次监督检查，印章、典当业每季度不少于1次；", None, ""),
    ("日常巡查：各公安派出所落实对各自辖区的收购废旧金属企业和个人的日常监督检查，每季不少于1次全面检查。", None, ""),
    ("公安机关对辖区内银行业金融机构的巡查频次每年不少于1次。", None, ""),
    ("专项督察：每年不少于4次，抽查面每次不少于30%", "旅馆", "治安大队"),
)


def load_demo_duties(db: Database, progress=None, cancelled=None, actor: str = "演示") -> dict:
    """Declare the seed's duties (旅馆 每月, 公章刻制 and 典当行 每季度, 废旧金属收购 每季度, 银行 每年, and the
    治安大队's quarterly 30% special round of the hotels); returns {"duties": count}."""
    count = 0
    with db.session() as s:
        for n, (sentence, type_name, unit) in enumerate(DEMO_DUTIES, start=1):
            for duty in duties_from_sentence(s, sentence, type_name):
                duty.unit = unit
                add_duty(s, duty, actor)
                count += 1
            if progress is not None:
                progress(n, len(DEMO_DUTIES))
    return {"duties": count}
