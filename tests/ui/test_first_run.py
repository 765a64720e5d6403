"""A new office starts the app: the welcome asks the bureau's name and offers import, demo data or an empty start."""
from __future__ import annotations


import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog
from sqlalchemy import func, select

from models import settings
from models.roster import InspectedObject
from ui.app import build_main_window
from ui.first_run import DEMO, EMPTY, IMPORT, FirstRunDialog, maybe_welcome
from tests.ui.screenshots import save_screenshot



def _answer(name, short, button):
    """Replace exec(): fill in the form and press one of the three buttons, as the clerk would."""
    def fake_exec(dialog):
        dialog.bureau_name.setText(name)
        dialog.bureau_short.setText(short)
        save_screenshot(dialog, "first_run.png")
        getattr(dialog, f"{button}_button").click()
        return dialog.result()
    return fake_exec


def test_start_empty_names_the_bureau_and_the_welcome_is_not_shown_again(window, monkeypatch):
    monkeypatch.setattr(FirstRunDialog, "exec", _answer("沂源县公安局", "沂公(治)", "empty"))
    assert maybe_welcome(window) == EMPTY
    with window.ctx.db.session() as s:
        assert settings.get(s, "bureau_name") == "沂源县公安局"
        assert settings.get(s, "bureau_short") == "沂公(治)"
        assert settings.get(s, "first_run_done") is True
    assert window.windowTitle() == "双随机 desk — 沂源县公安局"
    shown = []
    monkeypatch.setattr(FirstRunDialog, "exec", lambda d: shown.append(d) or QDialog.DialogCode.Rejected)
    assert maybe_welcome(window) is None and shown == []


def test_the_bureau_name_is_required(qtbot, window):
    dialog = FirstRunDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.empty_button.click()
    assert dialog.choice is None and dialog.result() != QDialog.DialogCode.Accepted
    assert "请填写单位名称" in dialog.message.text()
    with window.ctx.db.session() as s:
        assert settings.needs_first_run(s)


def test_load_demo_data_fills_the_roster_in_the_background(window, qtbot, monkeypatch, no_modal_dialogs, tmp_path):
    monkeypatch.setattr(FirstRunDialog, "exec", _answer("平邑县公安局", "", "demo"))
    assert maybe_welcome(window) == DEMO
    # The clerk sees a progress bar with 取消 while the demo loads, not a frozen window.
    progress = [d for d in window.findChildren(QProgressDialog) if "演示数据" in d.labelText()]
    assert window.ctx.runner.busy and progress
    qtbot.waitUntil(lambda: any("已载入演示数据" in text for _, text in no_modal_dialogs), timeout=60000)
    message = next(text for _, text in no_modal_dialogs if "已载入演示数据" in text)
    # The clerk is told everything the demo holds, not only the roster.
    for what in ("检查对象 3000 个", "年度抽查计划 3 份", "抽取记录 1 条", "检查记录 8 条", "整改通知书 3 份"):
        assert what in message
    with window.ctx.db.session() as s:
        assert s.scalar(select(func.count(InspectedObject.id))) >= 1000
    assert window.stack.currentWidget() is window.page("roster")
    _documents_carry_the_typed_bureau(window.ctx.db, "平邑县公安局", tmp_path)


def _documents_carry_the_typed_bureau(db, bureau: str, folder) -> None:
    """The demo's plan, its 抽取结果记录表, the publicity and the notices name the bureau typed at the welcome."""
    from datetime import date

    from models.draw import DrawRecord
    from models.draw_history import load_record, record_status
    from models.inspection import RectificationNotice
    from models.plan_service import find_plan
    from models.supervision import EnforcementStep
    from reports.draw_docs import write_draw_record_docx
    from reports.publicity import export_results
    from tests.helpers import docx_text

    year = date.today().year
    with db.session() as s:
        plan = find_plan(s, year)
        assert plan.bureau == bureau and plan.title.startswith(bureau)
        # this year's newest draw: the demo also draws the seed plans of other bureaus' years (沂源 2022 …)
        from models.plan import PlanItem
        record_id = s.scalar(select(func.max(DrawRecord.id)).join(PlanItem, PlanItem.id == DrawRecord.plan_item_id)
                             .where(PlanItem.plan_id == plan.id))
        record, status = load_record(s, record_id), record_status(s, record_id)
        notices = [n.file_path for n in s.scalars(select(RectificationNotice))]
        # and the demo's 抄告函 (usecases/demo_enforcement.py)
        letters = [p for p in s.scalars(select(EnforcementStep.file_path)) if p]
    texts = [docx_text(write_draw_record_docx(record, status, folder / "record.docx")),
             docx_text(export_results(db, year, folder / "publicity.docx"))]
    texts += [docx_text(path) for path in notices + letters]
    assert len(notices) >= 3 and len(letters) == 1 and len(texts) == 2 + len(notices) + len(letters)
    for text in texts:
        assert bureau in text and "演示县公安局" not in text


def test_import_from_excel_opens_the_roster_import(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: asked.append(a[1] if len(a) > 1 else "") or ("", ""))
    monkeypatch.setattr(FirstRunDialog, "exec", _answer("鹿泉区公安分局", "", "import"))
    assert maybe_welcome(window) == IMPORT
    assert window.stack.currentWidget() is window.page("roster")
    qtbot.waitUntil(lambda: bool(asked))
    assert "导入" in asked[0]


def test_the_welcome_is_not_shown_to_a_clerk_or_on_a_database_with_data(qtbot, db_path, monkeypatch):
    win = build_main_window(db_path, user="clerk", role="录入员")
    qtbot.addWidget(win)
    monkeypatch.setattr(FirstRunDialog, "exec", lambda d: pytest.fail("the welcome must not be shown"))
    assert maybe_welcome(win) is None
    win.ctx.db.dispose()
