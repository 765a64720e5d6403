"""Moving an office's SQLite database onto its PostgreSQL server (migrate-to): copy every table, then check the copy.

The source file is never written: it is read through a read-only connection into a snapshot in a
temporary folder (which is upgraded if it is older than this program), and the snapshot is copied.
The target is an empty server database, migrated by the program; every row goes over with its id
(the audit chain and the draw records refer to ids) in one transaction, table by table in
foreign-key order, in batches. Before the commit the copy is checked: the same number of rows in
every table, every draw record recomputed to its stored hash, every sealed announcement to its
commitment, every evidence file to its SHA-256, the audit chain whole and ending where the source's
ends. Any failure rolls the transaction back, so the target stays empty, and is explained in Chinese.
"""
from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Integer, func, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from models import audit, settings, users
from models.db import Database, DatabaseError, display_url, is_database_url, open_database
from models.db_checks import check_is_our_database
from models.schema import metadata

BATCH = 5000

# What each table holds, as the progress lines and messages name it.
TABLE_TITLES = {
    "settings": "设置", "users": "用户", "audit_log": "审计日志", "holiday_overrides": "节假日调整",
    "object_types": "对象类型", "inspected_objects": "检查对象", "inspectors": "检查人员", "recusals": "回避关系",
    "plans": "抽查计划", "plan_items": "抽查事项", "plan_item_types": "抽查事项的对象类型",
    "checklist_entries": "检查内容", "draw_records": "抽取记录", "draw_picks": "抽中对象",
    "draw_assignments": "检查人员分配", "draw_announcements": "抽取公告", "draw_announcement_voids": "公告作废",
    "inspections": "检查记录", "inspection_inspectors": "检查记录的检查人员", "checklist_results": "检查项结果",
    "hazards": "治安隐患", "notices": "整改通知书", "reinspections": "复查记录",
    "inspection_attachments": "证据材料", "attachment_contents": "证据材料的文件",
    "attachment_withdrawals": "证据材料撤回",
}
# Tables whose rows are large (each up to models.evidence.MAX_FILE_BYTES): copied a few rows at a time.
BATCH_OF = {"attachment_contents": 4}

Progress = Callable[[str, int, int], None]  # (table title, rows copied, rows in the table)


class TransferError(DatabaseError):
    """The move could not be made or did not check out; the server database was left empty (message in Chinese)."""


def title_of(table_name: str) -> str:
    return TABLE_TITLES.get(table_name, table_name)


@dataclass(frozen=True)
class TransferResult:
    """What migrate_to copied and checked."""

    counts: dict[str, int]            # rows per table, equal in the source and on the server
    records: int                      # draw records recomputed to their stored hash
    announcements: int                # sealed announcements whose commitment matched
    audit_message: str                # verify_chain on the server, after the move's own entries
    admin_created: str | None = None  # the administrator created on the server, if any
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the source, read only

def snapshot(source: Path, into: Path) -> Path:
    """A consistent copy of the SQLite file *source*, read through a read-only connection (never written).

    Without a write-ahead log beside it the file is opened as immutable, so not even the -shm and -wal
    files a read-only connection leaves behind appear next to it; with one, it is read with its log.
    """
    uri = Path(source).resolve().as_uri() + "?mode=ro"
    if not Path(f"{source}-wal").exists():
        uri += "&immutable=1"
    try:
        src = sqlite3.connect(uri, uri=True)
        try:
            dst = sqlite3.connect(str(into))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as e:
        raise TransferError(f"无法读取源数据库 {source}：{e}。") from e
    return into


SQLITE_HEADER = b"SQLite format 3\x00"


