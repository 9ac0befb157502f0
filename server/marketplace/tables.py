"""The database schema (SQLAlchemy 2 declarative models). Alembic migrations create it; see migrations/."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from .clock import utc

__all__ = [
    "Base",
    "Consultation",
    "ConsultationMessage",
    "ConsultationProduct",
    "ConsultationSession",
    "Expert",
    "Homepage",
    "HomepageSection",
    "IdempotencyRecord",
    "License",
    "PartnerKey",
    "RefreshToken",
    "Review",
    "StatusChange",
    "User",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime.datetime]):
    """An instant: stored as UTC (naive on SQLite, timestamptz on PostgreSQL), read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime.datetime | None, dialect: Dialect) -> datetime.datetime | None:
        if value is None:
            return None
        value = utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime.datetime | None, dialect: Dialect) -> datetime.datetime | None:
        return None if value is None else utc(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime.datetime: UtcDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


ID = String(40)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    roles: Mapped[list[Any]] = mapped_column(JSON())
    marketing_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime.datetime]
    updated_at: Mapped[datetime.datetime]

    expert: Mapped[Expert | None] = relationship(back_populates="user", uselist=False, lazy="raise")


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime.datetime]
    used_at: Mapped[datetime.datetime | None]


class PartnerKey(Base):
    """An internal service's or partner's API key (`X-Partner-Key`); only its SHA-256 is stored."""

    __tablename__ = "partner_keys"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime.datetime]
    revoked_at: Mapped[datetime.datetime | None]


class Expert(Base):
    __tablename__ = "experts"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    category: Mapped[str] = mapped_column(String(30), index=True)
    headline: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    careers: Mapped[list[Any]] = mapped_column(JSON())
    profile_image_url: Mapped[str | None] = mapped_column(Text)
    verification_status: Mapped[str] = mapped_column(String(20), index=True)
    verification_submitted_at: Mapped[datetime.datetime | None]
    verification_note: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime.datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[float | None] = mapped_column(Float)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime.datetime]
    updated_at: Mapped[datetime.datetime]

    user: Mapped[User] = relationship(back_populates="expert", lazy="raise")
    licenses: Mapped[list[License]] = relationship(
        back_populates="expert", order_by="License.id", lazy="selectin", cascade="all, delete-orphan"
    )
    homepage: Mapped[Homepage] = relationship(back_populates="expert", uselist=False, lazy="selectin")


class License(Base):
    __tablename__ = "licenses"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    expert_id: Mapped[str] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(50))
    issued_on: Mapped[datetime.date] = mapped_column(Date)
    document_url: Mapped[str] = mapped_column(Text)
    verification_status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime.datetime]

    expert: Mapped[Expert] = relationship(back_populates="licenses", lazy="raise")


class Homepage(Base):
    __tablename__ = "homepages"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    expert_id: Mapped[str] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), unique=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    seo_description: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime.datetime | None]
    updated_at: Mapped[datetime.datetime]

    expert: Mapped[Expert] = relationship(back_populates="homepage", lazy="raise")
    sections: Mapped[list[HomepageSection]] = relationship(
        order_by="HomepageSection.position", lazy="selectin", cascade="all, delete-orphan"
    )


class HomepageSection(Base):
    __tablename__ = "homepage_sections"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    homepage_id: Mapped[str] = mapped_column(ForeignKey("homepages.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(100))
    visible: Mapped[bool] = mapped_column(Boolean, default=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON())  # the fields particular to `type`


class ConsultationProduct(Base):
    __tablename__ = "consultation_products"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    expert_id: Mapped[str] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(10))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    price_amount: Mapped[int] = mapped_column(BigInteger)
    price_currency: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)  # deleted: kept for the consultations of it
    created_at: Mapped[datetime.datetime]
    updated_at: Mapped[datetime.datetime]


class Consultation(Base):
    __tablename__ = "consultations"
    __table_args__ = (
        Index("ix_consultations_user_created", "user_id", "created_at"),
        Index("ix_consultations_expert_created", "expert_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    expert_id: Mapped[str] = mapped_column(ForeignKey("experts.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("consultation_products.id"))
    channel: Mapped[str] = mapped_column(String(10))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    price_amount: Mapped[int] = mapped_column(BigInteger)
    price_currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), index=True)
    message: Mapped[str] = mapped_column(Text)
    preferred_time: Mapped[datetime.datetime]
    scheduled_at: Mapped[datetime.datetime | None]
    started_at: Mapped[datetime.datetime | None]
    ended_at: Mapped[datetime.datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by: Mapped[str | None] = mapped_column(String(10))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    no_show_party: Mapped[str | None] = mapped_column(String(10))
    no_show_note: Mapped[str | None] = mapped_column(Text)
    payment_method_id: Mapped[str] = mapped_column(String(40))
    payment_id: Mapped[str | None] = mapped_column(String(40))
    session_id: Mapped[str | None] = mapped_column(String(40))
    review_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime.datetime]
    updated_at: Mapped[datetime.datetime]

    expert: Mapped[Expert] = relationship(lazy="selectin")
    history: Mapped[list[StatusChange]] = relationship(
        order_by="StatusChange.seq", lazy="selectin", cascade="all, delete-orphan"
    )


class StatusChange(Base):
    __tablename__ = "consultation_status_changes"

    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime.datetime]
    by: Mapped[str | None] = mapped_column(String(40))


class ConsultationMessage(Base):
    __tablename__ = "consultation_messages"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[str | None] = mapped_column(String(40))
    sender_role: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[Any]] = mapped_column(JSON())
    created_at: Mapped[datetime.datetime]


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_expert_created", "expert_id", "created_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), unique=True)
    expert_id: Mapped[str] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_name: Mapped[str] = mapped_column(String(50))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime.datetime]


class ConsultationSession(Base):
    """The phone/video session of a consultation at its vendor (one per consultation)."""

    __tablename__ = "consultation_sessions"
    __table_args__ = (Index("ix_consultation_sessions_vendor_session", "vendor", "vendor_session_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), unique=True)
    vendor: Mapped[str] = mapped_column(String(32))
    vendor_session_id: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    scheduled_start: Mapped[datetime.datetime]
    started_at: Mapped[datetime.datetime | None]
    ended_at: Mapped[datetime.datetime | None]
    recording_url: Mapped[str | None] = mapped_column(Text)
    usage: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    created_at: Mapped[datetime.datetime]
    updated_at: Mapped[datetime.datetime]


class IdempotencyRecord(Base):
    """The first response to an `Idempotency-Key`, per caller: replayed to retries with the same body."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(80))  # the caller: a user id, or "anonymous"
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path, query and body
    status_code: Mapped[int | None] = mapped_column(Integer)  # None while the first request runs
    headers: Mapped[list[Any] | None] = mapped_column(JSON())
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime.datetime]
    expires_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime(), index=True)
