"""Backups of the office's PostgreSQL database with pg_dump (custom format), and restoring one.

The SQLite file has its own online-backup path (models.backup); a server database is copied with
PostgreSQL's own client programs, found on PATH, then in /usr/lib/postgresql/*/bin or
C:\\Program Files\\PostgreSQL\\*\\bin (newest first). The password travels in PGPASSWORD, never on
the command line; without one, libpq's own password file (pgpass) serves.

Files are named like the SQLite backups, "<database>-YYYYMMDD-HHMMSS-<reason>.dump", in the backup
folder (the 备份文件夹 setting, else "backups" in this workstation's data folder), written to a
".part" name first and renamed when pg_dump has finished.

Restore, and why this way: the dump is checked first (its table of contents, then every data block
read through, the schema revision, the audit chain), while no other workstation is connected; the
current database is dumped as 恢复前; then ONE transaction, fed to psql, drops our tables (also those
a newer schema added and the dump lacks), recreates them from the dump, carries the highest 文号
issued forward (doc_number_floors) and appends the 从备份恢复 audit entry naming what was discarded.
Either all of it commits or nothing does, so a damaged dump or a lost connection leaves the current
database as it was. (Restoring into a new database and renaming it would need CREATEDB rights and
no connection to either database; the single transaction needs neither.)
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from models.backup import REASON_MANUAL, BackupInfo, _target_problem
from models.db import Database, DatabaseError, application_name, connection_problem, display_url, normalized_url

DUMP_SUFFIX = ".dump"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?-(?P<reason>[^-]+)\.dump$")
TOOLS_HINT = ("请在本机安装 PostgreSQL 客户端工具：Windows 用 PostgreSQL 安装程序（选中“Command Line Tools”），"
              "Debian/Ubuntu 用 sudo apt install postgresql-client；版本不低于服务器的版本。")
# Tables whose rows, when the live database has them and the dump has not, the restore names.
_TRACKED_KEYS = {"notices": "doc_number", "reinspections": "doc_number", "draw_records": "record_hash",
                 "draw_announcements": "commitment", "inspection_attachments": "sha256"}


class ToolsMissing(DatabaseError):
    """pg_dump / pg_restore / psql are not installed on this workstation."""


class SeatsConnected(DatabaseError):
    """A restore refused while other workstations are connected to the server database."""


# --- the client programs ---------------------------------------------------------------------------

def _exe(name: str) -> str:
    return name + ".exe" if sys.platform == "win32" else name


def _version_key(folder: str) -> tuple:
    numbers = re.findall(r"\d+", folder)
    return tuple(int(n) for n in numbers) or (0,)


def candidate_dirs() -> list[Path]:
    """Folders that may hold the PostgreSQL client programs: PATH first, then the usual installs, newest first."""
    found: list[Path] = []
    on_path = shutil.which(_exe("pg_dump")) or shutil.which("pg_dump")
    if on_path:
        found.append(Path(on_path).parent)
    patterns = ["/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/opt/homebrew/opt/postgresql@*/bin"]
    if sys.platform == "win32":
        for root in (os.environ.get("PROGRAMFILES", r"C:\Program Files"), r"C:\Program Files"):
            patterns.append(os.path.join(root, "PostgreSQL", "*", "bin"))
    for pattern in patterns:
        for folder in sorted(glob.glob(pattern), key=_version_key, reverse=True):
            if Path(folder) not in found:
                found.append(Path(folder))
    return found


def client_tools(*names: str) -> dict[str, Path]:
    """The programs *names* from ONE folder (pg_restore and psql must be of the same version)."""
    for folder in candidate_dirs():
        paths = {n: folder / _exe(n) for n in names}
        if all(p.is_file() for p in paths.values()):
            return paths
    raise ToolsMissing(f"本机找不到 PostgreSQL 客户端程序 {'、'.join(names)}，"
                       f"无法备份或恢复服务器上的数据库。{TOOLS_HINT}")


_QUERY_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
              "sslkey": "PGSSLKEY", "options": "PGOPTIONS", "connect_timeout": "PGCONNECT_TIMEOUT"}


def client_env(url: str) -> dict[str, str]:
    """The environment that points libpq's programs at *url*; the password, if the URL has one, in PGPASSWORD."""
    from sqlalchemy.engine import make_url

    u = make_url(normalized_url(url))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") or k in ("PGPASSFILE", "PGSERVICEFILE")}
    env.update({"PGDATABASE": u.database or "", "PGAPPNAME": application_name(), "PGCONNECT_TIMEOUT": "10",
                "PGCLIENTENCODING": "UTF8"})
    if u.host:
        env["PGHOST"] = u.host
    if u.port:
        env["PGPORT"] = str(u.port)
    if u.username:
        env["PGUSER"] = u.username
    if u.password:
        env["PGPASSWORD"] = u.password
    for key, value in u.query.items():
        if key in _QUERY_ENV:
            env[_QUERY_ENV[key]] = value if isinstance(value, str) else value[-1]
    return env