@contextmanager
def open_source(source: str | Path) -> Iterator[Database]:
    """The source database, opened on a snapshot in a temporary folder (deleted afterwards)."""
    if is_database_url(str(source)):
        raise TransferError(f"迁移的来源须是本机的数据库文件，而“{display_url(str(source))}”是服务器地址。")
    path = Path(source)
    if not path.is_file() or path.stat().st_size == 0:
        raise TransferError(f"源数据库文件 {path} 不存在或是空文件：请用 --db 指定本机正在使用的数据库文件。")
    with open(path, "rb") as f:
        if f.read(16) != SQLITE_HEADER:
            raise TransferError(f"文件 {path} 不是本软件的数据库（不是 SQLite 数据库文件），请检查 --db 给出的路径。")
    with tempfile.TemporaryDirectory(prefix="ssj-migrate-") as folder:
        copy = snapshot(path, Path(folder) / "source.sqlite3")
        try:  # the whole integrity check, on the copy; messages name the source, not the copy
            check_is_our_database(copy, thorough=True)
            db = open_database(copy, backup_dir=None)
        except DatabaseError as e:
            raise TransferError(str(e).replace(str(copy), str(path))) from e
        try:
            yield db
        finally:
            db.dispose()


def admin_to_create(source: Database, admin: str | None) -> str | None:
    """The administrator the server needs created (None when the source already has one to log in with).

    A shared database needs log-in, so the server must end with an active 管理员: *admin* is created
    unless the source holds it already; without *admin*, the source must hold an active 管理员.
    """
    name = (admin or "").strip() or None
    with source.read_session() as s:
        if name is not None:
            found = users.find_user(s, name)
            if found is None:
                return name
            if found.role != users.ADMIN or not found.active:
                raise TransferError(f"源数据库中已有用户“{name}”，但不是启用的管理员："
                                    "请换一个用户名，或先在本机把该用户设为管理员。")
            return None
        if s.scalar(select(func.count()).select_from(users.User)
                    .where(users.User.role == users.ADMIN, users.User.active.is_(True))):
            return None
    raise TransferError("源数据库中没有启用的管理员账户，而办公室服务器上的共享数据库必须启用登录："
                        "请用 --admin 用户名 指定要在服务器上创建的管理员"
                        "（密码取自环境变量 SSJ_NEW_PASSWORD 或在终端输入）。")


def source_operator(source: Database, username: str | None, ask_password: Callable[[], str]) -> str | None:
    """Who moves the data, checked against the source's own accounts without writing to it.

    None when the source has log-in off (anyone working at this PC may move it, as anyone may open it);
    the name of an active 管理员 whose password is right; otherwise a refusal in Chinese.
    """
    with source.read_session() as s:
        if not users.login_required(s):
            return None
        if not (username or "").strip():
            raise TransferError("源数据库已启用登录：请用 --user 指定源数据库的一名管理员"
                                "（密码取自环境变量 SSJ_PASSWORD 或在终端输入）。")
        account = users.find_user(s, username)
        if account is None or not account.active or not users.verify_password(ask_password() or "",
                                                                               account.password_hash):
            raise TransferError("登录失败：用户名或密码不正确（按源数据库中的用户账户核对）。")
        if account.role != users.ADMIN:
            raise TransferError(f"只有管理员可以迁移数据库，用户“{account.username}”的角色是{account.role}。")
        return account.username


def counts_of(session: Session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in metadata.sorted_tables}


def draw_hashes(session: Session) -> dict[int, str]:
    from models.draw import DrawRecord

    return dict(session.execute(select(DrawRecord.id, DrawRecord.record_hash)).all())


def check_source(session: Session) -> None:
    """Refuse a source whose own audit does not pass: the move would carry the damage and the check would blame it."""
    from models.draw_audit import draw_problems

    from models.evidence_audit import attachment_problems

    chain = audit.verify_chain(session)
    problems = [] if not chain.ok else draw_problems(session) + attachment_problems(session)
    if not chain.ok or problems:
        shown = chain.message if not chain.ok else "；".join(problems[:3])
        raise TransferError(f"源数据库本身未通过审计检查：{shown} 迁移不会修复它：请先运行 "
                            "python main.py verify-audit 查明原因（必要时从备份恢复），再迁移。")


# ---------------------------------------------------------------- the copy

def _pk_order(table):
    return list(table.primary_key.columns)


def copy_tables(source: Session, target: Session, totals: dict[str, int], progress: Progress | None) -> None:
    """Every row of every table, ids kept, parents before children (metadata.sorted_tables), in batches."""
    src = source.connection()
    for table in metadata.sorted_tables:
        total, done = totals[table.name], 0
        if not total:
            continue
        title = title_of(table.name)
        try:
            batch = BATCH_OF.get(table.name, BATCH)
            result = src.execution_options(yield_per=batch).execute(select(table).order_by(*_pk_order(table)))
            for part in result.partitions():
                rows = [row._asdict() for row in part]
                _insert(target, table, rows, title)
                done += len(rows)
                if progress is not None:
                    progress(title, done, total)
        except (ValueError, TypeError, OverflowError) as e:
            raise TransferError(f"读取源数据库的{title}（表 {table.name}，第 {done + 1} 行起）时出错：{e}。"
                                f"{_UNDONE}") from e


