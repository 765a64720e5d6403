"""Evidence kept in the database (issue 18 item 4): attachment_contents holds each file's bytes, and
attachment_withdrawals records a mistaken attachment withdrawn with its reason.

The bytes live in the database, not in a folder beside it: on the office's PostgreSQL server every
workstation sees the same evidence, and the files go with every backup (SQLite online backup,
pg_dump) and with migrate-to. Evidence is never changed or deleted: inspection_attachments,
attachment_contents and attachment_withdrawals refuse UPDATE and DELETE in the database itself
(triggers like 0003's), so a swapped photo needs the triggers dropped and is then caught by
verify-audit, which recomputes every SHA-256.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

LOCKED_TABLES = ("inspection_attachments", "attachment_contents", "attachment_withdrawals")


def _lock(table: str) -> None:
    """Refuse UPDATE and DELETE on *table* in the database itself (SQLite and PostgreSQL), as 0003 does."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION ssj_refuse_change() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% 已锁定，不能修改或删除', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        op.execute(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION ssj_refuse_change()")
        return
    op.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
               f"BEGIN SELECT RAISE(ABORT, '{table} 已锁定，不能修改'); END")
    op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
               f"BEGIN SELECT RAISE(ABORT, '{table} 已锁定，不能删除'); END")


def _unlock(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        return
    op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
    op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def upgrade() -> None:
    op.create_table('attachment_contents',
    sa.Column('attachment_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['inspection_attachments.id'],
                            name=op.f('fk_attachment_contents_attachment_id_inspection_attachments')),
    sa.PrimaryKeyConstraint('attachment_id', name=op.f('pk_attachment_contents'))
    )
    op.create_table('attachment_withdrawals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_by', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['inspection_attachments.id'],
                            name=op.f('fk_attachment_withdrawals_attachment_id_inspection_attachments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment_withdrawals')),
    sa.UniqueConstraint('attachment_id', name=op.f('uq_attachment_withdrawals_attachment_id'))
    )
    for table in LOCKED_TABLES:
        _lock(table)


def downgrade() -> None:
    for table in LOCKED_TABLES:
        _unlock(table)
    op.drop_table('attachment_withdrawals')
    op.drop_table('attachment_contents')
