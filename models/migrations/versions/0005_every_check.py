"""Every check the office does (issue 18): inspections not drawn, routine duties, evidence, enforcement steps.

- inspections.pick_id becomes nullable: a check of any roster object for another source (日常巡查,
  举报投诉, 专项检查 …) has no draw pick; source, source_ref, source_date, reply_due, plan_item_id and
  duty_id say why it was made. Existing rows are 双随机抽查.
- routine_duties (日常巡查 declared as data), inspection_attachments (evidence with its SHA-256) and
  enforcement_steps (what follows a failed 复查).

On SQLite, making pick_id nullable rebuilds the inspections table (batch mode); models.migrate runs
every upgrade with foreign-key enforcement off and checks the keys before the commit, so dropping the
old table cannot cascade into hazards or checklist results.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('routine_duties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object_type_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('share_percent', sa.Integer(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['object_type_id'], ['object_types.id'],
                            name=op.f('fk_routine_duties_object_type_id_object_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routine_duties'))
    )
    with op.batch_alter_table('routine_duties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routine_duties_object_type_id'), ['object_type_id'], unique=False)

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.alter_column('pick_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('source', sa.String(length=20), server_default='双随机抽查', nullable=False))
        batch_op.add_column(sa.Column('source_ref', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reply_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('plan_item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duty_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_inspections_plan_item_id'), ['plan_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspections_duty_id'), ['duty_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_inspections_plan_item_id_plan_items'), 'plan_items',
                                    ['plan_item_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_inspections_duty_id_routine_duties'), 'routine_duties',
                                    ['duty_id'], ['id'])

    op.create_table('inspection_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('original_name', sa.Text(), nullable=False),
    sa.Column('stored_name', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'],
                            name=op.f('fk_inspection_attachments_inspection_id_inspections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_attachments'))
    )
    with op.batch_alter_table('inspection_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_attachments_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('enforcement_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('reinspection_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('new_notice_id', sa.Integer(), nullable=True),
    sa.Column('done_date', sa.Date(), nullable=True),
    sa.Column('file_path', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_enforcement_steps_notice_id_notices')),
    sa.ForeignKeyConstraint(['new_notice_id'], ['notices.id'],
                            name=op.f('fk_enforcement_steps_new_notice_id_notices')),
    sa.ForeignKeyConstraint(['reinspection_id'], ['reinspections.id'],
                            name=op.f('fk_enforcement_steps_reinspection_id_reinspections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enforcement_steps'))
    )
    with op.batch_alter_table('enforcement_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enforcement_steps_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enforcement_steps_reinspection_id'), ['reinspection_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('enforcement_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enforcement_steps_reinspection_id'))
        batch_op.drop_index(batch_op.f('ix_enforcement_steps_notice_id'))
    op.drop_table('enforcement_steps')
    with op.batch_alter_table('inspection_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_attachments_inspection_id'))
    op.drop_table('inspection_attachments')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inspections_duty_id_routine_duties'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_inspections_plan_item_id_plan_items'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_inspections_duty_id'))
        batch_op.drop_index(batch_op.f('ix_inspections_plan_item_id'))
        for column in ('duty_id', 'plan_item_id', 'reply_due', 'source_date', 'source_ref', 'source'):
            batch_op.drop_column(column)
        batch_op.alter_column('pick_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('routine_duties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routine_duties_object_type_id'))
    op.drop_table('routine_duties')
