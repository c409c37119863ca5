"""baseline: the schema of commit 05e84f1, as `create_all` made it before migrations existed.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 22:50:26.647535

A database created by create_all before migrations (tables, no alembic_version) is stamped at this
revision by storage/migrate.py, then upgraded. Do not edit: it describes databases in the field.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('counter',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('primary_report_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('report_count', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_report_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_incident_last_report_at'), 'incident', ['last_report_at'], unique=False)
    op.create_index(op.f('ix_incident_primary_report_id'), 'incident', ['primary_report_id'], unique=False)

    op.create_table('officerduty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('on_duty', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('officer_id')
    )
    op.create_table('reporter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), nullable=True),
    sa.Column('alias', sa.String(length=16), nullable=False),
    sa.Column('first_name', sa.String(length=128), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('language_chosen', sa.Boolean(), nullable=False),
    sa.Column('phone_hash', sa.String(length=128), nullable=True),
    sa.Column('phone_verified', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('restricted_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('restriction_level', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('alias')
    )
    op.create_index(op.f('ix_reporter_telegram_id'), 'reporter', ['telegram_id'], unique=True)

    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('return_to', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('location_source', sa.String(length=16), nullable=True),
    sa.Column('address_text', sa.Text(), nullable=True),
    sa.Column('area_label', sa.String(length=128), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('album_id', sa.String(length=64), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_update_id', sa.BigInteger(), nullable=True),
    sa.Column('officer_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['reporter_id'], ['reporter.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('officer_id'),
    sa.UniqueConstraint('reporter_id'),
    sqlite_autoincrement=True
    )
    op.create_index(op.f('ix_draft_expires_at'), 'draft', ['expires_at'], unique=False)
    op.create_index(op.f('ix_draft_status'), 'draft', ['status'], unique=False)

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('prefix', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('location_source', sa.String(length=16), nullable=True),
    sa.Column('address_text', sa.Text(), nullable=True),
    sa.Column('area_label', sa.String(length=128), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('photo_count', sa.Integer(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('draft_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('taken_by', sa.BigInteger(), nullable=True),
    sa.Column('taken_by_name', sa.String(length=128), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.BigInteger(), nullable=True),
    sa.Column('closed_by_name', sa.String(length=128), nullable=True),
    sa.Column('seconds_to_taken', sa.Integer(), nullable=True),
    sa.Column('seconds_to_closed', sa.Integer(), nullable=True),
    sa.Column('submit_update_id', sa.BigInteger(), nullable=True),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('alert_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('alert_message_id', sa.BigInteger(), nullable=True),
    sa.Column('alert_is_photo', sa.Boolean(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('trust_score', sa.Float(), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('remind_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalate_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], ),
    sa.ForeignKeyConstraint(['reporter_id'], ['reporter.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('submit_update_id'),
    sa.UniqueConstraint('year', 'seq', 'prefix', name='uq_report_year_seq')
    )
    op.create_index(op.f('ix_report_category'), 'report', ['category'], unique=False)
    op.create_index(op.f('ix_report_created_at'), 'report', ['created_at'], unique=False)
    op.create_index(op.f('ix_report_draft_id'), 'report', ['draft_id'], unique=False)
    op.create_index(op.f('ix_report_incident_id'), 'report', ['incident_id'], unique=False)
    op.create_index(op.f('ix_report_reporter_id'), 'report', ['reporter_id'], unique=False)
    op.create_index('ix_report_sla_escalate', 'report', ['status', 'escalate_at'], unique=False)
    op.create_index('ix_report_sla_remind', 'report', ['status', 'remind_at'], unique=False)
    op.create_index('ix_report_stats', 'report', ['created_at', 'status', 'category', 'channel', 'area_label', 'taken_by', 'taken_by_name', 'seconds_to_taken', 'seconds_to_closed', 'lat', 'lon'], unique=False)
    op.create_index('ix_report_status_created', 'report', ['status', 'created_at'], unique=False)

    op.create_table('followup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('author_id', sa.BigInteger(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('photo_file_id', sa.String(length=256), nullable=True),
    sa.Column('photo_kind', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('update_id', sa.BigInteger(), nullable=True),
    sa.Column('delivered_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('delivered_message_id', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('update_id')
    )
    op.create_index(op.f('ix_followup_author_id'), 'followup', ['author_id'], unique=False)
    op.create_index('ix_followup_delivered', 'followup', ['delivered_chat_id', 'delivered_message_id'], unique=False)
    op.create_index(op.f('ix_followup_report_id'), 'followup', ['report_id'], unique=False)

    op.create_table('followupwait',
    sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('media_group_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=128), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    op.create_index('ix_outbox_due', 'outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_outbox_report_id'), 'outbox', ['report_id'], unique=False)

    op.create_table('photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('file_id', sa.String(length=256), nullable=False),
    sa.Column('file_unique_id', sa.String(length=128), nullable=False),
    sa.Column('mime_type', sa.String(length=64), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('forwarded', sa.Boolean(), nullable=False),
    sa.Column('media_group_id', sa.String(length=64), nullable=True),
    sa.Column('clean_file_id', sa.String(length=256), nullable=True),
    sa.Column('phash', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['draft.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_photo_draft_id'), 'photo', ['draft_id'], unique=False)
    op.create_index(op.f('ix_photo_file_unique_id'), 'photo', ['file_unique_id'], unique=False)
    op.create_index(op.f('ix_photo_phash'), 'photo', ['phash'], unique=False)
    op.create_index(op.f('ix_photo_report_id'), 'photo', ['report_id'], unique=False)

    op.create_table('reporterevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=True),
    sa.Column('actor_name', sa.String(length=128), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.ForeignKeyConstraint(['reporter_id'], ['reporter.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_reporterevent_at'), 'reporterevent', ['at'], unique=False)
    op.create_index(op.f('ix_reporterevent_reporter_id'), 'reporterevent', ['reporter_id'], unique=False)

    op.create_table('reportevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=True),
    sa.Column('actor_name', sa.String(length=128), nullable=True),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_reportevent_report_id'), 'reportevent', ['report_id'], unique=False)



def downgrade() -> None:
    op.drop_index(op.f('ix_reportevent_report_id'), table_name='reportevent')

    op.drop_table('reportevent')
    op.drop_index(op.f('ix_reporterevent_reporter_id'), table_name='reporterevent')
    op.drop_index(op.f('ix_reporterevent_at'), table_name='reporterevent')

    op.drop_table('reporterevent')
    op.drop_index(op.f('ix_photo_report_id'), table_name='photo')
    op.drop_index(op.f('ix_photo_phash'), table_name='photo')
    op.drop_index(op.f('ix_photo_file_unique_id'), table_name='photo')
    op.drop_index(op.f('ix_photo_draft_id'), table_name='photo')

    op.drop_table('photo')
    op.drop_index(op.f('ix_outbox_report_id'), table_name='outbox')
    op.drop_index('ix_outbox_due', table_name='outbox')

    op.drop_table('outbox')
    op.drop_table('followupwait')
    op.drop_index(op.f('ix_followup_report_id'), table_name='followup')
    op.drop_index('ix_followup_delivered', table_name='followup')
    op.drop_index(op.f('ix_followup_author_id'), table_name='followup')

    op.drop_table('followup')
    op.drop_index('ix_report_status_created', table_name='report')
    op.drop_index('ix_report_stats', table_name='report')
    op.drop_index('ix_report_sla_remind', table_name='report')
    op.drop_index('ix_report_sla_escalate', table_name='report')
    op.drop_index(op.f('ix_report_reporter_id'), table_name='report')
    op.drop_index(op.f('ix_report_incident_id'), table_name='report')
    op.drop_index(op.f('ix_report_draft_id'), table_name='report')
    op.drop_index(op.f('ix_report_created_at'), table_name='report')
    op.drop_index(op.f('ix_report_category'), table_name='report')

    op.drop_table('report')
    op.drop_index(op.f('ix_draft_status'), table_name='draft')
    op.drop_index(op.f('ix_draft_expires_at'), table_name='draft')

    op.drop_table('draft')
    op.drop_table('setting')
    op.drop_index(op.f('ix_reporter_telegram_id'), table_name='reporter')

    op.drop_table('reporter')
    op.drop_table('officerduty')
    op.drop_index(op.f('ix_incident_primary_report_id'), table_name='incident')
    op.drop_index(op.f('ix_incident_last_report_at'), table_name='incident')

    op.drop_table('incident')
    op.drop_table('counter')
