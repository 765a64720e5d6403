"""verify-audit for evidence: every attached file's SHA-256 recomputed from the bytes in the database and compared
with its attachment row, the row with its audit entry, and rows, contents and entries with one another.

A swapped photo (bytes changed with the lock trigger dropped), a row rewritten to match, a deleted attachment or a
withdrawal that was not written by the program is each named in Chinese: the inspection (its object and date),
the attachment (number, file name, kind) and what disagrees.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.admin import AuditEntry
from models.attachment import AttachmentContent, AttachmentWithdrawal
from models.evidence import ENTITY, WITHDRAWAL_ENTITY
from models.inspection import Inspection
from models.roster import InspectedObject
from models.supervision import InspectionAttachment

__all__ = ["attachment_problems", "file_count"]


def _logged(session: Session, entity: str) -> dict[str, tuple[int, dict]]:
    found: dict[str, tuple[int, dict]] = {}
    for entry_id, entity_id, detail in session.execute(
            select(AuditEntry.id, AuditEntry.entity_id, AuditEntry.detail).where(AuditEntry.entity == entity)):
        try:
            value = json.loads(detail)
        except (ValueError, RecursionError):
            value = None
        found[entity_id] = (entry_id, value if isinstance(value, dict) else {})
    return found


def _labels(session: Session) -> dict[int, tuple[str, str, int, str]]:
    """Per attachment: (the inspection's label, the attachment's label, inspection id, recorded sha)."""
    labels = {}
    for aid, iid, kind, name, ref, sha, obj, day in session.execute(
            select(InspectionAttachment.id, InspectionAttachment.inspection_id, InspectionAttachment.kind,
                   InspectionAttachment.original_name, InspectionAttachment.reference, InspectionAttachment.sha256,
                   InspectedObject.name, Inspection.date_to)
            .outerjoin(Inspection, Inspection.id == InspectionAttachment.inspection_id)
            .outerjoin(InspectedObject, InspectedObject.id == Inspection.object_id)
            .order_by(InspectionAttachment.id)):
        where = f"检查记录 #{iid}（{obj}，{day:%Y-%m-%d}）" if obj is not None else f"检查记录 #{iid}（已不存在）"
        what = f"证据材料 #{aid}“{name}”（{kind}）" if name else f"证据材料 #{aid}（{kind}，编号 {ref}）"
        labels[aid] = (where, what, iid, sha)
    return labels


def attachment_problems(session: Session, on_file: Callable[[int, int], None] | None = None) -> list[str]:
    """Every disagreement between the evidence, its stored bytes and the audit log (Chinese), or [].

    Each file's SHA-256 is recomputed from the bytes in the database and compared with the attachment
    row, and the row with its audit entry; rows, contents and entries must exist for one another.
    """
    problems: list[str] = []
    labels = _labels(session)
    logged = _logged(session, ENTITY)
    for aid, (where, what, _iid, sha) in labels.items():
        entry = logged.get(str(aid))
        if entry is None:
            problems.append(f"{where}的{what}在审计日志中没有对应条目：审计日志的条目可能被删除。")
        elif entry[1].get("sha256", None) != sha:
            problems.append(f"{where}的{what}登记的 SHA-256 与审计日志第 {entry[0]} 条记载的不符：登记被改动，"
                            "文件可能被替换。")
    seen: set[int] = set()
    ids = list(labels)
    for n, aid in enumerate(ids, start=1):  # one file at a time: a 20 MB file each is never all in memory
        if not labels[aid][3]:
            continue
        data = session.scalar(select(AttachmentContent.data).where(AttachmentContent.attachment_id == aid))
        where, what, _iid, sha = labels[aid]
        if data is None:
            problems.append(f"{where}的{what}的文件内容在数据库中不存在：文件被删除。")
        elif hashlib.sha256(bytes(data)).hexdigest() != sha:
            problems.append(f"{where}的{what}的文件内容与登记的 SHA-256 不符：文件被替换或改动。")
        seen.add(aid)
        if on_file is not None:
            on_file(n, len(ids))
    stray = [a for a in session.scalars(select(AttachmentContent.attachment_id)) if a not in seen]
    for aid in sorted(stray):
        if aid in labels:
            where, what, _iid, _sha = labels[aid]
            problems.append(f"{where}的{what}登记为只有编号、没有文件，数据库中却有它的文件内容：登记被改动。")
        else:
            problems.append(f"数据库中有不属于任何证据材料的文件内容（证据材料编号 {aid}）：证据材料的登记被删除。")
    for entity_id, (entry_id, detail) in sorted(logged.items(), key=lambda x: x[1][0]):
        if not entity_id.isdigit() or int(entity_id) not in labels:
            problems.append(f"审计日志第 {entry_id} 条记载的证据材料 #{entity_id}“{detail.get('name', '')}”"
                            f"（检查记录 #{detail.get('inspection_id', '')}）在数据库中不存在：证据材料被删除。")
    withdrawn = {str(a) for a in session.scalars(select(AttachmentWithdrawal.attachment_id))}
    logged_withdrawals = _logged(session, WITHDRAWAL_ENTITY)
    for entity_id, (entry_id, detail) in sorted(logged_withdrawals.items(), key=lambda x: x[1][0]):
        if entity_id not in withdrawn:
            problems.append(f"审计日志第 {entry_id} 条记载的证据材料 #{entity_id}“{detail.get('name', '')}”的撤回"
                            "在数据库中不存在：撤回记录被删除。")
    for entity_id in sorted(withdrawn - set(logged_withdrawals), key=int):
        where, what, _iid, _sha = labels.get(int(entity_id), ("", f"证据材料 #{entity_id}", 0, ""))
        problems.append(f"{where}的{what}的撤回在审计日志中没有对应条目：撤回记录不是本软件写入的。")
    return problems


def file_count(session: Session) -> int:
    """How many attachments carry a file (the ones verify-audit recomputes)."""
    return session.scalar(select(func.count()).select_from(InspectionAttachment)
                          .where(InspectionAttachment.sha256 != "")) or 0
