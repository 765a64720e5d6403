"""reinspections.file_path: where the 复查意见书 was written, so it can be opened and printed again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reinspections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_path', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('reinspections', schema=None) as batch_op:
        batch_op.drop_column('file_path')
