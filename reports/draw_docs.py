"""Printable documents of a draw.

The 抽取结果记录表 (.docx) and the candidate list shown before anything random (.xlsx/.docx).
"""
from __future__ import annotations

from models.errors import UserError
from collections import Counter
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from models.draw_record import record_hash
from reports.atomic import save_docx_atomic
from reports.xlsx_write import HEADER_FONT, atomic_save, header_cells, safe_cell, safe_row

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
MONO_FONT = "Consolas"
KIND_LABELS = {"draw": "抽取", "redraw": "重新抽取", "substitute": "替补抽取"}
# For witnesses and the public: the offline page of the published verify kit first (export-verify-kit writes
# 验证页面.html beside the records), the bureau's own program second; never a developer's command line.
VERIFY_TEXT = ("本局公示时一并发布“公众验证材料”：验证页面.html、抽取记录文件和哈希清单。任何人用浏览器打开"
               "验证页面.html（无需联网，无需安装软件），把记录文件拖入页面，即可看到复核结果“一致”或不一致之处；"
               "记录文件的 SHA-256 应与本表的“本记录哈希”相同。"
               "装有本软件的单位也可运行 ssj verify-draw 记录.json 复核。"
               "复核时由记录中的待抽名单重新计算名单指纹，由指纹、设置指纹和现场随机数重新计算随机种子，"
               "再由种子逐个重新计算抽中的检查对象和检查人员；结果与本表一致即说明抽取未被改动。")
SIGN_LINE = "________________"


class DrawDocError(UserError, OSError):
    """A draw document could not be written; the message (Chinese) names the file."""


def _font(run, name: str = BODY_FONT, size: float = 12, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), BODY_FONT if name == MONO_FONT else name)


def _para(doc_or_cell, text: str = "", *, size: float = 12, bold: bool = False, align=None, font: str = BODY_FONT,
          space_after: float = 4):
    p = doc_or_cell.add_paragraph()
    if text:
        _font(p.add_run(text), font, size, bold)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    return p


def _cell(cell, text: str, *, size: float = 10.5, bold: bool = False, font: str = BODY_FONT) -> None:
    p = cell.paragraphs[0]
    _font(p.add_run("" if text is None else str(text)), font, size, bold)
    p.paragraph_format.space_after = Pt(0)


def _new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return doc


def _save(doc: Document, path) -> Path:
    """Write to a temporary file beside the target, then replace it in one step."""
    return save_docx_atomic(doc, path, error=DrawDocError, explain=_explain)


def _explain(path: Path, exc: OSError) -> str:
    return f"无法保存 {path}：文件被占用或没有写入权限（{exc}）。"


def _fix_widths(table, widths) -> None:
    """Column widths that Word and LibreOffice both honour (grid columns and every cell)."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _info_table(doc, rows: list[tuple[str, str, bool]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value, mono in rows:
        cells = table.add_row().cells
        _cell(cells[0], label, bold=True)
        _cell(cells[1], value, font=MONO_FONT if mono else BODY_FONT, size=8.5 if mono else 10.5)
    _fix_widths(table, (Mm(44), Mm(130)))


def _time_text(value: str) -> str:
    try:
        t = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M:%S}"


def _counts(record: dict) -> tuple[str, str]:
    """Eligible objects and sample size, per stratum when the draw was stratified."""
    sizes = record["rule"]["sizes"]
    if not record["rule"].get("stratify"):
        return f"{len(record['candidates'])} 户", f"{sum(sizes.values())} 户"
    per_level = Counter(c["risk"] for c in record["candidates"])
    eligible = "；".join(f"{level} {per_level.get(level, 0)} 户" for level in sizes)
    size = "；".join(f"{level} {n} 户" for level, n in sizes.items())
    return f"共 {len(record['candidates'])} 户（{eligible}）", f"共 {sum(sizes.values())} 户（{size}）"


def audit_head_text(head: dict | None) -> str:
    """The audit chain's head as printed on a signed form: its entry number and full hash in four blocks."""
    if not head:
        return "（未取得）"
    return f"第 {head['id']} 条　{' '.join(head['hash'][n:n + 16] for n in range(0, len(head['hash']), 16))}"


def current_audit_head(db) -> dict:
    """The newest audit entry now (read in its own short session): what a form printed now is checked against."""
    from models.draw_audit import audit_head

    with db.read_session() as s:
        return audit_head(s)


