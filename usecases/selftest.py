"""The installed program checks itself: database, a tiny roster, one notice and one export in a temporary folder.

Run as ``shuangsuiji --self-test`` (or ``python main.py --self-test``); CI runs it on the
frozen bundle to prove that templates, migrations and libraries were all packed.
"""
from __future__ import annotations

from models.errors import UserError
import os
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Callable


class SelfTestError(UserError):
    """One self-test step failed (message in Chinese, naming the step)."""


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestError(message)


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def run_self_test(workdir: str | os.PathLike | None = None) -> list[str]:
    """Run every step in *workdir* (a new temporary folder when None); returns Chinese lines, raises on failure."""
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="ssj-selftest-") as tmp:
            return run_self_test(tmp)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    from models import audit, settings
    from models.credit_code import make_code
    from models.db import open_database
    from models.migrate import current_revision, head_revision
    from models.roster_service import InspectorData, ObjectData, add_inspector, add_object, list_objects
    from models.version import __version__

    lines.append(f"双随机 desk {__version__} 自检，临时文件夹：{workdir}")
    db = open_database(workdir / "selftest.sqlite3")
    try:
        _expect(current_revision(db) == head_revision(), "数据库结构未升级到最新版本（迁移脚本可能未打包）。")
        lines.append(f"数据库：已新建并升级到结构版本 {head_revision()}。")

        codes = [make_code(n) for n in range(1, 4)]
        with db.session() as s:
            settings.set(s, "bureau_name", "自检县公安局", actor="自检")
            settings.set(s, "bureau_short", "自公(治)", actor="自检")
            for n, code in enumerate(codes, start=1):
                add_object(s, ObjectData(name=f"自检旅馆{n}号", credit_code=code, type_name="旅馆",
                                         address=f"自检路{n}号", jurisdiction="城关派出所"), actor="自检")
            for n in range(1, 3):
                add_inspector(s, InspectorData(name=f"自检民警{n}", badge_no=f"99000{n}", unit="治安大队"),
                              actor="自检")
        with db.session() as s:
            rows = list_objects(s)
            check = audit.verify_chain(s)
            number = settings.doc_number(s, "notice", 2024, 1)
        _expect(len(rows) == 3, f"名录库：应有 3 个检查对象，实际 {len(rows)} 个。")
        _expect(check.ok, f"审计日志：{check.message}")
        lines.append(f"名录库：已写入 3 个检查对象、2 名检查人员；{check.message}")

        from reports.notice_docs import default_template_dir, notice_context, render_notice

        ctx = notice_context(bureau_name="自检县公安局", doc_number=number, unit_name="自检旅馆1号",
                             unit_address="自检路1号", inspect_date=date(2024, 5, 6),
                             hazards=[("监控录像保存不足30天", "")], deadline=date(2024, 6, 6),
                             issue_date=date(2024, 5, 7))
        notice = render_notice(None, ctx, workdir / "通知书.docx")
        _expect(notice.is_file() and notice.stat().st_size > 0,
                f"通知书：未生成文件 {notice}（模板文件夹 {default_template_dir()}）。")
        text = _docx_text(notice)
        for wanted in ("自检旅馆1号", "自公(治)限改字〔2024〕第001号", "监控录像保存不足30天"):
            _expect(wanted in text, f"通知书：生成的文件中缺少“{wanted}”。")
        lines.append(f"通知书：已按自带模板生成 {notice.name}（文号 {number}）。")

        from reports.roster_export import export_objects

        out = export_objects(db, workdir / "检查对象.xlsx")
        _expect(out == 3, f"导出：应导出 3 行，实际 {out} 行。")
        from openpyxl import load_workbook

        sheet = load_workbook(workdir / "检查对象.xlsx", read_only=True).worksheets[0]
        names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
        _expect(sorted(names) == ["自检旅馆1号", "自检旅馆2号", "自检旅馆3号"], f"导出：工作表内容不符：{names}")
        lines.append("导出：检查对象名录已导出为 检查对象.xlsx，内容核对无误。")

        import warnings

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from reports.charts import configure_fonts

        fonts = configure_fonts()
        _expect(bool(fonts), "图表：找不到中文字体，图表中的汉字会显示为方框（Linux 上请安装 fonts-noto-cjk）。")
        figure = Figure(figsize=(4, 3), dpi=80)
        figure.add_subplot().bar(["计划", "抽取"], [3, 2])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            FigureCanvasAgg(figure).print_png(str(workdir / "图表.png"))
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        _expect(not missing, f"图表：有汉字无法显示（{missing[:1]}）。")
        with open(workdir / "图表.png", "rb") as f:
            _expect(f.read(8) == b"\x89PNG\r\n\x1a\n", "图表：未能生成 PNG 图片（matplotlib 可能未完整打包）。")
        lines.append(f"图表：已用 {fonts[0]} 生成 图表.png。")

        from models.draw_engine import ALGORITHM_VERSION

        lines.append(f"抽取算法：{ALGORITHM_VERSION}。")
    finally:
        db.dispose()
    lines.append("自检通过。")
    return lines


def main_self_test(extra: Callable[[], list[str]] | None = None) -> int:
    """The --self-test entry: print the lines; exit 0 on success, 1 on failure.

    *extra* adds checks of another layer (the screens: ui/selftest.py) before the verdict.
    """
    import sys
    import traceback

    try:
        lines = run_self_test()
        verdict = lines.pop()
        for line in lines:
            print(line, flush=True)
        for line in extra() if extra else []:
            print(line, flush=True)
        print(verdict, flush=True)
    except SelfTestError as e:
        print(f"自检失败：{e}", file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - a broken bundle must report, not crash
        traceback.print_exc()
        print("自检失败：出现意外错误（见上）。", file=sys.stderr)
        return 1
    return 0
