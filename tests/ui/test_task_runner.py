"""The one background-task runner: progress reaches the UI thread, 取消 stops the job, failures come back."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QPushButton

from ui.tasks import TaskRunner


class Stopped(Exception):
    pass


@pytest.fixture
def runner():
    r = TaskRunner()
    yield r
    r.wait()


def test_progress_is_reported_and_the_result_arrives_on_the_ui_thread(qtbot, runner):
    go = threading.Event()
    results, seen, threads = [], [], []

    def job(progress, cancelled):
        go.wait(10)   # hold until the test listens, so no progress report is missed
        threads.append(threading.current_thread())
        for i in range(1, 6):
            progress(i, 5)
        return "完成"

    task = runner.run(None, job, label="正在处理……", on_success=results.append)
    task.signals.progress.connect(lambda done, total: seen.append((done, total)))
    assert runner.busy
    with qtbot.waitSignal(task.done, timeout=10000) as blocker:
        go.set()
    assert blocker.args == ["完成"]
    assert results == ["完成"]
    assert seen == [(i, 5) for i in range(1, 6)]
    assert threads[0] is not threading.main_thread()
    assert not runner.busy and not task.running


def test_pressing_cancel_on_the_progress_dialog_stops_the_job(qtbot, runner):
    started = threading.Event()
    failures = []

    def job(progress, cancelled):
        progress(1, 100)
        started.set()
        tick = threading.Event()
        for _ in range(2000):        # bounded, so a broken cancel fails instead of hanging
            if cancelled():
                raise Stopped("已取消")
            tick.wait(0.005)          # a slice of real work
        return "not cancelled"

    task = runner.run(None, job, label="正在导入……", on_failure=failures.append)
    assert started.wait(10)
    assert task.dialog is not None and task.dialog.labelText() == "正在导入……"
    cancel_button = next(b for b in task.dialog.findChildren(QPushButton) if b.text() == "取消")
    with qtbot.waitSignal(task.error, timeout=10000) as blocker:
        cancel_button.click()
    assert isinstance(blocker.args[0], Stopped)
    assert isinstance(failures[0], Stopped)
    assert task.dialog is None               # the dialog is gone after the job ends


def test_a_failing_job_reports_its_exception_with_the_traceback(qtbot, runner):
    task = runner.run(None, lambda progress, cancelled: 1 / 0, label="计算", show_dialog=False)
    with qtbot.waitSignal(task.error, timeout=10000) as blocker:
        pass
    exc = blocker.args[0]
    assert isinstance(exc, ZeroDivisionError)
    assert "ZeroDivisionError" in exc.__traceback_text__


def test_jobs_run_one_after_another(qtbot, runner):
    order = []
    gate = threading.Event()

    def first(progress, cancelled):
        gate.wait(10)
        order.append("first")

    def second(progress, cancelled):
        order.append("second")

    runner.run(None, first, label="一", show_dialog=False)
    last = runner.run(None, second, label="二", show_dialog=False)
    with qtbot.waitSignal(last.done, timeout=10000):
        gate.set()
    assert order == ["first", "second"]


def test_the_runner_announces_what_changed_even_when_the_job_fails_part_way(qtbot, runner, db):
    from ui.context import AppContext, Topic

    ctx = AppContext(db, runner, user="内勤")
    heard = []
    ctx.subscribe(heard.append)
    task = runner.run(None, lambda progress, cancelled: "ok", label="制作", show_dialog=False,
                      announce=(Topic.NOTICES,))
    with qtbot.waitSignal(task.done, timeout=10000):
        pass
    assert heard == ["notice"]

    def batch_that_fails(progress, cancelled):   # earlier notices were committed before the failure
        raise RuntimeError("模板损坏")
    failures = []
    task = runner.run(None, batch_that_fails, label="批量制作", show_dialog=False,
                      announce=(Topic.NOTICES, Topic.INSPECTIONS), on_failure=failures.append)
    with qtbot.waitSignal(task.error, timeout=10000):
        pass
    assert heard == ["notice", "notice", "inspection"] and len(failures) == 1


def test_a_closed_window_or_a_newer_run_gets_no_callback(qtbot, runner):
    from PySide6.QtWidgets import QWidget

    gate = threading.Event()
    called = []

    def held(progress, cancelled):
        gate.wait(10)
        return "旧"

    window = QWidget()
    gone = runner.run(window, held, label="准备", on_success=called.append)   # its progress dialog goes with it
    window.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(window), timeout=5000)
    with qtbot.waitSignal(gone.done, timeout=10000):
        gate.set()
    assert called == []                      # its window is gone: nobody is left to tell

    gate.clear()
    older = runner.run(None, held, label="准备", show_dialog=False, on_success=called.append, key="待抽名单")
    newer = runner.run(None, lambda progress, cancelled: "新", label="准备", show_dialog=False,
                       on_success=called.append, key="待抽名单")
    with qtbot.waitSignal(newer.done, timeout=10000):
        gate.set()
    assert not older.running
    assert called == ["新"]                  # the superseded run's result is dropped
