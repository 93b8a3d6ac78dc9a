"""schedules, job runs, nudges, outbox claims

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("nudges_stopped", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "job_runs",
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("job", "period"),
    )
    op.create_table(
        "schedules",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("spec", sa.String(length=64), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "nudge_log",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("member_id", BigId, nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "week_start", "seq", name="uq_nudge_log_member_week_seq"),
        sa.UniqueConstraint("reason", "reference", name="uq_nudge_log_reason_reference"),
    )


def downgrade() -> None:
    op.drop_table("nudge_log")
    op.drop_table("schedules")
    op.drop_table("job_runs")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_at")
        batch.drop_column("claimed_by")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("snoozed_until")
        batch.drop_column("nudges_stopped")
