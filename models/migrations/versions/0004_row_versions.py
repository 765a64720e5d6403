"""inspected_objects.version and inspectors.version: optimistic concurrency for roster edits.

Several seats on one PostgreSQL database may edit the same roster row; every UPDATE checks and
bumps the version (models/roster.py), so the edit made from a stale copy is refused and reloaded
instead of silently overwriting the other seat's change. Existing rows start at 1.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

TABLES = ('inspected_objects', 'inspectors')


def upgrade() -> None:
    # Plain ADD COLUMN with a constant default: no table rebuild on SQLite, none on PostgreSQL 11+.
    for table in TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), nullable=False, server_default=sa.text('1')))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
