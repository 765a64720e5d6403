"""The sealed draw writes the candidate list and the record by parts, once: the bytes must be json.dumps' exactly."""
from __future__ import annotations

from models import draw_announcement
from models.draw_engine import Candidate, InspectorCandidate, candidates_of_rows
from models.draw_record import (
    canonical_json_of_parts, candidates_json, prepare_draw, record_json_with, record_to_json, run_draw, shared_part,
    shared_texts,
)

# Names a clerk may really have in the roster: quotes, backslashes, control-free odd characters, non-BMP.
NAMES = ['某"引号"旅馆', "反斜杠\\旅馆", "全角　空格旅馆", "emoji🏨旅馆", "</script>旅馆", "\u2028分隔旅馆", "普通旅馆"]


def _prepared():
    cands = [Candidate(i + 1, name, f"9137{i:014d}", "高风险" if i % 2 else "低风险") for i, name in enumerate(NAMES)]
    people = [InspectorCandidate(i + 1, f"民警{i}", f"{i:06d}", "治安大队") for i in range(4)]
    return prepare_draw(candidates=cands, sizes={"全部": 3}, stratify=False, inspectors=people,
                        recusals=[(1, 2)], responsible_units=["治安大队"])


def test_the_candidate_list_written_directly_is_the_canonical_json_of_the_shared_part():
    prepared = _prepared()
    shared = shared_part(prepared, item={"id": 1, "number": "1", "name": "事项"}, round=1, rule_text="5%")
    texts = shared_texts(prepared, item={"id": 1, "number": "1", "name": "事项"}, round=1, rule_text="5%")
    assert candidates_json(prepared.candidates) == draw_announcement.canonical_json(shared["candidates"])
    assert texts == {k: draw_announcement.canonical_json(v) for k, v in shared.items()}
    assert canonical_json_of_parts(texts) == draw_announcement.canonical_json(shared)


def test_a_record_written_by_parts_is_byte_for_byte_the_record_json():
    prepared = _prepared()
    record = run_draw(candidates=prepared.candidates, sizes={"全部": 3}, stratify=False,
                      inspectors=prepared.inspectors, recusals=prepared.recusals, responsible_units=["治安大队"],
                      entropy=["12 34"], meta={"place": "会议室\"甲\""})
    texts = shared_texts(prepared)
    assert record_json_with(record, texts) == record_to_json(record)
    assert record_json_with(record, {}) == record_to_json(record)


def test_candidates_made_from_rows_equal_those_made_one_by_one():
    rows = [(7, "旅馆", "9137", "高风险", "在营"), (8, "宾馆", "9138", "低风险", "在营")]
    made = candidates_of_rows(rows)
    assert made == [Candidate(7, "旅馆", "9137", "高风险"), Candidate(8, "宾馆", "9138", "低风险")]
    assert {made[0]} == {Candidate(7, "旅馆", "9137", "高风险")}