def _no_window() -> dict:
    """On Windows a console program started from the app must not flash a black window."""
    return {"creationflags": subprocess.CREATE_NO_WINDOW} if sys.platform == "win32" else {}


def _tool_problem(tool: str, url: str, stderr: str) -> str:
    """pg_dump's / psql's complaint, in Chinese where a clerk can act on it."""
    low = stderr.lower()
    if "server version mismatch" in low or "aborting because of server version mismatch" in low:
        return f"本机的 {tool} 版本低于服务器的 PostgreSQL 版本。{TOOLS_HINT}"
    if any(k in low for k in ("connection to server", "could not connect", "password authentication",
                              "no password supplied", "could not translate host")):
        return connection_problem(url, RuntimeError(stderr))
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return "；".join(lines[:3]) or f"{tool} 异常退出"


# --- backing up ---------------------------------------------------------------------------------------

def database_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(normalized_url(url)).database or "ssj"


def server_backup_folder(db: Database) -> Path:
    """Where this workstation keeps the server's backups: the 备份文件夹 setting, else its own data folder."""
    from models import settings
    from models.paths import data_dir

    with db.session() as s:
        chosen = settings.get(s, "backup_dir")
    return Path(chosen) if chosen else data_dir() / "backups"


def _new_name(stem: str, folder: Path, reason: str, when: datetime) -> Path:
    stamp = when.strftime("%Y%m%d-%H%M%S")
    candidate = folder / f"{stem}-{stamp}-{reason}{DUMP_SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{stamp}-{n}-{reason}{DUMP_SUFFIX}"
        n += 1
    return candidate


def backup_server(url: str, target: str | os.PathLike | None = None, *, folder: str | os.PathLike | None = None,
                  reason: str = REASON_MANUAL, when: datetime | None = None) -> Path:
    """Dump the server database at *url* with pg_dump -Fc (consistent while others work); returns the file."""
    tools = client_tools("pg_dump")
    if target is None:
        if folder is None:
            raise DatabaseError("没有指定备份文件夹。")
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DatabaseError(f"无法创建备份文件夹 {folder}：{e.strerror or e}。") from e
        target = _new_name(database_name(url), folder, reason, when or datetime.now())
    target = Path(target)
    problem = _target_problem(target)
    if problem:
        raise DatabaseError(f"无法写入备份文件 {target}：{problem}。")
    part = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([str(tools["pg_dump"]), "--format=custom", "--no-password", "--file", str(part)],
                              env=client_env(url), capture_output=True, **_no_window())
        if done.returncode != 0:
            why = _tool_problem("pg_dump", url, done.stderr.decode("utf-8", "replace"))
            raise DatabaseError(f"备份服务器数据库 {display_url(url)} 失败：{why}")
        os.replace(part, target)
    except OSError as e:
        raise DatabaseError(f"无法写入备份文件 {target}：{e.strerror or e}"
                            "（请检查该文件夹是否可以写入、磁盘是否已满）。") from e
    finally:
        if part.exists():
            part.unlink()
    return target