def record_events(db, record_id: int) -> dict[int, str]:
    """Pick order → "举办单位（活动：名称，日期，地点）" of a per-event record ({} for an ordinary one)."""
    from models.event_draw import record_event_names

    with db.read_session() as s:
        return record_event_names(s, record_id)


def write_draw_record_docx(record: dict, status: str, path, *, audit_head: dict | None = None,
                           events: dict[int, str] | None = None) -> Path:
    """The 抽取结果记录表 of one saved draw, ready to print and sign; ``audit_head`` as current_audit_head gives it,
    ``events`` as record_events gives them (a per-event pick is then named as its organiser with the event)."""
    meta = record.get("meta", {})
    item = record.get("item", {})
    doc = _new_document()
    if meta.get("bureau"):
        _para(doc, meta["bureau"], size=14, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    _para(doc, "“双随机、一公开”抽取结果记录表", size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          font=TITLE_FONT, space_after=10)
    kind = meta.get("kind", "draw")
    eligible, size = _counts(record)
    rows = [
        ("抽查计划", f"{meta.get('year', '')} 年度", False),
        ("抽查事项", f"{item.get('number', '')}．{item.get('name', '')}", False),
        ("抽查比例和频次", record["rule"].get("text", ""), False),
        ("抽查轮次", f"第 {record.get('round', 1)} 轮", False),
        ("抽取类型", KIND_LABELS.get(kind, kind), False),
        ("记录状态", status, False),
    ]
    if meta.get("jurisdiction"):
        rows.append(("辖区", meta["jurisdiction"], False))
    counties = record["inspection"].get("counties")
    if counties:  # 市抽县查 (docs/draw-protocol.md §12): each pick's officers came from its object's county
        where = dict(map(tuple, counties["objects"]))
        rows.append(("实施层级", "市抽县查：检查人员来自检查对象所在的县（区）局\n" + "\n".join(
            f"{n}. {p['name']}：{where.get(p['id'], '')}" for n, p in enumerate(record["picks"], 1)), False))
    rows += [
        ("抽取时间", _time_text(meta.get("time", "")), False),
        ("抽取地点", meta.get("place", ""), False),
        ("操作人", meta.get("operator", ""), False),
        ("监督人/见证人", "、".join(meta.get("witnesses", [])), False),
        ("可抽检查对象数", eligible, False),
        ("抽取数量", size, False),
    ]
    if meta.get("excluded"):
        rows.append(("未列入名单", "；".join(f"{k} {v} 户" for k, v in meta["excluded"].items()), False))
    rows += [
        ("名单指纹", record["fingerprint"], True),
        ("设置指纹", record.get("setup_fingerprint", ""), True),
        ("现场随机数（原样）", "\n".join(f"{n}. {e}" for n, e in enumerate(record["entropy"]["typed"], 1)), False),
        ("随机种子", record["seed"], True),
        ("算法版本", record.get("algorithm", ""), True),
    ]
    if record.get("announcement", {}).get("partner_gap_reason"):
        rows.append(("配合部门缺员原因", record["announcement"]["partner_gap_reason"], False))
    if kind != "draw":
        rows.append(("原因", meta.get("reason", ""), False))
        rows.append(("被替代的抽取记录", f"第 {meta.get('replaces_id')} 号记录", False))
        if meta.get("replaces_record_hash"):
            rows.append(("被替代记录的哈希", meta["replaces_record_hash"], True))
        obj = meta.get("replaced_object")
        if obj:
            rows.append(("被替代的检查对象", f"{obj.get('name', '')}（{obj.get('code', '')}）", False))
    rows.append(("本记录哈希", record_hash(record), True))
    rows.append(("打印时审计日志头", audit_head_text(audit_head), True))
    _info_table(doc, rows)

    _para(doc, "", space_after=2)
    _para(doc, "抽取结果", size=14, bold=True, space_after=4)
    risks = {c["id"]: c["risk"] for c in record["candidates"]}
    people = {a["order"]: a["inspectors"] for a in record["assignments"]}
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(12), Mm(50), Mm(44), Mm(20), Mm(48))
    events = events or {}
    titles = (("序号", "举办单位及活动", "活动标识（日期｜审批文号｜举办单位代码）", "类别", "检查人员") if events
              else ("序号", "单位名称", "统一社会信用代码", "风险等级", "检查人员"))
    for cell, title in zip(table.rows[0].cells, titles):
        _cell(cell, title, bold=True)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for pick in record["picks"]:
        cells = table.add_row().cells
        names = "、".join(f"{p['name']}（{p['unit']}）" for p in people.get(pick["order"], []))
        name = events.get(pick["order"], pick["name"])
        for n, (cell, value) in enumerate(zip(cells, (pick["order"] + 1, name, pick["code"],
                                                      risks.get(pick["id"], ""), names))):
            _cell(cell, value, font=MONO_FONT if n == 2 else BODY_FONT, size=9.5 if n == 2 else 10.5)
    _fix_widths(table, widths)

    _para(doc, "", space_after=2)
    _para(doc, "如何复核", size=14, bold=True, space_after=4)
    _para(doc, VERIFY_TEXT, size=11)
    _para(doc, "", space_after=6)
    _para(doc, "签名", size=14, bold=True, space_after=6)
    _para(doc, f"操作人：{meta.get('operator', '')}　　签名：{SIGN_LINE}", space_after=10)
    for name in meta.get("witnesses", []):
        _para(doc, f"监督人/见证人：{name}　　签名：{SIGN_LINE}", space_after=10)
    _para(doc, "日期：　　　　年　　月　　日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _save(doc, path)


def _prep_info(prep) -> list[tuple[str, str]]:
    excluded = "；".join(f"{k} {v} 户" for k, v in prep.excluded.items()) or "无"
    sizes = "；".join(f"{k} {v} 户" for k, v in prep.sizes.items())
    per = "；".join(f"{k} {len(m)} 户" for k, m in prep.strata.items())
    return [
        ("抽查事项", f"{prep.year} 年度 {prep.item_number}．{prep.item_name}"),
        ("抽查轮次", f"第 {prep.round} 轮"),
        ("抽查比例和频次", f"{prep.rule_text}（{prep.rule_desc}）"),
        ("辖区", prep.jurisdiction or "全部"),
        ("可抽检查对象数", f"共 {prep.total_eligible} 户（{per}）"),
        ("抽取数量", f"共 {prep.total_size} 户（{sizes}）"),
        ("未列入名单", excluded),
        ("名单指纹", prep.fingerprint),
        ("设置指纹", prep.setup_fingerprint),
        ("导出时间", _time_text(datetime.now().replace(microsecond=0).isoformat())),
    ]


def write_candidates_xlsx(prep, path) -> Path:
    """The candidate list with counts and fingerprints, exported before anything random happens."""
    from models.draw_prepare import CANDIDATE_HEADERS, candidate_list_rows

    # Write-only mode: a 100,000-object list streams out in seconds.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("待抽名单")
    info = _prep_info(prep)
    head = len(info) + 3
    for letter, width in zip("ABCDE", (8, 10, 40, 24, 10)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{head + 1}"
    ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = f"名单指纹 {prep.fingerprint[:16]}…　第 &P 页 / 共 &N 页"
    ws.append([safe_cell(ws, "待抽检查对象名单（抽取前公示）", font=Font(bold=True, size=14))])
    for label, value in info:
        ws.append([safe_cell(ws, label, font=HEADER_FONT), None, safe_cell(ws, value)])
    ws.append([])
    ws.append(header_cells(ws, CANDIDATE_HEADERS))
    for row in candidate_list_rows(prep):
        ws.append(safe_row(ws, row))
    return atomic_save(wb, path)


def write_candidates_docx(prep, path) -> Path:
    """The candidate list as a Word document, for printing and posting before the draw."""
    from models.draw_prepare import CANDIDATE_HEADERS, candidate_list_rows

    doc = _new_document()
    _para(doc, "待抽检查对象名单（抽取前公示）", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          font=TITLE_FONT, space_after=8)
    _info_table(doc, [(k, v, "指纹" in k) for k, v in _prep_info(prep)])
    _para(doc, "", space_after=2)
    table = doc.add_table(rows=1, cols=len(CANDIDATE_HEADERS))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, CANDIDATE_HEADERS):
        _cell(cell, title, bold=True)
    for row in candidate_list_rows(prep):
        for n, (cell, value) in enumerate(zip(table.add_row().cells, row)):
            _cell(cell, value, font=MONO_FONT if n == 3 else BODY_FONT, size=9.5 if n == 3 else 10.5)
    _fix_widths(table, (Mm(14), Mm(20), Mm(76), Mm(44), Mm(20)))
    return _save(doc, path)
