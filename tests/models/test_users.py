"""Who is working: scrypt-hashed accounts, lock-out after wrong passwords, and a 只读 role the services enforce."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select, text

from models import users
from models.admin import AuditEntry, User
from models.db import PermissionDenied
from models.roster import ObjectType


@pytest.fixture
def office(db):
    with db.session() as s:
        users.create_user(s, "admin", "admin-pass", "管理员", actor="setup")
        users.create_user(s, "clerk", "clerk-pass", "录入员", actor="admin")
        users.create_user(s, "viewer", "viewer-pass", "只读", actor="admin")
        s.add(ObjectType(name="旅馆"))
    return db


def test_passwords_are_stored_only_as_salted_scrypt_hashes(office):
    with office.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "clerk"))
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2 ** 14), "8", "1")
    assert len(bytes.fromhex(salt)) == 16 and len(digest) == 64
    assert "clerk-pass" not in stored
    assert users.verify_password("clerk-pass", stored)
    assert not users.verify_password("clerk-pass!", stored)
    # the same password twice gives two different hashes (random salt)
    assert users.hash_password("x" * 8) != users.hash_password("x" * 8)


def test_a_user_logs_in_and_the_login_is_audited(office):
    with office.session() as s:
        user = users.authenticate(s, "clerk", "clerk-pass")
        assert user.role == "录入员"
    with office.session() as s:
        assert s.scalar(select(AuditEntry.user).where(AuditEntry.action == "登录")) == "clerk"


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(office):
    for attempt in range(1, 5):
        with pytest.raises(users.AuthError, match=f"再错 {5 - attempt} 次"):
            with office.session() as s:
                users.authenticate(s, "clerk", "wrong")
    with pytest.raises(users.AuthError, match="已锁定 15 分钟"):
        with office.session() as s:
            users.authenticate(s, "clerk", "wrong")
    # even the right password is refused while locked
    with pytest.raises(users.AuthError, match="锁定"):
        with office.session() as s:
            users.authenticate(s, "clerk", "clerk-pass")
    with office.session() as s:
        locked_until = s.scalar(select(User.locked_until).where(User.username == "clerk"))
    assert timedelta(minutes=14) < locked_until - datetime.now() <= timedelta(minutes=15)
    # once the time has passed, the right password works again
    with office.session() as s:
        s.scalar(select(User).where(User.username == "clerk")).locked_until = datetime.now() - timedelta(seconds=1)
    with office.session() as s:
        assert users.authenticate(s, "clerk", "clerk-pass").username == "clerk"


def test_unknown_user_and_deactivated_user_get_the_same_answer(office):
    with office.session() as s:
        users.deactivate(s, "clerk", actor="admin")
    for name in ("nobody", "clerk"):
        with pytest.raises(users.AuthError, match="用户名或密码不正确"):
            with office.session() as s:
                users.authenticate(s, name, "clerk-pass")


def test_a_read_only_user_cannot_change_data_through_the_services(office):
    office.role = "只读"
    with pytest.raises(PermissionDenied, match="只读"):
        with office.session() as s:
            s.add(ObjectType(name="网吧"))
    with pytest.raises(PermissionDenied, match="只读"):
        with office.session() as s:
            s.execute(insert(ObjectType), [{"name": "典当行"}, {"name": "网吧"}])
    with pytest.raises(PermissionDenied):
        with office.session() as s:
            s.scalar(select(ObjectType)).name = "宾馆"
    with pytest.raises(PermissionDenied):
        with office.session() as s:
            s.execute(text("DELETE FROM object_types"))
    # reading still works, and nothing was written
    with office.session() as s:
        assert s.scalars(select(ObjectType.name)).all() == ["旅馆"]
    office.role = "录入员"
    with office.session() as s:
        s.add(ObjectType(name="网吧"))


def test_a_read_only_user_may_still_log_in_and_change_their_own_password(office):
    office.role = "只读"
    with office.session() as s:
        users.authenticate(s, "viewer", "viewer-pass")
        users.change_password(s, "viewer", "viewer-pass", "new-viewer-pass")
    with office.session() as s:
        assert users.authenticate(s, "viewer", "new-viewer-pass")


def test_only_an_administrator_manages_users_and_the_last_one_stays(office):
    office.role = "录入员"
    with pytest.raises(PermissionDenied, match="管理员"):
        with office.session() as s:
            users.create_user(s, "x", "xxxxxxx", "录入员", actor="clerk")
    office.role = "管理员"
    with pytest.raises(users.AuthError, match="最后一个管理员"):
        with office.session() as s:
            users.deactivate(s, "admin", actor="admin")
    with pytest.raises(users.AuthError, match="最后一个管理员"):
        with office.session() as s:
            users.set_role(s, "admin", "只读", actor="admin")
    with pytest.raises(users.AuthError, match="已存在"):
        with office.session() as s:
            users.create_user(s, "clerk", "xxxxxxx", "录入员", actor="admin")
    with pytest.raises(users.AuthError, match="至少需要 8 个字符"):
        with office.session() as s:
            users.create_user(s, "short", "123", "录入员", actor="admin")


def test_the_first_account_must_be_an_administrator(db):
    with pytest.raises(users.AuthError, match="第一个账户必须是管理员"):
        with db.session() as s:
            users.create_user(s, "clerk", "clerk-pass", "录入员", actor="setup")


def test_login_is_required_only_when_switched_on_and_accounts_exist(office):
    from models import settings

    with office.session() as s:
        assert not users.login_required(s)
        settings.set(s, "login_enabled", True, actor="admin")
        assert users.login_required(s)
