"""Local user accounts and roles: scrypt password hashes, log-in with lock-out, and the admin check.

Roles: 管理员 (settings, templates, restore, user management), 录入员 (everyday work),
只读 (look and export; refused in the services by the guard in models.db).
"""
from __future__ import annotations

import getpass
import hashlib
import hmac
import os
from datetime import datetime, timedelta
from enum import Enum
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import audit
from models.admin import User
from models.base import now
from models.db import READ_ONLY_ROLE, Database, PermissionDenied
from models.errors import UserError


class Role(str, Enum):
    """角色 — what a user may do; the value is the Chinese name stored with the account and shown."""

    ADMIN = "管理员"       # settings, templates, restore, user management, and all everyday work
    CLERK = "录入员"       # everyday work: rosters, plans, draws, inspections, notices
    READ_ONLY = "只读"     # look and export; refused in the services by the guard in models.db

    # Shown and formatted as the Chinese name, as a plain string would be.
    __str__ = str.__str__
    __format__ = str.__format__


ADMIN, CLERK, READ_ONLY = Role.ADMIN, Role.CLERK, Role.READ_ONLY
ROLES = tuple(r.value for r in Role)
# models.db cannot import this module; its write guard names the same role.
assert READ_ONLY.value == READ_ONLY_ROLE


class Operator(NamedTuple):
    """操作人员 — who logged in: the name written into records and audit entries, and the role.

    Once decided it is kept in one place, the Database (``db.user``, ``db.role``), whose write
    guard enforces the role; the screens and the command line read it there.
    """

    name: str
    role: str

    def apply_to(self, db: Database) -> None:
        db.user, db.role = self.name, str(self.role)

# OWASP's current guidance for scrypt: N=2^17, r=8, p=1 (128 MiB per hash). Hashes made with a
# lower cost still verify and are rewritten at this cost on the next successful log-in.
SCRYPT_N = 2 ** 17
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
MAX_FAILED = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
MAX_PASSWORD = 256
MAX_NAME = 50        # user and display names are stored in 50-character columns


def _maxmem(n: int, r: int, p: int) -> int:
    # OpenSSL refuses scrypt above 32 MiB unless told more; N=2^17 needs 128 MiB (128·r·N·p).
    return 128 * r * n * p + 16 * 1024 * 1024


class AuthError(UserError):
    """A failed log-in or a bad account change, explained in Chinese."""


# --- password hashes ------------------------------------------------------------------------

def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash stored as "scrypt$n$r$p$salt_hex$hash_hex"."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=_maxmem(SCRYPT_N, SCRYPT_R, SCRYPT_P), dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(hash_hex)
        n, r, p = int(n), int(r), int(p)
        if not (2 <= n <= 2 ** 20 and 1 <= r <= 32 and 1 <= p <= 16):
            return False  # a stored cost no honest hash has: refuse rather than spend gigabytes
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt_hex), n=n, r=r,
                                p=p, maxmem=_maxmem(n, r, p), dklen=len(expected))
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(digest, expected)


def needs_rehash(stored: str) -> bool:
    """True when *stored* was made at a lower cost than the current one (or another scheme)."""
    try:
        scheme, n, r, p, _salt, _hash = stored.split("$")
        return scheme != "scrypt" or int(n) < SCRYPT_N or int(r) < SCRYPT_R or int(p) < SCRYPT_P
    except ValueError:
        return True


# --- roles ----------------------------------------------------------------------------------

def role_of(where: Database | Session | str | None) -> str:
    """The working role of a database, of a session opened on one, or a role given directly."""
    if isinstance(where, str):
        return where
    if isinstance(where, Database):
        return where.role
    if isinstance(where, Session):
        db = where.info.get("db")
        return db.role if db is not None else ADMIN
    return ADMIN


def require_admin(where: Database | Session | str | None) -> None:
    """Raise PermissionDenied unless the working user is a 管理员."""
    if role_of(where) != ADMIN:
        raise PermissionDenied("此操作只有管理员可以进行（设置、模板、恢复备份、用户管理）。")


