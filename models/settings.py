"""The office's settings, declared as data in one place, stored in the database and changed with an audit entry.

The database location itself cannot live inside the database, so it is kept in a small
JSON file in the per-user data folder (``config.json``).
"""
from __future__ import annotations

from models.errors import UserError
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import audit
from models.admin import Setting, User
from models.doc_numbers import format_doc_number, validate_pattern
from models.paths import data_dir, default_db_path, templates_dir
from models.users import Role

GROUP_BUREAU = "单位与文号"
GROUP_TEMPLATES = "模板"
GROUP_DATA = "备份与恢复"
GROUP_USERS = "用户"
GROUP_HIDDEN = ""

# Extra field a 文号 pattern may use besides {year} and {seq}: the bureau's short name.
PATTERN_EXTRA = ("short",)


@dataclass(frozen=True)
class SettingDef:
    """One declared setting: its key, default, Python type, Chinese label and settings tab."""

    key: str
    default: Any
    type: type
    label: str
    group: str
    help: str = ""


SETTINGS: tuple[SettingDef, ...] = (
    SettingDef("bureau_name", "", str, "单位名称", GROUP_BUREAU, "例如：XX县公安局；印在通知书和公示表上。"),
    SettingDef("bureau_short", "", str, "机关代字", GROUP_BUREAU, "文号中的机关代字，例如：X公(治)。"),
    SettingDef("notice_number_pattern", "{short}限改字〔{year}〕第{seq:03d}号", str,
               "整改通知书文号格式", GROUP_BUREAU,
               "{short} 为机关代字，{year} 为年份，{seq:03d} 为三位序号。"),
    SettingDef("review_number_pattern", "{short}复查字〔{year}〕第{seq:03d}号", str,
               "复查意见书文号格式", GROUP_BUREAU, "写法同上。"),
    SettingDef("letter_number_pattern", "{short}抄告字〔{year}〕第{seq:03d}号", str,
               "抄告函文号格式", GROUP_BUREAU, "写法同上；复查未整改后抄告其他部门的函。"),
    SettingDef("default_place", "", str, "默认抽取地点", GROUP_BUREAU,
               "随机抽取记录上的地点，例如：局治安大队会议室。"),
    SettingDef("template_dir", "", str, "模板文件夹", GROUP_TEMPLATES, "留空则使用软件自带的模板。"),
    SettingDef("backup_dir", "", str, "备份文件夹", GROUP_DATA, "留空则放在数据库旁边的 backups 文件夹。"),
    SettingDef("login_enabled", False, bool, "启用登录", GROUP_USERS,
               "启用后，打开软件须以用户名和密码登录；关闭时以操作系统用户名记录操作人。"),
    SettingDef("first_run_done", False, bool, "已完成首次启动", GROUP_HIDDEN),
)
BY_KEY = {d.key: d for d in SETTINGS}
# Settings a clerk (录入员) may not change: everything here is an administrator's matter.
ADMIN_ONLY = frozenset(BY_KEY) - {"first_run_done"}


class SettingError(UserError, ValueError):
    """A setting value that cannot be stored (message in Chinese, naming the setting)."""


def definition(key: str) -> SettingDef:
    try:
        return BY_KEY[key]
    except KeyError:
        raise SettingError(f"没有名为“{key}”的设置项。") from None


def get(session: Session, key: str) -> Any:
    """The stored value of *key*, or its declared default."""
    d = definition(key)
    row = session.get(Setting, key)
    return d.default if row is None or row.value is None else row.value


def all_settings(session: Session) -> dict[str, Any]:
    """Every declared setting with its current value, in declaration order."""
    stored = {s.key: s.value for s in session.scalars(select(Setting))}
    return {d.key: stored.get(d.key, d.default) if stored.get(d.key) is not None else d.default
            for d in SETTINGS}


def coerce(key: str, value: Any) -> Any:
    """Convert *value* (from a form or the command line) to the setting's type, or raise SettingError."""
    d = definition(key)
    if d.type is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on", "是", "开", "启用"):
            return True
        if text in ("0", "false", "no", "off", "否", "关", "停用", ""):
            return False
        raise SettingError(f"设置“{d.label}”只能是“是”或“否”，收到“{value}”。")
    if d.type is int:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SettingError(f"设置“{d.label}”必须是整数，收到“{value}”。") from None
    return "" if value is None else str(value).strip()


