"""Where a workstation finds the office's PostgreSQL server, and whether it answers.

The workstation keeps the server's URL WITHOUT the password in the per-user config file
(models.settings, ``server_url``), and the password in the operating-system user's libpq password
file (pgpass: ``%APPDATA%\\postgresql\\pgpass.conf`` on Windows, ``~/.pgpass`` with mode 0600
elsewhere, or ``PGPASSFILE``), which psycopg/libpq reads by itself when it connects. The password
is never stored in the shared database nor in plain text in the config.

``test_connection`` answers the 测试连接 button with a Chinese verdict.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from models.db import DatabaseError, connection_problem, display_url, is_database_url, normalized_url
from models.errors import UserError

DEFAULT_PORT = 5432
DEFAULT_DATABASE = "ssj"
SERVER_ENV = "SSJ_DATABASE_URL"


class ConnectionSettingsError(UserError):
    """A server address that cannot be used (message in Chinese, naming the field)."""


@dataclass(frozen=True)
class ServerAddress:
    """What the 办公室服务器 form holds (the password is kept apart, in the pgpass file)."""

    host: str
    port: int = DEFAULT_PORT
    database: str = DEFAULT_DATABASE
    user: str = ""

    @property
    def url(self) -> str:
        """The URL without password, e.g. postgresql+psycopg://ssj@10.0.0.5:5432/ssj (odd characters quoted)."""
        return build_url(self.host, self.port, self.database, self.user)


def _check_fields(host: str, port: int | str, database: str, user: str) -> tuple[str, int, str, str]:
    host, database, user = (host or "").strip(), (database or "").strip(), (user or "").strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]  # an IPv6 address as typed in a browser
    if not host:
        raise ConnectionSettingsError("请填写“主机”：办公室服务器的计算机名或 IP 地址，例如 192.168.1.10。")
    if any(c.isspace() or c in "/@?#" for c in host):
        raise ConnectionSettingsError(f"“主机”“{host}”不是有效的计算机名或 IP 地址。")
    try:
        port = int(str(port).strip())
    except ValueError:
        raise ConnectionSettingsError(f"“端口”必须是 1 到 65535 之间的整数，收到“{port}”。") from None
    if not 1 <= port <= 65535:
        raise ConnectionSettingsError(f"“端口”必须是 1 到 65535 之间的整数，收到“{port}”。")
    if not database:
        raise ConnectionSettingsError("请填写“数据库名”（安装说明中建立的数据库，例如 ssj）。")
    if not user:
        raise ConnectionSettingsError("请填写“用户名”：服务器上为本软件建立的数据库用户（角色），例如 ssj。")
    return host, port, database, user


def build_url(host: str, port: int | str, database: str, user: str) -> str:
    """A postgresql+psycopg URL without password; user and database names may hold any character."""
    from sqlalchemy.engine import URL

    host, port, database, user = _check_fields(host, port, database, user)
    return URL.create("postgresql+psycopg", username=user, host=host, port=port,
                      database=database).render_as_string(hide_password=False)


def parse_url(url: str) -> ServerAddress:
    """The form's fields from a server URL (a password in it is dropped)."""
    from sqlalchemy.engine import make_url

    try:
        u = make_url(normalized_url(url))
    except DatabaseError:
        raise
    except Exception as e:  # any malformed URL is one Chinese refusal
        raise ConnectionSettingsError(f"数据库地址“{display_url(url)}”格式不正确：{e}") from e
    return ServerAddress(host=u.host or "", port=u.port or DEFAULT_PORT, database=u.database or "",
                         user=u.username or "")


def without_password(url: str) -> str:
    """*url* with any password removed (what may be written into the config file)."""
    from sqlalchemy.engine import make_url

    u = make_url(normalized_url(url))
    return u._replace(password=None).render_as_string(hide_password=False)  # set(password=None) keeps it


def with_password(url: str, password: str | None) -> str:
    """*url* carrying *password* (for one connection now; never stored). No password: *url* as it is."""
    if not password:
        return url
    from sqlalchemy.engine import make_url

    return make_url(normalized_url(url)).set(password=password).render_as_string(hide_password=False)


# --- which database the app opens --------------------------------------------------------------

