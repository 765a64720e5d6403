"""User stories for the draw engine: a witnessed draw is reproducible, fair, and respects 回避 and staffing rules."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.draw_engine import (
    ALGORITHM_V1, STRATA_ORDER, Candidate, DrawError, InspectorCandidate, assign_inspectors,
    canonical_candidates, derive_seed, fingerprint, normalise_entropy, select, split_strata,
)
from models.draw_record import prepare_draw, record_hash, record_to_json, run_draw

ROOT = Path(__file__).resolve().parents[2]

# The known-answer example; the same inputs and outputs are printed in docs/draw-protocol.md.
KAT_CANDIDATES = [
    Candidate(1, "咸宁温泉大酒店", "91421200MA4A1B2C3B", "高风险"),
    Candidate(2, "咸安区悦来宾馆", "91421202MA49X8K7P2", "中风险"),
    Candidate(3, "咸安区鸿运旅社", "92421202MA4F3L5Q1R", "低风险"),
    Candidate(4, "嘉鱼县江景酒店", "91421221MA4B7N2R60", "中低风险"),
    Candidate(5, "咸宁市金桂宾馆", "91421200772345678L", "中风险"),
    Candidate(6, "咸宁市香城民宿", "52421200MA4C9D0E4P", "低风险"),
    Candidate(7, "崇阳县天城酒店", "91421223MA49Y6T2WT", "高风险"),
    Candidate(8, "赤壁市赤壁宾馆", "92421281MA4D5G8H3L", "低风险"),
    Candidate(9, "咸安区桂花城快捷酒店", "91421202MA4E1J6K9M", "中低风险"),
    Candidate(10, "通城县隽水旅馆", "91421222MA4F2M3N0T", "低风险"),
]
KAT_INSPECTORS = [
    InspectorCandidate(11, "张伟", "420101", "治安大队"),
    InspectorCandidate(12, "李娜", "420102", "治安大队"),
    InspectorCandidate(13, "王强", "420103", "治安大队"),
    InspectorCandidate(14, "刘洋", "420104", "治安大队"),
    InspectorCandidate(15, "陈静", "420105", "治安大队"),
    InspectorCandidate(21, "赵敏", "SJ0201", "市场监督管理局"),
    InspectorCandidate(22, "孙磊", "SJ0202", "市场监督管理局"),
]
KAT_RECUSALS = {(13, 2), (12, 9), (22, 4)}
KAT_ENTROPY = ["12 34 56", "骰子 3 5 6"]
KAT_FINGERPRINT = "d237b330349467eae0a8264736b276551fc9a60befae13845f6bdab788bde63b"
KAT_SETUP_FINGERPRINT = "7016f3ca18e26ddc1d4bbe92f7c65706c46da821091f43b2939baaac4f32c68c"
KAT_SEED = "2fc25d69d9512f57226b314a5edb6e44fd9dd7df7b98e145589666dc400ca403"
KAT_PICKS = [(10, 1, 5), (9, 2, 2), (8, 1, 1)]  # (remaining, position, candidate id)
KAT_TEAMS = [["刘洋", "陈静", "赵敏"], ["李娜", "张伟", "孙磊"], ["王强", "张伟", "孙磊"]]


def kat_draw(**overrides) -> dict:
    args = dict(candidates=KAT_CANDIDATES, sizes={"全部": 3}, stratify=False, inspectors=KAT_INSPECTORS,
                recusals=KAT_RECUSALS, responsible_units=["治安大队"], partner_units=["市场监督管理局"],
                per_object=2, entropy=KAT_ENTROPY,
                item={"id": 7, "number": "3", "name": "旅馆业治安管理情况检查"}, round=1,
                rule_text="全年抽查比例不低于5%，每年抽查1次",
                meta={"time": "2024-05-06T09:30:00", "place": "咸宁市公安局治安支队会议室", "operator": "周明",
                      "witnesses": ["纪检监察室 吴芳", "商户代表 郑凯"], "replaces": None, "reason": ""})
    args.update(overrides)
    return run_draw(**args)


def roster(n: int, risks=STRATA_ORDER) -> list[Candidate]:
    return [Candidate(i, f"单位{i}", f"91420000{i:09d}X", risks[i % len(risks)]) for i in range(1, n + 1)]


def staff(n: int, unit: str = "治安大队", start: int = 100) -> list[InspectorCandidate]:
    return [InspectorCandidate(start + k, f"民警{start + k}", f"B{start + k:05d}", unit) for k in range(n)]


# ---------------------------------------------------------------- known answers and determinism

def test_known_answer_example_reproduces_fingerprints_seed_picks_and_teams():
    record = kat_draw()
    assert record["algorithm"] == ALGORITHM_V1  # the v1 known answer: a draw without a sealed announcement
    assert record["fingerprint"] == KAT_FINGERPRINT
    assert record["setup_fingerprint"] == KAT_SETUP_FINGERPRINT
    assert record["seed"] == KAT_SEED
    assert [(p["remaining"], p["position"], p["id"]) for p in record["picks"]] == KAT_PICKS
    assert [[i["name"] for i in a["inspectors"]] for a in record["assignments"]] == KAT_TEAMS


def test_the_same_inputs_give_the_same_record_byte_for_byte_whatever_the_input_order():
    first = kat_draw()
    second = kat_draw(candidates=list(reversed(KAT_CANDIDATES)), inspectors=list(reversed(KAT_INSPECTORS)),
                      recusals=sorted(KAT_RECUSALS, reverse=True))
    assert record_to_json(first) == record_to_json(second)
    assert record_hash(first) == record_hash(second)


def test_the_record_survives_a_json_round_trip_unchanged():
    import json
    record = kat_draw()
    assert json.loads(record_to_json(record)) == record


def test_other_entropy_gives_another_seed_and_draw():
    assert kat_draw(entropy=["12 34 57", "骰子 3 5 6"])["seed"] != KAT_SEED


def test_fingerprint_is_sha256_of_the_documented_lines():
    import hashlib
    ordered = canonical_candidates(KAT_CANDIDATES)
    text = "".join(f"{c.id}\t{c.code}\t{c.name}\t{c.risk}\n" for c in ordered)
    assert fingerprint(KAT_CANDIDATES) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert [c.code for c in ordered] == sorted(c.code for c in KAT_CANDIDATES)


def test_equal_codes_are_ordered_by_id():
    twins = [Candidate(9, "乙", "", "低风险"), Candidate(3, "甲", "", "低风险")]
    assert [c.id for c in canonical_candidates(twins)] == [3, 9]


# ---------------------------------------------------------------- entropy

def test_entropy_is_nfc_normalised_and_whitespace_collapsed():
    typed = ["  12\u300034\t\t56 ", "", "   ", "骰子\u00a03 5\n6", "e\u0301"]
    assert normalise_entropy(typed) == ["12 34 56", "骰子 3 5 6", "\u00e9"]


def test_a_draw_without_any_entropy_is_refused():
    with pytest.raises(DrawError, match="至少输入一项"):
        normalise_entropy(["", " \u3000 "])
    with pytest.raises(DrawError, match="至少输入一项"):
        kat_draw(entropy=[])


def test_typed_spacing_does_not_change_the_seed_but_is_kept_as_typed():
    record = kat_draw(entropy=[" 12  34 56", "骰子\u30003 5 6 "])
    assert record["seed"] == KAT_SEED
    assert record["entropy"] == {"typed": [" 12  34 56", "骰子\u30003 5 6 "], "normalised": KAT_ENTROPY}


# ---------------------------------------------------------------- selection

def test_uniformity_chi_square_over_2000_fixed_seeds_is_below_the_99_9_percent_critical_value():
    objects = roster(10)
    strata = split_strata(objects, False)
    fp = fingerprint(objects)
    counts = Counter()
    for j in range(2000):
        seed = derive_seed(fp, "0" * 64, [f"u{j}"])
        counts[select(seed, strata, {"全部": 1})[0].candidate.id] += 1
    expected = 2000 / 10
    chi_square = sum((counts[c.id] - expected) ** 2 / expected for c in objects)
    assert chi_square < 27.877  # chi-square, 9 degrees of freedom, p = 0.001


def test_stratified_draw_takes_the_planned_number_from_each_risk_level_highest_first():
    objects = roster(40)
    sizes = {"高风险": 4, "中风险": 3, "中低风险": 2, "低风险": 1}
    record = run_draw(candidates=objects, sizes=sizes, stratify=True, inspectors=staff(6), recusals=set(),
                      responsible_units=["治安大队"], per_object=2, entropy=["7"])
    strata = [p["stratum"] for p in record["picks"]]
    assert strata == ["高风险"] * 4 + ["中风险"] * 3 + ["中低风险"] * 2 + ["低风险"]
    risk_of = {c.id: c.risk for c in objects}
    assert all(risk_of[p["id"]] == p["stratum"] for p in record["picks"])
    assert len({p["id"] for p in record["picks"]}) == 10
    assert record["rule"]["sizes"] == sizes


def test_a_stratum_left_out_of_the_sizes_draws_nothing():
    record = run_draw(candidates=roster(12), sizes={"高风险": 2}, stratify=True, inspectors=staff(4),
                      recusals=(), responsible_units=["治安大队"], entropy=["1"])
    assert [p["stratum"] for p in record["picks"]] == ["高风险", "高风险"]
    assert record["rule"]["sizes"] == {"高风险": 2, "中风险": 0, "中低风险": 0, "低风险": 0}


def test_drawing_every_object_returns_each_exactly_once():
    objects = roster(57)
    picks = select("ab" * 32, split_strata(objects, False), {"全部": 57})
    assert sorted(p.candidate.id for p in picks) == [c.id for c in objects]
    assert [p.remaining for p in picks] == list(range(57, 0, -1))


@pytest.mark.parametrize("sizes, stratify, message", [
    ({"全部": 11}, False, "「全部」抽取数量 11 超过可抽检查对象数 10"),
    ({"高风险": 3}, True, "「高风险」抽取数量 3 超过可抽检查对象数 2"),
    ({"特高风险": 1}, True, "分层「特高风险」无效"),
    ({"高风险": 1}, False, "分层「高风险」无效"),
    ({"全部": 0}, False, "合计为 0"),
    ({"全部": -1}, False, "应为非负整数"),
])
def test_impossible_sample_sizes_are_refused_before_any_entropy_is_used(sizes, stratify, message):
    with pytest.raises(DrawError, match=message):
        prepare_draw(candidates=KAT_CANDIDATES, sizes=sizes, stratify=stratify, inspectors=KAT_INSPECTORS,
                     recusals=(), responsible_units=["治安大队"])


def test_bad_roster_rows_are_named():
    with pytest.raises(DrawError, match="检查对象「甲\t店」.*含有制表符"):
        fingerprint([Candidate(1, "甲\t店", "X", "低风险")])
    with pytest.raises(DrawError, match="重复出现（编号 1）"):
        fingerprint([Candidate(1, "甲", "X", "低风险"), Candidate(1, "乙", "Y", "低风险")])
    with pytest.raises(DrawError, match="风险等级「」无法分层"):
        split_strata([Candidate(1, "甲", "X", "")], True)
    with pytest.raises(DrawError, match="没有可抽取的检查对象"):
        prepare_draw(candidates=[], sizes={"全部": 1}, stratify=False, inspectors=KAT_INSPECTORS,
                     recusals=(), responsible_units=["治安大队"])


# ---------------------------------------------------------------- inspectors

def test_each_object_gets_two_officers_and_one_from_each_partner_department():
    record = run_draw(candidates=roster(30), sizes={"全部": 8}, stratify=False,
                      inspectors=staff(6) + staff(3, "市场监督管理局", 200) + staff(2, "生态环境局", 300),
                      recusals=(), responsible_units=["治安大队"], partner_units=["市场监督管理局", "生态环境局"],
                      per_object=2, entropy=["9"])
    for a in record["assignments"]:
        assert [i["unit"] for i in a["inspectors"]] == ["治安大队", "治安大队", "市场监督管理局", "生态环境局"]
        assert [i["slot"] for i in a["inspectors"]] == [0, 1, 2, 3]


def test_workload_is_spread_evenly_when_nobody_is_recused():
    record = run_draw(candidates=roster(100), sizes={"全部": 25}, stratify=False, inspectors=staff(7),
                      recusals=(), responsible_units=["治安大队"], per_object=2, entropy=["load"])
    loads = Counter(i["id"] for a in record["assignments"] for i in a["inspectors"])
    assert len(loads) == 7 and max(loads.values()) - min(loads.values()) <= 1


def test_several_responsible_units_are_drawn_as_one_pool():
    people = staff(1, "治安大队") + staff(1, "城关派出所", 200)
    picks = select("cd" * 32, split_strata(roster(3), False), {"全部": 2})
    teams = assign_inspectors("cd" * 32, picks, people, set(), ["治安大队", "城关派出所"])
    assert all(sorted(p.unit for p in team) == ["城关派出所", "治安大队"] for team in teams.values())


def test_too_few_officers_after_recusal_names_the_object_and_the_reason():
    target = KAT_CANDIDATES[0]
    people = staff(2)
    with pytest.raises(DrawError) as caught:
        run_draw(candidates=[target], sizes={"全部": 1}, stratify=False, inspectors=people,
                 recusals={(people[0].id, target.id)}, responsible_units=["治安大队"], per_object=2, entropy=["1"])
    assert str(caught.value) == ("检查对象「咸宁温泉大酒店」(91421200MA4A1B2C3B)：治安大队可选检查人员不足 2 人"
                                 "（已排除回避 1 人）")


def test_a_missing_partner_department_is_named():
    with pytest.raises(DrawError, match=r"检查对象「通城县隽水旅馆」\(91421222MA4F2M3N0T\)："
                                        r"网信办可选检查人员不足 1 人（已排除回避 0 人）"):
        kat_draw(sizes={"全部": 1}, partner_units=["网信办"])


def test_a_partner_unit_that_is_also_responsible_counts_those_already_drawn():
    with pytest.raises(DrawError, match="治安大队可选检查人员不足 1 人（已排除回避 0 人、本对象已抽中 2 人）"):
        run_draw(candidates=roster(1), sizes={"全部": 1}, stratify=False, inspectors=staff(2), recusals=(),
                 responsible_units=["治安大队"], partner_units=["治安大队"], entropy=["1"])


def test_fewer_than_two_inspectors_per_object_is_refused():
    with pytest.raises(DrawError, match="不得少于 2 人"):
        kat_draw(per_object=1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_objects=st.integers(1, 25),
    n_police=st.integers(2, 9),
    n_partner=st.integers(1, 4),
    data=st.data(),
)
def test_recusals_are_always_respected_and_nobody_serves_twice_on_one_object(n_objects, n_police, n_partner, data):
    objects = roster(n_objects)
    people = staff(n_police) + staff(n_partner, "市场监督管理局", 500)
    size = data.draw(st.integers(1, n_objects))
    pairs = data.draw(st.sets(st.tuples(st.sampled_from([p.id for p in people]),
                                        st.sampled_from([c.id for c in objects])), max_size=30))
    entropy = [data.draw(st.text(min_size=1, max_size=8).filter(str.strip))]
    try:
        record = run_draw(candidates=objects, sizes={"全部": size}, stratify=False, inspectors=people,
                          recusals=pairs, responsible_units=["治安大队"], partner_units=["市场监督管理局"],
                          per_object=2, entropy=entropy)
    except DrawError as exc:
        assert "可选检查人员不足" in str(exc) or "熵" in str(exc) or "随机数" in str(exc)
        return
    for a in record["assignments"]:
        ids = [i["id"] for i in a["inspectors"]]
        assert len(ids) == len(set(ids)) == 3
        assert not any((i, a["object_id"]) in pairs for i in ids)


def test_the_domain_layer_does_not_load_qt():
    code = ("import sys; import models.draw_engine, models.draw_record, models.draw_verify; "
            "assert 'PySide6' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
