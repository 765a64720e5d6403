"""Draw records to check the public verifier page against verify-draw: honest ones of every shape, tampered copies.

Honest records come from the engine (the protocol's known-answer example, strata with 回避 and
overlapping units, Unicode entropy, code-point ordering, ids past 2^53, floats in meta) and from sealed
draws on a database (SSJ-DRAW-2: a draw, its redraw, a substitute, a lottery as entropy source).
Each tampered copy changes one thing an operator might want to change after the fact.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass

from models.draw_engine import Candidate, InspectorCandidate
from models.draw_record import record_hash, record_to_json, run_draw
from tests.models.test_draw_engine import kat_draw, roster, staff
from tests.models.test_draw_verify import joint_stratified_record


@dataclass
class Case:
    """One file as a member of the public would drop it on the page, with the hash they might type."""

    label: str
    name: str
    data: str | bytes
    hash: str = ""
    announcement: str | None = None  # the announcement file dropped with the record (SSJ-DRAW-2)
    replaced: str | None = None  # the record a redraw or substitute replaces, dropped with it

    def text(self) -> str | None:
        """The file as verify-draw reads it (UTF-8, one BOM allowed), or None when it cannot."""
        if isinstance(self.data, str):
            return self.data.removeprefix("\ufeff")
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None


def plain(record: dict) -> dict:
    return json.loads(record_to_json(record))


def kat_v2_record() -> dict:
    from tests.models.test_draw_protocol_v2 import kat_v2

    return kat_v2()[0]


def kat_v2_announcement() -> str:
    from models import draw_announcement

    return draw_announcement.canonical_json(draw_announcement.from_record(plain(kat_v2_record())))


def unicode_entropy_record() -> dict:
    typed = ["  ９８\u3000７６\t\t5 ", "cafe\u0301 🎲 6", "\u00a0第三\u2003组\n", "   ", "骰子\u00a03 5\n6"]
    people = staff(5) + staff(2, "消防救援大队", 200)
    return run_draw(candidates=roster(30), sizes={"全部": 4}, stratify=False, inspectors=people,
                    recusals={(100, 3), (101, 3), (102, 7)}, responsible_units=["治安大队"],
                    partner_units=["消防救援大队"], entropy=typed, meta={"witnesses": ["见证人乙"]})


def code_point_order_record() -> dict:
    # By code points U+FF5A (ｚ) sorts before U+20000 (𠀀); by UTF-16 units it would sort after.
    names = ["𠀀号客栈", "ｚ号旅馆", "Ａ号宾馆", "😀民宿", "普通酒店", "\uffef店"]
    codes = ["𠀀0001", "ｚ0002", "Ａ0003", "😀0004", "91420000000000005X", "\uffef0006"]
    cands = [Candidate(i + 1, names[i], codes[i], "低风险") for i in range(len(names))]
    return run_draw(candidates=cands, sizes={"全部": 4}, stratify=False, inspectors=staff(4), recusals=set(),
                    responsible_units=["治安大队"], entropy=["7 7 7"], meta={})


def big_id_record() -> dict:
    base = 2 ** 60
    cands = [Candidate(base + i, f"大编号单位{i}", f"9142{i:014d}", "中风险") for i in range(12)]
    people = [InspectorCandidate(base + 100 + k, f"民警{k}", f"B{k:05d}", "治安大队") for k in range(4)]
    return run_draw(candidates=cands, sizes={"全部": 5}, stratify=False, inspectors=people,
                    recusals={(base + 100, base + 1), (base + 101, base + 2)}, responsible_units=["治安大队"],
                    entropy=["2 ** 60"], meta={"note": "ids beyond 2^53"})


def overlapping_units_record() -> dict:
    people = staff(4) + staff(3, "城关派出所", 300)
    return run_draw(candidates=roster(25), sizes={"高风险": 2, "中风险": 2, "中低风险": 1, "低风险": 1}, stratify=True,
                    inspectors=people, recusals={(300, 4), (301, 4), (100, 8)},
                    responsible_units=["治安大队", "城关派出所"], partner_units=["城关派出所"], per_object=2,
                    entropy=["彩票 2024-05-01 开奖 07 12 25"], meta={})


def floats_in_meta_record() -> dict:
    meta = {"score": 1.5, "ratio": 0.1, "big": 1e16, "tiny": 1e-05, "negzero": -0.0, "whole": 100.0,
            "escapes": "a\"b\\c\n\u0001\u007f\u2028/", "𝒳key": 1, "ｚkey": 2, "nested": [{"b": 1, "a": [True, None]}]}
    return run_draw(candidates=roster(8), sizes={"全部": 2}, stratify=False, inspectors=staff(3), recusals=set(),
                    responsible_units=["治安大队"], entropy=["1"], meta=meta)


def engine_records() -> dict[str, dict]:
    return {
        "协议文档中的已知答案记录": plain(kat_draw()),
        "协议文档中的第 2 版已知答案记录": plain(kat_v2_record()),
        "分层抽取、回避、联合检查": plain(joint_stratified_record()),
        "Unicode 熵值": plain(unicode_entropy_record()),
        "按码点排序的名单": plain(code_point_order_record()),
        "超过 2^53 的编号": plain(big_id_record()),
        "重叠的责任单位和配合部门": plain(overlapping_units_record()),
        "附加信息中有小数": plain(floats_in_meta_record()),
    }


PARTNER_GAP_REASON = "市场监管局本月无人可派，经局领导同意先由治安大队检查"


def db_records(db) -> tuple[dict[str, dict], dict[str, str]]:
    """Sealed draws on a database (SSJ-DRAW-2): a draw, its redraw, a substitute within it, a second item, a lottery.

    Returns the records and, for each, the canonical JSON of the announcement it was drawn against.
    """
    from datetime import date, datetime

    from models.draw_service import draw_sealed, prepare_draw
    from models.seal_service import seal, seal_redraw, seal_substitute
    from tests.models.draw_fixtures import SOURCE, build_world

    build_world(db, recusals=[(0, 1), (1, 1), (2, 3), (3, 5), (6, 7)])
    records, announcements = {}, {}

    def draw(label, ann, entropy, when=None):
        clock = {} if when is None else {"clock": lambda: when}
        saved = draw_sealed(db, ann.year, ann.number, entropy=entropy, witnesses=["王监督", "李见证"],
                            place="治安大队会议室", operator="张文书", **clock)
        records[label], announcements[label] = saved.record, ann.json_text
        return saved

    with db.read_session() as s:
        hotels, cafes = prepare_draw(s, 2024, "1"), prepare_draw(s, 2024, "2")
    first = draw("封存后抽取", seal(db, hotels, entropy_source=SOURCE, operator="张文书"), ["12 34 56", "骰子 3 5 6"])
    again = seal_redraw(db, first.id, reason="见证人迟到", entropy_source=SOURCE, operator="张文书")
    redrawn = draw("封存后重抽", again, ["65 43 21"])
    gone = redrawn.record["picks"][0]["id"]
    draw("封存后替补", seal_substitute(db, redrawn.id, gone, reason="已注销", entropy_source=SOURCE, operator="张文书"),
         ["现场报数：3 3 3"])
    lottery = seal(db, cafes, entropy_source="2024年5月8日 福彩3D 开奖号码", operator="张文书",
                   lottery_date=date(2024, 5, 8), clock=lambda: datetime(2024, 5, 6, 9, 0))
    draw("彩票开奖号码作熵值", lottery, ["公开来源：2024-05-08 福彩3D 7 2 9"], datetime(2024, 5, 8, 21, 30))
    with db.read_session() as s:   # 部门联合 without the partner's officers: the clerk's reason is sealed (section 11)
        short = prepare_draw(s, 2024, "1", round=2, partner_units=[], partner_gap_reason=PARTNER_GAP_REASON)
    draw("部门联合缺员原因随公告封存", seal(db, short, entropy_source=SOURCE, operator="张文书"), ["7 7 8"])
    from models.event_service import EventData, add_event
    from tests.models.draw_fixtures import code

    with db.session() as s:   # a per-event item over registered events, 回避 through the organiser (section 14)
        shows = [("焰火晚会", "2024-10-01"), ("演唱会", "2024-07-16"), ("马拉松", "2024-05-08")]
        for n, (name, day) in enumerate(shows):
            add_event(s, EventData(name, code(n), day, place="城关广场", approval_no=f"许〔2024〕{n + 1}号"), "张文书")
    with db.read_session() as s:
        events = prepare_draw(s, 2024, "3", today=date(2024, 5, 1))
    draw("按活动抽取", seal(db, events, entropy_source=SOURCE, operator="张文书"), ["5 1 9"])
    return {k: plain(v) for k, v in records.items()}, announcements


# ---------------------------------------------------------------- tampered copies

def _change(record: dict, edit: Callable[[dict], None]) -> dict:
    copied = copy.deepcopy(record)
    edit(copied)
    return copied


def _swap_pick(r: dict) -> None:
    other = next(c for c in r["candidates"] if c["id"] not in {p["id"] for p in r["picks"]})
    r["picks"][1].update(id=other["id"], code=other["code"], name=other["name"])


def _swap_inspector(r: dict) -> None:
    team = r["assignments"][-1]["inspectors"]
    used = {i["id"] for i in team}
    other = next(p for p in r["inspection"]["inspectors"] if p["id"] not in used and p["unit"] == team[0]["unit"])
    team[0].update(id=other["id"], badge=other["badge"], name=other["name"])


def tampered(honest: dict[str, dict]) -> list[Case]:
    kat, joint, cli = honest["协议文档中的已知答案记录"], honest["分层抽取、回避、联合检查"], honest["封存后抽取"]
    kat_hash = record_hash(kat)
    edits: list[tuple[str, dict, Callable[[dict], None], str]] = [
        ("改了一个检查对象的名称", kat, lambda r: r["candidates"][3].update(name="另一家酒店"), ""),
        ("改了一个检查对象的风险等级", joint, lambda r: r["candidates"][0].update(risk="低风险"), ""),
        ("候选名单换了顺序（第 1 版记录仍按规则排序）", kat, lambda r: r["candidates"].reverse(), ""),
        ("加了一名检查人员", kat, lambda r: r["inspection"]["inspectors"].append(
            {"id": 99, "badge": "420199", "name": "新人", "unit": "治安大队"}), ""),
        ("去掉一条回避关系", joint, lambda r: r["inspection"]["recusals"].pop(), ""),
        ("改了每个对象的人数", kat, lambda r: r["inspection"].update(per_object=3), ""),
        ("改了抽取数量", kat, lambda r: r["rule"]["sizes"].update({"全部": 4}), ""),
        ("改了一项熵值", kat, lambda r: r["entropy"]["typed"].__setitem__(1, "骰子 3 5 5"), ""),
        ("熵值前后一起改", kat, lambda r: r.update(entropy={"typed": ["12 34 57"], "normalised": ["12 34 57"]}), ""),
        ("少了一项规范化熵值", cli, lambda r: r["entropy"]["normalised"].pop(), ""),
        ("改了随机种子", kat, lambda r: r.update(seed="0" * 64), ""),
        ("换了一个抽中对象", kat, _swap_pick, ""),
        ("封存记录换了一个抽中对象", cli, _swap_pick, ""),
        ("分层记录换了一个抽中对象", joint, _swap_pick, ""),
        ("改了抽中位置", kat, lambda r: r["picks"][0].update(position=4), ""),
        ("位置写成小数 1.0（Python 认为相等）", kat, lambda r: r["picks"][0].update(position=1.0), ""),
        ("抽取结果多了一个字段", kat, lambda r: r["picks"][2].update(note="补"), ""),
        ("删掉一个抽取结果", kat, lambda r: r["picks"].pop(), ""),
        ("换了一名检查人员", kat, lambda r: r["assignments"][2]["inspectors"][1].update(
            id=14, badge="420104", name="刘洋"), ""),
        ("分层记录换了一名检查人员", joint, _swap_inspector, ""),
        ("封存记录换了一名检查人员", cli, _swap_inspector, ""),
        ("删掉一条检查人员分配", joint, lambda r: r["assignments"].pop(), ""),
        ("改了地点（未给哈希）", kat, lambda r: r["meta"].update(place="别处"), ""),
        ("改了见证人（给了记录表上的哈希）", kat, lambda r: r["meta"]["witnesses"].__setitem__(0, "别人"),
         kat_hash.upper()),
        ("缺少随机种子", kat, lambda r: r.pop("seed"), ""),
        ("编号写成文字", kat, lambda r: r["candidates"][2].update(id="3"), ""),
        ("回避关系只有一个数", kat, lambda r: r["inspection"]["recusals"].append([1]), ""),
        ("是否分层写成文字", kat, lambda r: r["rule"].update(stratify="否"), ""),
        ("不认识的算法版本", kat, lambda r: r.update(algorithm="SSJ-DRAW-9"), ""),
        ("未分层却给了高风险数量", kat, lambda r: r["rule"]["sizes"].update({"高风险": 1}), ""),
        ("抽取结果是一段文字", kat, lambda r: r["picks"].__setitem__(0, "咸宁"), ""),
        ("熵值全是空白", kat, lambda r: r["entropy"].update(typed=[" "]), ""),
        ("负数编号", kat, lambda r: r["candidates"][4].update(id=-5), ""),
        ("名称里有制表符", kat, lambda r: r["candidates"][0].update(name="咸宁\t大酒店"), ""),
        ("重复的检查对象", kat, lambda r: r["candidates"].append(dict(r["candidates"][0])), ""),
        ("责任单位里有换行", kat, lambda r: r["inspection"]["responsible_units"].__setitem__(0, "治安\n大队"), ""),
        ("检查人员不够", kat, lambda r: r["inspection"].update(responsible_units=["市场监督管理局"]), ""),
        ("分层记录里有无法分层的风险等级", joint, lambda r: r["candidates"][5].update(risk="极高风险"), ""),
    ]
    cases = []
    for n, (label, record, edit, typed_hash) in enumerate(edits):
        text = json.dumps(_change(record, edit), ensure_ascii=False)
        cases.append(Case(label, f"篡改{n:02d}.json", text, typed_hash))
    return cases


def odd_files(honest: dict[str, dict]) -> list[Case]:
    """Files that are not clean records: junk, broken JSON, BOM, duplicate keys, NaN, lone surrogates."""
    kat = honest["协议文档中的已知答案记录"]
    kat_text, kat_hash = record_to_json(kat), record_hash(kat)
    meta_nan = kat_text.replace('"operator":"周明"', '"operator":NaN')
    return [
        Case("null", "a.json", "null"),
        Case("空列表", "b.json", "[]"),
        Case("一段文字", "c.json", '"记录"'),
        Case("一个数", "d.json", "42"),
        Case("只有算法版本", "e.json", '{"algorithm": "SSJ-DRAW-1"}'),
        Case("带 BOM 的记录", "bom.json", ("\ufeff" + kat_text).encode("utf-8"), kat_hash),
        Case("带缩进的记录", "pretty.json", json.dumps(kat, ensure_ascii=False, indent=2), kat_hash),
        Case("\\u 转义的记录", "ascii.json", json.dumps(kat), kat_hash),
        Case("重复的键，后一个有效", "dup.json", kat_text[:-1] + ',"seed":"' + kat["seed"] + '"}'),
        Case("重复的键，后一个被改", "dup2.json", kat_text[:-1] + ',"seed":"' + "1" * 64 + '"}'),
        Case("附加信息里有 NaN（给了哈希）", "nan.json", meta_nan, kat_hash),
        Case("名称里有孤立代理项", "surrogate.json", kat_text.replace("咸宁市金桂宾馆", "\\ud800宾馆")),
    ]


def broken_files() -> list[Case]:
    """Files verify-draw cannot even read: the page says 不一致 and why."""
    return [
        Case("不是 JSON", "broken.json", '{"algorithm": '),
        Case("多余内容", "extra.json", "{} {}"),
        Case("不是 UTF-8", "gbk.json", "{\"name\": \"测试\"}".encode("gbk")),
    ]


# ---------------------------------------------------------------- random records and random damage

_TEXT = ["酒店", "宾馆", "A", "ｚ", "𠀀", "😀", "e\u0301", "\u3000", " ", "0", "9", "\uffef", "Ω"]
_UNITS = ["治安大队", "城关派出所", "市场监督管理局", "消防救援大队"]
_ODD_VALUES = [None, True, False, 0, 1, -1, 1.0, 2.5, 2 ** 60, "", "x", "\t", "高风险", "全部", [], {}, [1, 2]]


def _word(rng, n: int = 3) -> str:
    return "".join(rng.choice(_TEXT) for _ in range(rng.randint(1, n)))


def random_record(rng) -> dict:
    """A draw the engine accepts, with random sizes, strata, units, 回避 pairs and Unicode text."""
    from models.draw_engine import STRATA_ORDER, DrawError

    while True:
        n = rng.randint(1, 30)
        top = 10 ** rng.choice([2, 6, 20])
        ids = list({rng.randrange(top) for _ in range(n)})
        n = len(ids)
        cands = [Candidate(i, _word(rng), _word(rng, 4), rng.choice(STRATA_ORDER)) for i in ids]
        units = rng.sample(_UNITS, rng.randint(1, 3))
        people = [InspectorCandidate(1000 + k, _word(rng), f"B{rng.randint(0, 99):02d}", rng.choice(units))
                  for k in range(rng.randint(2, 9))]
        responsible = units[:rng.randint(1, len(units))]
        partners = rng.sample(units, rng.randint(0, len(units)))
        recusals = {(rng.choice(people).id, rng.choice(ids)) for _ in range(rng.randint(0, 6))}
        stratify = rng.random() < 0.5
        if stratify:
            sizes = {s: rng.randint(0, sum(c.risk == s for c in cands)) for s in STRATA_ORDER if rng.random() < 0.8}
        else:
            sizes = {"全部": rng.randint(1, n)}
        # U+FFEF is unassigned: fine in a name, refused in SSJ-DRAW-2 entropy.
        entropy = [_word(rng, 6).replace("\uffef", "Ω") + rng.choice(["", "\t", "\n", "\u00a0"])
                   for _ in range(rng.randint(1, 3))]
        args = dict(candidates=cands, sizes=sizes, stratify=stratify, inspectors=people, recusals=recusals,
                    responsible_units=responsible, partner_units=partners, per_object=rng.choice([2, 2, 3]),
                    entropy=entropy)
        try:
            v1 = plain(run_draw(**args, meta={"n": rng.random(), "w": [_word(rng)]}))
        except DrawError:
            continue
        if rng.random() < 0.5:
            return v1
        try:  # the seed differs, so the v2 draw can still run short of inspectors
            return plain(run_draw(**args, announcement=_announcement_for(v1, rng), meta=_v2_meta(rng)))
        except DrawError:
            continue


def _announcement_for(record: dict, rng) -> dict:
    from models.draw_announcement import build_announcement

    lottery = rng.choice([None, "2024-05-02"])
    return build_announcement(shared=record, year=2024, number=rng.randint(1, 99), bureau=_word(rng),
                              sealed_at="2024-05-01T09:00:00", jurisdiction=rng.choice(["", "城关派出所"]),
                              entropy_source=_word(rng, 5), lottery_date=lottery, kind="draw", replaces=None,
                              reason="")


def _v2_meta(rng) -> dict:
    from models.draw_schema import META_KEYS

    meta = dict.fromkeys(META_KEYS)
    meta.update(time="2024-05-03T10:00:00", place=_word(rng), operator=_word(rng), witnesses=[_word(rng)],
                excluded={"已停用": rng.randint(0, 3)}, size_override=rng.choice([None, 2.5]))
    return meta


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for k, v in enumerate(value):
            yield from _paths(v, (*path, k))


def damaged(record: dict, rng) -> dict:
    """The record with one random change: a value replaced, a key dropped, or list items swapped or dropped."""
    copied = copy.deepcopy(record)
    path = rng.choice([p for p in _paths(copied) if p])
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    last, how = path[-1], rng.random()
    value = parent[last]
    if how < 0.15 and isinstance(parent, dict):
        del parent[last]
    elif how < 0.3 and isinstance(value, list) and len(value) > 1:
        i, j = rng.sample(range(len(value)), 2)
        value[i], value[j] = value[j], value[i]
    elif how < 0.4 and isinstance(value, list) and value:
        value.pop(rng.randrange(len(value)))
    elif isinstance(value, bool) or not isinstance(value, (int, str)) or how < 0.55:
        parent[last] = copy.deepcopy(rng.choice(_ODD_VALUES))
    elif isinstance(value, int):
        parent[last] = value + rng.choice([-1, 1, 2 ** 53])
    else:
        parent[last] = value + rng.choice(["x", "\t", "\u00a0", "𠀀"]) if rng.random() < 0.5 else _word(rng)
    return copied


# ---------------------------------------------------------------- SSJ-DRAW-2: the record against its announcement

def _recommit(r: dict) -> None:
    """Make the record's commitment match its (edited) announcement, as a careful forger would."""
    from models import draw_announcement

    r["commitment"] = draw_announcement.commitment(draw_announcement.from_record(r))