def database_target(given: str | None = None) -> str | Path:
    """What the app opens: --db (path or URL), else SSJ_DATABASE_URL, else the workstation's configured
    server, else the configured (or default) SQLite file."""
    from models.settings import configured_db_path, configured_server_url

    if given:
        return given.strip() if is_database_url(given) else Path(given)
    server = os.environ.get(SERVER_ENV, "").strip()
    if is_database_url(server):
        return server
    configured = configured_server_url()
    if configured:
        return configured
    return configured_db_path()


def target_source(given: str | None = None) -> str:
    """Where database_target's answer came from: "argument", "environment" or "config" (saved in 设置)."""
    if given:
        return "argument"
    if is_database_url(os.environ.get(SERVER_ENV, "").strip()):
        return "environment"
    return "config"


def save_server(address: ServerAddress, password: str | None) -> str:
    """Make this workstation open *address* from now on: the URL in the config, the password (when
    given) in the pgpass file. Returns the URL saved."""
    from models.settings import set_configured_server_url

    url = address.url
    if password:
        save_password(address, password)
    set_configured_server_url(url)
    return url


def use_local_file() -> None:
    """Back to the SQLite file on this PC (the server's pgpass line is kept for a later return)."""
    from models.settings import set_configured_server_url

    set_configured_server_url(None)


# --- the libpq password file ---------------------------------------------------------------------

def pgpass_file() -> Path:
    """The OS user's libpq password file: PGPASSFILE, else %APPDATA%\\postgresql\\pgpass.conf (Windows),
    else ~/.pgpass."""
    chosen = os.environ.get("PGPASSFILE", "").strip()
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def pgpass_escape(value: str) -> str:
    """A field as libpq reads it: backslash and colon escaped with a backslash."""
    return str(value).replace("\\", "\\\\").replace(":", "\\:")


def _split_pgpass(line: str) -> list[str]:
    fields, current, escaped = [], "", False
    for c in line:
        if escaped:
            current += c
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == ":" and len(fields) < 4:
            fields.append(current)
            current = ""
        else:
            current += c
    fields.append(current)
    return fields


def pgpass_line(address: ServerAddress, password: str) -> str:
    if "\n" in password or "\r" in password:
        raise ConnectionSettingsError("密码中不能含有换行。")
    return ":".join(pgpass_escape(v) for v in (address.host, address.port, address.database, address.user,
                                               password))


def _same_entry(line: str, address: ServerAddress) -> bool:
    fields = _split_pgpass(line)
    return (len(fields) == 5 and not line.lstrip().startswith("#")
            and fields[:4] == [address.host, str(address.port), address.database, address.user])


def _write_pgpass(lines: list[str]) -> Path:
    target = pgpass_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".ssj-tmp")
    # Created 0600 from the start: libpq ignores a password file that others can read.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(line + "\n" for line in lines))
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _read_pgpass() -> list[str]:
    try:
        return pgpass_file().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as e:
        raise ConnectionSettingsError(f"无法读取密码文件 {pgpass_file()}：{e}") from e


def save_password(address: ServerAddress, password: str) -> Path:
    """Write (or replace) this server's line in the pgpass file; other lines stay as they were."""
    new = pgpass_line(address, password)
    lines = [line for line in _read_pgpass() if not _same_entry(line, address)]
    try:
        return _write_pgpass([*lines, new])
    except OSError as e:
        raise ConnectionSettingsError(f"无法保存密码到 {pgpass_file()}：{e}") from e


def remove_password(address: ServerAddress) -> bool:
    """Remove this server's line from the pgpass file; False when there was none."""
    lines = _read_pgpass()
    kept = [line for line in lines if not _same_entry(line, address)]
    if len(kept) == len(lines):
        return False
    try:
        _write_pgpass(kept)
    except OSError as e:
        raise ConnectionSettingsError(f"无法修改密码文件 {pgpass_file()}：{e}") from e
    return True


def has_saved_password(address: ServerAddress) -> bool:
    try:
        return any(_same_entry(line, address) for line in _read_pgpass())
    except ConnectionSettingsError:
        return False


# --- 测试连接 -------------------------------------------------------------------------------------

OK = "ok"
EMPTY = "empty"             # no tables: offer to set it up
NO_ACCOUNTS = "no_accounts"  # our schema, nobody to log in: offer the first administrator
UNREACHABLE = "unreachable"
WRONG_PASSWORD = "wrong_password"
NO_DATABASE = "no_database"
NO_ROLE = "no_role"
NEWER_SCHEMA = "newer_schema"
FOREIGN = "foreign"
OTHER = "other"