_UNDONE = "服务器上的数据库已恢复为空，源数据库未作任何改动。"


def _insert(target: Session, table, rows: list[dict], title: str) -> None:
    """One batch in a savepoint; when the server refuses it, find the row and say why in Chinese."""
    try:
        with target.begin_nested():
            target.connection().execute(table.insert(), rows)
    except sa_exc.DBAPIError as e:
        if e.connection_invalidated:
            raise TransferError(f"复制{title}（表 {table.name}）时与服务器的连接中断：{_server_words(e)}。"
                                f"{_UNDONE}请检查网络和服务器后重新运行。") from e
        bad, error = rows[0], e
        for row in rows:  # one by one, each in its own savepoint, to name the row the server refuses
            try:
                with target.begin_nested():
                    target.connection().execute(table.insert(), [row])
            except sa_exc.DBAPIError as single:
                bad, error = row, single
                break
        key = "、".join(f"{c.name}={bad.get(c.name)}" for c in table.primary_key.columns)
        raise TransferError(f"{title}（表 {table.name}）中 {key} 的一行无法写入服务器：{_refusal(table, bad, error)}。"
                            f"{_UNDONE}") from e


_SQLSTATES = {"23503": "它引用的记录在源数据库中不存在（外键不符）", "23505": "与已有的行重复（违反唯一约束）",
              "23502": "缺少必填的字段", "22003": "数值超出服务器允许的范围",
              "22007": "日期或时间的格式无效", "22008": "日期或时间超出范围",
              "22021": "含有无效的文字编码", "22P05": "含有服务器不接受的字符"}


def _refusal(table, row: dict, error: sa_exc.DBAPIError) -> str:
    """Why the server refused *row*, in Chinese, naming the field when it can be found."""
    for column in table.columns:
        length = getattr(column.type, "length", None)
        value = row.get(column.name)
        if isinstance(value, str) and length and len(value) > length:
            return f"字段 {column.name} 有 {len(value)} 个字符，超过了服务器上的上限 {length}（本机的数据库不检查长度）"
        if isinstance(value, str) and "\x00" in value:
            return f"字段 {column.name} 含有空字符（\\x00），服务器不接受"
    state = getattr(error.orig, "sqlstate", None) or ""
    detail = [x.strip() for x in str(error.orig or error).splitlines() if x.strip()]
    return f"{_SQLSTATES.get(state, '服务器拒绝')}（服务器的原话：{'；'.join(detail[:2]) or type(error).__name__}）"


def _server_words(error: sa_exc.DBAPIError) -> str:
    lines = [x.strip() for x in str(error.orig or error).splitlines() if x.strip()]
    return "；".join(lines[:2]) or type(error).__name__


def set_sequences(target: Session) -> None:
    """Each id sequence past the largest copied id, so rows added later do not collide (PostgreSQL only).

    setval is not undone by a rollback; a failed move leaves the empty tables' sequences further on, which is harmless.
    """
    if target.get_bind().dialect.name != "postgresql":
        return
    quote = target.get_bind().dialect.identifier_preparer.quote
    for table in metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        name, column = quote(table.name), quote(pk[0].name)
        sequence = target.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": pk[0].name})
        if sequence:
            target.execute(text(f"SELECT setval(:s, COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false)"),
                           {"s": sequence})


# ---------------------------------------------------------------- the check

