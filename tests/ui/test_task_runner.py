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
