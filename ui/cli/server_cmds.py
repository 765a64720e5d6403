"""Command line for an office's shared PostgreSQL server: init-db creates its database and first administrator,
migrate-to moves a PC's SQLite database onto it."""
from __future__ import annotations

import sys

from models import server
from models.db import DatabaseError, display_url, is_database_url
from models.users import AuthError
from ui.cli.admin_cmds import NEW_PASSWORD_ENV, _new_password, _password_of
from ui.cli.context import CliContext, CliError

# A progress line every PROGRESS_EVERY rows, for tables of at least PROGRESS_FROM rows.
PROGRESS_FROM = 10_000
PROGRESS_EVERY = 20_000


def register(sub) -> None:
    p = sub.add_parser("init-db", help="在办公室的 PostgreSQL 服务器上建立新的空数据库并创建第一个管理员（启用登录）")
    p.add_argument("url", help="数据库地址，如 postgresql+psycopg://用户名@服务器:5432/ssj（数据库须已建好且为空）")
    p.add_argument("--admin", required=True, metavar="NAME",
                   help=f"第一个管理员的用户名（密码取自环境变量 {NEW_PASSWORD_ENV} 或在终端输入）")
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser("migrate-to",
                       help="把本机的数据库（--db 指定）全部复制到办公室 PostgreSQL 服务器上的空数据库，"
                            "并核对行数、抽取记录哈希和审计日志；源数据库不作任何改动")
    p.add_argument("url", help="目标数据库地址，如 postgresql+psycopg://用户名@服务器:5432/ssj（数据库须已建好且为空）")
    p.add_argument("--admin", metavar="NAME",
                   help="在服务器上创建的管理员（源数据库没有管理员时必须给出；"
                        f"密码取自环境变量 {NEW_PASSWORD_ENV} 或在终端输入）")
    p.set_defaults(func=cmd_migrate_to)


def cmd_init_db(args, ctx: CliContext) -> int:
    try:
        server.require_server_url(args.url)
    except DatabaseError as e:
        raise CliError(str(e)) from e
    password = _new_password(args.admin)
    try:
        db = server.init_database(args.url, args.admin.strip(), password)
    except (DatabaseError, AuthError) as e:
        raise CliError(str(e)) from e
    db.dispose()
    print(f"已在 {display_url(args.url)} 建立数据库，管理员 {args.admin.strip()}，已启用登录。")
    print(f"各工作站：--db 该地址（或设置环境变量 SSJ_DATABASE_URL），并以 --user {args.admin.strip()} 登录。")
    return 0


def _print_progress(title: str, done: int, total: int) -> None:
    if total >= PROGRESS_FROM and (done % PROGRESS_EVERY == 0 or done == total):
        print(f"复制 {title} {done}/{total}", file=sys.stderr, flush=True)


def cmd_migrate_to(args, ctx: CliContext) -> int:
    from models import transfer
    from models.lock import DatabaseLock
    from models.users import unverified_actor

    try:
        url = server.require_server_url(args.url)
    except DatabaseError as e:
        raise CliError(str(e)) from e
    if ctx.db_path and is_database_url(ctx.db_path):
        raise CliError("迁移的来源须是本机的数据库文件：请用 --db 给出文件路径（目标服务器地址写在 migrate-to 之后）。")
    path = ctx.path
    # No program may write the file while it is copied: what it wrote afterwards would be lost.
    lock = DatabaseLock(path)
    try:
        if path.exists():
            lock.acquire()
        with transfer.open_source(path) as source:
            who = transfer.source_operator(source, ctx.user, lambda: _password_of(ctx.user))
            admin = transfer.admin_to_create(source, args.admin)
            target = server.open_empty(url)  # refused before any password is asked for
            try:
                password = _new_password(admin) if admin else None
                result = transfer.migrate_to(source, target, actor=who or admin or unverified_actor(ctx.user),
                                             admin=admin, admin_password=password, source_name=str(path),
                                             progress=_print_progress)
            finally:
                target.dispose()
    except (DatabaseError, AuthError) as e:
        raise CliError(str(e)) from e
    finally:
        lock.release()
    total = sum(result.counts.values())
    shown = "、".join(f"{transfer.title_of(k)} {v}" for k, v in result.counts.items() if v)
    print(f"已把 {path} 迁移到 {display_url(url)}：共 {total} 行（{shown}），用时 {result.seconds:.1f} 秒。")
    print(f"核对通过：各表行数与源数据库一致；抽取记录 {result.records} 条重新计算与哈希一致；"
          f"抽取公告 {result.announcements} 份与承诺值一致；{result.audit_message}")
    if result.admin_created:
        print(f"已在服务器上创建管理员 {result.admin_created}。")
    login = result.admin_created or who or "管理员用户名"
    print("服务器数据库已启用登录。各工作站：--db 该地址（或设置环境变量 SSJ_DATABASE_URL），"
          f"并以 --user {login} 登录。")
    print(f"源数据库 {path} 未作改动；此后请在服务器数据库上工作，不要再在源数据库中录入。")
    return 0
