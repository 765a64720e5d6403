"""Draw the app icon (resources/icons/app.png, 256 px, and app.ico for Windows) with Qt and Pillow.

Run once after changing the design:  QT_QPA_PLATFORM=offscreen python installer/make_icon.py
The files are committed; the build only reads them.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZE = 256


def draw(size: int = SIZE) -> QImage:
    """Police blue tile, a white 双 (double random) and a gold bar (the published result)."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    s = size / 256
    tile = QPainterPath()
    tile.addRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 44 * s, 44 * s)
    gradient = QLinearGradient(0, 0, 0, size)
    gradient.setColorAt(0, QColor("#2b5fb8"))
    gradient.setColorAt(1, QColor("#123a7a"))
    p.fillPath(tile, QBrush(gradient))
    font = QFont(["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei"])
    font.setWeight(QFont.Weight.Black)
    font.setPixelSize(int(150 * s))
    p.setFont(font)
    p.setPen(QPen(QColor("white")))
    p.drawText(QRectF(0, 4 * s, size, 184 * s), Qt.AlignmentFlag.AlignCenter, "双")
    p.fillRect(QRectF(58 * s, 200 * s, 140 * s, 16 * s), QColor("#f2c230"))
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    png = ICONS / "app.png"
    draw().save(str(png))
    Image.open(png).save(ICONS / "app.ico",
                         sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(f"wrote {png} and {ICONS / 'app.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