def check_copy(target: Session, counts: dict[str, int], hashes: dict[int, str], head: dict) -> tuple[int, int]:
    """Refuse (TransferError) unless the server holds what the source holds; returns (records, announcements)."""
    from models.draw import DrawRecord
    from models.draw_audit import audit_head, draw_problems
    from models.draw_verify import verify_record
    from models.evidence_audit import attachment_problems
    from models.seal import DrawAnnouncement

    problems = [f"{title_of(name)}（表 {name}）源数据库 {n} 行，服务器 {got} 行"
                for name, n in counts.items() if (got := target.scalar(
                    select(func.count()).select_from(metadata.tables[name])) or 0) != n]
    if draw_hashes(target) != hashes:
        problems.append("服务器上的抽取记录哈希与源数据库不同")
    if audit_head(target) != head:
        problems.append("服务器上审计日志的最后一条与源数据库不同")
    announcements = {a: json.loads(t) for a, t in target.execute(
        select(DrawAnnouncement.id, DrawAnnouncement.announcement_json))}
    for rid, stored, text_, ann in target.execute(select(
            DrawRecord.id, DrawRecord.record_hash, DrawRecord.record_json, DrawRecord.announcement_id)
            .order_by(DrawRecord.id)):
        outcome = verify_record(json.loads(text_), stored, announcements.get(ann) if ann is not None else None)
        if not outcome.ok:
            problems.append(f"抽取记录 #{rid} 复核不一致：{outcome.message}")
    problems += draw_problems(target)
    problems += attachment_problems(target)  # every file's bytes arrived: each SHA-256 recomputed on the server
    chain = audit.verify_chain(target)
    if not chain.ok:
        problems.append(chain.message)
    if problems:
        shown = "；".join(problems[:5]) + (f" 等 {len(problems)} 处" if len(problems) > 5 else "")
        raise TransferError(f"复制后的核对未通过：{shown}。{_UNDONE}")
    return len(hashes), len(announcements)


# ---------------------------------------------------------------- the whole move

def migrate_to(source: Database, target: Database, *, actor: str, admin: str | None = None,
               admin_password: str | None = None, source_name: str = "",
               progress: Progress | None = None) -> TransferResult:
    """Copy *source* (a snapshot from open_source) into the empty *target* (server.open_empty) and check it.

    *admin*: the 管理员 to create on the server (admin_to_create says whether one is needed), with
    *admin_password*. Log-in is switched on there. *target* is left empty on any failure.
    """
    from models.draw_audit import audit_head

    started = time.perf_counter()
    if admin:  # the account's rules first: not after a 100,000-row copy
        _check_new_admin(admin, admin_password or "")
    with source.read_session() as src:
        check_source(src)
        counts = counts_of(src)
        hashes = draw_hashes(src)
        head = audit_head(src)
        s = target.sessions()
        try:
            copy_tables(src, s, counts, progress)
            set_sequences(s)
            records, announced = check_copy(s, counts, hashes, head)
            created = _finish(s, actor, admin, admin_password, source_name, counts)
            chain = audit.verify_chain(s)
            if not chain.ok:  # the move's own entries must extend the chain, not break it
                raise TransferError(f"复制后的核对未通过：{chain.message}{_UNDONE}")
            s.commit()
        except sa_exc.DBAPIError as e:
            s.rollback()
            raise TransferError(f"写入服务器数据库时出错：{_server_words(e)}。{_UNDONE}") from e
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()
    return TransferResult(counts=counts, records=records, announcements=announced, audit_message=chain.message,
                          admin_created=created, seconds=time.perf_counter() - started)


def _check_new_admin(name: str, password: str) -> None:
    """The rules create_user applies at the end, checked before anything is copied (AuthError in Chinese)."""
    if not name.strip():
        raise users.AuthError("用户名不能为空。")
    if len(name.strip()) > users.MAX_NAME:
        raise users.AuthError(f"用户名过长（最多 {users.MAX_NAME} 个字符）。")
    users._check_password_rules(password)  # the one password rule, as create_user applies it


def _finish(s: Session, actor: str, admin: str | None, password: str | None, source_name: str,
            counts: dict[str, int]) -> str | None:
    """The administrator if asked for, log-in on, and an audit entry saying where the data came from."""
    created = None
    if admin and users.find_user(s, admin) is None:
        users.create_user(s, admin, password or "", users.ADMIN, actor=actor)
        created = admin.strip()
    settings.set(s, "login_enabled", True, actor=actor)
    audit.append(s, user=actor, action="迁移数据库", entity="数据库", entity_id="",
                 detail={"来源": source_name, "各表行数": {k: v for k, v in counts.items() if v}})
    return created
