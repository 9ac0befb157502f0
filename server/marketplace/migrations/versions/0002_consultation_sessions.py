"""Consultation sessions: the phone/video session of a consultation at its vendor.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultation_sessions",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("consultation_id", sa.String(40), nullable=False),
        sa.Column("vendor", sa.String(32), nullable=False),
        sa.Column("vendor_session_id", sa.String(100), nullable=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("scheduled_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recording_url", sa.Text(), nullable=True),
        sa.Column("usage", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name="fk_consultation_sessions_consultation_id_consultations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consultation_sessions"),
        sa.UniqueConstraint("consultation_id", name="uq_consultation_sessions_consultation_id"),
    )
    op.create_index("ix_consultation_sessions_vendor_session", "consultation_sessions", ["vendor", "vendor_session_id"])


def downgrade() -> None:
    op.drop_table("consultation_sessions")