def sealed_cases(honest: dict[str, dict], announcements: dict[str, str]) -> list[Case]:
    """v2 records with and without their announcement file, and copies that break the seal."""
    rec, ann_text = honest["封存后抽取"], announcements["封存后抽取"]
    other_ann = announcements["封存后重抽"]
    lottery = honest["彩票开奖号码作熵值"]
    ann = json.loads(ann_text)

    def edit_ann(change) -> str:
        copied = copy.deepcopy(ann)
        change(copied)
        return json.dumps(copied, ensure_ascii=False)

    def later_seal(r):
        r["announcement"]["sealed_at"] = "2999-01-01T00:00:00"
        _recommit(r)

    def early_lottery(r):
        r["announcement"]["entropy_source"]["lottery_date"] = r["announcement"]["sealed_at"][:10]
        _recommit(r)

    edits = [
        ("公告的随机数来源被改", rec, lambda r: r["announcement"]["entropy_source"].update(text="另一个来源")),
        ("记录的承诺值被改", rec, lambda r: r.update(commitment="0" * 64)),
        ("封存时间改到抽取之后（承诺值也重算）", rec, later_seal),
        ("开奖日期不晚于封存日期（承诺值也重算）", lottery, early_lottery),
        ("v2 名单顺序被调换", rec, lambda r: r["candidates"].reverse()),
        ("v2 名单有重复对象", rec, lambda r: r["candidates"].insert(1, dict(r["candidates"][0]))),
        ("v2 多了一个字段", rec, lambda r: r.update(note="补充")),
        ("v2 附加信息少了地点", rec, lambda r: r["meta"].pop("place")),
        ("v2 回避关系指向名单之外", rec, lambda r: r["inspection"]["recusals"].append([999999, 1])),
        ("v2 熵值含未定义字符", rec, lambda r: r["entropy"]["typed"].append("\U000e0080")),
        ("v2 普通抽取却指明被替代记录", rec, lambda r: r["announcement"].update(
            replaces={"record_id": 1, "record_hash": "0" * 64, "object": None})),
        ("v2 换了一个抽中对象", rec, _swap_pick),
    ]
    cases = [Case(label, f"篡改v2-{n:02d}.json", json.dumps(_change(r, edit), ensure_ascii=False))
             for n, (label, r, edit) in enumerate(edits)]
    text = record_to_json(rec)
    kat2 = honest["协议文档中的第 2 版已知答案记录"]
    cases += [
        Case("第 2 版已知答案记录和它的公告", "kat2.json", record_to_json(kat2), record_hash(kat2),
             announcement=kat_v2_announcement()),
        Case("第 2 版已知答案记录换了见证人", "kat2.json",
             json.dumps(_change(kat2, lambda r: r["meta"].update(witnesses=["别人"])), ensure_ascii=False),
             record_hash(kat2)),
        Case("第 2 版已知答案记录改了封存时间", "kat2.json",
             json.dumps(_change(kat2, lambda r: r["announcement"].update(sealed_at="2024-05-06T09:00:01")),
                        ensure_ascii=False)),
        Case("记录和它的公告", "记录.json", text, record_hash(rec), announcement=ann_text),
        Case("重抽记录和它的公告", "重抽.json", record_to_json(honest["封存后重抽"]), announcement=other_ann),
        Case("记录配了别的公告", "记录.json", text, announcement=other_ann),
        Case("公告的随机数来源在张贴后被改", "记录.json", text,
             announcement=edit_ann(lambda a: a["entropy_source"].update(text="事后改的来源"))),
        Case("公告少了版本号", "记录.json", text, announcement=edit_ann(lambda a: a.pop("protocol"))),
        Case("第 1 版记录配了公告", "旧记录.json", record_to_json(honest["协议文档中的已知答案记录"]),
             announcement=ann_text),
        Case("哈希格式错误", "记录.json", text, "12345"),
    ]
    cases += partner_gap_cases(honest["部门联合缺员原因随公告封存"], announcements["部门联合缺员原因随公告封存"])
    return cases