def validate(session: Session, key: str, value: Any) -> None:
    """Raise SettingError when *value* (already coerced) is not acceptable for *key*."""
    d = definition(key)
    if key in ("notice_number_pattern", "review_number_pattern", "letter_number_pattern"):
        problem = validate_pattern(value, allowed_extra=PATTERN_EXTRA)
        if problem:
            raise SettingError(f"设置“{d.label}”有误：{problem}（还可使用 {{short}} 表示机关代字）。")
    elif key in ("template_dir", "backup_dir") and value:
        folder = Path(value)
        if folder.exists() and not folder.is_dir():
            raise SettingError(f"设置“{d.label}”：{value} 不是文件夹。")
    elif key == "login_enabled" and value:
        admins = session.scalar(select(func.count()).select_from(User)
                                .where(User.role == Role.ADMIN.value, User.active.is_(True)))
        if not admins:
            raise SettingError("启用登录前，请先在“用户”中添加至少一个管理员账户，否则将无人能够登录。")
    elif key == "bureau_name" and len(value) > 100:
        raise SettingError("设置“单位名称”过长（最多 100 个字）。")


def set(session: Session, key: str, value: Any, actor: str) -> Any:
    """Store a validated value for *key* and append an audit entry; returns the stored value.

    Changing any setting but the first-run mark needs the 管理员 role.
    """
    from models.users import require_admin

    d = definition(key)
    if key in ADMIN_ONLY:
        require_admin(session)
    value = coerce(key, value)
    validate(session, key, value)
    old = get(session, key)
    if old == value:
        return value
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()
    audit.append(session, user=actor, action="修改设置", entity="设置", entity_id=key,
                 detail={"设置": d.label, "原值": old, "新值": value})
    return value


def doc_number(session: Session, kind: str, year: int, seq: int) -> str:
    """The 文号 of a notice ("notice"), review ("review") or 抄告函 ("letter") from the configured pattern."""
    pattern = get(session, f"{kind}_number_pattern")
    short = get(session, "bureau_short") or "X公(治)"
    return format_doc_number(pattern, year, seq, short=short)


def template_dir(session: Session) -> Path | None:
    """The clerk's template folder, or None for the bundled templates."""
    value = get(session, "template_dir")
    return Path(value) if value else None


def needs_first_run(session: Session) -> bool:
    """True on a brand-new office database: no objects, no plans, no bureau name, welcome not shown yet."""
    from models.plan import Plan
    from models.roster import InspectedObject

    if get(session, "first_run_done") or get(session, "bureau_name"):
        return False
    if session.scalar(select(InspectedObject.id).limit(1)) is not None:
        return False
    return session.scalar(select(Plan.id).limit(1)) is None


# --- the database location: a file outside the database -------------------------------------

def config_file() -> Path:
    return data_dir() / "config.json"


def read_config() -> dict:
    try:
        return json.loads(config_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def configured_db_path() -> Path:
    """The database the app opens by default: the one chosen in settings, else the per-user default."""
    chosen = read_config().get("db_path")
    return Path(chosen) if chosen else default_db_path()


def set_configured_db_path(path: str | os.PathLike | None) -> None:
    """Remember another database file on a local disk; None goes back to the default.

    Never a network share: SQLite's WAL needs one machine.
    """
    config = read_config()
    if path:
        config["db_path"] = str(Path(path).resolve())
        config.pop("server_url", None)  # the file chosen last is the one opened, not a server saved before
    else:
        config.pop("db_path", None)
    _write_config(config)


def configured_server_url() -> str:
    """The office server this workstation opens (a URL without password, saved in 设置), or ""."""
    return str(read_config().get("server_url") or "").strip()


def set_configured_server_url(url: str | None) -> None:
    """Open the office server at *url* from now on; None goes back to the database file.

    The password is never written here (it goes into the OS user's pgpass file).
    """
    config = read_config()
    if url:
        from models.connection import without_password

        config["server_url"] = without_password(url)
    else:
        config.pop("server_url", None)
    _write_config(config)


def _write_config(config: dict) -> None:
    target = config_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, target)


# --- templates --------------------------------------------------------------------------------

def restore_default_templates(folder: str | os.PathLike) -> list[Path]:
    """Copy the bundled Word templates into *folder*; an edited copy there is kept as *.bak first."""
    import shutil
    from datetime import datetime

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    written = []
    for source in sorted(templates_dir().glob("*.docx")):
        target = folder / source.name
        if target.exists():
            if target.read_bytes() == source.read_bytes():
                written.append(target)
                continue
            target.replace(target.with_name(f"{target.stem}-{stamp}.docx.bak"))
        shutil.copy2(source, target)
        written.append(target)
    return written
