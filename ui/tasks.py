"""The one background-task runner: long work runs off the UI thread with a progress bar and 取消.

Service functions take ``progress(done, total)`` and ``cancelled()`` callbacks and know nothing
of threads; this module owns the thread, the dialog and the hand-back to the UI thread, and what
happens after (as Anki's CollectionOp does): it announces the changed topics, whether the job
succeeded or failed part-way (a batch may have committed some of its work), and it drops a
callback whose parent widget is gone or whose run was superseded by a newer one of the same key.
"""
from __future__ import annotations

import threading
import traceback
from typing import Any, Callable, Hashable, Iterable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, cancel_event: threading.Event):
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.cancel_event = cancel_event
        self.setAutoDelete(True)

    def run(self) -> None:  # runs on the worker thread
        try:
            result = self.fn(
                progress=lambda done, total: self.signals.progress.emit(int(done), int(total)),
                cancelled=self.cancel_event.is_set,
            )
        except BaseException as e:  # noqa: BLE001 - every failure is reported to the UI thread
            e.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(e)
        else:
            self.signals.finished.emit(result)


class Task(QObject):
    """A running job: emits ``done(result)`` or ``error(exception)`` on the UI thread."""

    done = Signal(object)
    error = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.signals = _Signals()
        self.dialog: QProgressDialog | None = None
        self.running = True
        self.key: Hashable | None = None

    def cancel(self) -> None:
        self.cancel_event.set()


class TaskRunner(QObject):
    """Runs every database-writing job on one worker thread, one after another."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._tasks: set[Task] = set()
        self._latest: dict[Hashable, Task] = {}
        self._notify: Callable[..., None] | None = None

    def set_notifier(self, notify: Callable[..., None]) -> None:
        """Where announced topics go (AppContext.notify; set by the context that owns this runner)."""
        self._notify = notify

    def run(
        self,
        parent: QWidget | None,
        fn: Callable[..., Any],
        *,
        label: str,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        cancellable: bool = True,
        show_dialog: bool = True,
        announce: Iterable[Any] = (),
        key: Hashable | None = None,
    ) -> Task:
        """Start ``fn(progress=..., cancelled=...)`` in the background and report back on the UI thread.

        When the job ends, ``announce`` (ui.context.Topic values) is sent to every screen, on
        success and on failure alike. ``on_success``/``on_failure`` are then called, unless
        *parent* was destroyed meanwhile or a newer run with the same ``key`` was started.
        """
        task = Task(self)
        task.key = key
        topics = tuple(announce)
        self._tasks.add(task)
        if key is not None:
            self._latest[key] = task
        if show_dialog:
            dlg = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
            dlg.setWindowTitle("请稍候")
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setMinimumDuration(300)
            dlg.setAutoClose(False)
            dlg.setAutoReset(False)
            if not cancellable:
                dlg.setCancelButton(None)
            dlg.canceled.connect(task.cancel)
            dlg.canceled.connect(lambda: dlg.setLabelText("正在取消……"))
            task.dialog = dlg

        def on_progress(done: int, total: int) -> None:
            if task.dialog is not None and not task.cancel_event.is_set():
                task.dialog.setMaximum(max(total, 1))
                task.dialog.setValue(min(done, max(total, 1)))

        def finish() -> bool:
            """Close the dialog and announce; true when the callbacks are still wanted."""
            task.running = False
            if task.dialog is not None:
                if shiboken6.isValid(task.dialog):   # gone with its parent window otherwise
                    task.dialog.reset()
                    task.dialog.close()
                    task.dialog.deleteLater()
                task.dialog = None
            self._tasks.discard(task)
            superseded = key is not None and self._latest.get(key) is not task
            if key is not None and not superseded:
                del self._latest[key]
            if topics and self._notify is not None:
                self._notify(*topics)
            return not superseded and (parent is None or shiboken6.isValid(parent))

        def on_finished(result: Any) -> None:
            wanted = finish()
            task.done.emit(result)
            if wanted and on_success is not None:
                on_success(result)

        def on_failed(exc: BaseException) -> None:
            wanted = finish()
            task.error.emit(exc)
            if wanted and on_failure is not None:
                on_failure(exc)

        task.signals.progress.connect(on_progress, Qt.ConnectionType.QueuedConnection)
        task.signals.finished.connect(on_finished, Qt.ConnectionType.QueuedConnection)
        task.signals.failed.connect(on_failed, Qt.ConnectionType.QueuedConnection)
        self.pool.start(_Job(fn, task.signals, task.cancel_event))
        return task

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued jobs are done (used at shutdown and in tests)."""
        return self.pool.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)
