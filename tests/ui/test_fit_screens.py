"""A clerk on a 1366×768 office PC (1366×728 above the Windows task bar) sees every page and dialog whole,
and the witnesses see the whole draw on a 1024×768, 1366×768 or 1920×1080 projector.

Offscreen the screen is 800×800, so each story gives the window the office screen's size itself and also
checks the window's minimum size: a window that cannot shrink to the screen does not fit it.
"""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QTabWidget

from tests.ui.fit import OFFICE_SCREEN, problems
from tests.ui.screenshots import save_screenshot
from ui.sections import SECTIONS

PROJECTOR_SCREENS = [(1024, 768), (1366, 768), (1920, 1080)]


@pytest.fixture(autouse=True)
def office_font(qapp):
    """The font the app really starts with (a CJK UI font, at least 10 pt) and Qt's Chinese buttons."""
    from ui.app import ensure_app, pick_ui_font

    ensure_app()
    before = qapp.font()
    qapp.setFont(pick_ui_font())
    yield
    qapp.setFont(before)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo database, built once for this module; each story works on its own copy."""
    from models.db import open_database
    from usecases.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_database(path)
    load_demo(db)
    db.dispose()
    return path


@pytest.fixture
def demo_window(qtbot, tmp_path, demo_file, no_modal_dialogs):
    """The main window on the demo data, at the size it gets maximised on the office screen."""
    from ui.app import build_main_window

    path = tmp_path / "office.sqlite3"
    shutil.copy(demo_file, path)
    win = build_main_window(path)
    qtbot.addWidget(win)
    win.resize(*OFFICE_SCREEN)
    win.show()
    yield win
    draw = win._pages.get("draw")
    if draw is not None and draw.projector is not None:
        draw.projector.close()
    win.ctx.runner.wait()
    win.ctx.db.dispose()


def settle(qtbot, window) -> None:
    """Let queued loads finish and the layouts settle."""
    window.ctx.runner.wait()
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(10)


def run_a_draw(qtbot, page) -> None:
    """Prepare, seal, give entropy and draw, so the draw screens are in their fullest state."""
    from tests.ui.test_draw_page import give_entropy_and_start

    page.projector_options = {"instant": True, "auto": False, "spin_ms": 0}
    page.full_screen = False
    pv = page.prepare_view
    qtbot.waitUntil(lambda: pv.prep is not None, timeout=20000)
    # The hotel item is 部门联合 and the demo roster has no 住建 officers: the clerk writes why (sealed, published).
    pv.partner_gap_edit.setText("住房城乡建设部门本次未派员")
    pv.round_spin.setValue(2)  # the demo already drew round 1 of its hotel item
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.round == 2 and pv.next_button.isEnabled(), timeout=20000)
    qtbot.mouseClick(pv.next_button, Qt.MouseButton.LeftButton)
    projector = give_entropy_and_start(qtbot, page)
    projector.close()


def views_of(window, key):
    """Each state of a section worth looking at: every tab (nested tabs too) and, for 随机抽取, every step."""
    page = window.page(key)
    window.show_section(key)
    yield key
    for tabs in page.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            if tabs.isVisibleTo(window):
                yield f"{key}-{tabs.tabText(i)}"
    if key == "draw":
        page.tabs.setCurrentIndex(0)
        for step in range(page.steps.count()):
            page.steps.setCurrentIndex(step)
            yield f"draw-step{step + 1}"


def test_every_page_fits_an_office_screen_with_the_demo_loaded_and_a_draw_made(qtbot, demo_window):
    win = demo_window
    # Every page exists first: the widest page once made the window grow on every other page.
    for section in SECTIONS:
        win.page(section.key)
    win.show_section("draw")
    run_a_draw(qtbot, win.page("draw"))
    found = {}
    for section in SECTIONS:
        for view in views_of(win, section.key):
            settle(qtbot, win)
            save_screenshot(win, f"fit_{view}.png")
            if trouble := problems(win):
                found[view] = trouble
    assert not found, report(found)


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{view}: {line}" for view, lines in found.items() for line in lines)


def test_the_main_window_opens_within_the_screen_it_is_on():
    from ui.main_window import PREFERRED_SIZE, opening_geometry

    office = QRect(0, 0, 1366, 728)
    rect, maximised = opening_geometry(office)
    assert maximised and office.contains(rect)
    big = QRect(0, 0, 1920, 1040)
    rect, maximised = opening_geometry(big)
    assert not maximised and big.contains(rect) and rect.size() == PREFERRED_SIZE


def projector_record(picks: int = 34):
    """A sealed draw of *picks* hotels out of 670, as the projector receives it (announcement and commitment too)."""
    from tests.ui.test_draw_projector import make_record

    record = make_record(n_candidates=670, size=picks, partners=2)
    record["commitment"] = "5f0a7e2b" * 8
    record.setdefault("meta", {})["announcement_number"] = "2026-001"
    return record


def visible_rows(view) -> list[int]:
    """The result rows on the projector's current page, each wholly inside the table's viewport."""
    table = view.table
    rows = [r for r in range(view.table_model.rowCount()) if not table.isRowHidden(r)]
    viewport = table.viewport().rect()
    return [r for r in rows if viewport.contains(table.visualRect(view.table_model.index(r, 1)))]


@pytest.mark.parametrize("size", PROJECTOR_SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_projector_shows_the_record_number_and_every_pick_on_each_screen(qtbot, size):
    from ui.draw.projector import ProjectorView

    record = projector_record()
    view = ProjectorView(record, 12, "有效", instant=True)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    name = f"{size[0]}x{size[1]}"
    for _reveal in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    QApplication.processEvents()
    save_screenshot(view, f"projector_{name}_reveal.png")
    assert not problems(view, size), "\n".join(problems(view, size))
    # What the witnesses most need stays in view: the record number and its status, the announcement.
    for label in (view.locked_label, view.entropy_label):
        assert label.isVisible() and view.rect().contains(label.geometry())
    assert "记录已保存并锁定，编号 #12" in view.locked_label.text() and "状态：有效" in view.locked_label.text()
    assert "2026-001" in view.entropy_label.text() and "5f0a7e2b" in view.entropy_label.text()

    view.show_all()
    QApplication.processEvents()
    assert not problems(view, size), "\n".join(problems(view, size))
    assert view.locked_label.isVisible() and "2026-001" in view.entropy_label.text()
    assert view.entropy_label.isVisible()
    # Every pick can be read: page by page, with 第 n/m 页 on screen, and each row whole.
    seen: list[int] = []
    pages = view.pager.page_count()
    for page in range(pages):
        QApplication.processEvents()
        save_screenshot(view, f"projector_{name}_table_{page + 1}.png")
        assert view.page_label.isVisible() and view.page_label.text() == f"第 {page + 1}/{pages} 页"
        rows = visible_rows(view)
        assert view.pager.per_page >= 5
        assert rows == list(range(page * view.pager.per_page, min((page + 1) * view.pager.per_page, 34)))
        seen += rows
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert seen == list(range(len(record["picks"])))
    assert view.page_label.text() == f"第 1/{pages} 页"  # after the last page, the first again


def results_import_dialog(ctx, tmp_path, record_id):
    """导入结果填报表 with its preview shown: the demo draw's sheet, exported as a team gets it."""
    from reports.results_sheet import export_draw_sheet
    from ui.inspections.results_sheet_dialog import ResultsImportDialog

    path = tmp_path / "检查结果填报表.xlsx"
    export_draw_sheet(ctx.db, record_id, path)
    dialog = ResultsImportDialog(ctx, path)
    dialog.start()
    return dialog


