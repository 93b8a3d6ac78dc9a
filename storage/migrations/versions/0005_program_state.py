"""the program's own state: its first start (schedules never catch up on time before it) and a
heartbeat row that readiness writes to prove the database takes writes

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "program_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("id = 1", name="ck_program_state_one_row"),
    )
    # A program that already ran started when its first row was written, not at this upgrade.
    op.execute(
        "INSERT INTO program_state (id, first_start_at) SELECT 1, MIN(t) FROM ("
        " SELECT MIN(created_at) AS t FROM members UNION ALL SELECT MIN(created_at) FROM audit_log"
        " UNION ALL SELECT MIN(started_at) FROM job_runs) AS earliest HAVING MIN(t) IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_table("program_state")
