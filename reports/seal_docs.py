"""The printed 抽取公告.

A one-page summary with the full commitment and signature lines, the candidate list as an annex.
"""
from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm

from models.draw_announcement import announcement_number, canonical_json
from reports.atomic import write_text_atomic
from reports.draw_docs import (
    KIND_LABELS, MONO_FONT, audit_head_text, SIGN_LINE, TITLE_FONT, DrawDocError, _cell, _fix_widths, _info_table,
    _new_document, _para, _save, _time_text,
)

SEAL_TEXT = ("本公告在任何现场随机数产生之前封存并公示。抽取时软件按数据库重新生成待抽名单和抽取设置，"
             "与本公告不一致即拒绝抽取；本公告的承诺值计入随机种子，抽取记录可凭本公告复核：python main.py "
             "verify-draw 记录.json --announcement 公告.json。")


def _group(hexdigest: str) -> str:
    return " ".join(hexdigest[i:i + 8] for i in range(0, len(hexdigest), 8))


def write_announcement_json(announcement: dict, path) -> Path:
    """The announcement as canonical JSON (UTF-8, no BOM): its SHA-256 is the commitment (sha256sum 公告.json)."""
    return write_text_atomic(Path(path), canonical_json(announcement), ".json", error=DrawDocError,
                             explain=lambda p, e: f"无法写入文件 {p}：{e}")


def write_announcement_docx(announcement: dict, commitment: str, path, *, status: str = "",
                            audit_head: dict | None = None) -> Path:
    """Page 1: what is sealed, the commitment in full and the witnesses' signature lines; then the annex list."""
    a = announcement
    doc = _new_document()
    if a.get("bureau"):
        _para(doc, a["bureau"], size=14, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    _para(doc, "“双随机、一公开”抽取公告", size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          font=TITLE_FONT, space_after=6)
    label = announcement_number(a["year"], a["number"])
    _para(doc, f"公告编号：{label}", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)
    sizes = a["rule"]["sizes"]
    if a["rule"]["stratify"]:
        size_text = "；".join(f"{k} {v} 户" for k, v in sizes.items())
    else:
        size_text = f"{sum(sizes.values())} 户"
    ins = a["inspection"]
    units = "、".join(ins["responsible_units"]) + (f"；配合部门：{'、'.join(ins['partner_units'])}"
                                                   if ins["partner_units"] else "")
    source = a["entropy_source"]["text"]
    if a["entropy_source"]["lottery_date"]:
        source += f"（开奖日期 {a['entropy_source']['lottery_date']}）"
    rows = [
        ("封存时间", _time_text(a["sealed_at"]), False),
        ("抽查事项", f"{a['year']} 年度　{a['item']['number']}．{a['item']['name']}", False),
        ("轮次、辖区", f"第 {a['round']} 轮　{a['jurisdiction'] or '不限辖区'}", False),
        ("抽查比例和频次", a["rule"]["text"], False),
        ("待抽对象 / 抽取数量", f"{len(a['candidates'])} 户 / {size_text}", False),
        ("检查人员", f"候选 {len(ins['inspectors'])} 人，每个对象 {ins['per_object']} 人（责任单位：{units}）；"
                    f"回避关系 {len(ins['recusals'])} 对", False),
        ("抽取类型", KIND_LABELS.get(a["kind"], a["kind"]) + (f"（原因：{a['reason']}）" if a["reason"] else ""),
         False),
        ("随机数来源", source, False),
        ("名单指纹", a["fingerprint"], True),
        ("设置指纹", a["setup_fingerprint"], True),
        ("承诺值（SHA-256）", _group(commitment), True),
    ]
    if a.get("partner_gap_reason"):  # 部门联合 drawn short of partner officers: the sealed reason (protocol §11)
        rows.insert(6, ("配合部门缺员原因", a["partner_gap_reason"], False))
    if a["replaces"]:
        rows.insert(7, ("替代记录", f"第 {a['replaces']['record_id']} 号记录，哈希 {a['replaces']['record_hash']}",
                        True))
    if status:
        rows.append(("公告状态", status, False))
    rows.append(("打印时审计日志头", audit_head_text(audit_head), True))
    _info_table(doc, rows)
    _para(doc, SEAL_TEXT, size=10, space_after=10)
    for _ in range(3):
        _para(doc, f"见证人/监督人：{SIGN_LINE}　　签名：{SIGN_LINE}　　日期：{SIGN_LINE}", size=11, space_after=10)
    _para(doc, f"封存人：{SIGN_LINE}", size=11)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _para(doc, f"附件：待抽检查对象名单（公告 {label}，共 {len(a['candidates'])} 户，按统一社会信用代码排序）",
          size=12, bold=True, space_after=6)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("序号", "编号", "统一社会信用代码", "单位名称", "风险等级")):
        _cell(cell, title, bold=True, size=9)
    for n, c in enumerate(a["candidates"], 1):
        cells = table.add_row().cells
        for cell, value, font in zip(cells, (n, c["id"], c["code"], c["name"], c["risk"]),
                                     (None, None, MONO_FONT, None, None)):
            _cell(cell, str(value), size=9, **({"font": font} if font else {}))
    _fix_widths(table, (Mm(14), Mm(18), Mm(48), Mm(72), Mm(22)))
    return _save(doc, path)
