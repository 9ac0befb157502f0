"""Consultations: booking, the lifecycle with its role rules, messages and reviews.

    requested --accept--> accepted --schedule--> scheduled --start--> in_progress --complete--> completed
    requested --decline--> declined
    requested | accepted | scheduled --cancel--> cancelled
    scheduled --no-show--> no_show

Only the two parties and admins may see a consultation (anyone else gets 404); each action is
allowed to one side (403 for the other). Payments (the charge at booking and the refunds) come with
their own issue: `payment_id` stays null.

Phone and video consultations get a session at their vendor (video: vidiconnect, phone: callbridge,
through the `consultation` wrapper) when the expert schedules them, as the spec says; a session the
vendor could not create (or whose vendor is not configured) is created again on the first join. The
vendors' webhooks (`on_vendor_event`) move the session and the consultation along.
"""

from __future__ import annotations

import builtins
import datetime
from collections.abc import Collection
from dataclasses import dataclass

from consultation import ProviderError
from consultation.models import CreateSessionRequest, JoinRequest, Participant, SessionEvent, SessionRef
from platform_server import ConsultationsServiceBase, Context, Result
from platform_server import models as api
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import problems, tables, views
from ..ids import new_id
from ..pagination import SortKey, paginate
from ..security import Principal
from ..vendors import VENDOR_OF_CHANNEL, Vendors, platform_status
from ._base import Backend, caller

__all__ = ["ConsultationsService"]

SCHEDULE_NOTICE = datetime.timedelta(minutes=30)  # scheduled_at at least this far ahead
START_EARLY = datetime.timedelta(minutes=15)  # start at most this long before scheduled_at
NO_SHOW_AFTER = datetime.timedelta(minutes=10)  # report a no-show at least this long after scheduled_at
MESSAGES_AFTER_END = datetime.timedelta(days=7)
REVIEW_WINDOW = datetime.timedelta(days=30)
JOIN_EARLY = datetime.timedelta(minutes=10)  # join at most this long before scheduled_at
JOIN_URL_TTL = datetime.timedelta(minutes=15)  # when the vendor gives no expiry
TERMINAL = frozenset({"declined", "completed", "cancelled", "no_show"})


@dataclass(frozen=True, slots=True)
class Transition:
    sources: frozenset[str]
    target: str
    verb: str  # for "A consultation in status X cannot <verb>."


TRANSITIONS = {
    "accept": Transition(frozenset({"requested"}), "accepted", "be accepted"),
    "decline": Transition(frozenset({"requested"}), "declined", "be declined"),
    "schedule": Transition(frozenset({"accepted", "scheduled"}), "scheduled", "be scheduled"),
    "start": Transition(frozenset({"scheduled"}), "in_progress", "be started"),
    "complete": Transition(frozenset({"in_progress"}), "completed", "be completed"),
    "cancel": Transition(frozenset({"requested", "accepted", "scheduled"}), "cancelled", "be cancelled"),
    "no_show": Transition(frozenset({"scheduled"}), "no_show", "be marked no-show"),
}


def _side(row: tables.Consultation, principal: Principal) -> str | None:
    """Which party `principal` is in the consultation: "user", "expert", "admin" (not a party) or None."""
    if principal.user_id == row.user_id:
        return "user"
    if principal.is_expert(row.expert_id):
        return "expert"
    return "admin" if principal.is_admin else None


def _require_key(idempotency_key: str | None) -> None:
    if idempotency_key is None:
        raise problems.validation_failed("Idempotency-Key", "is required: this operation moves money")


def _allow(side: str, allowed: Collection[str], action: str) -> None:
    if side not in allowed:
        who = " or ".join("the " + s if s != "admin" else "an admin" for s in sorted(allowed))
        raise problems.forbidden(f"Only {who} of this consultation may {action} it.")


def _unavailable(detail: str) -> Exception:
    return problems.conflict("session-unavailable", "Session unavailable", detail)