def joint_visit_dialog(ctx):
    """录入联合检查结果 for the demo's visited joint task (usecases/demo_joint.py)."""
    from models.joint import JointTask
    from sqlalchemy import select

    from ui.inspections.joint_visit_dialog import JointVisitDialog

    with ctx.db.session() as s:
        task_id = s.scalars(select(JointTask.id).where(JointTask.status == "已检查")).first()
    return JointVisitDialog(ctx, task_id)


def jurisdiction_dialog(ctx):
    """设置 → 实施层级 → 修改… on the demo's busiest county (usecases/demo_hierarchy.py)."""
    from models.hierarchy import list_hierarchy
    from ui.settings.hierarchy_tab import JurisdictionDialog

    with ctx.db.read_session() as s:
        rows = list_hierarchy(s)
    busiest = max(rows, key=lambda r: len(r.units), default=None)
    return JurisdictionDialog(rows, busiest)


def dialogs(ctx, tmp_path):
    """Every dialog of the app on the demo data, as a clerk opens it (name → factory).

    The inspection and notice dialogs have their own stories (tests/ui/test_inspections_page.py).
    """
    from sqlalchemy import select

    from models.draw import DrawRecord
    from models.inspection import RectificationNotice
    from models.roster import InspectedObject, Inspector
    from models.supervision import InspectionAttachment, RoutineDuty
    from ui.about import AboutDialog
    from ui.draw.common import result_rows
    from ui.draw.history_view import RecordDialog, SubstituteDialog
    from ui.first_run import FirstRunDialog
    from ui.inspections.check_dialog import CheckDialog
    from ui.inspections.duty_dialog import DutyDialog
    from ui.inspections.evidence_dialog import EvidenceDialog
    from ui.inspections.record_sheet_dialog import DrawSheetsDialog, ObjectSheetDialog
    from ui.inspections.round_sheet_dialog import RoundSheetsDialog
    from ui.inspections.reinspection_dialog import ReinspectionDialog
    from ui.inspections.enforcement_dialog import CompleteStepDialog, EnforcementDialog
    from ui.inspections.joint_group_dialog import JointGroupDialog
    from ui.login import FirstAdminDialog, LoginDialog
    from ui.plans.departments_dialog import DepartmentsDialog
    from ui.plans.import_dialog import ImportPlanDialog
    from ui.plans.item_dialog import ItemDialog
    from ui.plans.plan_dialogs import CopyPlanDialog, NewPlanDialog
    from ui.roster.import_dialog import ImportDialog
    from ui.roster.inspector_dialog import InspectorDialog
    from ui.roster.object_dialog import ObjectDialog
    from ui.roster.events_view import EventDialog
    from ui.roster.recusal_views import AddRecusalDialog, RecusalsDialog
    from ui.settings.connection_tab import ConnectionDialog
    from ui.settings.recovery import RecoveryDialog
    from ui.settings.users_tab import UserDialog

    with ctx.db.session() as s:
        record_id = s.scalars(select(DrawRecord.id)).first()
        object_id = s.scalars(select(InspectedObject.id)).first()
        inspector_id = s.scalars(select(Inspector.id)).first()
        notice_id = s.scalars(select(RectificationNotice.id)).first()
        from models.supervision import EnforcementStep

        failed_id = s.scalars(select(EnforcementStep.notice_id)).first()  # demo_enforcement's failed 复查
        duty_id = s.scalars(select(RoutineDuty.id)).first()
        from models.inspection import Inspection

        check_id = s.scalars(select(Inspection.id).where(Inspection.source == "举报投诉")).first()  # demo_checks
        evidence_of = s.scalars(select(InspectionAttachment.inspection_id)).first()  # the demo's photo and scan
        from models.draw_history import load_record

        record = load_record(s, record_id)
    from models.plan import Plan

    with ctx.db.session() as s:
        plan = s.scalars(select(Plan)).first()
        year, item_id = plan.year, plan.items[0].id
    from datetime import date

    today = date.today()
    return {
        "about": lambda: AboutDialog(ctx.db.path),
        "first_run": lambda: FirstRunDialog(ctx),
        "login": lambda: LoginDialog(ctx.db),
        "connection": lambda: ConnectionDialog(ctx.runner, problem="无法打开数据库 postgresql+psycopg://ssj@"
                                               "192.168.1.10:5432/ssj：无法连接到服务器，请检查服务器地址、端口"
                                               "以及服务器是否已启动。"),
        "first_admin": lambda: FirstAdminDialog("postgresql+psycopg://ssj@192.168.1.10:5432/ssj"),
        "recovery": lambda: RecoveryDialog(ctx.db.path, "数据库文件已损坏：file is not a database（第 1 页）"),
        "user": lambda: UserDialog(),
        "jurisdiction": lambda: jurisdiction_dialog(ctx),
        "object_new": lambda: ObjectDialog(ctx),
        "object_edit": lambda: ObjectDialog(ctx, object_id),
        "object_passport": lambda: _with_kind(ObjectDialog(ctx), "护照"),
        "inspector_edit": lambda: InspectorDialog(ctx, inspector_id),
        "recusals": lambda: RecusalsDialog(ctx, inspector_id=inspector_id, title="回避关系"),
        "add_recusal": lambda: AddRecusalDialog(ctx, object_id=object_id),
        "event_new": lambda: EventDialog(ctx),
        "roster_import": lambda: ImportDialog(ctx, "objects", tmp_path / "名录.xlsx"),
        "new_plan": lambda: NewPlanDialog(ctx, bureau="演示县公安局"),
        "copy_plan": lambda: CopyPlanDialog(ctx, from_year=year),
        "plan_import": lambda: ImportPlanDialog(ctx, year=year),
        "departments": lambda: DepartmentsDialog(ctx, year=year),
        "plan_item": lambda: ItemDialog(ctx, year, item_id),
        "draw_record": lambda: RecordDialog(ctx, record_id),
        "substitute": lambda: SubstituteDialog(result_rows(record)),
        "reinspection": lambda: ReinspectionDialog(ctx, notice_id),
        # The 通报抄告 form is the tallest: department, request text and the letter's checkbox.
        "enforcement": lambda: (d := EnforcementDialog(ctx, failed_id), d.kind.setCurrentText("通报抄告"), d)[-1],
        "enforcement_done": lambda: CompleteStepDialog(ctx, failed_id),
        "duty_new": lambda: DutyDialog(ctx),
        "check_new": lambda: CheckDialog(ctx),
        "check_edit": lambda: CheckDialog(ctx, inspection_id=check_id),
        "duty_edit": lambda: DutyDialog(ctx, duty_id),
        "evidence": lambda: EvidenceDialog(ctx, evidence_of),
        "record_sheets_draw": lambda: DrawSheetsDialog(ctx, record_id),
        "record_sheet_object": lambda: ObjectSheetDialog(ctx),
        "round_sheets": lambda: RoundSheetsDialog(ctx, duty_id, None, today.year, today.month),
        "results_import": lambda: results_import_dialog(ctx, tmp_path, record_id),
        "joint_visit": lambda: joint_visit_dialog(ctx),
        "joint_group": lambda: JointGroupDialog(ctx, year),
    }