def os_user() -> str:
    """The operating-system user name, recorded as the actor when log-in is switched off."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - some service accounts have no name; never fail for this
        return "未知用户"


# --- accounts -------------------------------------------------------------------------------

def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip()))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


class AccountRow(NamedTuple):
    """用户 — one account as the user list shows it."""

    username: str
    display_name: str
    role: str
    active: bool
    locked: bool


def list_accounts(session: Session, at: datetime | None = None) -> list[AccountRow]:
    """Every account by user name, with whether it is locked out now."""
    return [AccountRow(u.username, u.display_name, u.role, u.active, is_locked(u, at)) for u in list_users(session)]


def accounts_exist(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.active.is_(True)).limit(1)) is not None


def login_required(session: Session) -> bool:
    """Log-in is needed when the administrator switched it on and at least one account exists."""
    from models import settings

    return bool(settings.get(session, "login_enabled")) and accounts_exist(session)


def _check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AuthError(f"密码至少需要 {MIN_PASSWORD} 个字符。")
    if len(password) > MAX_PASSWORD:
        raise AuthError(f"密码过长（最多 {MAX_PASSWORD} 个字符）。")


def _check_display_name(display_name: str) -> str:
    display_name = (display_name or "").strip()
    if len(display_name) > MAX_NAME:
        raise AuthError(f"显示名称过长（最多 {MAX_NAME} 个字符）。")
    return display_name


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)
                          .where(User.role == ADMIN, User.active.is_(True))) or 0


def create_user(session: Session, username: str, password: str, role: str, actor: str,
                display_name: str = "") -> User:
    """Add an account (管理员 only); the first account of a database must be a 管理员."""
    require_admin(session)
    username = (username or "").strip()
    if not username:
        raise AuthError("用户名不能为空。")
    if len(username) > MAX_NAME:
        raise AuthError(f"用户名过长（最多 {MAX_NAME} 个字符）。")
    if role not in ROLES:
        raise AuthError(f"角色“{role}”无效，只能是：{'、'.join(ROLES)}。")
    if find_user(session, username) is not None:
        raise AuthError(f"用户名“{username}”已存在。")
    if role != ADMIN and _active_admins(session) == 0:
        raise AuthError("第一个账户必须是管理员。")
    _check_password_rules(password)
    display_name = _check_display_name(display_name)
    user = User(username=username, display_name=display_name, role=str(role),
                password_hash=hash_password(password), failed_attempts=0, active=True)
    session.add(user)
    session.flush()
    audit.append(session, user=actor, action="新增用户", entity="用户", entity_id=username,
                 detail={"角色": role})
    return user


def check_password(session: Session, username: str, password: str) -> tuple[str, bool] | None:
    """The password checked against the stored hash without writing anything: (that hash, verdict), or
    None for no such account. The scrypt cost (about a second) is paid here, before the transaction
    that records the log-in: on SQLite that one holds the write lock, which a reader beside the
    writing program must hold only for moments (models.lock); see authenticate's *checked*."""
    if len(username or "") > MAX_NAME or len(password or "") > MAX_PASSWORD:
        return None
    user = find_user(session, username or "")
    if user is None:
        return None
    return user.password_hash, verify_password(password or "", user.password_hash)


def authenticate(session: Session, username: str, password: str, *,
                 checked: tuple[str, bool] | None = None) -> User:
    """The account for *username* when *password* is right; AuthError otherwise.

    Failed attempts are counted and committed even though an error is raised (the caller's
    unit of work would otherwise roll the count back); after MAX_FAILED wrong passwords
    the account is locked for LOCKOUT. *checked* is check_password()'s answer from just before;
    it stands in for the check only while the stored hash is still the one it checked.
    """
    session.info["role_exempt"] = True
    try:
        if len(username or "") > MAX_NAME or len(password or "") > MAX_PASSWORD:
            raise AuthError("用户名或密码不正确。")
        user = find_user(session, username or "")
        if user is None or not user.active:
            raise AuthError("用户名或密码不正确。")
        moment = now()
        if user.locked_until is not None and user.locked_until > moment:
            raise AuthError(f"该账户因多次输入错误密码已被锁定，请于 {user.locked_until:%H:%M} 后再试，"
                            "或请管理员重设密码。")
        if checked is not None and checked[0] == user.password_hash:
            right = checked[1]
        else:
            right = verify_password(password or "", user.password_hash)
        if not right:
            user.failed_attempts = (user.failed_attempts or 0) + 1
            if user.failed_attempts >= MAX_FAILED:
                user.locked_until = moment + LOCKOUT
                user.failed_attempts = 0
                audit.append(session, user=user.username, action="账户锁定", entity="用户",
                             entity_id=user.username, detail={"原因": f"连续 {MAX_FAILED} 次密码错误"})
                session.commit()
                raise AuthError(f"密码连续输入错误 {MAX_FAILED} 次，账户已锁定 "
                                f"{int(LOCKOUT.total_seconds() // 60)} 分钟。")
            left = MAX_FAILED - user.failed_attempts
            session.commit()
            raise AuthError(f"用户名或密码不正确（再错 {left} 次将锁定账户）。")
        user.failed_attempts = 0
        user.locked_until = None
        if needs_rehash(user.password_hash):  # the password is at hand only now: raise its cost
            user.password_hash = hash_password(password)
        audit.append(session, user=user.username, action="登录", entity="用户", entity_id=user.username)
        session.flush()
        return user
    finally:
        session.info.pop("role_exempt", None)


