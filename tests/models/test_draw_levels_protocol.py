"""市抽县查 in the protocol (docs/draw-protocol.md §12): the known answer is what the engine computes and verifies;
old records keep their setup fingerprint; a record whose county mapping was tampered with or malformed is refused."""
from __future__ import annotations

import copy
import json

from models import draw_announcement
from models.draw_engine import Candidate, CountyPools, InspectorCandidate, setup_fingerprint
from models.draw_record import prepare_draw, run_draw, shared_part
from models.draw_verify import verify_record
from tests.models.test_draw_verify import doc_block


def county_inputs() -> tuple[dict, dict]:
    """The engine's inputs of the §12 known answer, and its expected values."""
    block = json.loads(doc_block("known-answer-county"))
    counties = block["counties"]
    setup = dict(
        candidates=[Candidate(i, n, c, r) for i, n, c, r in block["candidates"]], sizes=block["sizes"],
        stratify=False, inspectors=[InspectorCandidate(*p) for p in block["inspectors"]],
        recusals=[tuple(x) for x in block["recusals"]], responsible_units=block["responsible_units"],
        per_object=block["per_object"],
        counties=CountyPools(dict(map(tuple, counties["objects"])), dict(map(tuple, counties["inspectors"]))))
    return setup, block


def county_record_v1() -> dict:
    setup, block = county_inputs()
    return run_draw(**setup, entropy=block["entropy"])


def county_record_v2() -> dict:
    """The same inputs sealed as an SSJ-DRAW-2 announcement (a 市抽县查 item of 昆明's plan) and drawn against it."""
    setup, block = county_inputs()
    item = {"id": 12, "number": "12", "name": "云南省易制毒化学品经营、使用企业"}
    shared = shared_part(prepare_draw(**setup), item=item, round=1, rule_text="1%")
    ann = draw_announcement.build_announcement(
        shared=shared, year=2024, number=7, bureau="昆明市公安局", sealed_at="2024-05-06T09:00:00", jurisdiction="",
        entropy_source="见证人现场报数并掷骰子", lottery_date=None, kind="draw", replaces=None, reason="")
    meta = dict.fromkeys(("year", "bureau", "item_number", "item_name", "rule_text", "rule_desc", "round",
                          "jurisdiction", "size_override", "excluded", "kind", "replaces_id",
                          "replaces_record_hash", "replaced_object", "reason", "announcement_number"))
    meta.update(time="2024-05-06T10:00:00", place="会议室", operator="张文书", witnesses=["王监督"])
    return run_draw(**setup, entropy=block["entropy"], item=item, round=1, rule_text="1%", meta=meta,
                    announcement=ann)


def test_the_documents_county_known_answer_matches_the_engine_and_verifies():
    record = county_record_v1()
    expected = json.loads(doc_block("known-answer-county"))["expected"]
    assert record["fingerprint"] == expected["fingerprint"]
    assert record["setup_fingerprint"] == expected["setup_fingerprint"]
    assert record["seed"] == expected["seed"]
    assert [p["name"] for p in record["picks"]] == expected["picks"]
    assert [[i["name"] for i in a["inspectors"]] for a in record["assignments"]] == expected["teams"]
    assert verify_record(record).ok
    assert verify_record(county_record_v2()).ok


def test_each_pick_is_staffed_only_from_its_objects_county():
    for record in (county_record_v1(), county_record_v2()):
        objects = dict(map(tuple, record["inspection"]["counties"]["objects"]))
        officers = dict(map(tuple, record["inspection"]["counties"]["inspectors"]))
        for a in record["assignments"]:
            assert {officers[i["id"]] for i in a["inspectors"]} == {objects[a["object_id"]]}


def test_without_counties_the_setup_fingerprint_is_the_one_of_section_1():
    setup, _ = county_inputs()
    args = (setup["sizes"], 2, setup["responsible_units"], [], setup["inspectors"], setup["recusals"])
    assert setup_fingerprint(*args) == setup_fingerprint(*args, None)
    assert setup_fingerprint(*args) != setup_fingerprint(*args, setup["counties"])


def test_a_moved_object_or_a_dropped_mapping_is_refused_in_chinese():
    record = county_record_v2()
    moved = copy.deepcopy(record)
    moved["inspection"]["counties"]["objects"][0][1] = "盘龙分局"
    result = verify_record(moved)
    assert not result.ok and "设置指纹" in result.message
    missing = copy.deepcopy(record)
    del missing["inspection"]["counties"]["objects"][2]
    result = verify_record(missing)
    assert result.message.endswith("字段「inspection.counties.objects」应列出每个检查对象所属的县（区）局")
    empty = copy.deepcopy(record)
    empty["inspection"]["counties"]["inspectors"][0][1] = ""
    assert verify_record(empty).message.endswith("字段「inspection.counties.inspectors[0][1]」不能为空")
    stranger = copy.deepcopy(record)
    stranger["inspection"]["counties"]["inspectors"].append([99, "五华分局"])
    assert verify_record(stranger).message.endswith("字段「inspection.counties.inspectors[6]」指向名单之外的检查人员")
    dropped = copy.deepcopy(record)
    del dropped["inspection"]["counties"]
    assert not verify_record(dropped).ok