def list_server_backups(folder: str | os.PathLike, stem: str | None = None) -> list[BackupInfo]:
    """The .dump backups in *folder*, newest first (only those of database *stem* when given)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for f in folder.glob(f"*{DUMP_SUFFIX}"):
        m = _NAME.match(f.name)
        if m and (stem is None or m["stem"] == stem):
            when, reason = datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S"), m["reason"]
        elif stem is None:
            when, reason = datetime.fromtimestamp(f.stat().st_mtime).replace(microsecond=0), "其他"
        else:
            continue
        found.append(BackupInfo(path=f, time=when, reason=reason, size=f.stat().st_size))
    found.sort(key=lambda b: (b.time, b.path.name), reverse=True)
    return found


# --- reading a dump -----------------------------------------------------------------------------------

_WANTED = ("alembic_version", "audit_log", "settings", *_TRACKED_KEYS)
_COPY = re.compile(r'^COPY (?:"?[\w$]+"?\.)?"?(?P<table>[\w$]+)"? \((?P<columns>[^)]*)\) FROM stdin;$')
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _copy_field(raw: str) -> str | None:
    """One field of COPY's text format: \\N is NULL, backslash escapes decoded."""
    if raw == "\\N":
        return None
    if "\\" not in raw:
        return raw
    out, i = [], 0
    while i < len(raw):
        c = raw[i]
        if c != "\\" or i + 1 == len(raw):
            out.append(c)
            i += 1
            continue
        nxt = raw[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "x" and re.match(r"[0-9A-Fa-f]{1,2}", raw[i + 2:i + 4]):
            digits = re.match(r"[0-9A-Fa-f]{1,2}", raw[i + 2:i + 4])[0]
            out.append(chr(int(digits, 16)))
            i += 2 + len(digits)
        elif nxt in "01234567":
            digits = re.match(r"[0-7]{1,3}", raw[i + 1:i + 4])[0]
            out.append(chr(int(digits, 8)))
            i += 1 + len(digits)
        else:
            out.append(nxt)
            i += 2
    return "".join(out)


@dataclass
class DumpContents:
    """What a checked dump holds that the restore needs: its tables, schema revision and a few tables' rows."""

    path: Path
    tables: set[str]
    revision: str | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)

    def keys(self, table: str) -> set:
        key = _TRACKED_KEYS[table]
        return {r.get(key) for r in self.rows.get(table, [])}

    def setting(self, key: str):
        import json

        for r in self.rows.get("settings", []):
            if r.get("key") == key and r.get("value") is not None:
                try:
                    return json.loads(r["value"])
                except ValueError:
                    return None
        return None


def _damaged(path: Path, detail: str) -> DatabaseError:
    detail = detail.strip().splitlines()[0] if detail.strip() else ""
    return DatabaseError(f"备份文件 {path} 已损坏或不完整，不能用来恢复" + (f"（{detail}）" if detail else "") + "。")


def _read_toc(pg_restore: Path, path: Path) -> set[str]:
    done = subprocess.run([str(pg_restore), "--list", str(path)], capture_output=True, **_no_window())
    if done.returncode != 0:
        raise _damaged(path, done.stderr.decode("utf-8", "replace"))
    tables = set()
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split()
        # "215; 1259 16390 TABLE public audit_log owner"
        if len(parts) >= 6 and not line.startswith(";") and parts[3] == "TABLE" and parts[4] != "DATA":
            tables.add(parts[5])
    return tables