def change_password(session: Session, username: str, old_password: str, new_password: str) -> None:
    """A user changes their own password (any role may), proving the old one first."""
    session.info["role_exempt"] = True
    try:
        user = find_user(session, username)
        if user is None or not verify_password(old_password or "", user.password_hash):
            raise AuthError("原密码不正确。")
        _check_password_rules(new_password)
        user.password_hash = hash_password(new_password)
        audit.append(session, user=username, action="修改密码", entity="用户", entity_id=username)
        session.flush()
    finally:
        session.info.pop("role_exempt", None)


def reset_password(session: Session, username: str, new_password: str, actor: str) -> None:
    """An administrator sets a new password and lifts any lock-out."""
    require_admin(session)
    user = _existing(session, username)
    _check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    user.failed_attempts = 0
    user.locked_until = None
    audit.append(session, user=actor, action="重设密码", entity="用户", entity_id=username)


def set_role(session: Session, username: str, role: str, actor: str) -> None:
    require_admin(session)
    if role not in ROLES:
        raise AuthError(f"角色“{role}”无效，只能是：{'、'.join(ROLES)}。")
    user = _existing(session, username)
    if user.role == ADMIN and role != ADMIN and user.active and _active_admins(session) <= 1:
        raise AuthError("不能更改最后一个管理员的角色，否则将无人能够管理本软件。")
    old = user.role
    user.role = str(role)
    audit.append(session, user=actor, action="更改角色", entity="用户", entity_id=username,
                 detail={"原角色": old, "新角色": role})


def deactivate(session: Session, username: str, actor: str) -> None:
    """Switch an account off (kept for the records that name it)."""
    require_admin(session)
    user = _existing(session, username)
    if user.role == ADMIN and user.active and _active_admins(session) <= 1:
        raise AuthError("不能停用最后一个管理员账户。")
    user.active = False
    audit.append(session, user=actor, action="停用用户", entity="用户", entity_id=username)


def reactivate(session: Session, username: str, actor: str) -> None:
    require_admin(session)
    user = _existing(session, username)
    user.active = True
    user.failed_attempts = 0
    user.locked_until = None
    audit.append(session, user=actor, action="启用用户", entity="用户", entity_id=username)


def _existing(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise AuthError(f"没有用户“{username}”。")
    return user


def is_locked(user: User, at: datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (at or now())


def unverified_actor(name: str | None) -> str:
    """Who is working when log-in is off: the OS user, and a --user name only as an unverified claim.

    Stored in audit entries and record columns of 50 characters, so the claim is cut to fit.
    """
    system = os_user()
    if not name or not name.strip() or name.strip() == system:
        return system
    suffix = f"（未验证；系统用户 {system}）"
    return name.strip()[: max(1, 50 - len(suffix))] + suffix


def administrator_in_copy(path, username: str | None, ask_password) -> str | None:
    """Check *username* and the password ``ask_password()`` gives against a database copy (a backup), read-only.

    For a restore over a live file too damaged to log in to: the backup's accounts decide.
    Returns None when the copy has log-in off (anyone may restore, as the live file allowed),
    the verified name for an active 管理员, or raises AuthError / PermissionDenied in Chinese.
    """
    import json
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM settings WHERE key = 'login_enabled'").fetchone()
            enabled = bool(json.loads(row[0])) if row and row[0] else False
            account = con.execute("SELECT password_hash, role FROM users WHERE username = ? AND active",
                                  ((username or "").strip(),)).fetchone()
            any_account = con.execute("SELECT 1 FROM users WHERE active LIMIT 1").fetchone() is not None
        finally:
            con.close()
    except (sqlite3.Error, ValueError) as e:
        raise AuthError(f"无法读取备份中的用户账户：{e}") from e
    if not (enabled and any_account):
        return None
    if not username:
        raise AuthError("备份的数据库启用了登录：请用 --user 指定一名管理员。")
    if account is None or not verify_password(ask_password() or "", account[0]):
        raise AuthError("用户名或密码不正确（按备份中的用户账户核对）。")
    if account[1] != ADMIN:
        raise PermissionDenied("此操作只有管理员可以进行（设置、模板、恢复备份、用户管理）。")
    return username.strip()
