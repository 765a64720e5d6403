"""证据材料 — files and 执法记录仪 numbers filed with an inspection, kept in the database with their SHA-256.

A clerk attaches the scanned signed record, photos, or 执法记录仪 footage (a file, or only the device's
clip number). The file's bytes are copied into the database (models.attachment), so every workstation
on the office server sees the same evidence and every backup and migrate-to carries it; the SHA-256 of
the bytes is recorded on the attachment row and in its audit entry. models.evidence_audit (run by
verify-audit) recomputes every hash from the stored bytes and compares the three, so a swapped photo
is named. Evidence is never deleted: a mistaken attachment is withdrawn with a reason.

Each file may be at most MAX_FILE_BYTES (20 MB): a scanned record or a phone photo is far smaller;
a long 执法记录仪 video is registered by its number instead (the footage stays on the 执法记录仪
management system, where it is kept by its own rules).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import audit
from models.attachment import AttachmentContent, AttachmentWithdrawal
from models.errors import UserError
from models.inspection import Inspection
from models.supervision import ATTACHMENT_KINDS, InspectionAttachment
from models.text import REASON_MAX, limited

__all__ = [  # the checks verify-audit runs are in models.evidence_audit
    "MAX_FILE_BYTES", "FOOTAGE_KIND", "EvidenceError", "EvidenceTampered", "AttachmentRow", "FileInput",
    "size_text", "kind_for", "read_file", "attach", "attach_files", "register_footage", "withdraw",
    "list_attachments", "attachment_data", "export_name", "is_image_name",
]

MAX_FILE_BYTES = 20 * 1024 * 1024
FOOTAGE_KIND = "执法记录仪"
NAME_MAX = 200
REFERENCE_MAX = 200
NOTE_MAX = 500
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp"})
VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mov", ".mkv", ".3gp", ".wmv", ".ts", ".mts", ".flv"})
# The audit entries that register evidence and its withdrawal.
ENTITY = "inspection_attachment"
WITHDRAWAL_ENTITY = "attachment_withdrawal"

Progress = Callable[[int, int], None]


class EvidenceError(UserError, ValueError):
    """Evidence that cannot be filed or found as asked (message in Chinese, naming the file or field)."""


class EvidenceTampered(UserError):
    """A stored file no longer matches the SHA-256 recorded when it was attached."""


@dataclass(frozen=True)
class FileInput:
    """One file to attach: its name as the clerk picked it and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class AttachmentRow:
    """One piece of evidence as the list shows it."""

    id: int
    inspection_id: int
    kind: str
    name: str             # the file's name where the clerk picked it ("" for a number only)
    size: int
    sha256: str           # "" for a 执法记录仪 number without a file
    reference: str
    note: str
    created_by: str
    created_at: datetime
    withdrawn_reason: str = ""
    withdrawn_by: str = ""
    withdrawn_at: datetime | None = None

    @property
    def has_file(self) -> bool:
        return bool(self.sha256)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_image(self) -> bool:
        return self.has_file and is_image_name(self.name)

    @property
    def title(self) -> str:
        """What the clerk reads first: the file's name, else the 执法记录仪 number."""
        return self.name or f"编号 {self.reference}"


def is_image_name(name: str) -> bool:
    return Path(name).suffix.lower() in IMAGE_SUFFIXES


def size_text(n: int) -> str:
    """A file size as a clerk reads it: 812 字节, 35.2 KB, 20.0 MB."""
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    mb = 1024 * 1024
    return f"{n // mb} MB" if n % mb == 0 else f"{n / mb:.1f} MB"


def kind_for(name: str) -> str:
    """The kind a file is filed as when the clerk does not say: a picture is a 照片, a video 执法记录仪."""
    suffix = Path(name).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "照片"
    if suffix in VIDEO_SUFFIXES:
        return FOOTAGE_KIND
    return "其他"


def _too_big(name: str, size: int) -> EvidenceError:
    return EvidenceError(
        f"文件“{name}”大小为 {size_text(size)}（{size:,} 字节），超过每个文件 {size_text(MAX_FILE_BYTES)} 的上限，"
        "未添加任何文件。"
        "请压缩图片或只扫描需要的页；执法记录仪的长视频请只登记记录仪编号。")


