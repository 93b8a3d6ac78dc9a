"""inbox: acknowledged events waiting for their work, so a crash after the ack loses none

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("lane", sa.Integer(), nullable=False),
        sa.Column("incoming", sa.JSON(), nullable=False),
        sa.Column("reply_to", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "event_id", name="uq_inbox_platform_event"),
    )
    op.create_index("ix_inbox_lane", "inbox", ["lane", "id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_lane", table_name="inbox")
    op.drop_table("inbox")
