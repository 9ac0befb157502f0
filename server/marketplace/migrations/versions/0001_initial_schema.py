"""The first schema: accounts, experts and homepages, consultations, idempotency records.

Revision ID: 0001
Revises:
Create Date: 2025-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(name: str = "id") -> sa.Column[str]:
    return sa.Column(name, sa.String(40), nullable=False)


def _instant(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        _id(),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("marketing_opt_in", sa.Boolean(), nullable=False),
        _instant("created_at"),
        _instant("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        _id("user_id"),
        _instant("expires_at"),
        _instant("used_at", nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_refresh_tokens_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_refresh_tokens"),
    )
    op.create_index("ix_refresh_tokens_user_id", "refresh_tokens", ["user_id"])
    op.create_table(
        "partner_keys",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _instant("created_at"),
        _instant("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_partner_keys"),
        sa.UniqueConstraint("key_hash", name="uq_partner_keys_key_hash"),
    )
    op.create_table(
        "experts",
        _id(),
        _id("user_id"),
        sa.Column("display_name", sa.String(50), nullable=False),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("headline", sa.String(120), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("careers", sa.JSON(), nullable=False),
        sa.Column("profile_image_url", sa.Text(), nullable=True),
        sa.Column("verification_status", sa.String(20), nullable=False),
        _instant("verification_submitted_at", nullable=True),
        sa.Column("verification_note", sa.Text(), nullable=True),
        _instant("verified_at", nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("rating", sa.Float(), nullable=True),
        sa.Column("rating_sum", sa.Integer(), nullable=False),
        sa.Column("review_count", sa.Integer(), nullable=False),
        _instant("created_at"),
        _instant("updated_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_experts_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_experts"),
        sa.UniqueConstraint("user_id", name="uq_experts_user_id"),
    )
    op.create_index("ix_experts_category", "experts", ["category"])
    op.create_index("ix_experts_verification_status", "experts", ["verification_status"])
    op.create_table(
        "licenses",
        _id(),
        _id("expert_id"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("issuer", sa.String(100), nullable=False),
        sa.Column("number", sa.String(50), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("document_url", sa.Text(), nullable=False),
        sa.Column("verification_status", sa.String(20), nullable=False),
        _instant("created_at"),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["experts.id"], name="fk_licenses_expert_id_experts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_licenses"),
    )
    op.create_index("ix_licenses_expert_id", "licenses", ["expert_id"])
    op.create_table(
        "homepages",
        _id(),
        _id("expert_id"),
        sa.Column("slug", sa.String(40), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("seo_description", sa.String(300), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        _instant("published_at", nullable=True),
        _instant("updated_at"),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["experts.id"], name="fk_homepages_expert_id_experts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_homepages"),
        sa.UniqueConstraint("expert_id", name="uq_homepages_expert_id"),
        sa.UniqueConstraint("slug", name="uq_homepages_slug"),
    )
    op.create_table(
        "homepage_sections",
        _id(),
        _id("homepage_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["homepage_id"], ["homepages.id"], name="fk_homepage_sections_homepage_id_homepages", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_homepage_sections"),
    )
    op.create_index("ix_homepage_sections_homepage_id", "homepage_sections", ["homepage_id"])
    op.create_table(
        "consultation_products",
        _id(),
        _id("expert_id"),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("price_amount", sa.BigInteger(), nullable=False),
        sa.Column("price_currency", sa.String(3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        _instant("created_at"),
        _instant("updated_at"),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["experts.id"], name="fk_consultation_products_expert_id_experts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consultation_products"),
    )
    op.create_index("ix_consultation_products_expert_id", "consultation_products", ["expert_id"])
    op.create_table(
        "consultations",
        _id(),
        _id("user_id"),
        _id("expert_id"),
        _id("product_id"),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("price_amount", sa.BigInteger(), nullable=False),
        sa.Column("price_currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        _instant("preferred_time"),
        _instant("scheduled_at", nullable=True),
        _instant("started_at", nullable=True),
        _instant("ended_at", nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("cancelled_by", sa.String(10), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("no_show_party", sa.String(10), nullable=True),
        sa.Column("no_show_note", sa.Text(), nullable=True),
        sa.Column("payment_method_id", sa.String(40), nullable=False),
        sa.Column("payment_id", sa.String(40), nullable=True),
        sa.Column("session_id", sa.String(40), nullable=True),
        sa.Column("review_id", sa.String(40), nullable=True),
        _instant("created_at"),
        _instant("updated_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_consultations_user_id_users"),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], name="fk_consultations_expert_id_experts"),
        sa.ForeignKeyConstraint(
            ["product_id"], ["consultation_products.id"], name="fk_consultations_product_id_consultation_products"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consultations"),
    )
    op.create_index("ix_consultations_status", "consultations", ["status"])
    op.create_index("ix_consultations_user_created", "consultations", ["user_id", "created_at"])
    op.create_index("ix_consultations_expert_created", "consultations", ["expert_id", "created_at"])
    op.create_table(
        "consultation_status_changes",
        _id("consultation_id"),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _instant("at"),
        sa.Column("by", sa.String(40), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name="fk_consultation_status_changes_consultation_id_consultations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", "seq", name="pk_consultation_status_changes"),
    )
    op.create_table(
        "consultation_messages",
        _id(),
        _id("consultation_id"),
        sa.Column("sender_id", sa.String(40), nullable=True),
        sa.Column("sender_role", sa.String(10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        _instant("created_at"),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name="fk_consultation_messages_consultation_id_consultations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consultation_messages"),
    )
    op.create_index("ix_consultation_messages_consultation_id", "consultation_messages", ["consultation_id"])
    op.create_table(
        "reviews",
        _id(),
        _id("consultation_id"),
        _id("expert_id"),
        _id("user_id"),
        sa.Column("author_name", sa.String(50), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        _instant("created_at"),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name="fk_reviews_consultation_id_consultations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["expert_id"], ["experts.id"], name="fk_reviews_expert_id_experts", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_reviews_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
        sa.UniqueConstraint("consultation_id", name="uq_reviews_consultation_id"),
    )
    op.create_index("ix_reviews_expert_created", "reviews", ["expert_id", "created_at"])
    op.create_table(
        "idempotency_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(80), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        _instant("created_at"),
        _instant("expires_at"),
        sa.PrimaryKeyConstraint("id", name="pk_idempotency_records"),
        sa.UniqueConstraint("scope", "key", name="uq_idempotency_records_scope"),
    )
    op.create_index("ix_idempotency_records_expires_at", "idempotency_records", ["expires_at"])


def downgrade() -> None:
    for table in (
        "idempotency_records",
        "reviews",
        "consultation_messages",
        "consultation_status_changes",
        "consultations",
        "consultation_products",
        "homepage_sections",
        "homepages",
        "licenses",
        "experts",
        "partner_keys",
        "refresh_tokens",
        "users",
    ):
        op.drop_table(table)