def partner_gap_cases(sealed: dict, ann: str) -> list[Case]:
    """A 部门联合 draw sealed with the reason it went without partner officers (protocol section 11), and copies
    that change, drop, empty or garble the reason."""

    def reason(value, recommit: bool = True):
        def edit(r):
            r["announcement"]["partner_gap_reason"] = value
            if recommit:
                _recommit(r)
        return edit

    def text(edit) -> str:
        return json.dumps(_change(sealed, edit), ensure_ascii=False)

    return [
        Case("缺员原因随公告封存", "缺员.json", record_to_json(sealed), record_hash(sealed), announcement=ann),
        Case("缺员原因被删（公告仍有）", "缺员.json", text(lambda r: r["announcement"].pop("partner_gap_reason")),
             announcement=ann),
        Case("缺员原因被改（承诺值未重算）", "缺员.json", text(reason("无", recommit=False))),
        Case("缺员原因被改（承诺值也重算）", "缺员.json", text(reason("无"))),
        Case("缺员原因为空", "缺员.json", text(reason(""))),
        Case("缺员原因含换行", "缺员.json", text(reason("无人\n可派"))),
        Case("缺员原因不是文字", "缺员.json", text(reason(1))),
    ]


def link_cases(honest: dict[str, dict]) -> list[Case]:
    """Redraw and substitute records dropped with the record they replace: honest pairs and broken links."""
    from tests.models.test_draw_verify import link_cases as pairs

    # verify-draw --replaces is told which file replaces which; the page works it out from the two files (the one
    # that is a redraw or substitute replaces the other), so pairs whose first file replaces nothing are CLI-only.
    chain = honest["封存后抽取"], honest["封存后重抽"], honest["封存后替补"]
    return [Case(f"关联：{label}", "新记录.json", record_to_json(new), replaced=record_to_json(old))
            for label, new, old, _ in pairs(*chain) if replaces_something(new)] + [kat_substitute_case()]


