"""Qt's own words in Chinese: standard buttons, message boxes, file dialogs and edit menus.

Qt's catalogue ``qtbase_zh_CN.qm`` (shipped with PySide6) is loaded when found; it leaves a few
texts in English (the file dialog's "Look in:" and "Files of type:"), so a table keyed by Qt's
(context, source text) answers first for the texts this app shows. A text in neither stays as
Qt wrote it.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

# (context, English source) → Chinese, for the texts Qt shows in this app's dialogs.
TEXTS: dict[tuple[str, str], str] = {
    **{("QPlatformTheme", en): zh for en, zh in {
        "OK": "确定", "Cancel": "取消", "&Yes": "是(&Y)", "&No": "否(&N)", "Yes to &All": "全部是(&A)",
        "N&o to All": "全部否(&O)", "Save": "保存", "Save All": "全部保存", "Open": "打开", "Close": "关闭",
        "Discard": "放弃", "Apply": "应用", "Reset": "重置", "Restore Defaults": "恢复默认值", "Help": "帮助",
        "Abort": "中止", "Retry": "重试", "Ignore": "忽略",
    }.items()},
    ("QMessageBox", "Show Details..."): "显示详细信息……",
    ("QMessageBox", "Hide Details..."): "隐藏详细信息……",
    ("QMessageBox", "OK"): "确定",
    ("QProgressDialog", "Cancel"): "取消",
    **{("QFileDialog", en): zh for en, zh in {
        "&Look in:": "查找范围(&L)：", "Look in:": "查找范围：", "File &name:": "文件名(&N)：",
        "Files of &type:": "文件类型(&T)：", "&Open": "打开(&O)", "&Save": "保存(&S)", "&Choose": "选择(&C)",
        "Open": "打开", "Save As": "另存为", "Find Directory": "选择文件夹", "Directory:": "文件夹：",
        "Directories": "文件夹", "Files": "文件", "All Files (*)": "所有文件 (*)", "Back": "后退",
        "Forward": "前进", "Parent Directory": "上一级文件夹", "Go back": "后退", "Go forward": "前进",
        "Go to the parent directory": "转到上一级文件夹", "Create New Folder": "新建文件夹",
        "Create a New Folder": "新建一个文件夹", "&New Folder": "新建文件夹(&N)", "New Folder": "新建文件夹",
        "List View": "列表", "Detail View": "详细信息", "Change to list view mode": "以列表显示",
        "Change to detail view mode": "显示详细信息", "&Delete": "删除(&D)", "&Rename": "重命名(&R)",
        "Show &hidden files": "显示隐藏文件(&H)", "Sidebar": "侧边栏", "List of places and bookmarks": "位置和书签",
        "Recent Places": "最近访问的位置", "My Computer": "我的电脑", "Unknown": "未知",
        "%1 already exists.\nDo you want to replace it?": "%1 已存在。\n要替换它吗？",
        "'%1' is write protected.\nDo you want to delete it anyway?": "“%1”是写保护的。\n仍要删除吗？",
        "Are you sure you want to delete '%1'?": "确定要删除“%1”吗？",
        "Could not delete directory.": "无法删除文件夹。",
        "%1\nFile not found.\nPlease verify the correct file name was given.":
            "%1\n找不到文件。\n请检查文件名是否正确。",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
            "%1\n找不到文件夹。\n请检查文件夹名称是否正确。",
    }.items()},
    **{("QFileSystemModel", en): zh for en, zh in {
        "Name": "名称", "Size": "大小", "Type": "类型", "Date Modified": "修改日期", "Computer": "计算机",
        "Kind": "类型", "File Folder": "文件夹", "Folder": "文件夹", "Drive": "驱动器", "File": "文件",
        "%1 File": "%1 文件", "%1 bytes": "%1 字节", "%1 KB": "%1 KB", "%1 MB": "%1 MB", "%1 GB": "%1 GB",
        "%1 TB": "%1 TB", "Unknown": "未知",
    }.items()},
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    **{(ctx, en): zh for ctx in ("QLineEdit", "QWidgetTextControl") for en, zh in {
        "&Undo": "撤销(&U)", "&Redo": "重做(&R)", "Cu&t": "剪切(&T)", "&Copy": "复制(&C)", "&Paste": "粘贴(&P)",
        "Delete": "删除", "Select All": "全选", "Copy &Link Location": "复制链接地址(&L)",
    }.items()},
}


# The translators live as long as the app; a Python subclass must keep its wrapper too.
_INSTALLED: list[QTranslator] = []


class ChineseTexts(QTranslator):
    """A translator answering from :data:`TEXTS`; anything else stays as Qt wrote it."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # Qt's signature
        return TEXTS.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802 - Qt naming
        return False


def install_chinese(app: QCoreApplication) -> list[QTranslator]:
    """Install Qt's catalogue when this build has it, then the table; returns what was installed."""
    installed = _INSTALLED
    shipped = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if shipped.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        app.installTranslator(shipped)
        installed.append(shipped)
    # Installed last, so asked first: the table's wording wins and Qt's catalogue fills the rest.
    table = ChineseTexts(app)
    app.installTranslator(table)
    installed.append(table)
    return installed
