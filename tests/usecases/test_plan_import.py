"""A clerk imports the bureaus' own plan tables (seeds 002 and 004): every column lands in its field, or nothing is
written."""
from __future__ import annotations

import pytest
from openpyxl import Workbook

from usecases.plan_import import apply_plan_import, import_plan_file, preview_plan_import
from models.plan_service import PlanError, get_plan, item_to_dict, plan_overview
from models.roster import DEFAULT_OBJECT_TYPES, ObjectType


@pytest.fixture
def typed_db(db):
    with db.session() as s:
        s.add_all(ObjectType(name=n) for n in DEFAULT_OBJECT_TYPES)
    return db


def items_of(db, year) -> dict[str, dict]:
    with db.session() as s:
        return {it.number: item_to_dict(it) for it in get_plan(s, year).items}


def test_yiyuan_2022_imports_all_twelve_items_field_by_field(typed_db, data_dir):
    preview = preview_plan_import(typed_db, data_dir / "seed_002_yiyuan_2022.tsv", 2022)
    assert preview.ok and len(preview.rows) == 12 and preview.bureau == "沂源县公安局"
    assert apply_plan_import(typed_db, preview, "张三") == 12
    items = items_of(typed_db, 2022)
    assert list(items) == [str(n) for n in range(1, 13)]

    first = items["1"]
    assert first["mode"] == "部门联合"
    assert first["field"] == first["item"] == "对宾馆、旅店取得许可证及治安安全情况的检查"
    assert first["checklist"] == [
        "是否取得特种行业许可证，开展农村旅馆业特种行业许可证复核工作",
        "是否落实旅客信息登记情况",
        "是否建立安全管理制度，治安保卫组织或者指定安全保卫人员",
    ]
    assert first["object_text"] == "各类宾馆、旅店" and first["object_types"] == ["旅馆"]
    assert first["category"] == "一般检查事项"
    assert first["ratio_text"] == "全年抽查比例不低于5%，每年抽查1次"
    assert (first["ratio"], first["ratio_kind"], first["rounds_per_year"], first["per_event"]) == (
        0.05, "min", 1, False)
    assert first["initiator"] == "公安部门" and first["partner_departments"] == ["住房城乡建设等相关部门"]
    assert first["subject"] == "县级相关部门" and first["time_text"] == "5月-11月" and first["months"] == [5, 11]
    assert first["responsible_unit"] == "治安大队"

    second = items["2"]   # second header block: 抽查方式 only on the group's first row
    assert second["mode"] == "公安内部" and items["3"]["mode"] == "公安内部"
    assert second["item"] == "对第二类、第三类易制毒化学品购买的监管"
    assert second["object_types"] == ["易制毒化学品企业"]
    assert second["est_count_text"] == "5家"
    assert second["est_risk"] == {"低风险": 4, "中低风险": 1, "中风险": 0, "高风险": 0}
    assert second["risk_differentiated"] is True
    assert items["3"]["risk_differentiated"] is False   # all in one level
    assert second["responsible_unit"] == "禁毒大队" and second["subject"] == "县公安局"

    event = items["5"]
    assert event["ratio_text"] == "按大型群众性活动实际执行" and event["per_event"] is True
    assert event["ratio"] is None and event["est_risk"] is None

    eleventh = items["11"]
    assert len(eleventh["checklist"]) == 13
    assert eleventh["checklist"][0] == "是否办理联网单位备案手续，并报送接入单位和用户基本信息及其变更情况"
    assert eleventh["object_types"] == ["互联网联网单位"] and eleventh["months"] == [1, 12]
    assert items["7"]["object_types"] == [] and "未关联对象类型" in items["7"]["problems"]


