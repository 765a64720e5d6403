"""Command line for an office's shared PostgreSQL server: init-db creates its database and first administrator."""
from __future__ import annotations

from models import server
from models.db import DatabaseError, display_url
from models.users import AuthError
from ui.cli.admin_cmds import NEW_PASSWORD_ENV, _new_password
from ui.cli.context import CliContext, CliError


def register(sub) -> None:
    p = sub.add_parser("init-db", help="在办公室的 PostgreSQL 服务器上建立新的空数据库并创建第一个管理员（启用登录）")
    p.add_argument("url", help="数据库地址，如 postgresql+psycopg://用户名@服务器:5432/ssj（数据库须已建好且为空）")
    p.add_argument("--admin", required=True, metavar="NAME",
                   help=f"第一个管理员的用户名（密码取自环境变量 {NEW_PASSWORD_ENV} 或在终端输入）")
    p.set_defaults(func=cmd_init_db)


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
