"""Command-line administration: backups and restore, settings, user accounts, and the log-in for every command."""
from __future__ import annotations

import getpass
import os
import sys

from models import backup, pg_backup, seats, settings, users
from models.db import Database, DatabaseError, PermissionDenied, open_database
from models.db_checks import check_is_our_database
from models.lock import DatabaseInUse
from models.pg_restore import restore_server
from ui.cli.context import CliContext, CliError, reads

PASSWORD_ENV = "SSJ_PASSWORD"
NEW_PASSWORD_ENV = "SSJ_NEW_PASSWORD"


def cli_login(db: Database, username: str | None) -> users.Operator:
    """Decide who is working on *db* and record it there (db.user, db.role).

    With log-in off (or no account yet) nobody is asked: the actor is --user or the
    operating-system user, with the 管理员 role. Otherwise --user is needed and the password
    comes from SSJ_PASSWORD (for scripts) or is asked on the terminal.
    """
    with db.session() as s:
        required = users.login_required(s)
    if not required:
        # Nobody vouches for a --user name: the audit log keeps the OS user and marks the name.
        who = users.Operator(users.unverified_actor(username), users.Role.ADMIN)
    else:
        if not username:
            raise CliError("本数据库已启用登录：请用 --user 用户名 指定用户"
                           f"（脚本可用环境变量 {PASSWORD_ENV} 提供密码）。")
        password = _password_of(username)
        try:
            with db.read_session() as s:  # the password's cost first, outside the write below
                checked = users.check_password(s, username, password)
            with db.session(immediate=True) as s:  # its audit entry may come from a reader: see models.lock
                user = users.authenticate(s, username, password, checked=checked)
                who = users.Operator(user.username, user.role)
        except users.AuthError as e:
            raise CliError(f"登录失败：{e}") from e
    who.apply_to(db)
    return who


def _password_of(username: str) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise CliError(f"需要用户 {username} 的密码：请在终端中运行，或设置环境变量 {PASSWORD_ENV}。")
        password = getpass.getpass(f"用户 {username} 的密码：")
    return password