def test_every_dialog_fits_an_office_screen(qtbot, demo_window, tmp_path):
    found = {}
    for name, make in dialogs(demo_window.ctx, tmp_path).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot, demo_window)
        # A dialog keeps the size it asks for unless that is more than the screen.
        dialog.resize(dialog.size().boundedTo(QSize(*OFFICE_SCREEN)))
        QApplication.processEvents()
        save_screenshot(dialog, f"fit_dialog_{name}.png")
        if trouble := problems(dialog):
            found[name] = trouble
        for tabs in dialog.findChildren(QTabWidget):
            for i in range(1, tabs.count()):
                tabs.setCurrentIndex(i)
                QApplication.processEvents()
                save_screenshot(dialog, f"fit_dialog_{name}-{tabs.tabText(i)}.png")
                if trouble := problems(dialog):
                    found[f"{name}-{tabs.tabText(i)}"] = trouble
        dialog.close()
    assert not found, report(found)


def test_the_database_connection_tab_fits_an_office_screen(qtbot, demo_window):
    """设置 → 数据库连接 (the settings page is itself the tab widget, so the walk above shows only its first tab)."""
    win = demo_window
    page = win.show_section("settings")
    page.setCurrentWidget(page.connection)
    form = page.connection.form
    found = {}
    for state in ("file", "server"):
        if state == "server":
            form.server.setChecked(True)
            form.host.setText("192.168.1.10")
            form.user.setText("ssj")
            form.show_verdict(connection_verdict())
        settle(qtbot, win)
        save_screenshot(win, f"fit_settings-数据库连接-{state}.png")
        if trouble := problems(win):
            found[state] = trouble
    assert not found, report(found)


