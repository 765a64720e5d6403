"""What the plans really ask (issue 19): departments with aliases, the 实施层级 hierarchy, the event
register, 综合查一次 joint tasks, and persons as objects.

- departments / department_aliases, jurisdictions / jurisdiction_units (models/organisation.py);
- events and draw_pick_events (models/event.py); draw_pick_events is append-only like draw_picks;
- joint_tasks / joint_task_picks / joint_task_members (models/joint.py), inspections.joint_task_id and
  plan_items.joint_group;
- inspected_objects: id_kind, id_country, no_id_reason; credit_code (the identifier) widens to 40
  characters and may be NULL (kind 无); it is unique within (id_kind, id_country) instead of alone.
  Existing rows are units with a 统一社会信用代码.

On SQLite the inspected_objects and inspections tables are rebuilt (batch mode); models.migrate runs the
upgrade with foreign-key enforcement off and checks the keys before the commit.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

LOCKED_TABLES = ("draw_pick_events",)


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
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('name', name=op.f('uq_departments_name'))
    )
    op.create_table('jurisdictions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['jurisdictions.id'], name=op.f('fk_jurisdictions_parent_id_jurisdictions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jurisdictions')),
    sa.UniqueConstraint('name', name=op.f('uq_jurisdictions_name'))
    )
    with op.batch_alter_table('jurisdictions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jurisdictions_parent_id'), ['parent_id'], unique=False)

    op.create_table('department_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_department_aliases_department_id_departments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_aliases')),
    sa.UniqueConstraint('alias', name=op.f('uq_department_aliases_alias'))
    )
    with op.batch_alter_table('department_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_aliases_department_id'), ['department_id'], unique=False)

    op.create_table('jurisdiction_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['jurisdictions.id'], name=op.f('fk_jurisdiction_units_jurisdiction_id_jurisdictions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jurisdiction_units')),
    sa.UniqueConstraint('unit', name=op.f('uq_jurisdiction_units_unit'))
    )
    with op.batch_alter_table('jurisdiction_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jurisdiction_units_jurisdiction_id'), ['jurisdiction_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=True),
    sa.Column('approval_no', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['organiser_id'], ['inspected_objects.id'], name=op.f('fk_events_organiser_id_inspected_objects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_date_from'), ['date_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_organiser_id'), ['organiser_id'], unique=False)

    op.create_table('joint_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=4), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('lead_unit', sa.String(length=100), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['object_id'], ['inspected_objects.id'], name=op.f('fk_joint_tasks_object_id_inspected_objects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_tasks'))
    )
    with op.batch_alter_table('joint_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_tasks_object_id'), ['object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_tasks_year'), ['year'], unique=False)

    op.create_table('joint_task_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['inspector_id'], ['inspectors.id'], name=op.f('fk_joint_task_members_inspector_id_inspectors')),
    sa.ForeignKeyConstraint(['task_id'], ['joint_tasks.id'], name=op.f('fk_joint_task_members_task_id_joint_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_task_members')),
    sa.UniqueConstraint('task_id', 'inspector_id', name=op.f('uq_joint_task_members_task_id'))
    )
    with op.batch_alter_table('joint_task_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_task_members_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_joint_task_members_task_id'), ['task_id'], unique=False)

    op.create_table('draw_pick_events',
    sa.Column('pick_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_draw_pick_events_event_id_events')),
    sa.ForeignKeyConstraint(['pick_id'], ['draw_picks.id'], name=op.f('fk_draw_pick_events_pick_id_draw_picks')),
    sa.PrimaryKeyConstraint('pick_id', name=op.f('pk_draw_pick_events'))
    )
    with op.batch_alter_table('draw_pick_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draw_pick_events_event_id'), ['event_id'], unique=False)

    op.create_table('joint_task_picks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('pick_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pick_id'], ['draw_picks.id'], name=op.f('fk_joint_task_picks_pick_id_draw_picks')),
    sa.ForeignKeyConstraint(['task_id'], ['joint_tasks.id'], name=op.f('fk_joint_task_picks_task_id_joint_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_joint_task_picks')),
    sa.UniqueConstraint('pick_id', name=op.f('uq_joint_task_picks_pick_id'))
    )
    with op.batch_alter_table('joint_task_picks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_joint_task_picks_task_id'), ['task_id'], unique=False)

    with op.batch_alter_table('inspected_objects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_kind', sa.String(length=12), server_default='统一社会信用代码', nullable=False))
        batch_op.add_column(sa.Column('id_country', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('no_id_reason', sa.Text(), server_default='', nullable=False))
        batch_op.alter_column('credit_code',
               existing_type=sa.VARCHAR(length=18),
               type_=sa.String(length=40),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('uq_inspected_objects_credit_code'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_inspected_objects_id_kind'), ['id_kind', 'id_country', 'credit_code'])

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joint_task_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_inspections_joint_task_id'), ['joint_task_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_inspections_joint_task_id_joint_tasks'), 'joint_tasks', ['joint_task_id'], ['id'])

    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joint_group', sa.String(length=50), server_default='', nullable=False))

    for table in LOCKED_TABLES:
        _lock(table)


def downgrade() -> None:
    for table in LOCKED_TABLES:
        _unlock(table)
    with op.batch_alter_table('plan_items', schema=None) as batch_op:
        batch_op.drop_column('joint_group')

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_inspections_joint_task_id_joint_tasks'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_inspections_joint_task_id'))
        batch_op.drop_column('joint_task_id')

    with op.batch_alter_table('inspected_objects', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_inspected_objects_id_kind'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_inspected_objects_credit_code'), ['credit_code'])
        batch_op.alter_column('credit_code',
               existing_type=sa.String(length=40),
               type_=sa.VARCHAR(length=18),
               nullable=False)
        batch_op.drop_column('no_id_reason')
        batch_op.drop_column('id_country')
        batch_op.drop_column('id_kind')

    with op.batch_alter_table('joint_task_picks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_task_picks_task_id'))

    op.drop_table('joint_task_picks')
    with op.batch_alter_table('draw_pick_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draw_pick_events_event_id'))

    op.drop_table('draw_pick_events')
    with op.batch_alter_table('joint_task_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_task_members_task_id'))
        batch_op.drop_index(batch_op.f('ix_joint_task_members_inspector_id'))

    op.drop_table('joint_task_members')
    with op.batch_alter_table('joint_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_joint_tasks_year'))
        batch_op.drop_index(batch_op.f('ix_joint_tasks_object_id'))

    op.drop_table('joint_tasks')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_organiser_id'))
        batch_op.drop_index(batch_op.f('ix_events_date_from'))

    op.drop_table('events')
    with op.batch_alter_table('jurisdiction_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jurisdiction_units_jurisdiction_id'))

    op.drop_table('jurisdiction_units')
    with op.batch_alter_table('department_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_aliases_department_id'))

    op.drop_table('department_aliases')
    with op.batch_alter_table('jurisdictions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jurisdictions_parent_id'))

    op.drop_table('jurisdictions')
    op.drop_table('departments')