def kat_substitute_case() -> Case:
    """The protocol document's known-answer substitute, dropped with the version-2 known-answer record it replaces."""
    from tests.models.test_draw_verify import kat_substitute

    record, replaced, _ = kat_substitute()
    return Case("关联：协议文档中的替补已知答案", "替补已知答案.json", record_to_json(record), record_hash(record),
                replaced=record_to_json(replaced))


def replaces_something(record: dict) -> bool:
    return record["algorithm"] == "SSJ-DRAW-2" and record["announcement"]["kind"] != "draw"


def kit_files(honest: dict[str, dict], edit_first: Callable[[dict], None] | None = None) -> list[tuple[str, str]]:
    """The records of the sealed draws as export-verify-kit writes them, with 清单.csv and 哈希清单.txt.

    With edit_first, the first record's file is changed after the lists were made (a file swapped on the server).
    """
    from reports.verify_kit import HASH_LIST_NAME, INDEX_NAME, KitFile, hash_list, index_csv, record_file_name

    files = []
    for number, label in enumerate(("封存后抽取", "封存后重抽", "封存后替补", "彩票开奖号码作熵值"), start=1):
        r = honest[label]
        name = record_file_name(2024, number)
        meta = r["meta"]
        files.append(KitFile(name, "抽取记录", record_to_json(r).encode("utf-8"), [
            name, "抽取记录", meta["announcement_number"], str(number), "2024",
            f"{r['item']['number']}．{r['item']['name']}", str(r["round"]), meta["time"], meta["kind"], "",
            str(meta["replaces_id"] or ""), meta["reason"]]))
    index = KitFile(INDEX_NAME, "文件清单", index_csv(files))
    listing = hash_list([*files, index])
    out = [(f.name, f.data.decode("utf-8")) for f in files] + [(INDEX_NAME, index.data.decode("utf-8")),
                                                                 (HASH_LIST_NAME, listing.decode("utf-8"))]
    if edit_first:
        out[0] = (out[0][0], json.dumps(_change(honest["封存后抽取"], edit_first), ensure_ascii=False))
    return out
