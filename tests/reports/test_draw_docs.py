"""The printed 抽取结果记录表 and the candidate list carry everything a witness signs and a citizen re-checks."""
from __future__ import annotations

from openpyxl import load_workbook

from models.draw_record import record_hash
from models.draw_service import prepare_draw
from reports.draw_docs import VERIFY_TEXT, write_candidates_docx, write_candidates_xlsx, write_draw_record_docx
from tests.helpers import docx_text
from tests.models.draw_fixtures import ENTROPY, WITNESSES, build_world
from tests.models.draw_fixtures import sealed_draw as execute_draw
from tests.models.draw_fixtures import sealed_redraw as redraw


def _prepared(db):
    build_world(db)
    with db.read_session() as s:
        return prepare_draw(s, 2024, "1")


def test_the_record_sheet_holds_item_witnesses_fingerprint_seed_and_every_pick(db, tmp_path):
    saved = execute_draw(db, _prepared(db), entropy=ENTROPY, witnesses=WITNESSES, place="局三楼会议室",
                         operator="张文书")
    path = write_draw_record_docx(saved.record, "有效", tmp_path / "抽取结果记录表.docx")
    text = docx_text(path)
    assert "抽取结果记录表" in text and "测试县公安局" in text
    assert "对旅馆的监督检查" in text and "全年抽查比例不低于5%" in text and "局三楼会议室" in text
    assert saved.record["fingerprint"] in text and saved.record["seed"] in text and record_hash(saved.record) in text
    for e in ENTROPY:
        assert e in text
    for w in WITNESSES:
        assert f"监督人/见证人：{w}　　签名：____" in text
    assert "操作人：张文书" in text
    for pick in saved.picks:
        assert pick["name"] in text and pick["code"] in text
    for entry in saved.assignments:
        for person in entry["inspectors"]:
            assert f"{person['name']}（{person['unit']}）" in text
    assert "可抽检查对象数\n41 户" in text and "抽取数量\n3 户" in text and "非在营 3 户" in text
    assert VERIFY_TEXT in text and "verify-draw 记录.json" in text
    # A witness is sent to the published verifier page, not to a developer's command line.
    assert "验证页面.html" in text and "python main.py" not in text
    assert not list(tmp_path.glob("*.part"))  # the temporary file was replaced into place


def test_a_redraw_sheet_states_the_reason_and_the_replaced_record(db, tmp_path):
    first = execute_draw(db, _prepared(db), entropy=ENTROPY, witnesses=WITNESSES, place="", operator="张文书")
    again = redraw(db, first.id, reason="见证人未签到", entropy=["9 9 9"], witnesses=WITNESSES, place="",
                   operator="张文书")
    text = docx_text(write_draw_record_docx(again.record, "有效", tmp_path / "重抽.docx"))
    assert "重新抽取" in text and "见证人未签到" in text and f"第 {first.id} 号记录" in text
    assert first.record_hash in text
    old = docx_text(write_draw_record_docx(first.record, "已被重抽替代", tmp_path / "原记录.docx"))
    assert "已被重抽替代" in old


def test_the_candidate_list_is_printable_before_the_draw(db, tmp_path):
    prep = _prepared(db)
    ws = load_workbook(write_candidates_xlsx(prep, tmp_path / "待抽名单.xlsx")).active
    cells = [list(row) for row in ws.iter_rows(values_only=True)]
    flat = [str(v) for row in cells for v in row if v is not None]
    assert prep.fingerprint in flat and prep.setup_fingerprint in flat
    header = next(i for i, row in enumerate(cells) if row[0] == "序号")
    body = cells[header + 1:]
    assert len(body) == 41
    assert [r[3] for r in body] == [c.code for c in prep.candidates]
    text = docx_text(write_candidates_docx(prep, tmp_path / "待抽名单.docx"))
    assert prep.fingerprint in text and all(c.name in text for c in prep.candidates)
