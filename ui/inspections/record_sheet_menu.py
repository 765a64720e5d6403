"""The 打印现场检查记录 button beside the drawn objects: the selected object's whole draw, that object, or any other."""
from __future__ import annotations

from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from models.inspection import DRAWN_SOURCE


def record_sheet_button(view: QWidget) -> QPushButton:
    """A button with a menu, acting on ``view.table``'s selected row (a drawn object: draw_id, credit_code)."""
    button = QPushButton("打印现场检查记录…", view)
    button.setObjectName("record_sheet_button")
    button.setToolTip("外出检查前打印现场检查记录（检查笔录），现场填写后由检查人员和被检查单位负责人签字")
    menu = QMenu(button)
    whole = menu.addAction("所选对象所在抽取记录的全部对象…")
    one = menu.addAction("只为所选对象打印…")
    other = menu.addAction("其他检查对象（日常巡查、举报投诉等）…")

    def selected():
        return view.table.selected_row()

    def update() -> None:
        row = selected()
        whole.setEnabled(row is not None and getattr(row, "draw_id", None) is not None)
        one.setEnabled(row is not None)

    def print_whole() -> None:
        from ui.inspections.record_sheet_dialog import open_draw_sheets

        row = selected()
        if row is not None and getattr(row, "draw_id", None) is not None:
            open_draw_sheets(view.ctx, row.draw_id, view)

    def print_one(row=None) -> None:
        from ui.inspections.record_sheet_dialog import ObjectSheetDialog

        source = (getattr(row, "source", "") or DRAWN_SOURCE) if row is not None else ""
        code = getattr(row, "credit_code", "") if row is not None else ""
        ObjectSheetDialog(view.ctx, view, object_code=code, source=source).exec()

    menu.aboutToShow.connect(update)
    whole.triggered.connect(print_whole)
    one.triggered.connect(lambda: print_one(selected()))
    other.triggered.connect(lambda: print_one(None))
    button.setMenu(menu)
    button.whole_action, button.one_action, button.other_action = whole, one, other  # for the stories
    return button