@dataclass(frozen=True)
class Verdict:
    """What 测试连接 found: ``kind`` (OK, EMPTY, …), the Chinese ``message`` and the number of objects."""

    kind: str
    message: str
    objects: int = 0

    @property
    def connected(self) -> bool:
        """The database answered and this program can work on it (perhaps after setting it up)."""
        return self.kind in (OK, EMPTY, NO_ACCOUNTS)


def problem_kind(message: str) -> str:
    """The verdict kind of a connection_problem() message."""
    for kind, words in ((WRONG_PASSWORD, "用户名或密码错误"), (NO_DATABASE, "没有这个数据库"),
                        (NO_ROLE, "没有这个用户"), (UNREACHABLE, "无法连接到服务器")):
        if words in message:
            return kind
    return OTHER


def test_connection(url: str, password: str | None = None, *, timeout: int = 5) -> Verdict:
    """Connect to *url* (with *password*, else whatever the pgpass file holds) and say what is there.

    Reads only: nothing is created or migrated.
    """
    from sqlalchemy import create_engine, func, inspect, select, text
    from sqlalchemy import exc as sa_exc
    from sqlalchemy.pool import NullPool

    from models.db import known_revisions, newer_schema_message
    from models.schema import metadata

    try:
        target = with_password(normalized_url(url), password)
    except DatabaseError as e:
        return Verdict(OTHER, str(e))
    where = display_url(url)
    engine = create_engine(target, poolclass=NullPool,
                           connect_args={"connect_timeout": timeout, "application_name": "shuangsuiji-desk"})
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            ours = {t.name: t for t in metadata.sorted_tables}
            if not tables:
                return Verdict(EMPTY, f"连接成功：数据库 {where} 是空的，尚未建立本软件的数据表。"
                                      "可以现在建立（需设置第一个管理员的用户名和密码）。")
            if "alembic_version" not in tables:
                return Verdict(FOREIGN, f"连接成功，但数据库 {where} 中已有其他程序的数据表，不是本软件的数据库。"
                                        "请检查数据库名，或在服务器上新建一个空数据库。")
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            known = known_revisions()
            if revision and known is not None and revision not in known:
                return Verdict(NEWER_SCHEMA, newer_schema_message(where, revision))
            objects = users = 0
            if "inspected_objects" in tables:
                objects = conn.scalar(select(func.count()).select_from(ours["inspected_objects"])) or 0
            if "users" in tables:
                users = conn.scalar(select(func.count()).select_from(ours["users"])) or 0
    except sa_exc.DBAPIError as e:
        message = connection_problem(url, e)
        return Verdict(problem_kind(message), message)
    except sa_exc.SQLAlchemyError as e:
        return Verdict(OTHER, f"无法读取数据库 {where}：{e}")
    finally:
        engine.dispose()
    if not users:
        return Verdict(NO_ACCOUNTS, f"连接成功：数据库 {where} 中有 {objects} 个检查对象，但还没有任何用户。"
                                    "多人共用的数据库必须启用登录，请先创建第一个管理员。", objects)
    return Verdict(OK, f"连接成功：数据库 {where}，共有 {objects} 个检查对象。", objects)


test_connection.__test__ = False  # a service, not a pytest test, when a test module imports it


def set_up_server(url: str, password: str | None, admin: str, admin_password: str) -> None:
    """Make the server database at *url* ready for the office, as ``init-db`` does: on an empty database
    create the schema; then the first administrator *admin* (the program's account, not the database
    role) and log-in on. A database that already has accounts is left alone (refused in Chinese)."""
    from models import server, users
    from models.db import open_database

    target = with_password(url, password)
    verdict = test_connection(url, password)
    if verdict.kind == EMPTY:
        server.init_database(target, admin.strip(), admin_password).dispose()
        return
    if verdict.kind != NO_ACCOUNTS:
        raise DatabaseError(verdict.message if verdict.kind != OK else
                            f"数据库 {display_url(url)} 已有用户，无需建立：请用已有账户登录。")
    db = open_database(target)
    try:
        with db.session() as s:
            if users.accounts_exist(s):
                raise DatabaseError(f"数据库 {display_url(url)} 已有用户，无需建立：请用已有账户登录。")
        server.add_first_admin(db, admin.strip(), admin_password, actor=admin.strip())
    finally:
        db.dispose()
