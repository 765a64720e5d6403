"""Demo evidence: a photo, the scanned signed record and a 执法记录仪 number on the demo's fire-exit inspection.

The pictures are drawn here without Qt (matplotlib's Agg, as the year report's charts), so the demo
needs no image files shipped with it; ``png_bytes`` writes a plain PNG from raw bytes for stories that
need an image without matplotlib.
"""
from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

from sqlalchemy import select

from models.db import Database
from models.evidence import FileInput
from models.inspection import Hazard, Inspection
from models.supervision import InspectionAttachment
from usecases.evidence_files import add_files, add_footage

__all__ = ["load_demo_evidence", "png_bytes", "DEMO_HAZARD"]

DEMO_HAZARD = "消防通道堆放杂物"  # the demo inspection the evidence belongs to (usecases.demo_inspections)


def png_bytes(width: int, height: int, colour: tuple[int, int, int] = (200, 60, 40), *, stripe: int = 0) -> bytes:
    """A plain RGB PNG of one colour (with a white stripe every *stripe* rows when given), written byte by byte."""
    row = bytes(colour) * width
    white = b"\xff" * (3 * width)
    raw = b"".join(b"\x00" + (white if stripe and y % stripe == 0 else row) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _figure_png(draw: Callable, size: tuple[float, float], dpi: int = 80) -> bytes:
    from matplotlib.figure import Figure

    from reports.charts import configure_fonts

    configure_fonts()
    fig = Figure(figsize=size, dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.axis("off")
    draw(ax)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _photo(ax) -> None:
    """A corridor with cartons in front of the green 安全出口 sign, as a phone photo of the hazard."""
    from matplotlib.patches import Polygon, Rectangle

    ax.add_patch(Rectangle((0, 0), 100, 100, color="#d9d4c7"))
    ax.add_patch(Polygon([(0, 0), (30, 30), (70, 30), (100, 0)], color="#9c8f7a"))      # floor
    ax.add_patch(Rectangle((38, 30), 24, 45, color="#6b5b4b"))                         # the exit door
    ax.add_patch(Rectangle((41, 78), 18, 7, color="#1f8f3a"))                          # 安全出口 sign
    ax.text(50, 81.5, "安全出口", color="white", ha="center", va="center", fontsize=11)
    for x, y, w, h in ((30, 10, 20, 18), (48, 8, 22, 22), (40, 26, 14, 12), (62, 14, 16, 14)):
        ax.add_patch(Rectangle((x, y), w, h, facecolor="#c8a165", edgecolor="#7a5a2a", linewidth=1.5))
    ax.text(2, 95, "演示照片：消防通道堆放杂物", fontsize=12, va="top", color="#222222")


def _record_scan(ax) -> None:
    """A page of the signed on-site record, as a scanner returns it."""
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((0, 0), 100, 100, color="#f7f6f1"))
    ax.text(50, 94, "现场检查记录", ha="center", fontsize=16, weight="bold")
    ax.text(50, 89.5, "（演示扫描件）", ha="center", fontsize=9, color="#555555")
    lines = ["被检查单位：演示宾馆", "检查时间：见检查记录", "检查人员：演示民警甲、演示民警乙",
             "检查情况：消防通道堆放杂物，安全出口被遮挡。", "处理意见：责令限期整改。",
             "被检查单位意见：确认属实，立即整改。"]
    for n, line in enumerate(lines):
        ax.text(8, 80 - n * 7.5, line, fontsize=10)
        ax.plot([8, 92], [78.5 - n * 7.5, 78.5 - n * 7.5], color="#bbbbbb", linewidth=0.6)
    ax.text(8, 22, "检查人员签名：", fontsize=10)
    ax.text(52, 22, "被检查单位负责人签名：", fontsize=10)
    ax.plot([10, 18, 24, 30], [15, 18, 14, 17], color="#1a2a7a", linewidth=1.4)   # the signatures' strokes
    ax.plot([56, 62, 70, 76, 84], [15, 18, 13, 18, 15], color="#1a2a7a", linewidth=1.4)
    ax.add_patch(Rectangle((0.5, 0.5), 99, 99, fill=False, edgecolor="#cccccc"))


def load_demo_evidence(db: Database, actor: str = "演示数据",
                       progress: Callable[[int, int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> dict:
    """File a photo of the blocked fire exit, the scanned signed record and a 执法记录仪 number with the demo's
    fire-exit inspection. Returns counts; a second run (or a demo without that inspection) adds nothing."""
    with db.session() as s:
        inspection_id = s.scalar(select(Inspection.id).join(Hazard, Hazard.inspection_id == Inspection.id)
                                 .where(Hazard.text == DEMO_HAZARD).order_by(Inspection.id).limit(1))
        held = inspection_id is not None and s.scalar(
            select(InspectionAttachment.id).where(InspectionAttachment.inspection_id == inspection_id).limit(1))
        day = s.get(Inspection, inspection_id).date_to if inspection_id is not None else None
    if inspection_id is None or held:
        return {"attachments": 0}
    files = [FileInput("消防通道现场照片.png", _figure_png(_photo, (6.4, 4.8))),
             FileInput("现场检查记录（签字）.png", _figure_png(_record_scan, (6.2, 8.8)))]
    if progress is not None:
        progress(1, 3)
    add_files(db, inspection_id, files[:1], kind="照片", note="检查时现场拍摄", actor=actor)
    add_files(db, inspection_id, files[1:], kind="签字检查记录", note="双方签字后扫描", actor=actor)
    if progress is not None:
        progress(2, 3)
    add_footage(db, inspection_id, f"DSJ-0231 {day:%Y%m%d} 0915-0942", note="检查全程录像，存执法记录仪管理系统",
                actor=actor)
    if progress is not None:
        progress(3, 3)
    return {"attachments": 3}
