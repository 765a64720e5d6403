"""draw_announcements (抽取公告) and their voids, append-only; draw_records.announcement_id links a draw to its seal.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

LOCKED_TABLES = ("draw_announcements", "draw_announcement_voids")


def _lock(table: str) -> None:
    """Refuse UPDATE and DELETE on *table* in the database itself (SQLite and PostgreSQL)."""
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
    op.create_table('draw_announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('plan_item_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('jurisdiction', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('replaced_object_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('sealed_at', sa.DateTime(), nullable=False),
    sa.Column('operator', sa.String(length=50), nullable=False),
    sa.Column('entropy_source', sa.Text(), nullable=False),
    sa.Column('lottery_date', sa.Date(), nullable=True),
    sa.Column('announcement_json', sa.Text(), nullable=False),
    sa.Column('params_json', sa.Text(), nullable=False),
    sa.Column('commitment', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['plan_item_id'], ['plan_items.id'], name=op.f('fk_draw_announcements_plan_item_id_plan_items')),
    sa.ForeignKeyConstraint(['replaced_object_id'], ['inspected_objects.id'], name=op.f('fk_draw_announcements_replaced_object_id_inspected_objects')),
    sa.ForeignKeyConstraint(['replaces_id'], ['draw_records.id'], name=op.f('fk_draw_announcements_replaces_id_draw_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_announcements')),
    sa.UniqueConstraint('year', 'number', name=op.f('uq_draw_announcements_year'))
    )
    op.create_index(op.f('ix_draw_announcements_plan_item_id'), 'draw_announcements', ['plan_item_id'], unique=False)
    op.create_table('draw_announcement_voids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=False),
    sa.Column('operator', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['draw_announcements.id'], name=op.f('fk_draw_announcement_voids_announcement_id_draw_announcements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draw_announcement_voids')),
    sa.UniqueConstraint('announcement_id', name=op.f('uq_draw_announcement_voids_announcement_id'))
    )
    # Not batch mode: rebuilding draw_records would drop its lock triggers. ADD COLUMN keeps them.
    op.add_column('draw_records', sa.Column('announcement_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_draw_records_announcement_id'), 'draw_records', ['announcement_id'], unique=True)
    for table in LOCKED_TABLES:
        _lock(table)


def downgrade() -> None:
    """Drop the announcement tables and their lock triggers, and draw_records.announcement_id.

    On SQLite dropping the column rebuilds draw_records, which drops its own lock triggers (made by
    0001) with the old table; they are created again here, so a downgraded database stays locked.
    """
    for table in LOCKED_TABLES:
        _unlock(table)
    op.drop_index(op.f('ix_draw_records_announcement_id'), table_name='draw_records')
    with op.batch_alter_table('draw_records', schema=None) as batch_op:
        batch_op.drop_column('announcement_id')
    if op.get_bind().dialect.name != "postgresql":
        _unlock('draw_records')
        _lock('draw_records')
    op.drop_table('draw_announcement_voids')
    op.drop_index(op.f('ix_draw_announcements_plan_item_id'), table_name='draw_announcements')
    op.drop_table('draw_announcements')
