"""The Qt part of --self-test: platform plugin, app icon, a Chinese UI font and the pinyin sort (ICU data)."""
from __future__ import annotations

from usecases.selftest import SelfTestError

# In pinyin order (an, bei, li, wang, zhang); in code-point order they would come out differently.
PINYIN_ORDER = ["安宁", "北京", "李娜", "王强", "张伟"]


def gui_checks() -> list[str]:
    """Check what the bundle must carry for the screens; returns Chinese lines, raises SelfTestError."""
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QFontInfo

    from ui.app import UI_FONTS, app_icon, ensure_app, pick_ui_font

    app = ensure_app([])
    lines = [f"界面：Qt {qVersion()}，平台插件 {app.platformName()}。"]

    icon = app_icon()
    if icon.isNull() or icon.pixmap(32, 32).isNull():
        raise SelfTestError("界面：找不到软件图标 resources/icons/app.png（资源可能未完整打包）。")
    lines.append("界面：软件图标已载入。")

    family = QFontInfo(pick_ui_font()).family()
    if family not in UI_FONTS:
        raise SelfTestError(f"界面：没有可显示中文的字体（现为 {family}）。Linux 上请安装 fonts-noto-cjk。")
    lines.append(f"界面：中文字体 {family}。")

    from ui.widgets import sort_order

    # Reversed on purpose: an already-ordered input would pass even if the sort did nothing. The
    # tables' own sort is checked (ui/collation.py ranks characters with Qt's ICU collator).
    given = PINYIN_ORDER[::-1]
    shown = [given[i] for i in sort_order(given)]
    if shown != PINYIN_ORDER:
        raise SelfTestError(f"界面：中文未按拼音排序（{'、'.join(shown)}），Qt 的 ICU 数据可能不完整。")
    lines.append("界面：名单按拼音排序正确。")
    return lines