def read_file(path: str | Path) -> FileInput:
    """The file at *path* read for attaching; refused (naming it) when missing, empty or over the limit."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError:
        raise EvidenceError(f"找不到文件“{path}”，请检查路径。") from None
    if not path.is_file():
        raise EvidenceError(f"“{path}”不是文件（可能是文件夹），请选择要添加的文件。")
    if info.st_size > MAX_FILE_BYTES:
        raise _too_big(path.name, info.st_size)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise EvidenceError(f"无法读取文件“{path}”：{e.strerror or e}。") from e
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise _too_big(path.name, len(data))
    return FileInput(path.name, data)


def _inspection(session: Session, inspection_id: int) -> Inspection:
    found = session.get(Inspection, inspection_id)
    if found is None:
        raise EvidenceError(f"没有编号为 {inspection_id} 的检查记录。")
    return found


def _kind(kind: str | None, name: str) -> str:
    chosen = (kind or "").strip() or kind_for(name)
    if chosen not in ATTACHMENT_KINDS:
        raise EvidenceError(f"证据类别“{chosen}”无效，应为：{'、'.join(ATTACHMENT_KINDS)}。")
    return chosen


def _check_file(item: FileInput) -> str:
    name = (item.name or "").strip()
    if not name:
        raise EvidenceError("要添加的文件没有文件名。")
    if len(name) > NAME_MAX:
        raise EvidenceError(f"文件名过长：最多 {NAME_MAX} 个字，现有 {len(name)} 个字（{name[:30]}…），"
                            "请改名后再添加。")
    if not item.data:
        raise EvidenceError(f"文件“{name}”是空文件（0 字节），未添加。")
    if len(item.data) > MAX_FILE_BYTES:
        raise _too_big(name, len(item.data))
    return name


def _held(session: Session, inspection_id: int) -> dict[str, tuple[int | None, str]]:
    """This inspection's files not withdrawn, {SHA-256: (id, name)}: the same file is not filed twice."""
    withdrawn = select(AttachmentWithdrawal.attachment_id)
    rows = session.execute(select(InspectionAttachment.sha256, InspectionAttachment.id,
                                  InspectionAttachment.original_name).where(
        InspectionAttachment.inspection_id == inspection_id, InspectionAttachment.sha256 != "",
        InspectionAttachment.id.not_in(withdrawn)))
    return {sha: (aid, name) for sha, aid, name in rows}


def _add(session: Session, inspection: Inspection, *, kind: str, name: str, data: bytes | None, reference: str,
         note: str, actor: str) -> InspectionAttachment:
    digest = hashlib.sha256(data).hexdigest() if data is not None else ""
    row = InspectionAttachment(inspection_id=inspection.id, kind=kind, original_name=name, stored_name="",
                               sha256=digest, size=len(data) if data is not None else 0, reference=reference,
                               note=note, created_by=actor or "")
    session.add(row)
    session.flush()
    if data is not None:
        session.add(AttachmentContent(attachment_id=row.id, data=data))
        session.flush()
    audit.append(session, user=actor, action="添加证据材料", entity=ENTITY, entity_id=row.id,
                 detail={"inspection_id": inspection.id, "kind": kind, "name": name, "size": row.size,
                         "sha256": digest, "reference": reference, "note": note})
    return row


def attach(session: Session, inspection_id: int, source: str | Path | bytes | FileInput | None = None, *,
           kind: str | None = None, reference: str = "", note: str = "", actor: str, name: str = "") -> int:
    """File one piece of evidence with an inspection; returns the attachment's id.

    *source*: a path, bytes (then *name* is required), a FileInput, or None for a 执法记录仪 number
    without a file (kind 执法记录仪 and a *reference* then required). *kind* defaults from the file's
    type (kind_for). Refused, with nothing stored, over MAX_FILE_BYTES, empty, or already attached.
    """
    if source is None:
        return register_footage(session, inspection_id, reference, note=note, actor=actor, kind=kind)
    if isinstance(source, (bytes, bytearray)):
        source = FileInput(name, bytes(source))
    elif not isinstance(source, FileInput):
        source = read_file(source)
    return attach_files(session, inspection_id, [source], kind=kind, reference=reference, note=note,
                        actor=actor)[0]


