"""The year-end report for leadership (.docx): summary figures, the statistics tables and the charts, in one go."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Callable

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from models.db import Database
from models.inspection_service import PROBLEM_CATEGORIES
from models.statistics import Figures, YearStats, percent, year_stats
from models.workdays import format_cn_date
from reports.charts import CHARTS, figure_png
from reports.atomic import save_docx_atomic
from reports.docx_style import landscape_document
from reports.table_docs import ExportCancelled, add_table, add_text, add_title, check_target

Progress = Callable[[int, int], None] | None

# 发现问题 counts the inspections that found one; the next columns split it by the national
# problem category (an inspection with hazards may also be filed under another category).
FIGURE_HEADERS = ["名称", "责任单位", "名录数", "可抽数", "抽查规则", "计划数", "已抽取", "已检查", "检查比例",
                  "是否达到", "发现问题", "已责令改正", "待后续处理", "隐患", "通知书", "按期整改", "逾期整改",
                  "整改中", "逾期未整改"]
FIGURE_WIDTHS = [2.0, 1.0, 0.75, 0.75, 1.6, 0.6, 0.65, 0.65, 0.7, 0.7, 0.6, 0.7, 0.7, 0.5, 0.6, 0.6, 0.6, 0.6, 0.7]
INSPECTOR_HEADERS = ["序号", "姓名", "单位", "抽中次数", "实际检查次数"]
COVERAGE_HEADERS = ["检查对象类型", "在册对象数", "三年内未检查", "未检查占比"]
ROUTINE_HEADERS = ["日常巡查任务", "责任单位", "已开始期数", "应查（户次）", "已查（户次）", "逾期未查（户次）",
                   "完成率"]
ROUTINE_PERIOD_HEADERS = ["日常巡查任务", "期次", "应查", "已查", "逾期未查", "完成率"]


def report_title(stats: YearStats) -> str:
    return f"{stats.bureau}{stats.year}年度“双随机、一公开”抽查工作统计报告"


def figure_row(fig: Figures, *, with_target: bool = True) -> list[str]:
    """One statistics line as shown on screen and in the report."""
    planned = "—" if fig.planned is None else str(fig.planned)
    return [fig.label, fig.unit, str(fig.roster), str(fig.eligible), fig.target if with_target else "—", planned,
            str(fig.drawn), str(fig.inspected), percent(fig.share), fig.reached, str(fig.problems),
            *(str(fig.results.get(category, 0)) for category in PROBLEM_CATEGORIES), str(fig.hazards),
            str(fig.notices), str(fig.on_time), str(fig.late), str(fig.open - fig.overdue), str(fig.overdue)]


def item_rows(stats: YearStats) -> list[list[str]]:
    return [figure_row(f) for f in stats.items] + [figure_row(stats.total, with_target=False)]


def unit_rows(stats: YearStats) -> list[list[str]]:
    return [figure_row(f, with_target=False) for f in stats.units]


def inspector_rows(stats: YearStats) -> list[list[str]]:
    return [[str(n), x.name, x.unit, str(x.drawn), str(x.inspections)]
            for n, x in enumerate(stats.inspectors, start=1)]


def coverage_rows(stats: YearStats) -> list[list[str]]:
    cov = stats.coverage
    rows = [[t, str(n), str(never), percent(never / n if n else None)] for t, n, never in cov.by_type]
    rows.append(["合计", str(cov.objects), str(cov.never), percent(cov.never_share)])
    return rows


def routine_rows(stats: YearStats) -> list[list[str]]:
    """Per routine duty: the periods begun, objects required and done over them, the overall rate."""
    rows = [[d.duty.label, d.duty.unit_label, str(len(d.elapsed)), str(d.required), str(d.done), str(d.overdue),
             percent(d.rate)] for d in stats.routine]
    if stats.routine:
        required, done = sum(d.required for d in stats.routine), sum(d.done for d in stats.routine)
        rows.append(["合计", "", "", str(required), str(done), str(sum(d.overdue for d in stats.routine)),
                     percent(done / required if required else None)])
    return rows


def routine_period_rows(stats: YearStats) -> list[list[str]]:
    """Per routine duty and period begun: objects required vs done."""
    return [[d.duty.label, p.period_name, str(p.required), str(p.done_toward), str(p.overdue),
             percent(p.done_toward / p.required if p.required else None)]
            for d in stats.routine for p in d.elapsed]


ENFORCEMENT_HEADERS = ["后续处理", "登记", "已办结", "未办结"]


def enforcement_rows(stats: YearStats) -> list[list[str]]:
    """复查未整改 and what followed: per kind recorded, done and open (models.enforcement_stats)."""
    e = stats.enforcement
    return [[kind, str(n), str(done), str(still)] for kind, n, done, still in e.rows()] + [
        ["尚未登记后续处理", str(e.pending), "—", str(e.pending)]]


def summary_lines(stats: YearStats) -> list[str]:
    """The headline figures in sentences, as a leader reads them first."""
    t, cov = stats.total, stats.coverage
    planned = "未规定计划数" if t.planned is None else f"计划抽查{t.planned}户"
    reached = sum(1 for f in stats.items if f.reached == "达到")
    targeted = sum(1 for f in stats.items if f.planned is not None)
    loads = [x.inspections for x in stats.inspectors if x.drawn or x.inspections]
    lines = [
        f"全年计划抽查事项{len(stats.items)}项，{planned}；实际抽取检查对象{t.drawn}户，已完成检查{t.inspected}户，"
        f"占可抽对象的{percent(t.share)}。有计划数的{targeted}个事项中，{reached}个达到计划。",
        f"检查发现问题{t.problems}户、治安隐患{t.hazards}处，制作责令限期整改治安隐患通知书{t.notices}份："
        f"按期整改{t.on_time}份，逾期整改{t.late}份，整改中{t.open - t.overdue}份，逾期未整改{t.overdue}份。",
        f"{cov.first_year}—{cov.last_year}年，名录库在册检查对象{cov.objects}户，其中{cov.never}户三年内未被检查"
        f"（占{percent(cov.never_share)}）。",
    ]
    if loads:
        spread = f"{min(loads)}次" if min(loads) == max(loads) else f"{min(loads)}至{max(loads)}次"
        lines.append(f"参加检查的执法检查人员{len(loads)}名，每人检查{spread}，平均{sum(loads) / len(loads):.1f}次。")
    if stats.routine:
        required, done = sum(d.required for d in stats.routine), sum(d.done for d in stats.routine)
        overdue = sum(d.overdue for d in stats.routine)
        lines.append(f"日常巡查任务{len(stats.routine)}项，截至统计日应查{required}户次，已查{done}户次"
                     f"（完成率{percent(done / required if required else None)}），期满未查{overdue}户次。")
    e = stats.enforcement
    if e.unrectified:
        parts = "，".join(f"{kind}{n}件（未办结{still}件）" for kind, n, _done, still in e.rows() if n)
        lines.append(f"复查发现仍未整改的{e.unrectified}份通知书，后续处理：{parts or '尚未登记'}"
                     + (f"；尚有{e.pending}份未登记后续处理。" if e.pending else "。"))
    return lines


def _heading(doc, text: str) -> None:
    para = add_text(doc, text, size=14, bold=True)
    para.paragraph_format.space_before = Mm(3)


# The landscape page holds 174 mm between its margins; a taller chart (one bar group per plan
# item grows with the plan) would run off the page and be cut, so it is scaled down to fit.
CHART_MAX_HEIGHT_MM = 160


def _chart(doc, stats: YearStats, key: str, width_mm: float = 200) -> None:
    _title, build = CHARTS[key]
    fig = build(stats)
    fig_w, fig_h = fig.get_size_inches()
    png = figure_png(fig, dpi=150)
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if width_mm * fig_h / fig_w > CHART_MAX_HEIGHT_MM:
        para.add_run().add_picture(io.BytesIO(png), height=Mm(CHART_MAX_HEIGHT_MM))
    else:
        para.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))


def write_report(stats: YearStats, path, *, progress: Progress = None,
                 cancelled: Callable[[], bool] | None = None) -> Path:
    """Render ``stats`` into a landscape .docx at ``path`` (temporary file, then renamed)."""
    steps = 8

    def tick(n: int) -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled("已取消导出，未生成文件")
        if progress is not None:
            progress(n, steps)

    doc = landscape_document()
    add_title(doc, report_title(stats))
    add_text(doc, f"统计截至{format_cn_date(stats.as_of)}", size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    _heading(doc, "一、总体情况")
    for line in summary_lines(stats):
        add_text(doc, "　　" + line)
    tick(1)
    _heading(doc, "二、各抽查事项完成情况")
    add_table(doc, FIGURE_HEADERS, item_rows(stats), FIGURE_WIDTHS, font_pt=8, center_first=False)
    _chart(doc, stats, "plan")
    tick(2)
    _heading(doc, "三、各责任单位完成情况")
    add_table(doc, FIGURE_HEADERS, unit_rows(stats), FIGURE_WIDTHS, font_pt=8, center_first=False)
    tick(3)
    _heading(doc, "四、检查结果分类")
    add_table(doc, ["检查结果", "户数"], [[k, str(v)] for k, v in stats.results.items()], [3, 1], usable_mm=140,
              center_first=False)
    _chart(doc, stats, "results", 180)
    tick(4)
    _heading(doc, "五、隐患整改情况")
    add_table(doc, ["整改情况", "通知书份数"], [[k, str(v)] for k, v in stats.rectification.items()], [3, 1],
              usable_mm=140, center_first=False)
    _chart(doc, stats, "rectification", 140)
    tick(5)
    _heading(doc, "六、执法检查人员工作量")
    add_text(doc, "抽中次数为随机抽取分配的次数，实际检查次数为录入检查结果时登记的参检次数；"
                  "用于检验抽取分配是否均衡。", size=10)
    add_table(doc, INSPECTOR_HEADERS, inspector_rows(stats), [0.5, 1.2, 2, 1, 1], usable_mm=180)
    _chart(doc, stats, "inspectors", 190)
    tick(6)
    _heading(doc, f"七、近三年检查覆盖情况（{stats.coverage.first_year}—{stats.coverage.last_year}年）")
    add_table(doc, COVERAGE_HEADERS, coverage_rows(stats), [2, 1, 1, 1], usable_mm=180, center_first=False)
    if stats.routine:
        _heading(doc, "八、日常巡查任务完成情况")
        add_text(doc, "按制度声明的日常巡查任务（如旅馆每月、印章和典当每季度），统计当年已开始各期应查和"
                      "已查的对象户次；本期尚未结束的，按已查户次计入。", size=10)
        add_table(doc, ROUTINE_HEADERS, routine_rows(stats), [2.2, 1.2, 0.8, 1, 1, 1, 0.8], usable_mm=220,
                  center_first=False)
        # A paragraph between the two tables: side by side, Word and LibreOffice join them into one.
        caption = add_text(doc, "各期完成情况（应查、已查和逾期未查均为对象户数）：", size=10)
        caption.paragraph_format.space_before = Mm(3)
        add_table(doc, ROUTINE_PERIOD_HEADERS, routine_period_rows(stats), [2.2, 1.4, 1, 1, 1, 0.8],
                  usable_mm=200, center_first=False)
    if stats.enforcement.unrectified:
        _heading(doc, f"{'九' if getattr(stats, 'routine', None) else '八'}、复查未整改的后续处理"
                      f"（{stats.enforcement.unrectified}份通知书）")
        add_text(doc, "当年复查发现治安隐患仍未整改的通知书，及其再次责令限期整改、立案查处、行政处罚、通报抄告的"
                      "登记和办结情况（立案查处、行政处罚补录编号后为办结，通报抄告制作抄告函后为办结）。", size=10)
        add_table(doc, ENFORCEMENT_HEADERS, enforcement_rows(stats), [2, 1, 1, 1], usable_mm=140, center_first=False)
    tick(7)
    out = save_docx_atomic(doc, path)
    tick(steps)
    return out


def export_report(db: Database, year: int, path, *, as_of: date | None = None, progress: Progress = None,
                  cancelled: Callable[[], bool] | None = None) -> Path:
    """Compute the year's statistics and write the leadership report to ``path`` (.docx)."""
    check_target(path, (".docx",))

    def stage(start: int, span: int) -> Progress:
        if progress is None:
            return None
        return lambda done, total: progress(start + (span * done // total if total else span), 100)

    with db.read_session() as s:
        stats = year_stats(s, year, as_of=as_of, progress=stage(0, 30), cancelled=cancelled)
    return write_report(stats, path, progress=stage(30, 70), cancelled=cancelled)