def test_kunming_2024_with_its_two_row_header_imports_all_twelve_items(typed_db, data_dir):
    preview, count = import_plan_file(typed_db, data_dir / "seed_004_kunming_2024.tsv", 2024, "张三")
    assert count == 12 and preview.bureau == "昆明市公安局"
    items = items_of(typed_db, 2024)
    assert list(items) == [str(n) for n in range(1, 13)]

    one = items["1"]
    assert one["field"] == "对从事国际联网业务的单位和个人进行监督检查"
    # No 抽查内容 column: the numbered 抽查事项 text is the checklist.
    assert one["checklist"] == [
        "联网单位办理备案手续情况",
        "制定、落实网络安全管理制度和操作规程情况",
        "为公安机关依法维护国家安全、检查防范调查恐怖活动、侦查犯罪提供技术支持和协助情况",
    ]
    assert one["object_types"] == [] and one["count"] == 10 and one["ratio"] is None
    assert one["initiator"] == "市公安局" and one["methods"] == ["现场检查", "书面检查"]
    assert one["time_text"] == "2024年2月—8月" and one["months"] == [2, 8]
    assert one["basis"].startswith("《中华人民共和国网络安全法》") and one["level"] == "市抽市查 县抽县查"

    three = items["3"]
    assert (three["ratio"], three["count"], three["ratio_text"]) == (0.3, 3, "30%/3户")
    assert three["object_types"] == ["工业大麻种植加工单位"]
    assert items["2"]["object_types"] == ["网吧"] and items["6"]["object_types"] == ["娱乐场所"]
    assert items["9"]["object_types"] == ["典当行"]
    assert items["6"]["checklist"][0] == "开业、变更后是否按规定到公安机关备案"
    assert len(items["6"]["checklist"]) == 6
    assert items["8"]["months"] == [2, 8]          # "2024年2-8月"
    assert items["10"]["ratio"] == 0.2 and items["10"]["ratio_kind"] == "exact"
    twelve = items["12"]
    assert twelve["ratio"] == 0.01 and twelve["level"] == "市抽县查" and len(twelve["checklist"]) == 6
    assert twelve["object_types"] == ["易制毒化学品企业"]


def test_a_row_without_an_inspection_item_imports_nothing(typed_db, data_dir, tmp_path):
    lines = (data_dir / "seed_002_yiyuan_2022.tsv").read_text(encoding="utf-8").splitlines()
    bad_index = next(i for i, line in enumerate(lines) if line.startswith("\t4\t"))
    cells = lines[bad_index].split("\t")
    assert cells[2] == "对危险化学品单位监管"
    cells[2] = ""                                   # 抽查事项 emptied
    lines[bad_index] = "\t".join(cells)
    bad = tmp_path / "bad.tsv"
    bad.write_text("\n".join(lines), encoding="utf-8")

    preview = preview_plan_import(typed_db, bad, 2022)
    assert not preview.ok
    assert [p.row for p in preview.problems] == [bad_index + 1]
    assert "抽查事项" in str(preview.problems[0])
    with pytest.raises(PlanError):
        apply_plan_import(typed_db, preview, "张三")
    with typed_db.session() as s:
        with pytest.raises(PlanError):
            get_plan(s, 2022)


def test_an_existing_plan_is_only_replaced_when_asked(typed_db, data_dir):
    path = data_dir / "seed_004_kunming_2024.tsv"
    import_plan_file(typed_db, path, 2024, "张三")
    again = preview_plan_import(typed_db, path, 2024)
    assert not again.ok and "已有 12 个抽查事项" in str(again.problems[0])
    replaced = preview_plan_import(typed_db, path, 2024, replace=True)
    assert replaced.ok and apply_plan_import(typed_db, replaced, "张三") == 12
    assert len(items_of(typed_db, 2024)) == 12


def test_an_unparsable_ratio_is_imported_and_flagged_not_guessed(typed_db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["演示县公安局2025年度“双随机、一公开”抽查计划"])
    ws.append(["编号", "抽查事项", "检查对象", "抽查比例和频次", "检查时间"])
    ws.append([1, "旅馆检查", "旅馆", "视情况而定", "3月-9月"])
    ws.append([2, "网吧检查", "网吧", "每半年1-2次", "全年"])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    preview, count = import_plan_file(typed_db, path, 2025, "张三")
    assert count == 2 and preview.bureau == "演示县公安局"
    assert [w.row for w in preview.warnings] == [3]
    items = items_of(typed_db, 2025)
    assert items["1"]["rule_parsed"] is False and items["1"]["ratio_text"] == "视情况而定"
    assert (items["2"]["rounds_min"], items["2"]["rounds_max"]) == (2, 4)
    with typed_db.session() as s:
        rows = plan_overview(s, 2025)
    assert rows[0].problems == ["规则无法解析"] and rows[0].draw_size is None


def test_last_years_table_imported_into_a_new_year_gets_the_new_year_in_its_title(typed_db, data_dir):
    preview, count = import_plan_file(typed_db, data_dir / "seed_004_kunming_2024.tsv", 2025, "张三")
    assert count == 12
    assert any("2024" in w.message and "2025" in w.message for w in preview.warnings)
    with typed_db.session() as s:
        plan = get_plan(s, 2025)
        assert plan.title == "2025年度昆明市公安局“双随机、一公开”抽查计划"
        assert plan.bureau == "昆明市公安局"