def attach_files(session: Session, inspection_id: int, sources: Sequence[str | Path | FileInput], *,
                 kind: str | None = None, reference: str = "", note: str = "", actor: str,
                 progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> list[int]:
    """File several files with an inspection in the caller's transaction: all of them or, on any refusal, none.

    Every file is checked (exists, not empty, within the limit, not already attached) before any is stored.
    """
    if not sources:
        raise EvidenceError("请选择要添加的文件。")
    inspection = _inspection(session, inspection_id)
    reference = limited(reference, "记录仪编号/参考号", REFERENCE_MAX, error=EvidenceError)
    note = limited(note, "说明", NOTE_MAX, error=EvidenceError)
    files: list[FileInput] = []
    for n, source in enumerate(sources):
        files.append(source if isinstance(source, FileInput) else read_file(source))
        if progress is not None:
            progress(n, 2 * len(sources))
    held = _held(session, inspection_id)
    checked = []
    for item in files:
        name = _check_file(item)
        digest = hashlib.sha256(item.data).hexdigest()
        if digest in held:
            same_id, same_name = held[digest]
            same = f"已有的证据材料 #{same_id}“{same_name}”" if same_id else f"同时添加的“{same_name}”"
            raise EvidenceError(f"文件“{name}”与本检查记录{same}内容相同，未重复添加任何文件。")
        held[digest] = (None, name)
        checked.append((name, item.data, _kind(kind, name)))
    ids = []
    for n, (name, data, chosen) in enumerate(checked, start=1):
        if cancelled is not None and cancelled():
            raise EvidenceError("已取消，未添加任何文件。")
        ids.append(_add(session, inspection, kind=chosen, name=name, data=data, reference=reference, note=note,
                        actor=actor).id)
        if progress is not None:
            progress(len(sources) + n, 2 * len(sources))
    return ids


def register_footage(session: Session, inspection_id: int, reference: str, *, note: str = "", actor: str,
                     kind: str | None = None) -> int:
    """登记执法记录仪编号: footage filed by the device's or clip's number only, without a file."""
    if (kind or FOOTAGE_KIND) != FOOTAGE_KIND:
        raise EvidenceError(f"只有“{FOOTAGE_KIND}”类的证据材料可以只登记编号而不附文件；"
                            f"“{kind}”请选择要添加的文件。")
    inspection = _inspection(session, inspection_id)
    reference = limited(reference, "记录仪编号", REFERENCE_MAX, error=EvidenceError)
    if not reference:
        raise EvidenceError("请填写执法记录仪编号（或视频文件的编号），或选择视频文件添加。")
    note = limited(note, "说明", NOTE_MAX, error=EvidenceError)
    return _add(session, inspection, kind=FOOTAGE_KIND, name="", data=None, reference=reference, note=note,
                actor=actor).id


def withdraw(session: Session, attachment_id: int, reason: str, actor: str) -> None:
    """撤回 a mistaken attachment: it leaves the list of evidence in force, but the file and its hash stay."""
    row = session.get(InspectionAttachment, attachment_id)
    if row is None:
        raise EvidenceError(f"没有编号为 {attachment_id} 的证据材料。")
    reason = limited(reason, "撤回原因", REASON_MAX, error=EvidenceError)
    if not reason:
        raise EvidenceError("请填写撤回原因（例如：误传了其他单位的照片）。")
    done = session.scalar(select(AttachmentWithdrawal).where(AttachmentWithdrawal.attachment_id == attachment_id))
    if done is not None:
        raise EvidenceError(f"证据材料 #{attachment_id} 已于 {done.withdrawn_at:%Y-%m-%d %H:%M} 由 {done.withdrawn_by} "
                            f"撤回（{done.reason}）。")
    session.add(AttachmentWithdrawal(attachment_id=attachment_id, reason=reason, withdrawn_by=actor or ""))
    session.flush()
    audit.append(session, user=actor, action="撤回证据材料", entity=WITHDRAWAL_ENTITY, entity_id=attachment_id,
                 detail={"inspection_id": row.inspection_id, "name": row.original_name, "sha256": row.sha256,
                         "reason": reason})


def _rows(session: Session, query) -> list[AttachmentRow]:
    q = (query.add_columns(AttachmentWithdrawal.reason, AttachmentWithdrawal.withdrawn_by,
                           AttachmentWithdrawal.withdrawn_at)
         .outerjoin(AttachmentWithdrawal, AttachmentWithdrawal.attachment_id == InspectionAttachment.id)
         .order_by(InspectionAttachment.id))
    return [AttachmentRow(a.id, a.inspection_id, a.kind, a.original_name, a.size, a.sha256, a.reference, a.note,
                          a.created_by, a.created_at, reason or "", by or "", at)
            for a, reason, by, at in session.execute(q)]


def list_attachments(session: Session, inspection_id: int, *, include_withdrawn: bool = True) -> list[AttachmentRow]:
    """The evidence of one inspection, oldest first (withdrawn ones too, marked, unless asked otherwise)."""
    _inspection(session, inspection_id)
    rows = _rows(session, select(InspectionAttachment).where(InspectionAttachment.inspection_id == inspection_id))
    return rows if include_withdrawn else [r for r in rows if not r.withdrawn]


def get_attachment(session: Session, attachment_id: int) -> AttachmentRow:
    rows = _rows(session, select(InspectionAttachment).where(InspectionAttachment.id == attachment_id))
    if not rows:
        raise EvidenceError(f"没有编号为 {attachment_id} 的证据材料。")
    return rows[0]


def attachment_data(session: Session, attachment_id: int) -> tuple[AttachmentRow, bytes]:
    """The attachment and its stored bytes, checked against the SHA-256 recorded when it was filed.

    Refused (EvidenceTampered) when the bytes no longer match: a swapped file is never shown or saved
    out as if it were the evidence.
    """
    row = get_attachment(session, attachment_id)
    if not row.has_file:
        raise EvidenceError(f"证据材料 #{attachment_id} 只登记了执法记录仪编号 {row.reference}，没有文件。")
    data = session.scalar(select(AttachmentContent.data).where(AttachmentContent.attachment_id == attachment_id))
    if data is None:
        raise EvidenceTampered(f"证据材料 #{attachment_id}“{row.name}”的文件内容在数据库中不存在：可能被删除。"
                               "请运行 python main.py verify-audit 查明，并从备份恢复。")
    data = bytes(data)
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise EvidenceTampered(f"证据材料 #{attachment_id}“{row.name}”的文件内容与添加时登记的 SHA-256 不符，"
                               "可能被替换，不能打开或导出。请运行 python main.py verify-audit 查明，并从备份恢复。")
    return row, data


def export_name(row: AttachmentRow) -> str:
    """The stable name a saved-out copy gets: ``<id>-<original name>``, so copies of two files never collide."""
    return f"{row.id}-{row.name}"