def _read_all_data(pg_restore: Path, path: Path) -> dict[str, list[dict]]:
    """Read the whole dump through (every data block: a damaged one fails here) and keep _WANTED tables' rows."""
    rows: dict[str, list[dict]] = {}
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen([str(pg_restore), "--data-only", "--file", "-", str(path)],
                                stdout=subprocess.PIPE, stderr=errors, **_no_window())
        current: list[dict] | None = None
        columns: list[str] = []
        for raw in proc.stdout:
            if current is None:
                if raw.startswith(b"COPY "):
                    m = _COPY.match(raw.decode("utf-8", "replace").rstrip("\r\n"))
                    if m and m["table"] in _WANTED:
                        columns = [c.strip().strip('"') for c in m["columns"].split(",")]
                        current = rows.setdefault(m["table"], [])
                    elif m:
                        current, columns = [], []  # a table not needed: skip its rows
                continue
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if line == "\\.":
                current = None
                continue
            if columns:
                current.append(dict(zip(columns, (_copy_field(f) for f in line.split("\t")))))
        code = proc.wait()
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace")
    if code != 0:
        raise _damaged(path, message)
    return rows


def _check_audit_rows(path: Path, entries: list[dict]) -> dict | None:
    """Walk the dump's audit chain as models.audit.verify_chain does; returns the last entry (None: empty)."""
    from models.audit import GENESIS, entry_hash

    prev, last = GENESIS, None
    for e in sorted(entries, key=lambda r: int(r["id"])):
        if e.get("prev_hash") != prev:
            raise DatabaseError(f"备份文件 {path} 的审计日志被改动过，不能用来恢复："
                                f"审计日志第 {e['id']} 条的前序哈希不符：其前面的记录被删除、插入或修改过。")
        try:
            ts = datetime.fromisoformat(e["ts"])
        except (TypeError, ValueError):
            ts = None
        expected = entry_hash(prev, ts, e.get("user") or "", e.get("action") or "", e.get("entity") or "",
                              e.get("entity_id") or "", e.get("detail") or "") if ts else None
        if e.get("hash") != expected:
            raise DatabaseError(f"备份文件 {path} 的审计日志被改动过，不能用来恢复："
                                f"审计日志第 {e['id']} 条（{e.get('action')}）的内容被修改过：哈希不符。")
        prev, last = e["hash"], e
    return last


def check_dump(backup_file: str | os.PathLike) -> DumpContents:
    """Refuse a file that is not a whole pg_dump of this software's database, or comes from a newer version.

    Reads the table of contents, then every data block (a truncated or damaged file fails there), the
    schema revision and the audit chain; nothing on the server is touched.
    """
    path = Path(backup_file)
    if not path.is_file():
        raise DatabaseError(f"备份文件 {path} 不存在。")
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"SQLite format 3"):
        raise DatabaseError(f"文件 {path} 是单机数据库（SQLite）的备份，不能恢复到办公室服务器"
                            "（把单机数据搬到服务器请用 migrate-to 命令）。")
    if not head.startswith(b"PGDMP"):
        raise DatabaseError(f"文件 {path} 不是 PostgreSQL 备份（pg_dump 自定义格式），不能用来恢复。")
    pg_restore = client_tools("pg_restore")["pg_restore"]
    tables = _read_toc(pg_restore, path)
    if not {"alembic_version", "inspected_objects", "audit_log", "settings"} <= tables:
        raise DatabaseError(f"文件 {path} 是 PostgreSQL 备份，但不是本软件的数据库备份，不能用来恢复。")
    contents = DumpContents(path=path, tables=tables, rows=_read_all_data(pg_restore, path))
    versions = [r.get("version_num") for r in contents.rows.get("alembic_version", [])]
    contents.revision = versions[0] if versions else None
    from alembic.script import ScriptDirectory

    from models.migrate import alembic_config

    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if contents.revision is not None and contents.revision not in known:
        raise DatabaseError(f"备份文件 {path} 来自更新版本的软件（结构版本 {contents.revision}），"
                            "请使用新版本软件恢复。")
    _check_audit_rows(path, contents.rows.get("audit_log", []))
    return contents
