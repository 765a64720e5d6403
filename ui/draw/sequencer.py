"""The reveal sequence of a saved draw: names spin on a timer, then stop exactly on each true pick, one by one.

Presentation only: the result was computed and saved before the sequence starts. The
spinning names come from an ordinary (non-seeded) generator because they decide nothing.
"""
from __future__ import annotations

import random

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ui.draw.common import inspectors_text

IDLE, SPINNING, NAME_SHOWN, COMPLETE = "idle", "spinning", "name", "complete"


def spin_schedule(total_ms: int, first_ms: int = 45, growth: float = 1.10) -> list[int]:
    """Tick intervals that slow down like a wheel coming to rest and add up to about *total_ms*."""
    ticks, step, spent = [], float(first_ms), 0
    while spent < total_ms:
        ms = max(1, int(step))
        ticks.append(ms)
        spent += ms
        step *= growth
    return ticks


class RevealSequencer(QObject):
    """Steps through the picks of a record; the projector widget only reads from it.

    ``reveal_next()`` starts the spin of the next pick, or, when pressed during a spin,
    lands on the true pick at once. In ``instant`` mode there is no spin at all (tests, or
    a clerk who wants no show).
    """

    changed = Signal()        # the displayed name, detail or inspectors changed
    revealed = Signal(int)    # pick n (0-based) is fully on screen: name and inspectors
    finished = Signal()       # every pick has been revealed

    def __init__(self, record: dict, *, instant: bool = False, spin_ms: int = 1500, inspector_delay_ms: int = 700,
                 auto_interval_ms: int = 2000, parent: QObject | None = None):
        super().__init__(parent)
        self.picks = list(record.get("picks", []))
        self._assignments = {a["order"]: a for a in record.get("assignments", [])}
        self._risk = {c["id"]: c["risk"] for c in record.get("candidates", [])}
        names: dict[str, list[str]] = {}
        for c in record.get("candidates", []):
            names.setdefault(c["risk"], []).append(c["name"])
        self._all_names = [c["name"] for c in record.get("candidates", [])] or [p["name"] for p in self.picks]
        self._names_by_risk = names
        self._stratified = bool(record.get("rule", {}).get("stratify"))
        self.instant = instant
        self.spin_ms = spin_ms
        self.auto = False
        self.index = -1
        self.phase = IDLE
        self.is_finished = not self.picks
        self._finished_emitted = False
        self._spin_text = ""
        self._ticks: list[int] = []
        self._rng = random.Random()
        self._spin_timer = QTimer(self)
        self._spin_timer.setSingleShot(True)
        self._spin_timer.timeout.connect(self._tick)
        self._inspector_timer = QTimer(self)
        self._inspector_timer.setSingleShot(True)
        self._inspector_timer.setInterval(inspector_delay_ms)
        self._inspector_timer.timeout.connect(self._complete)
        self._auto_timer = QTimer(self)
        self._auto_timer.setSingleShot(True)
        self._auto_timer.setInterval(auto_interval_ms)
        self._auto_timer.timeout.connect(self.reveal_next)

    # ---- what the screen shows
    @property
    def total(self) -> int:
        return len(self.picks)

    def current_text(self) -> str:
        """The name on screen: a rolling name during the spin, then the true pick."""
        if self.phase == SPINNING:
            return self._spin_text
        if self.index < 0:
            return ""
        return self.picks[self.index]["name"]

    def current_detail(self) -> str:
        if self.phase in (IDLE, SPINNING) or self.index < 0:
            return ""
        p = self.picks[self.index]
        risk = self._risk.get(p["id"], "")
        return f"{p['code']}　{risk}" if risk else p["code"]

    def current_inspectors(self) -> str:
        if self.phase != COMPLETE or self.index < 0:
            return ""
        return inspectors_text(self._assignments.get(self.picks[self.index]["order"], {}), sep="　")

    def progress_text(self) -> str:
        shown = self.index + 1 if self.index >= 0 else 0
        return f"第 {shown} / {self.total} 个"

    def revealed_count(self) -> int:
        """How many picks are fully on screen (name and inspectors)."""
        if self.index < 0:
            return 0
        return self.index + 1 if self.phase == COMPLETE else self.index

    def is_spinning(self) -> bool:
        return self.phase == SPINNING

    # ---- control
    @Slot()
    def reveal_next(self) -> None:
        """Next step: start the next pick's spin, or hurry the current one to its true result."""
        self._auto_timer.stop()
        if self.phase in (SPINNING, NAME_SHOWN):
            self._spin_timer.stop()
            self._complete()
            return
        if self.is_finished:
            return
        self.index += 1
        if self.instant or self.spin_ms <= 0:
            self._complete()
            return
        self.phase = SPINNING
        self._ticks = spin_schedule(self.spin_ms)
        self._tick()

    @Slot()
    def reveal_all(self) -> None:
        """Jump to the end: every pick counts as revealed (for long lists)."""
        for timer in (self._spin_timer, self._inspector_timer, self._auto_timer):
            timer.stop()
        if not self.picks:
            self._finish()
            return
        self.index = self.total - 1
        self.phase = COMPLETE
        self.changed.emit()
        self._finish()

    def set_auto(self, on: bool) -> None:
        """Reveal automatically, one pick every interval, until the end."""
        self.auto = on
        if not on:
            self._auto_timer.stop()
        elif self.phase in (IDLE, COMPLETE) and not self.is_finished:
            self._auto_timer.start()

    def stop(self) -> None:
        for timer in (self._spin_timer, self._inspector_timer, self._auto_timer):
            timer.stop()

    # ---- internals
    def _pool(self) -> list[str]:
        if self._stratified:
            return self._names_by_risk.get(self.picks[self.index]["stratum"]) or self._all_names
        return self._all_names

    def _tick(self) -> None:
        if not self._ticks:
            self._land()
            return
        pool = self._pool()
        self._spin_text = pool[self._rng.randrange(len(pool))]
        self.changed.emit()
        self._spin_timer.start(self._ticks.pop(0))

    def _land(self) -> None:
        # The spin always ends on the saved pick, never on the last random name.
        self.phase = NAME_SHOWN
        self.changed.emit()
        self._inspector_timer.start()

    def _complete(self) -> None:
        self._inspector_timer.stop()
        self.phase = COMPLETE
        self.changed.emit()
        self.revealed.emit(self.index)
        if self.index >= self.total - 1:
            self._finish()
        elif self.auto:
            self._auto_timer.start()

    def _finish(self) -> None:
        self.is_finished = True
        if not self._finished_emitted:
            self._finished_emitted = True
            self.finished.emit()