class ConsultationsService(ConsultationsServiceBase):
    def __init__(self, backend: Backend, vendors: Vendors | None = None) -> None:
        self.backend = backend
        self.vendors = vendors if vendors is not None else Vendors(backend.settings)

    # ------------------------------------------------------------------ helpers

    async def _load(
        self, session: AsyncSession, consultation_id: str, principal: Principal
    ) -> tuple[tables.Consultation, str]:
        """The consultation and the caller's side in it; 404 for anyone but the parties and admins."""
        row = (
            await session.execute(
                select(tables.Consultation).where(tables.Consultation.id == consultation_id).with_for_update()
            )
        ).scalar_one_or_none()
        side = _side(row, principal) if row is not None else None
        if row is None or side is None:
            raise problems.not_found(f"No consultation {consultation_id}.")
        return row, side

    def _move(
        self, session: AsyncSession, row: tables.Consultation, action: str, principal: Principal | None
    ) -> datetime.datetime:
        """Apply the status change of `action` (409 when the current status does not allow it);
        `principal` None: the platform itself (a vendor's webhook)."""
        transition = TRANSITIONS[action]
        if row.status not in transition.sources:
            raise problems.invalid_transition(row.status, transition.verb)
        now = self.backend.clock.now()
        row.status = transition.target
        row.updated_at = now
        row.history.append(
            tables.StatusChange(
                consultation_id=row.id,
                seq=len(row.history) + 1,
                status=transition.target,
                at=now,
                by=principal.user_id if principal is not None else None,
            )
        )
        session.add(
            tables.ConsultationMessage(
                id=new_id("cms"),
                consultation_id=row.id,
                sender_id=None,
                sender_role="system",
                body=f"The consultation is now {transition.target.replace('_', ' ')}.",
                attachments=[],
                created_at=now,
            )
        )
        if transition.target in TERMINAL:
            row.ended_at = now
        return now

    async def _act(
        self, context: Context, consultation_id: str, action: str, allowed: Collection[str]
    ) -> api.Consultation:
        """A transition without a body, by one of the `allowed` sides."""
        principal = caller(context)
        async with self.backend.transaction() as session:
            row, side = await self._load(session, consultation_id, principal)
            _allow(side, allowed, action)
            now = self._move(session, row, action, principal)
            if action == "start":
                assert row.scheduled_at is not None
                if now < row.scheduled_at - START_EARLY:
                    raise problems.conflict(
                        "too-early", "Too early", "A consultation starts at most 15 minutes before its scheduled time."
                    )
                row.started_at = now
            await session.flush()
            return views.consultation(row)

    # ------------------------------------------------------------------ booking and reading

    async def list(
        self,
        context: Context,
        *,
        as_: api.ListConsultationsAs = api.ListConsultationsAs.USER,
        status: builtins.list[api.ConsultationStatus] | None = None,
        expert_id: str | None = None,
        cursor: str | None = None,
        limit: int = 20,
    ) -> api.ConsultationPage:
        principal = caller(context)
        c = tables.Consultation
        statement = select(c)
        if as_ is api.ListConsultationsAs.USER:
            statement = statement.where(c.user_id == principal.user_id)
        elif as_ is api.ListConsultationsAs.EXPERT:
            if principal.expert_id is None:
                raise problems.forbidden("Only experts may list consultations as=expert.")
            statement = statement.where(c.expert_id == principal.expert_id)
        elif not principal.is_admin:
            raise problems.forbidden("Only admins may list consultations as=any.")
        if status:
            statement = statement.where(c.status.in_([s.value for s in status]))
        if expert_id is not None:
            statement = statement.where(c.expert_id == expert_id)
        keys = [SortKey(c.created_at, True, "datetime"), SortKey(c.id, True)]
        async with self.backend.transaction() as session:
            page = await paginate(session, statement, list_name="consultations", keys=keys, cursor=cursor, limit=limit)
            return api.ConsultationPage(
                data=[views.consultation(row) for row in page.items],
                next_cursor=page.next_cursor,
                has_more=page.has_more,
            )

    async def create(
        self, context: Context, *, idempotency_key: str | None = None, body: api.ConsultationCreate
    ) -> Result[api.Consultation]:
        principal = caller(context)
        _require_key(idempotency_key)
        async with self.backend.transaction() as session:
            product = await session.get(tables.ConsultationProduct, body.product_id)
            expert = await session.get(tables.Expert, product.expert_id) if product is not None else None
            if product is None or product.archived or expert is None or expert.verification_status != "verified":
                raise problems.not_found(f"No consultation product {body.product_id}.")
            if not product.active:
                raise problems.conflict("product-inactive", "Product not on sale", "This product cannot be booked now.")
            if principal.is_expert(expert.id):
                raise problems.forbidden("An expert cannot book their own consultation.")
            now = self.backend.clock.now()
            if body.preferred_time <= now:
                raise problems.validation_failed("preferred_time", "must be in the future")
            row = tables.Consultation(
                id=new_id("con"),
                user_id=principal.user_id,
                expert_id=expert.id,
                product_id=product.id,
                channel=product.channel,
                duration_minutes=product.duration_minutes,
                price_amount=product.price_amount,
                price_currency=product.price_currency,
                status="requested",
                message=body.message,
                preferred_time=body.preferred_time,
                payment_method_id=body.payment_method_id,
                payment_id=None,  # the charge comes with the payments issue
                created_at=now,
                updated_at=now,
            )
            row.expert = expert
            row.history = [
                tables.StatusChange(consultation_id=row.id, seq=1, status="requested", at=now, by=principal.user_id)
            ]
            session.add(row)
            await session.flush()
            location = f"{str(context.request.base_url).rstrip('/')}/consultations/{row.id}"
            return Result(views.consultation(row), headers={"Location": location})

    async def get(self, context: Context, *, consultation_id: str) -> api.Consultation:
        async with self.backend.transaction() as session:
            row, _ = await self._load(session, consultation_id, caller(context))
            return views.consultation(row)

    # ------------------------------------------------------------------ the lifecycle

    async def accept(self, context: Context, *, consultation_id: str) -> api.Consultation:
        return await self._act(context, consultation_id, "accept", {"expert"})

    async def start(self, context: Context, *, consultation_id: str) -> api.Consultation:
        return await self._act(context, consultation_id, "start", {"expert"})

    async def complete(self, context: Context, *, consultation_id: str) -> api.Consultation:
        return await self._act(context, consultation_id, "complete", {"expert", "admin"})

    async def decline(
        self,
        context: Context,
        *,
        consultation_id: str,
        idempotency_key: str | None = None,
        body: api.ConsultationDecline,
    ) -> api.Consultation:
        principal = caller(context)
        _require_key(idempotency_key)
        async with self.backend.transaction() as session:
            row, side = await self._load(session, consultation_id, principal)
            _allow(side, {"expert"}, "decline")
            self._move(session, row, "decline", principal)
            row.decline_reason = body.reason
            await session.flush()
            return views.consultation(row)

    async def schedule(
        self, context: Context, *, consultation_id: str, body: api.ConsultationSchedule
    ) -> api.Consultation:
        principal = caller(context)
        async with self.backend.transaction() as session:
            row, side = await self._load(session, consultation_id, principal)
            _allow(side, {"expert"}, "schedule")
            now = self._move(session, row, "schedule", principal)
            if body.scheduled_at < now + SCHEDULE_NOTICE:
                raise problems.validation_failed("scheduled_at", "must be at least 30 minutes in the future")
            row.scheduled_at = body.scheduled_at
            await self._ensure_session(session, row, now)
            await session.flush()
            return views.consultation(row)

    async def cancel(
        self,
        context: Context,
        *,
        consultation_id: str,
        idempotency_key: str | None = None,
        body: api.ConsultationCancel,
    ) -> api.Consultation:
        principal = caller(context)
        _require_key(idempotency_key)
        async with self.backend.transaction() as session:
            row, side = await self._load(session, consultation_id, principal)
            self._move(session, row, "cancel", principal)
            row.cancelled_by = side
            row.cancel_reason = body.reason
            await session.flush()
            return views.consultation(row)

    async def mark_no_show(
        self,
        context: Context,
        *,
        consultation_id: str,
        idempotency_key: str | None = None,
        body: api.ConsultationNoShow,
    ) -> api.Consultation:
        principal = caller(context)
        _require_key(idempotency_key)
        async with self.backend.transaction() as session:
            row, _ = await self._load(session, consultation_id, principal)
            now = self._move(session, row, "no_show", principal)
            assert row.scheduled_at is not None
            if now < row.scheduled_at + NO_SHOW_AFTER:
                raise problems.conflict(
                    "too-early", "Too early", "A no-show is reported at least 10 minutes after the scheduled time."
                )
            row.no_show_party = body.party.value
            row.no_show_note = body.note
            await session.flush()
            return views.consultation(row)

    # ------------------------------------------------------------------ the phone/video session

    async def _ensure_session(
        self, db: AsyncSession, row: tables.Consultation, now: datetime.datetime
    ) -> tables.ConsultationSession | None:
        """The session of a phone/video consultation that was just (re)scheduled, created at its vendor
        when it has none yet there (a failure leaves it `failed`; the first join tries again)."""
        vendor = VENDOR_OF_CHANNEL.get(row.channel)
        if vendor is None or row.scheduled_at is None:
            return None
        s = tables.ConsultationSession
        session = (await db.execute(select(s).where(s.consultation_id == row.id))).scalar_one_or_none()
        if session is None:
            session = tables.ConsultationSession(
                id=new_id("ses"),
                consultation_id=row.id,
                vendor=vendor,
                vendor_session_id=None,
                channel=row.channel,
                status="pending",
                scheduled_start=row.scheduled_at,
                started_at=None,
                ended_at=None,
                recording_url=None,
                usage=None,
                created_at=now,
                updated_at=now,
            )
            db.add(session)
            row.session_id = session.id
        else:
            session.scheduled_start = row.scheduled_at
            session.updated_at = now
        if session.vendor_session_id is None:
            await self._create_at_vendor(db, row, session, now)
        return session

    async def _create_at_vendor(
        self, db: AsyncSession, row: tables.Consultation, session: tables.ConsultationSession, now: datetime.datetime
    ) -> None:
        if not self.vendors.configured(session.vendor):
            return  # stays pending until the vendor is configured
        user = await db.get(tables.User, row.user_id)
        expert_user = await db.get(tables.User, row.expert.user_id)
        request = CreateSessionRequest(
            title=f"Consultation {row.id}",
            duration_minutes=row.duration_minutes,
            host_phone=expert_user.phone if expert_user is not None else None,
            guest_phone=user.phone if user is not None else None,
        )
        try:
            async with self.vendors.provider(session.vendor) as provider:
                created = await provider.create_session(request)
        except ProviderError:
            session.status = "failed"
        else:
            session.vendor_session_id = created.session_id
            session.status = platform_status(created.status, "ready")
        session.updated_at = now

    async def _session_of(self, db: AsyncSession, row: tables.Consultation) -> tables.ConsultationSession:
        s = tables.ConsultationSession
        session = (
            await db.execute(select(s).where(s.consultation_id == row.id).with_for_update())
        ).scalar_one_or_none()
        if session is None:
            raise problems.not_found(f"Consultation {row.id} has no phone/video session (yet).")
        return session

    async def get_session(self, context: Context, *, consultation_id: str) -> api.ConsultationSession:
        async with self.backend.transaction() as db:
            row, _ = await self._load(db, consultation_id, caller(context))
            return views.session(await self._session_of(db, row))

    async def join_session(self, context: Context, *, consultation_id: str) -> api.SessionJoin:
        principal = caller(context)
        async with self.backend.transaction() as db:
            row, side = await self._load(db, consultation_id, principal)
            session = await self._session_of(db, row)
            _allow(side, {"user", "expert"}, "join the session of")
            now = self.backend.clock.now()
            if row.status not in ("scheduled", "in_progress"):
                raise problems.conflict(
                    "session-not-open", "Session not open", f"A consultation in status {row.status} cannot be joined."
                )
            assert row.scheduled_at is not None
            if now < row.scheduled_at - JOIN_EARLY:
                raise problems.conflict(
                    "too-early", "Too early", "The session opens 10 minutes before the scheduled time."
                )
            if session.vendor_session_id is None:
                await self._create_at_vendor(db, row, session, now)
            if session.vendor_session_id is None or session.status in ("ended", "failed"):
                raise _unavailable(f"The {session.vendor} session is {session.status}.")
            participant = Participant.HOST if side == "expert" else Participant.GUEST
            try:
                async with self.vendors.provider(session.vendor) as provider:
                    info = await provider.get_join_url(
                        JoinRequest(
                            session_id=session.vendor_session_id, participant=participant, display_name=principal.name
                        )
                    )
            except (ProviderError, LookupError) as exc:
                raise _unavailable(f"The vendor could not issue a join URL: {exc}") from exc
            dial_in = None
            if session.channel == "phone" and info.join_url.startswith("tel:"):
                dial_in = info.join_url.removeprefix("tel:").split(";")[0]
            await db.flush()
            return api.SessionJoin(
                session_id=session.id,
                vendor=session.vendor,
                participant_role=api.SessionJoinParticipantRole(side),
                join_url=info.join_url,
                dial_in_number=dial_in,
                pin=info.pin if session.channel == "phone" else None,
                expires_at=info.expires_at or now + JOIN_URL_TTL,
            )

    async def end_session(self, context: Context, *, consultation_id: str) -> api.ConsultationSession:
        principal = caller(context)
        async with self.backend.transaction() as db:
            row, side = await self._load(db, consultation_id, principal)
            session = await self._session_of(db, row)
            _allow(side, {"expert", "admin"}, "end the session of")
            if session.status == "ended":
                return views.session(session)
            if session.vendor_session_id is None or session.status == "failed":
                raise _unavailable(f"The {session.vendor} session is {session.status}: there is nothing to end.")
            try:
                async with self.vendors.provider(session.vendor) as provider:
                    ended = await provider.end_session(SessionRef(session_id=session.vendor_session_id))
            except (ProviderError, LookupError) as exc:
                raise _unavailable(f"The vendor could not end the session: {exc}") from exc
            now = self.backend.clock.now()
            session.status = platform_status(ended.status, session.status)
            if session.status == "ended" and session.ended_at is None:
                session.ended_at = now
            session.updated_at = now
            await db.flush()
            return views.session(session)

    async def on_vendor_event(self, vendor: str, event: SessionEvent) -> bool:
        """Apply a vendor's session event (parsed by the wrapper); True when it changed nothing (a duplicate).

        `live` starts a `scheduled` consultation, `ended` completes an `in_progress` one."""
        s = tables.ConsultationSession
        async with self.backend.transaction() as db:
            session = (
                await db.execute(
                    select(s).where(s.vendor == vendor, s.vendor_session_id == event.session_id).with_for_update()
                )
            ).scalar_one_or_none()
            if session is None:
                raise problems.not_found(f"No {vendor} session {event.session_id}.")
            status = platform_status(event.status, session.status)
            if session.status == "ended" and status != "ended":
                return True  # a late event about an ended session
            now = self.backend.clock.now()
            changed = status != session.status
            if changed:
                session.status = status
                session.updated_at = now
            c = tables.Consultation
            row = (await db.execute(select(c).where(c.id == session.consultation_id).with_for_update())).scalar_one()
            if status == "live":
                session.started_at = session.started_at or now
                if row.status == "scheduled":
                    self._move(db, row, "start", None)
                    row.started_at = now
                    changed = True
            elif status == "ended":
                session.ended_at = session.ended_at or now
                if row.status == "in_progress":  # also when `endConsultationSession` marked the session ended
                    self._move(db, row, "complete", None)
                    changed = True
            await db.flush()
            return not changed

    # ------------------------------------------------------------------ messages and reviews

    async def list_messages(
        self, context: Context, *, consultation_id: str, cursor: str | None = None, limit: int = 20
    ) -> api.ConsultationMessagePage:
        m = tables.ConsultationMessage
        async with self.backend.transaction() as session:
            row, _ = await self._load(session, consultation_id, caller(context))
            keys = [SortKey(m.created_at, False, "datetime"), SortKey(m.id, False)]
            page = await paginate(
                session,
                select(m).where(m.consultation_id == row.id),
                list_name=f"messages:{row.id}",
                keys=keys,
                cursor=cursor,
                limit=limit,
            )
            return api.ConsultationMessagePage(
                data=[views.message(item) for item in page.items], next_cursor=page.next_cursor, has_more=page.has_more
            )

    async def create_message(
        self, context: Context, *, consultation_id: str, body: api.ConsultationMessageCreate
    ) -> api.ConsultationMessage:
        principal = caller(context)
        async with self.backend.transaction() as session:
            row, side = await self._load(session, consultation_id, principal)
            _allow(side, {"user", "expert"}, "post messages to")
            now = self.backend.clock.now()
            if row.status in TERMINAL and row.ended_at is not None and now > row.ended_at + MESSAGES_AFTER_END:
                raise problems.conflict(
                    "messaging-closed",
                    "Messaging closed",
                    "Messages are allowed until 7 days after the consultation ends.",
                )
            message = tables.ConsultationMessage(
                id=new_id("cms"),
                consultation_id=row.id,
                sender_id=principal.user_id,
                sender_role=side,
                body=body.body,
                attachments=views.json_list(body.attachments or []),
                created_at=now,
            )
            session.add(message)
            await session.flush()
            return views.message(message)

    async def create_review(self, context: Context, *, consultation_id: str, body: api.ReviewCreate) -> api.Review:
        principal = caller(context)
        async with self.backend.transaction() as session:
            row, side = await self._load(session, consultation_id, principal)
            _allow(side, {"user"}, "review")
            if row.review_id is not None:
                raise problems.conflict("already-reviewed", "Already reviewed", "This consultation has a review.")
            if row.status != "completed" or row.ended_at is None:
                raise problems.validation_failed(
                    "consultation", f"is {row.status}: only completed consultations can be reviewed"
                )
            now = self.backend.clock.now()
            if now > row.ended_at + REVIEW_WINDOW:
                raise problems.validation_failed("consultation", "was completed more than 30 days ago")
            expert = await session.get(tables.Expert, row.expert_id, with_for_update=True, populate_existing=True)
            assert expert is not None
            review = tables.Review(
                id=new_id("rev"),
                consultation_id=row.id,
                expert_id=row.expert_id,
                user_id=principal.user_id,
                author_name=views.mask_name(principal.name),
                rating=body.rating,
                comment=body.comment or "",
                created_at=now,
            )
            session.add(review)
            row.review_id = review.id
            row.updated_at = now
            expert.rating_sum += body.rating
            expert.review_count += 1
            expert.rating = round(expert.rating_sum / expert.review_count, 1)
            self.backend.forget_homepage(session, expert.homepage.slug)
            await session.flush()
            return views.review(review)
