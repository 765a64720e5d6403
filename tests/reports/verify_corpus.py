"""Draw records to check the public verifier page against verify-draw: honest ones of every shape, tampered copies.

Honest records come from the engine (the protocol's known-answer example, strata with 回避 and
overlapping units, Unicode entropy, code-point ordering, ids past 2^53, floats in meta) and from the
command line (a draw, its redraw, a substitute and a second item). Each tampered copy changes one
thing an operator might want to change after the fact.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
        "分层抽取、回避、联合检查": plain(joint_stratified_record()),
        "Unicode 熵值": plain(unicode_entropy_record()),
        "按码点排序的名单": plain(code_point_order_record()),
        "超过 2^53 的编号": plain(big_id_record()),
        "重叠的责任单位和配合部门": plain(overlapping_units_record()),
        "附加信息中有小数": plain(floats_in_meta_record()),
    }


def cli_records(folder: Path) -> dict[str, dict]:
    """A draw, its redraw, a substitute within the redraw and a second item, through the command line."""
    from models.db import open_database
    from tests.models.draw_fixtures import build_world
    from ui.cli import run

    db_path = folder / "draws.sqlite3"
    db = open_database(db_path)
    ids = build_world(db, recusals=[(0, 1), (1, 1), (2, 3), (3, 5), (6, 7)])
    db.dispose()
    witness = ["--witness", "王监督", "--witness", "李见证", "--place", "治安大队会议室"]

    def draw(*argv, entropy: list[str], name: str) -> dict:
        target = folder / name
        entropy_args = [x for e in entropy for x in ("--entropy", e)]
        assert run(["--db", str(db_path), *argv, *witness, *entropy_args, "--record", str(target)]) == 0
        return json.loads(target.read_text(encoding="utf-8"))

    first = draw("draw", "--year", "2024", "--item", "1", entropy=["12 34 56", "骰子 3 5 6"], name="r1.json")
    redrawn = draw("redraw", "--record-id", "1", "--reason", "见证人迟到", entropy=["65 43 21"], name="r2.json")
    gone = redrawn["picks"][0]["code"]
    substitute = draw("substitute", "--record-id", "2", "--object", gone, "--reason", "已注销",
                      entropy=["3 3 3"], name="r3.json")
    cafes = draw("draw", "--year", "2024", "--item", "2", entropy=["网吧 9 9"], name="r4.json")
    assert ids["hotel_ids"]
    return {"命令行抽取": first, "命令行重抽": redrawn, "命令行替补": substitute, "命令行第二个事项": cafes}


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
    kat, joint, cli = honest["协议文档中的已知答案记录"], honest["分层抽取、回避、联合检查"], honest["命令行抽取"]
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
        ("命令行记录换了一个抽中对象", cli, _swap_pick, ""),
        ("分层记录换了一个抽中对象", joint, _swap_pick, ""),
        ("改了抽中位置", kat, lambda r: r["picks"][0].update(position=4), ""),
        ("位置写成小数 1.0（Python 认为相等）", kat, lambda r: r["picks"][0].update(position=1.0), ""),
        ("抽取结果多了一个字段", kat, lambda r: r["picks"][2].update(note="补"), ""),
        ("删掉一个抽取结果", kat, lambda r: r["picks"].pop(), ""),
        ("换了一名检查人员", kat, lambda r: r["assignments"][2]["inspectors"][1].update(
            id=14, badge="420104", name="刘洋"), ""),
        ("分层记录换了一名检查人员", joint, _swap_inspector, ""),
        ("命令行记录换了一名检查人员", cli, _swap_inspector, ""),
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
        entropy = [_word(rng, 6) + rng.choice(["", "\t", "\n", "\u00a0"]) for _ in range(rng.randint(1, 3))]
        try:
            return plain(run_draw(candidates=cands, sizes=sizes, stratify=stratify, inspectors=people,
                                  recusals=recusals, responsible_units=responsible, partner_units=partners,
                                  per_object=rng.choice([2, 2, 3]), entropy=entropy,
                                  meta={"n": rng.random(), "w": [_word(rng)]}))
        except DrawError:
            continue


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
