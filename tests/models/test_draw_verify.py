"""User stories for verifying a published draw record, and for keeping docs/draw-protocol.md true."""
from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from models.draw_engine import STRATA_ORDER, Candidate, DrawError, InspectorCandidate
from models.draw_record import record_hash, record_to_json, run_draw
from models.draw_verify import verify_record
from tests.models.test_draw_engine import (
    KAT_CANDIDATES, KAT_ENTROPY, KAT_FINGERPRINT, KAT_INSPECTORS, KAT_PICKS, KAT_RECUSALS, KAT_SEED,
    KAT_SETUP_FINGERPRINT, KAT_TEAMS, kat_draw, roster, staff,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "draw-protocol.md"


def doc_block(marker: str) -> str:
    """The fenced block that follows <!-- marker --> in the protocol document."""
    match = re.search(rf"<!-- {marker} -->\n```[a-z]*\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match, f"docs/draw-protocol.md has no block marked {marker}"
    return match.group(1)


def saved(record: dict) -> dict:
    """The record as someone reading the published JSON file sees it."""
    return json.loads(record_to_json(record))


def joint_stratified_record() -> dict:
    objects = roster(60)
    people = staff(8) + staff(3, "城关派出所", 300) + staff(3, "市场监督管理局", 200)
    recusals = {(100, 4), (101, 8), (300, 12), (200, 16), (102, 20), (103, 24), (104, 28)}
    return run_draw(candidates=objects, sizes={"高风险": 5, "中风险": 4, "中低风险": 2, "低风险": 1},
                    stratify=True, inspectors=people, recusals=recusals,
                    responsible_units=["治安大队", "城关派出所"], partner_units=["市场监督管理局"], per_object=3,
                    entropy=["开奖号码 03 11 19 22 27 31", "骰子 6 6 1"], meta={"witnesses": ["见证人甲"]})


# ---------------------------------------------------------------- an honest record verifies

def test_a_published_record_verifies_as_consistent():
    for record in (kat_draw(), joint_stratified_record()):
        assert verify_record(saved(record)) == verify_record(record)
        result = verify_record(saved(record), expected_hash=record_hash(record))
        assert result.ok and result.message == "一致"


# ---------------------------------------------------------------- tampering is named

def tampered(change) -> str:
    record = saved(kat_draw())
    change(record)
    result = verify_record(record)
    assert not result.ok
    return result.message


def test_a_renamed_candidate_shows_up_as_a_changed_object_list():
    def rename(r):
        r["candidates"][3]["name"] = "另一家酒店"
    assert tampered(rename).startswith("检查对象名单已被改动")


def test_an_added_inspector_or_dropped_recusal_shows_up_as_a_changed_setup():
    def add(r):
        r["inspection"]["inspectors"].append({"id": 99, "badge": "420199", "name": "新人", "unit": "治安大队"})

    def drop(r):
        r["inspection"]["recusals"].pop()
    assert tampered(add).startswith("抽取设置（抽取数量、检查人员名单、回避关系或人员要求）已被改动")
    assert tampered(drop).startswith("抽取设置")


def test_a_changed_entropy_value_is_named():
    def retype(r):
        r["entropy"]["typed"][1] = "骰子 3 5 5"
    assert tampered(retype) == "熵值不一致：第 2 项规范化后应为「骰子 3 5 5」，记录为「骰子 3 5 6」"


def test_entropy_changed_consistently_shows_up_as_a_seed_mismatch():
    def retype(r):
        r["entropy"] = {"typed": ["12 34 57", "骰子 3 5 6"], "normalised": ["12 34 57", "骰子 3 5 6"]}
    assert tampered(retype).startswith("随机种子不一致")


def test_a_swapped_pick_is_named_with_expected_and_recorded_object():
    def swap(r):
        r["picks"][1].update(id=3, code="92421202MA4F3L5Q1R", name="咸安区鸿运旅社")
    assert tampered(swap) == ("第 2 个抽取结果不一致：应为「咸安区悦来宾馆」(91421202MA49X8K7P2)，"
                              "记录为「咸安区鸿运旅社」(92421202MA4F3L5Q1R)")


def test_a_dropped_pick_is_named():
    def drop(r):
        r["picks"].pop()
    assert tampered(drop) == "抽取结果数量不一致：应为 3 个，记录为 2 个"


def test_a_changed_position_is_named():
    def shift(r):
        r["picks"][0]["position"] = 4
    assert tampered(shift) == "第 1 个抽取结果不一致：位置应为 1，记录为 4"


def test_a_substituted_inspector_is_named_with_the_object():
    def substitute(r):
        r["assignments"][2]["inspectors"][1].update(id=14, badge="420104", name="刘洋")
    assert tampered(substitute) == ("第 3 个检查对象「咸宁温泉大酒店」(91421200MA4A1B2C3B)的检查人员不一致："
                                    "应为 王强(治安大队)、张伟(治安大队)、孙磊(市场监督管理局)，"
                                    "记录为 王强(治安大队)、刘洋(治安大队)、孙磊(市场监督管理局)")


def test_a_changed_witness_is_caught_by_the_stored_hash():
    record = saved(kat_draw())
    stored = record_hash(record)
    record["meta"]["witnesses"][0] = "别人"
    assert verify_record(record).ok  # the draw itself is still reproducible …
    result = verify_record(record, expected_hash=stored)  # … but the record is not what was saved
    assert not result.ok and result.message.startswith("记录哈希不一致")


# ---------------------------------------------------------------- malformed records never raise

@pytest.mark.parametrize("mangle, message", [
    (lambda r: r.pop("seed"), "记录格式错误：缺少字段「seed」"),
    (lambda r: r["candidates"][2].update(id="3"), "记录格式错误：字段「candidates[2].id」应为整数"),
    (lambda r: r["inspection"]["recusals"].append([1]), "记录格式错误：字段「inspection.recusals[3]」应为两个整数"),
    (lambda r: r["rule"].update(stratify="否"), "记录格式错误：字段「rule.stratify」应为是/否"),
    (lambda r: r.update(algorithm="SSJ-DRAW-9"), "不支持的算法版本「SSJ-DRAW-9」"),
    (lambda r: r["rule"]["sizes"].update({"全部": 30}),
     "抽取设置（抽取数量、检查人员名单、回避关系或人员要求）已被改动"),
    (lambda r: r["rule"]["sizes"].update({"高风险": 1}), "记录无法重新计算：抽取数量中的分层「高风险」无效"),
    (lambda r: r["picks"].__setitem__(0, "咸宁"),
     "第 1 个抽取结果不一致：应为「咸宁市金桂宾馆」(91421200772345678L)，记录为（格式错误）"),
    (lambda r: r["entropy"].update(typed=[" "]), "记录无法重新计算：请至少输入一项现场随机数"),
])
def test_malformed_records_get_a_chinese_message_not_a_traceback(mangle, message):
    record = saved(kat_draw())
    mangle(record)
    result = verify_record(record)
    assert not result.ok and result.message.startswith(message), result.message


@pytest.mark.parametrize("junk", [None, [], "记录", 42, {"algorithm": "SSJ-DRAW-1"}])
def test_junk_instead_of_a_record_is_reported(junk):
    result = verify_record(junk)
    assert not result.ok and result.message.startswith("记录格式错误")


def test_a_seed_that_is_not_hex_is_reported_after_the_recomputed_seed_differs():
    record = saved(kat_draw())
    record["seed"] = "不是十六进制"
    assert verify_record(record).message.startswith("随机种子不一致")


# ---------------------------------------------------------------- the protocol document stays true

def test_the_documents_known_answer_inputs_and_outputs_match_the_engine_and_the_tests():
    kat = json.loads(doc_block("known-answer"))
    inputs, expected = kat["inputs"], kat["expected"]
    assert [Candidate(*c) for c in inputs["candidates"]] == KAT_CANDIDATES
    assert [InspectorCandidate(*p) for p in inputs["inspectors"]] == KAT_INSPECTORS
    assert {tuple(x) for x in inputs["recusals"]} == KAT_RECUSALS
    assert inputs["entropy"] == KAT_ENTROPY
    record = run_draw(candidates=[Candidate(*c) for c in inputs["candidates"]], sizes=inputs["sizes"],
                      stratify=inputs["stratify"], inspectors=[InspectorCandidate(*p) for p in inputs["inspectors"]],
                      recusals={tuple(x) for x in inputs["recusals"]}, responsible_units=inputs["responsible_units"],
                      partner_units=inputs["partner_units"], per_object=inputs["per_object"], entropy=inputs["entropy"])
    assert (expected["fingerprint"], expected["setup_fingerprint"], expected["seed"]) == (
        record["fingerprint"], record["setup_fingerprint"], record["seed"]) == (
        KAT_FINGERPRINT, KAT_SETUP_FINGERPRINT, KAT_SEED)
    assert expected["picks"] == [{k: p[k] for k in ("remaining", "position", "id", "name")} for p in record["picks"]]
    assert [(p["remaining"], p["position"], p["id"]) for p in expected["picks"]] == KAT_PICKS
    assert expected["teams"] == [[i["name"] for i in a["inspectors"]] for a in record["assignments"]] == KAT_TEAMS


def test_the_documents_serialised_lines_hash_to_the_documented_fingerprints():
    for marker, value in (("candidate-lines", KAT_FINGERPRINT), ("setup-lines", KAT_SETUP_FINGERPRINT)):
        assert hashlib.sha256(doc_block(marker).encode("utf-8")).hexdigest() == value


def test_the_documents_worked_first_pick_digest_is_right():
    text = DOC.read_text(encoding="utf-8")
    first = hashlib.sha256(bytes.fromhex(KAT_SEED) + "全部".encode() + bytes(4)).hexdigest()
    slot0 = hashlib.sha256(bytes.fromhex(KAT_SEED) + b"insp" + bytes(8)).hexdigest()
    assert first in text and int(first, 16) % 10 == KAT_PICKS[0][1]
    assert slot0 in text


def reference_verifier():
    namespace: dict = {}
    exec(compile(doc_block("reference-verifier"), "draw-protocol.md", "exec"), namespace)
    return namespace


def test_the_documents_reference_verifier_agrees_with_the_engine():
    ref = reference_verifier()
    for record in (kat_draw(), joint_stratified_record()):
        assert ref["check"](saved(record)) == "一致"
    record = saved(joint_stratified_record())
    record["assignments"][0]["inspectors"].reverse()
    assert ref["check"](record) == "不一致"


def test_the_reference_verifier_uses_only_hashlib():
    imports = re.findall(r"^\s*(?:import|from)\s+(\w+)", doc_block("reference-verifier"), re.M)
    assert imports == ["hashlib"]


def test_the_shell_recipe_in_the_document_describes_the_seed_bytes():
    lines = ["SSJ-DRAW-1", KAT_FINGERPRINT, KAT_SETUP_FINGERPRINT, *KAT_ENTROPY]
    payload = "".join(f"{line}\n" for line in lines).encode("utf-8")  # what printf '%s\n' … emits
    assert hashlib.sha256(payload).hexdigest() == KAT_SEED
    assert "printf '%s\\n' SSJ-DRAW-1" in DOC.read_text(encoding="utf-8")


def test_copying_a_record_does_not_change_its_hash():
    record = kat_draw()
    assert record_hash(copy.deepcopy(record)) == record_hash(saved(record))


@settings(max_examples=40, deadline=None)
@given(n_objects=st.integers(1, 30), n_police=st.integers(2, 7), n_station=st.integers(0, 3),
       n_partner=st.integers(1, 3), per_object=st.integers(2, 3), data=st.data())
def test_the_fast_engine_and_the_naive_reference_verifier_always_agree(
        n_objects, n_police, n_station, n_partner, per_object, data):
    objects = roster(n_objects)
    people = staff(n_police) + staff(n_station, "城关派出所", 300) + staff(n_partner, "市场监督管理局", 200)
    pairs = data.draw(st.sets(st.tuples(st.sampled_from([p.id for p in people]),
                                        st.sampled_from([c.id for c in objects])), max_size=25))
    stratify = data.draw(st.booleans())
    if stratify:
        counts = {level: sum(c.risk == level for c in objects) for level in STRATA_ORDER}
        sizes = {level: data.draw(st.integers(0, n)) for level, n in counts.items()}
        assume(sum(sizes.values()) > 0)
    else:
        sizes = {"全部": data.draw(st.integers(1, n_objects))}
    try:
        record = run_draw(candidates=objects, sizes=sizes, stratify=stratify, inspectors=people, recusals=pairs,
                          responsible_units=["治安大队", "城关派出所"], partner_units=["市场监督管理局"],
                          per_object=per_object, entropy=[str(data.draw(st.integers(0, 10**6)))])
    except DrawError as exc:
        assert "可选检查人员不足" in str(exc)
        return
    assert reference_verifier()["check"](saved(record)) == "一致"
    assert verify_record(saved(record)).ok


README = DOC.parents[1] / "README.md"


def test_the_readme_known_answer_table_matches_the_engine():
    """The short table in README.md is what most people will copy into their own verifier's tests."""
    text = README.read_text(encoding="utf-8")
    section = text.split("**Known answer**", 1)[1]
    table = dict(re.findall(r"^\| ([a-z ]+) \| (.+?) \|$", section, re.M))
    record = kat_draw()
    assert table["fingerprint"] == f"`{record['fingerprint']}`"
    assert table["setup fingerprint"] == f"`{record['setup_fingerprint']}`"
    assert table["seed"] == f"`{record['seed']}`"
    assert table["picks"].split(", ") == [p["name"] for p in record["picks"]]
    assert [team.split() for team in table["teams"].split(" · ")] == [
        [i["name"] for i in a["inspectors"]] for a in record["assignments"]]
    assert '`["12 34 56", "骰子 3 5 6"]`' in section and json.dumps(KAT_ENTROPY, ensure_ascii=False) in section


# ---------------------------------------------------------------- a redraw or substitute against what it replaces
# docs/draw-protocol.md 9.5: verify-draw N.json --replaces R.json (and the page, given both) checks the link.

def resealed(record: dict, edit) -> dict:
    """A self-consistent v2 record drawn again from an edited announcement: what a forger with the engine can make.

    It verifies on its own (the commitment, seed and picks are all recomputed), so only the link can catch it.
    """
    from models import draw_announcement
    from models.draw_record import complete_draw, prepare_draw, shared_part

    ann = copy.deepcopy(draw_announcement.from_record(record))
    edit(ann)
    ins = ann["inspection"]
    prepared = prepare_draw(
        candidates=[Candidate(c["id"], c["name"], c["code"], c["risk"]) for c in ann["candidates"]],
        sizes=ann["rule"]["sizes"], stratify=ann["rule"]["stratify"],
        inspectors=[InspectorCandidate(i["id"], i["name"], i["badge"], i["unit"]) for i in ins["inspectors"]],
        recusals=[tuple(x) for x in ins["recusals"]], responsible_units=ins["responsible_units"],
        partner_units=ins["partner_units"], per_object=ins["per_object"])
    ann.update(shared_part(prepared, item=ann["item"], round=ann["round"], rule_text=ann["rule"]["text"]))
    return saved(complete_draw(prepared, record["entropy"]["typed"], item=ann["item"], round=ann["round"],
                               rule_text=ann["rule"]["text"], meta=record["meta"], announcement=ann))


def sealed_chain(db) -> tuple[dict, dict, dict]:
    """A sealed draw of the hotels, its 重抽, and a 替补 for the redraw's first pick, as published files."""
    from models.draw_service import prepare_draw
    from tests.models.draw_fixtures import build_world, sealed_draw, sealed_redraw, sealed_substitute

    build_world(db, recusals=[(0, 1), (1, 1), (2, 3)])
    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1")
    first = sealed_draw(db, prep)
    again = sealed_redraw(db, first.id, reason="见证人迟到", entropy=["65 43 21"])
    gone = again.record["picks"][0]["id"]
    sub = sealed_substitute(db, again.id, gone, reason="已停业", entropy=["3 3 3"])
    return saved(first.record), saved(again.record), saved(sub.record)


def link_cases(first: dict, redo: dict, sub: dict) -> list[tuple[str, dict, dict, str]]:
    """(label, replacing record, replaced record, how the first difference starts) for honest and broken links."""
    kept = {c["id"] for c in sub["candidates"]}
    outsider = next(c for c in sub["candidates"] if c["id"] not in {p["id"] for p in redo["picks"]})
    back = next(c for c in redo["candidates"] if c["id"] == redo["picks"][1]["id"])
    assert back["id"] not in kept

    def moved(r, **changes):
        r.update(changes)

    def redraw_of_substitute(a):
        a.update(kind="redraw", sealed_at=sub["meta"]["time"],
                 replaces={"record_id": 3, "record_hash": record_hash(sub), "object": None})

    return [
        ("重抽和被它替代的记录", redo, first, "一致"),
        ("替补和被它替代的记录", sub, redo, "一致"),
        ("替补配了别的被替代记录", sub, first, "被替代记录的哈希不符"),
        ("被替代记录的地点被改", redo, dict(first, meta=dict(first["meta"], place="别处")), "被替代记录的哈希不符"),
        ("被替代记录的抽取结果被改", redo, _with(first, _swap_second_pick),
         "被替代的记录未通过验证：第 2 个抽取结果不一致"),
        ("普通抽取配了被替代记录", first, redo, "该记录是普通抽取"),
        ("第 1 版记录配了被替代记录", saved(kat_draw()), first, "该记录不是 SSJ-DRAW-2 记录"),
        ("替补名单放回了已抽中的对象", resealed(sub, lambda a: a["candidates"].append(dict(back))), redo,
         f"替补名单中不应有被替代记录已抽中的检查对象「{back['name']}」"),
        ("替补指明的对象不是被替代记录的抽取结果", resealed(sub, lambda a: a["replaces"].update(object={
            "id": outsider["id"], "code": outsider["code"], "name": outsider["name"]})), redo,
         f"被替代的检查对象「{outsider['name']}」"),
        ("替补改了轮次", resealed(sub, lambda a: moved(a, round=2)), redo, "与被替代记录的轮次不同：本记录为第 2 轮"),
        ("替补改了辖区", resealed(sub, lambda a: moved(a, jurisdiction="城关派出所")), redo,
         "与被替代记录的辖区不同：本记录为「城关派出所」，被替代记录为「不限」"),
        ("替补改了年度", resealed(sub, lambda a: moved(a, year=2025)), redo, "与被替代记录的年度不同"),
        ("替补改了抽查事项", resealed(sub, lambda a: a["item"].update(number="2")), redo, "与被替代记录的抽查事项不同"),
        ("替补抽了两个对象", resealed(sub, lambda a: a["rule"].update(sizes={"全部": 2})), redo,
         "替补只能不分层地抽取 1 个"),
        ("替补改了每对象人数", resealed(sub, lambda a: a["inspection"].update(per_object=3)), redo,
         "与被替代记录的检查人员要求不同（每个检查对象的责任单位人数）：本记录为 3，被替代记录为 2"),
        ("替补的公告封存在原抽取之前", resealed(sub, lambda a: moved(a, sealed_at="2001-01-01T00:00:00")), redo,
         "本记录的抽取公告封存于 2001-01-01T00:00:00，早于被替代记录的抽取时间"),
        ("整体重抽了一条替补记录", resealed(sub, redraw_of_substitute), sub, "替补记录不能整体重抽"),
    ]


def _with(record: dict, edit) -> dict:
    copied = copy.deepcopy(record)
    edit(copied)
    return copied


def _swap_second_pick(r: dict) -> None:
    other = next(c for c in r["candidates"] if c["id"] not in {p["id"] for p in r["picks"]})
    r["picks"][1].update(id=other["id"], code=other["code"], name=other["name"])


def test_a_member_of_the_public_checks_a_redraw_and_a_substitute_against_the_records_they_replace(db):
    first, redo, sub = sealed_chain(db)
    # Each record is fine on its own, including the forged ones: only the link tells.
    for label, new, old, expected in link_cases(first, redo, sub):
        result = verify_record(new, replaced=old)
        assert result.message.startswith(expected), (label, result.message)
        assert result.ok == (expected == "一致"), label
        if "被替代的记录未通过验证" not in expected:
            assert verify_record(new).ok and verify_record(old).ok, label
    # The link is checked after the record's own checks: a record that fails alone says so first.
    broken = dict(sub, seed="0" * 64)
    assert verify_record(broken, replaced=redo).message.startswith("随机种子不一致")
    # A substitute's list leaves out everything drawn in the round, the redrawn record's picks included.
    listed = {c["id"] for c in sub["candidates"]}
    assert not listed & {p["id"] for p in redo["picks"]}
    assert not listed & {p["id"] for p in first["picks"]}


def test_verify_draw_replaces_names_the_broken_link(db, tmp_path, capsys):
    from ui.cli import run

    first, redo, sub = sealed_chain(db)
    files = {}
    for name, record in (("first", first), ("redo", redo), ("sub", sub)):
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(record_to_json(record), encoding="utf-8")
    assert run(["verify-draw", str(files["sub"]), "--replaces", str(files["redo"]), "--hash", record_hash(sub)]) == 0
    assert capsys.readouterr().out.strip() == "一致"
    assert run(["verify-draw", str(files["sub"]), "--replaces", str(files["first"])]) == 1
    assert capsys.readouterr().err.strip().startswith("不一致：被替代记录的哈希不符")
    assert run(["verify-draw", str(files["sub"]), "--replaces", str(tmp_path / "missing.json")]) == 1
    assert "找不到被替代的记录文件" in capsys.readouterr().err


def kat_substitute() -> tuple[dict, dict, dict]:
    """(the substitute of the document's known answer, the v2 known-answer record it replaces, the block)."""
    from models import draw_announcement
    from models.draw_record import run_draw as draw
    from tests.models.test_draw_protocol_v2 import kat_v2

    block = json.loads(doc_block("known-answer-substitute"))
    replaced = saved(kat_v2()[0])
    head = block["announcement"]
    cands = {c.id: c for c in KAT_CANDIDATES}
    setup = dict(candidates=[cands[i] for i in block["candidate_ids"]], sizes=block["sizes"], stratify=False,
                 inspectors=KAT_INSPECTORS, recusals=KAT_RECUSALS, responsible_units=["治安大队"],
                 partner_units=["市场监督管理局"], per_object=2)
    from models.draw_record import prepare_draw, shared_part

    shared = shared_part(prepare_draw(**setup), item=head["item"], round=head["round"], rule_text=head["rule_text"])
    ann = draw_announcement.build_announcement(
        shared=shared, year=head["year"], number=head["number"], bureau=head["bureau"], sealed_at=head["sealed_at"],
        jurisdiction=head["jurisdiction"], entropy_source=head["entropy_source"]["text"],
        lottery_date=head["entropy_source"]["lottery_date"], kind=head["kind"], replaces=head["replaces"],
        reason=head["reason"])
    meta = dict.fromkeys(replaced["meta"])
    meta.update(time=block["meta_time"], place="会议室", operator="张文书", witnesses=["王监督"])
    record = draw(**setup, entropy=block["entropy"], item=head["item"], round=head["round"],
                  rule_text=head["rule_text"], meta=meta, announcement=ann)
    return saved(record), replaced, block


def test_the_documents_substitute_known_answer_matches_the_engine_and_the_link_check():
    record, replaced, block = kat_substitute()
    expected = block["expected"]
    assert block["announcement"]["replaces"]["record_hash"] == record_hash(replaced)
    gone = block["announcement"]["replaces"]["object"]
    assert gone == {k: replaced["picks"][0][k] for k in ("id", "code", "name")}
    # The candidates are the ten hotels less the three the replaced record drew, in canonical order.
    assert [c["id"] for c in record["candidates"]] == block["candidate_ids"]
    assert {c.id for c in KAT_CANDIDATES} - set(block["candidate_ids"]) == {p["id"] for p in replaced["picks"]}
    assert record["inspection"]["recusals"] == block["recusals"]
    for key in ("fingerprint", "setup_fingerprint", "commitment", "seed"):
        assert record[key] == expected[key], key
    pick = record["picks"][0]
    assert {k: pick[k] for k in expected["pick"]} == expected["pick"] and len(record["picks"]) == 1
    assert [i["name"] for i in record["assignments"][0]["inspectors"]] == expected["team"]
    assert verify_record(record, replaced=replaced).message == expected["link"]
