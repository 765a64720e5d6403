"""Stories: a clerk publishes the year's results and tasks (一公开) — the right rows, nothing private, nothing
executable."""
from __future__ import annotations

import os
import stat
import zipfile
from datetime import date

import openpyxl
import pytest
from docx import Document

from models.errors import UserError
from models.year_data import YearDataError
from reports.publicity import RESULT_HEADERS, TASK_HEADERS, export_results, export_tasks
from reports.table_docs import ExportCancelled
from tests.reports.publicity_world import FORMULA_NAME, REDRAW_REASON, publicity_world
from tests.tamper import tamper

AS_OF = date(2024, 7, 1)


@pytest.fixture
def world(db, tmp_path):
    return publicity_world(db, tmp_path)


def _sheet_rows(path):
    ws = openpyxl.load_workbook(path).active
    return ws, [[("" if v is None else str(v)) for v in row] for row in ws.iter_rows(values_only=True)]


def _raw_text(path) -> str:
    """Every XML part of the file, so nothing private can hide in a style, a comment or a shared string."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def _assert_nothing_private(path, world):
    text = _raw_text(path)
    for phone in world["phones"]:
        assert phone not in text
    for badge in world["badges"]:
        assert f">{badge}<" not in text
    for name in world["inspector_names"]:
        assert name not in text
    assert "法人" not in text and "执法证" not in text


def test_year_results_xlsx_has_title_columns_and_a_known_row(db, world, tmp_path):
    path = export_results(db, 2024, tmp_path / "结果公示.xlsx", as_of=AS_OF)
    ws, rows = _sheet_rows(path)
    assert rows[0][0] == "测试县公安局2024年度“双随机、一公开”抽查结果公示"
    assert "统计截至2024年7月1日" in rows[1][0] and "共5户" in rows[1][0]
    assert rows[2] == RESULT_HEADERS
    by_name = {r[2]: r for r in rows[3:8]}
    b = by_name[world["hotels"][1].object_name]
    assert b[1] == "对旅馆的监督检查" and b[3] == world["hotels"][1].credit_code
    assert b[4] == "2024-05-06" and b[5] == "治安大队" and b[6] == "实地检查"
    assert b[7] == "发现问题待后续处理（违反公安部门相关规定）" and b[8] == "已整改"
    assert b[9].startswith(f"#{world['draw_id']}（")
    # Drawn, not yet inspected: listed as 待检查 so the whole draw is visible.
    assert by_name[world["hotels"][2].object_name][7] == "待检查" and by_name[world["hotels"][2].object_name][8] == "—"
    # The café notice's deadline passed without a 复查.
    cafe = next(r for r in rows[3:8] if r[8] == "逾期未整改")
    assert cafe[2].startswith("极速") and cafe[4] == "2024-05-09"
    # Rows of the re-draw say which record they replace and why.
    redrawn_rows = [r for r in rows[3:8] if r[9].startswith(f"#{world['redraw_id']}（")]
    assert len(redrawn_rows) == 2
    assert all(r[10] == f"原抽取记录 #{world['first_cafe_id']} 已重抽，原因：{REDRAW_REASON}" for r in redrawn_rows)
    assert cafe[9].startswith(f"#{world['redraw_id']}（")
    assert any("重新抽取与替补说明" in r[0] for r in rows[8:])
    _assert_nothing_private(path, world)


def test_a_name_that_looks_like_a_formula_stays_text(db, world, tmp_path):
    path = export_results(db, 2024, tmp_path / "结果公示.xlsx", as_of=AS_OF)
    ws = openpyxl.load_workbook(path).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == FORMULA_NAME]
    assert cells, "the object's name is in the table as typed"
    assert all(c.data_type == "s" for c in cells)
    assert "<f>" not in _raw_text(path)


def test_results_docx_has_title_table_and_rows_without_private_data(db, world, tmp_path):
    path = export_results(db, 2024, tmp_path / "结果公示.docx", as_of=AS_OF)
    doc = Document(str(path))
    assert doc.paragraphs[0].text == "测试县公安局2024年度“双随机、一公开”抽查结果公示"
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == RESULT_HEADERS
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(body) == 5
    b = next(r for r in body if r[2] == world["hotels"][1].object_name)
    assert b[7].startswith("发现问题待后续处理") and b[8] == "已整改"
    assert any(r[2] == FORMULA_NAME for r in body)
    assert any(REDRAW_REASON in p.text for p in doc.paragraphs)
    _assert_nothing_private(path, world)


def test_one_task_only_lists_its_own_draw(db, world, tmp_path):
    path = export_results(db, 2024, tmp_path / "任务.xlsx", record_id=world["redraw_id"], as_of=AS_OF)
    _ws, rows = _sheet_rows(path)
    assert f"抽取记录：#{world['redraw_id']}（" in rows[1][0] and "对网吧的监督检查" in rows[1][0]
    body = [r for r in rows[3:] if r[0].isdigit()]
    assert {r[2] for r in body} == {c.object_name for c in world["cafes"]}


def test_a_redrawn_task_cannot_be_published_and_the_message_names_the_new_record(db, world, tmp_path):
    target = tmp_path / "旧.xlsx"
    with pytest.raises(YearDataError, match=f"#{world['first_cafe_id']} 已被重抽替代.*#{world['redraw_id']}"):
        export_results(db, 2024, target, record_id=world["first_cafe_id"])
    assert not target.exists()


def test_tasks_publicity_lists_every_draw_with_the_objects_drawn(db, world, tmp_path):
    for suffix in (".xlsx", ".docx"):
        path = export_tasks(db, 2024, tmp_path / f"任务公示{suffix}", as_of=AS_OF)
        if suffix == ".xlsx":
            _ws, rows = _sheet_rows(path)
            assert rows[0][0] == "测试县公安局2024年度“双随机、一公开”抽查任务公示"
            assert rows[2] == TASK_HEADERS
            body = rows[3:6]
        else:
            doc = Document(str(path))
            assert doc.paragraphs[0].text.endswith("抽查任务公示")
            body = [[c.text for c in row.cells] for row in doc.tables[0].rows[1:]]
        assert [r[1] for r in body] == ["对旅馆的监督检查", "对网吧的监督检查", "对网吧的监督检查"]
        assert body[0][3] == "3" and world["hotels"][1].object_name in body[0][4]
        assert body[1][6] == f"已被重抽替代（见 #{world['redraw_id']}）"
        assert body[2][6] == "有效" and REDRAW_REASON in body[2][7]
        _assert_nothing_private(path, world)


def test_export_reports_progress_and_a_cancel_leaves_the_old_file(db, world, tmp_path):
    target = tmp_path / "结果公示.xlsx"
    target.write_bytes(b"old")
    seen = []
    export_results(db, 2024, target, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (100, 100) and all(d <= t for d, t in seen)
    target.write_bytes(b"old")
    with pytest.raises(ExportCancelled):
        export_results(db, 2024, target, cancelled=lambda: True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_unknown_format_is_refused_in_chinese(db, world, tmp_path):
    with pytest.raises(ValueError, match="不支持的导出格式"):
        export_results(db, 2024, tmp_path / "结果.pdf")


def test_the_full_record_hash_fingerprint_and_audit_head_are_printed_under_the_table(db, world, tmp_path):
    """The 抽取记录 column shows only the start of the fingerprint.

    The notes give every hash in full, in four blocks.
    """
    from models.draw_audit import audit_head, hex_blocks
    from models.draw_service import load_record
    from models.draw_record import record_to_json
    import hashlib

    path = export_results(db, 2024, tmp_path / "结果公示.xlsx", as_of=AS_OF)
    _ws, rows = _sheet_rows(path)
    notes = [r[0] for r in rows[8:]]
    assert any(n.startswith("抽取记录的记录哈希和名单指纹") for n in notes)
    with db.read_session() as s:
        record = load_record(s, world["redraw_id"])
        head = audit_head(s)
    # The printed record hash is what sha256sum gives for the published record file.
    file_hash = hashlib.sha256(record_to_json(record).encode("utf-8")).hexdigest()
    assert f"#{world['redraw_id']}　记录哈希 {hex_blocks(file_hash)}" in notes
    assert f"#{world['redraw_id']}　名单指纹 {hex_blocks(world['redraw_fingerprint'])}" in notes
    # The replaced record's objects are not in the table, so its hashes are not cited there.
    assert not any(n.startswith(f"#{world['first_cafe_id']}　") for n in notes)
    assert any(n.startswith(f"审计日志头：第 {head['id']} 条　哈希 {hex_blocks(head['hash'])}") for n in notes)


def test_a_voided_announcement_stays_in_the_task_publicity_with_its_reason(db, world, tmp_path):
    from models.draw_prepare import prepare_draw
    from models.seal_service import seal, void

    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1", round=2)
    sealed = seal(db, prep, entropy_source="见证人现场报数", operator="测试员")
    void(db, sealed.year, sealed.number, reason="回避关系有新申报", operator="测试员")
    for name in ("任务公示.xlsx", "任务公示.docx"):
        path = export_tasks(db, 2024, tmp_path / name, as_of=AS_OF)
        if name.endswith(".xlsx"):
            _ws, rows = _sheet_rows(path)
            body = [r for r in rows[3:] if r[0].isdigit()]
            notes = [r[0] for r in rows]
        else:
            doc = Document(str(path))
            body = [[c.text for c in r.cells] for r in doc.tables[0].rows[1:]]
            notes = [p.text for p in doc.paragraphs]
        voided = [r for r in body if r[5] == f"公告 {sealed.label}"]
        assert len(voided) == 1 and voided[0][6] == "作废" and voided[0][7] == "作废原因：回避关系有新申报"
        drawn = next(r for r in body if r[5].startswith(f"#{world['draw_id']}（"))
        assert "依据抽取公告 2024-001" in drawn[7]
        assert any(n.startswith("抽取公告 2024-001　承诺值 ") and n.endswith(f"已抽取（记录 #{world['draw_id']}）")
                   for n in notes)
        assert any(n.startswith(f"抽取公告 {sealed.label}　承诺值 ") and n.endswith("作废，原因：回避关系有新申报")
                   for n in notes)


def test_a_record_with_a_substitute_says_so_in_the_task_publicity(db, world, tmp_path):
    from tests.models.draw_fixtures import sealed_substitute as substitute
    from tests.models.draw_fixtures import WITNESSES

    hotel = world["hotels"][2]
    sub = substitute(db, world["draw_id"], hotel.object_id, reason="到场发现已停业", entropy=["9 9 9"],
                     witnesses=WITNESSES, place="会议室", operator="测试员")
    path = export_tasks(db, 2024, tmp_path / "任务公示.xlsx", as_of=AS_OF)
    _ws, rows = _sheet_rows(path)
    body = {r[5].split("（")[0]: r for r in rows[3:] if r[0].isdigit()}
    original, replacement = body[f"#{world['draw_id']}"], body[f"#{sub.id}"]
    assert original[6] == "有效" and original[7].startswith(f"部分对象已替补，见抽取记录 #{sub.id}；依据抽取公告 ")
    assert "到场发现已停业" in replacement[7] and hotel.object_name in replacement[7]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_an_export_gets_the_permissions_of_a_normal_file_not_the_temporary_files(db, world, tmp_path):
    """The temporary file is private (0600); the published table must not stay unreadable to colleagues."""
    old = os.umask(0o022)
    try:
        path = export_results(db, 2024, tmp_path / "结果公示.docx", as_of=AS_OF)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    path.chmod(0o640)
    export_results(db, 2024, path, as_of=AS_OF)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640, "replacing a file keeps its permissions"


def test_a_pick_row_changed_behind_the_locked_record_is_never_published(db, world, tmp_path):
    # Someone drops the trigger and swaps the first drawn hotel for another company in the pick table.
    honest = export_tasks(db, 2024, tmp_path / "任务公示.xlsx", as_of=AS_OF)
    _ws, rows = _sheet_rows(honest)
    listed = "\n".join(r[4] for r in rows)
    with db.read_session() as s:
        from models.roster import InspectedObject

        outsider = next(o for o in s.query(InspectedObject).order_by(InspectedObject.id) if o.name not in listed)
    pick = world["hotels"][2].pick_id
    tamper(db, f"UPDATE draw_picks SET object_id = {outsider.id} WHERE id = {pick}", unlock=("draw_picks",))
    for export, name in ((export_tasks, "任务公示.docx"), (export_results, "结果公示.xlsx"),
                         (export_tasks, "任务公示2.xlsx")):
        with pytest.raises(UserError) as refused:
            export(db, 2024, tmp_path / name, as_of=AS_OF)
        message = str(refused.value)
        assert f"抽取记录 #{world['draw_id']}" in message and "抽中对象表与锁定的记录不一致" in message
        assert "verify-audit" in message
        assert not (tmp_path / name).exists()
    # The statistics refuse the same way: they count the same picks.
    from models.statistics import year_stats

    with db.read_session() as s, pytest.raises(UserError, match=f"抽取记录 #{world['draw_id']}"):
        year_stats(s, 2024, as_of=AS_OF)


def test_an_inspector_swapped_behind_the_locked_record_stops_the_results_export(db, world, tmp_path):
    tamper(db, "UPDATE draw_assignments SET inspector_id = (SELECT max(id) FROM inspectors) "
               "WHERE id = (SELECT min(id) FROM draw_assignments)", unlock=("draw_assignments",))
    with pytest.raises(UserError, match="检查人员分配表与锁定的记录不一致"):
        export_results(db, 2024, tmp_path / "结果公示.docx", as_of=AS_OF)