def connection_verdict():
    from models.connection import EMPTY, Verdict

    return Verdict(EMPTY, "连接成功：数据库 postgresql+psycopg://ssj@192.168.1.10:5432/ssj 是空的，尚未建立本软件的"
                          "数据表。可以现在建立（需设置第一个管理员的用户名和密码）。")


def _with_kind(dialog, kind: str):
    """An object dialog with its 证件类型 chosen (the passport's extra 国籍/签发国 row must fit too)."""
    dialog.id_kind.setCurrentText(kind)
    return dialog


def test_the_draw_screen_of_a_per_event_item_with_its_period_fits_an_office_screen(qtbot, demo_window):
    """The demo's 大型群众性活动 item: 活动期间 from–to, 本期登记活动 N 场 and the share beside 抽取数量."""
    from models.plan import Plan, PlanItem

    win = demo_window
    page = win.show_section("draw")
    with win.ctx.db.read_session() as s:
        number = s.scalar(PlanItem.__table__.select().with_only_columns(PlanItem.number).join(Plan.__table__)
                          .where(Plan.year == 2022, PlanItem.per_event.is_(True)).limit(1))
    pv = page.prepare_view
    pv.select(2022, number, round_=2)
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.round == 2 and pv.event_choice.isVisible(), timeout=20000)
    settle(qtbot, win)
    save_screenshot(win, "fit_draw-per-event.png")
    assert problems(win) == []