def register(sub) -> None:
    p = sub.add_parser("backup", help="立即备份数据库（可在软件打开时进行）")
    p.add_argument("file", nargs="?", help="备份文件（默认：备份文件夹中按时间命名）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="用备份文件替换当前数据库（先自动备份当前状态）")
    p.add_argument("file", help="备份文件")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复（用于脚本）")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("list-backups", help="列出备份文件")
    p.set_defaults(func=reads(cmd_list_backups))

    p = sub.add_parser("who", help="列出当前连接数据库的工作站和用户（办公室服务器）；单机数据库显示正在使用它的程序")
    p.set_defaults(func=cmd_who)

    p = sub.add_parser("show-settings", help="显示全部设置")
    p.set_defaults(func=reads(cmd_show_settings))

    p = sub.add_parser("set-setting", help="修改一项设置（管理员）")
    p.add_argument("key", help="设置项，如 bureau_name")
    p.add_argument("value", help="新值")
    p.set_defaults(func=cmd_set_setting)

    p = sub.add_parser("add-user", help=f"新增用户（管理员；密码取自环境变量 {NEW_PASSWORD_ENV} 或在终端输入）")
    p.add_argument("username")
    p.add_argument("--role", default=users.Role.CLERK.value, choices=users.ROLES)
    p.add_argument("--name", default="", help="显示名称")
    p.set_defaults(func=cmd_add_user)

    p = sub.add_parser("list-users", help="列出用户")
    p.set_defaults(func=reads(cmd_list_users))


def _server_backup(args, ctx: CliContext) -> int:
    """pg_dump of the office's server database (consistent while other seats work), administrators only."""
    db = ctx.login_without_lock()
    _require_admin(db)
    try:
        made = pg_backup.backup_server(str(ctx.target), args.file, folder=pg_backup.server_backup_folder(db))
    except DatabaseError as e:
        raise CliError(str(e)) from e
    print(f"已备份到：{made}")
    return 0


def cmd_backup(args, ctx: CliContext) -> int:
    # The online backup is safe while the app has the database open, so the lock is not taken;
    # with log-in on, the copy (which holds every account's data) is for an administrator only.
    if ctx.on_server:
        return _server_backup(args, ctx)
    if not ctx.path.exists():
        raise CliError(f"数据库文件 {ctx.path} 不存在。")
    try:
        check_is_our_database(ctx.path)
    except DatabaseError as e:
        raise CliError(str(e)) from e
    _require_admin(ctx.login_without_lock())
    try:
        made = backup.backup_now(ctx.path, args.file)
    except DatabaseError as e:
        raise CliError(str(e)) from e
    print(f"已备份到：{made}")
    return 0


def _require_admin(db: Database) -> None:
    try:
        users.require_admin(db)
    except PermissionDenied as e:
        raise CliError(str(e)) from e


def _confirm_restore(args, ctx: CliContext, where: str | None = None) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise CliError("恢复会用备份替换当前数据库。非交互方式运行时请加 --yes 确认。")
    answer = input(f"将用备份 {args.file} 替换当前数据库 {where or ctx.path}。\n"
                   "当前数据库会先备份为“恢复前”，之后的修改将以备份中的内容为准。\n"
                   "确定恢复吗？输入 yes 或 是 确认：").strip().lower()
    return answer in ("yes", "y", "是")


def cmd_restore(args, ctx: CliContext) -> int:
    """Restore needs only the backup and the lock: a live file too damaged to open is simply put aside."""
    if ctx.on_server:
        return _server_restore(args, ctx)
    try:
        backup.check_backup(args.file)
    except DatabaseError as e:
        raise CliError(f"不能用此备份恢复：{e}") from e
    ctx.lock()
    actor = None
    if ctx.path.exists() and ctx.path.stat().st_size > 0:
        try:
            db = ctx.db()
        except CliError as e:
            # A damaged database is exactly when a restore is needed: go on without it.
            cause = e.__cause__
            if not isinstance(cause, DatabaseError) or isinstance(cause, DatabaseInUse):
                raise
            print(f"注意：当前数据库无法打开（{e}），将直接用备份替换。", file=sys.stderr)
            actor = _admin_of_backup(args.file, ctx)
        except Exception as e:  # noqa: BLE001 - damage SQLite notices only once the app reads it
            print(f"注意：当前数据库无法正常读取（{type(e).__name__}），将直接用备份替换。", file=sys.stderr)
            ctx.close_database()
            actor = _admin_of_backup(args.file, ctx)
        else:
            _require_admin(db)
            actor = ctx.actor()
            ctx.close_database()
    if not _confirm_restore(args, ctx):
        print("已取消，未做任何更改。")
        return 1
    try:
        before = backup.restore(ctx.path, args.file, actor=actor or users.unverified_actor(ctx.user))
        open_database(ctx.path, backup_dir=backup.backup_folder(ctx.path)).dispose()
    except (DatabaseError, OSError) as e:
        raise CliError(f"恢复失败：{e}") from e
    ctx.relock()
    print(f"已从 {args.file} 恢复数据库 {ctx.path}。")
    if before is not None:
        print(f"恢复前的数据库已备份为：{before}")
    return 0


def _admin_of_backup(backup_file, ctx: CliContext) -> str | None:
    """With the live file unreadable, the backup's own accounts decide who may restore it."""
    try:
        return users.administrator_in_copy(backup_file, ctx.user, lambda: _password_of(ctx.user))
    except (users.AuthError, PermissionDenied) as e:
        raise CliError(f"不能恢复：{e}") from e


def _server_restore(args, ctx: CliContext) -> int:
    """pg_restore into the server database: the dump checked first, administrators only, nobody else connected."""
    try:
        contents = pg_backup.check_dump(args.file)
    except DatabaseError as e:
        raise CliError(f"不能用此备份恢复：{e}") from e
    db = ctx.login_without_lock()
    _require_admin(db)
    actor, where = ctx.actor(), db.location
    folder = pg_backup.server_backup_folder(db)
    ctx.close_database()   # our own connection would count as another seat
    if not _confirm_restore(args, ctx, where):
        print("已取消，未做任何更改。")
        return 1
    try:
        done = restore_server(str(ctx.target), args.file, actor=actor, folder=folder, contents=contents)
    except DatabaseError as e:
        raise CliError(f"恢复失败：{e}") from e
    print(f"已从 {args.file} 恢复数据库 {where}。")
    print(f"恢复前的数据库已备份为：{done.before}")
    return 0


def cmd_list_backups(args, ctx: CliContext) -> int:
    if ctx.on_server:
        db = ctx.login_without_lock()
        folder = pg_backup.server_backup_folder(db)
        found = pg_backup.list_server_backups(folder, pg_backup.database_name(str(ctx.target)))
    else:
        folder = backup.backup_folder(ctx.path)
        found = backup.list_backups(folder, ctx.path.stem)
    if not found:
        print(f"备份文件夹 {folder} 中没有备份。")
        return 0
    print(f"备份文件夹：{folder}")
    for b in found:
        print(f"{b.time:%Y-%m-%d %H:%M:%S}\t{b.reason}\t{b.size_text()}\t{b.path.name}")
    return 0


def cmd_who(args, ctx: CliContext) -> int:
    """Who is on: every connection to the server database; on a file, the program holding it."""
    if not ctx.on_server:
        holder = seats.file_holder(ctx.path)
        state = f"正在使用它的程序：{seats.describe(holder)}。" if holder else "当前没有程序以可写方式打开它。"
        print(f"单机数据库：{ctx.path}（一次只能由一个程序写入）。{state}")
        return 0
    db = ctx.login_without_lock()
    found = seats.connected_seats(db)
    print(f"数据库：{db.location}，共 {len(found)} 个连接")
    for seat in found:
        mine = "（本程序）" if seat.this_program else ""
        print(f"{seat.workstation}\t{seat.user}\t{seat.since_text()}\t{seat.program}{mine}")
    return 0


def cmd_show_settings(args, ctx: CliContext) -> int:
    db = ctx.db()
    with db.session() as s:
        values = settings.all_settings(s)
    for d in settings.SETTINGS:
        if d.group:
            value = values[d.key]
            shown = ("是" if value else "否") if d.type is bool else (value or "（未设置）")
            print(f"{d.key}\t{d.label}\t{shown}")
    return 0


def cmd_set_setting(args, ctx: CliContext) -> int:
    db = ctx.db()
    try:
        with db.session() as s:
            stored = settings.set(s, args.key, args.value, actor=ctx.actor())
    except (settings.SettingError, PermissionDenied) as e:
        raise CliError(str(e)) from e
    print(f"已设置 {settings.definition(args.key).label}：{stored}")
    return 0


def _new_password(username: str) -> str:
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise CliError(f"请在终端中输入新用户的密码，或设置环境变量 {NEW_PASSWORD_ENV}。")
    first = getpass.getpass(f"为 {username} 设置密码：")
    if getpass.getpass("再输入一次：") != first:
        raise CliError("两次输入的密码不一致。")
    return first


def cmd_add_user(args, ctx: CliContext) -> int:
    db = ctx.db()
    password = _new_password(args.username)
    try:
        with db.session() as s:
            users.create_user(s, args.username, password, args.role, actor=ctx.actor(), display_name=args.name)
    except (users.AuthError, PermissionDenied) as e:
        raise CliError(str(e)) from e
    print(f"已新增用户 {args.username}（{args.role}）。")
    return 0


def cmd_list_users(args, ctx: CliContext) -> int:
    db = ctx.db()
    with db.session() as s:
        rows = users.list_users(s)
        for u in rows:
            state = "已停用" if not u.active else ("已锁定" if users.is_locked(u) else "正常")
            print(f"{u.username}\t{u.display_name}\t{u.role}\t{state}")
    if not rows:
        print("尚无用户账户（未启用登录时以操作系统用户名记录操作人）。")
    return 0
