"""The verify kit (公众验证材料): the offline verifier page, a year's draw records and a list of their SHA-256 hashes.

The bureau posts the folder beside its publicity. A member of the public opens 验证页面.html in
any browser and drops a record on it; 哈希清单.txt is in `sha256sum` format, so
`sha256sum -c 哈希清单.txt` (or the page itself) shows that no file changed since it was posted.
Each record is written as its canonical JSON, so a record file's SHA-256 is the record hash
printed on its 抽取结果记录表.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from models.db import Database
from models.draw_record import record_to_json
from models.draw_service import KIND_LABELS, list_draws, load_record
from models.errors import UserError
from models.paths import resources_dir
from models.seal_service import find_announcement, list_announcements
from reports.atomic import atomic_write

PAGE_NAME = "验证页面.html"
HASH_LIST_NAME = "哈希清单.txt"
INDEX_NAME = "清单.csv"
README_NAME = "说明.txt"
INDEX_HEADER = ["文件", "类型", "公告编号", "记录编号", "年度", "抽查事项", "轮次", "时间", "抽取类型", "状态",
                "替代记录", "原因", "SHA-256"]


class VerifyKitError(UserError):
    """The kit cannot be written; the message says why in Chinese."""


@dataclass
class KitFile:
    """One file of the kit and the line it gets in the index."""

    name: str
    kind: str
    data: bytes
    row: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return sha256(self.data).hexdigest()


@dataclass
class VerifyKit:
    """What export_verify_kit wrote."""

    folder: Path
    year: int
    records: int
    files: list[KitFile]


def verifier_page() -> bytes:
    """The verifier page exactly as shipped (resources/verifier/verify.html)."""
    path = resources_dir() / "verifier" / "verify.html"
    try:
        return path.read_bytes()
    except OSError as e:
        raise VerifyKitError(f"找不到验证页面 {path}：软件安装不完整（{e}）。") from e


def record_file_name(year: int, record_id: int) -> str:
    return f"抽取记录-{year}-{record_id:04d}.json"


def announcement_file_name(label: str) -> str:
    """抽取公告-2024-003.json for announcement 2024-003."""
    return f"抽取公告-{label}.json"


def kit_files(db: Database, year: int) -> list[KitFile]:
    """The page, every announcement and every draw record of the year (voided, re-drawn, substituted: all of them)."""
    files = [KitFile(PAGE_NAME, "验证页面", verifier_page())]
    with db.read_session() as s:
        for a in list_announcements(s, year):
            text = find_announcement(s, a.year, a.number).announcement_json
            if sha256(text.encode("utf-8")).hexdigest() != a.commitment:
                raise VerifyKitError(f"抽取公告 {a.label} 的内容与封存时的承诺值不符，公告可能被篡改，未导出验证材料。")
            name = announcement_file_name(a.label)
            files.append(KitFile(name, "抽取公告", text.encode("utf-8"), [
                name, "抽取公告", a.label, str(a.draw_id or ""), str(a.year), f"{a.item_number}．{a.item_name}",
                str(a.round), f"{a.sealed_at:%Y-%m-%d %H:%M}", KIND_LABELS.get(a.kind, a.kind), a.status, "",
                a.void_reason]))
        for d in list_draws(s, year):
            record = load_record(s, d.id)  # refuses a record that no longer hashes to what was saved
            name = record_file_name(year, d.id)
            label = (record.get("meta") or {}).get("announcement_number") or ""
            files.append(KitFile(name, "抽取记录", record_to_json(record).encode("utf-8"), [
                name, "抽取记录", str(label), str(d.id), str(d.year), f"{d.item_number}．{d.item_name}", str(d.round),
                f"{d.time:%Y-%m-%d %H:%M}", d.kind_label, d.status, str(d.replaces_id or ""), d.reason]))
    return files


def hash_list(files: list[KitFile]) -> bytes:
    """`sha256sum` lines: the hash, two spaces, the file name."""
    return "".join(f"{f.sha256}  {f.name}\n" for f in files).encode("utf-8")


def index_csv(files: list[KitFile]) -> bytes:
    """The index with a UTF-8 BOM, so Excel opens the Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(INDEX_HEADER)
    for f in files:
        row = f.row or [f.name, f.kind] + [""] * (len(INDEX_HEADER) - 3)
        writer.writerow([*row, f.sha256])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def readme(year: int, records: int) -> bytes:
    text = f"""{year} 年度双随机抽查 抽取记录公众验证材料

本文件夹包含：
  {PAGE_NAME}    验证页面：用任意浏览器（Chrome、Edge、Firefox、Safari 等）直接打开，不需要联网。
  抽取公告-*.json    本年度全部抽取公告（含已作废的），每份在抽取前封存并张贴。
  抽取记录-*.json    本年度全部 {records} 条抽取记录（含已被重抽替代和替补的记录）。
  {INDEX_NAME}        文件清单：每条记录的事项、轮次、抽取时间、状态和 SHA-256 哈希。
  {HASH_LIST_NAME}    各文件的 SHA-256 哈希（sha256sum 格式）。

如何验证一条抽取记录：
  1. 打开 {PAGE_NAME}；
  2. 把一个“抽取记录-….json”文件拖到页面上（可同时拖入它的“抽取公告-….json”和 {HASH_LIST_NAME}）；
  3. 页面显示“一致”，说明记录中的抽取结果与按公开规则重新计算的结果完全一致，
     并且正是按那份公告抽取的；显示“不一致”时，页面说明第一处不一致。

每条记录文件的 SHA-256 哈希就是抽取结果记录表上印的“本记录哈希”，
每份公告文件的 SHA-256 哈希就是公告上印的“承诺值”，可逐一核对。
核对文件未被改动：Linux/macOS 下运行 sha256sum -c {HASH_LIST_NAME}；
Windows 下运行 certutil -hashfile 文件名 SHA256，与 {HASH_LIST_NAME} 比较。
"""
    return text.replace("\n", "\r\n").encode("utf-8")


def _write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(data), path.suffix, error=VerifyKitError,
                 explain=lambda p, e: f"无法写入文件 {p}：{e}")


def export_verify_kit(db: Database, year: int, folder: str | Path,
                      progress: Callable[[str], None] | None = None) -> VerifyKit:
    """Write the kit into *folder* (made if missing); each file atomically, the hash list last."""
    folder = Path(folder)
    files = kit_files(db, year)
    records = sum(1 for f in files if f.kind == "抽取记录")
    if len(files) == 1:  # announcements alone are worth posting: they are sealed before any draw
        raise VerifyKitError(f"{year} 年度没有抽取公告和抽取记录，没有可导出的验证材料。")
    if folder.exists() and not folder.is_dir():
        raise VerifyKitError(f"无法导出到 {folder}：这是一个文件，不是文件夹。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise VerifyKitError(f"无法创建文件夹 {folder}：{e}") from e
    files.append(KitFile(INDEX_NAME, "文件清单", index_csv(files)))
    files.append(KitFile(README_NAME, "说明", readme(year, records)))
    for f in files:
        _write_bytes(folder / f.name, f.data)
        if progress:
            progress(f.name)
    _write_bytes(folder / HASH_LIST_NAME, hash_list(files))
    return VerifyKit(folder, year, records, files)
