"""Phone and video consultation sessions through the `consultation` wrapper, against the vendors' generated mocks.

The same scenario runs for a video consultation (vidiconnect) and a phone one (callbridge): scheduling creates
the vendor session, both parties join, the expert ends it, and the vendor's signed webhooks move the session
and the consultation along. respx (inside the mocks) intercepts the wrapper's httpx calls made in-process.
"""

from __future__ import annotations

import datetime
import importlib
import json
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from marketplace.accounts import ensure_admin
from marketplace.app import Server, build
from marketplace.vendors import sign
from platform_sdk import ConflictError, NotFoundError, PermissionDeniedError
from reference_journey import book, product_of, sign_up_user, verified_expert
from reference_support import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD_COST, Clients, SettableClock, settings_for
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

pytestmark = pytest.mark.asyncio

REPO = Path(__file__).resolve().parents[2]
THIRD_PARTY = REPO / "specs" / "third_party"
VENDOR_OF = {"video": "vidiconnect", "phone": "callbridge"}
SECRETS = {"vidiconnect": "vidi-webhook-secret", "callbridge": "cb-webhook-secret"}


@pytest.fixture(scope="module")
def mock_classes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The respx mock classes of both vendors, generated from their specs into a temporary folder."""
    root = tmp_path_factory.mktemp("vendor_mocks")
    for vendor in VENDOR_OF.values():
        files, _ = generate(THIRD_PARTY / f"{vendor}.yaml", "mocks", f"{vendor}_mock")
        write_tree(files, root / f"{vendor}_mock")
    paths = [str(root / f"{vendor}_mock") for vendor in VENDOR_OF.values()]
    sys.path[:0] = paths
    classes: dict[str, Any] = {}
    for vendor in VENDOR_OF.values():
        module = importlib.import_module(f"{vendor}_mock")
        classes[vendor] = next(getattr(module, n) for n in module.__all__ if n != "OPERATIONS")
    yield classes
    for path in paths:
        sys.path.remove(path)


@pytest_asyncio.fixture
async def server(database_url: str, clock: SettableClock, mock_classes: dict[str, Any]) -> AsyncIterator[Server]:
    """The server with both vendors configured at their mocks' base URLs (overrides conftest's `server`)."""
    settings = settings_for(
        database_url,
        vidiconnect_base_url=mock_classes["vidiconnect"].default_base_url,
        vidiconnect_api_key="vidi-key",
        vidiconnect_webhook_secret=SECRETS["vidiconnect"],
        callbridge_base_url=mock_classes["callbridge"].default_base_url,
        callbridge_account_sid="AC123",
        callbridge_auth_token="secret",
        callbridge_webhook_secret=SECRETS["callbridge"],
    )
    instance = build(settings, clock=clock)
    await instance.start()
    await ensure_admin(
        instance.backend.db, clock, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, password_cost=PASSWORD_COST
    )
    try:
        yield instance
    finally:
        await instance.stop()


async def _parties(clients: Clients, clock: SettableClock, channel: str) -> tuple[Any, Any, Any, str]:
    """admin, expert and user (both with a phone number) and an accepted consultation of `channel`."""
    admin = await clients.admin()
    anonymous = clients.anonymous()
    expert = await verified_expert(anonymous, clients.as_, admin)
    user = await sign_up_user(anonymous, clients.as_)
    await expert.client.auth.update_me(phone="+821012345678")
    await user.client.auth.update_me(phone="+821098765432")
    consultation = await book(user, await product_of(expert, channel=channel), clock)
    await expert.client.consultations.accept(consultation.id)
    return admin, expert, user, consultation.id


def _event(vendor: str, mock: Any, vendor_session_id: str, status: str, clock: SettableClock) -> dict[str, Any]:
    """A vendor's webhook payload in its own shape, saying the session is now `status` (started | ended)."""
    at = clock.now().isoformat()
    if vendor == "vidiconnect":
        room = json.loads(next(op.body for op in mock.operations if op.operation_id == "createRoom"))
        room["roomId"] = vendor_session_id
        if status == "started":
            return {"eventId": "evt-1", "eventType": "room.started", "createdAt": at, "data": room}
        usage = {"roomId": vendor_session_id, "roomSeconds": 1768, "participantSeconds": 3400, "recordingSeconds": 0}
        return {
            "eventId": "evt-2",
            "eventType": "room.ended",
            "createdAt": at,
            "data": {"room": room, "usage": {**usage, "final": True}},
        }
    return {
        "call_sid": vendor_session_id,
        "account_sid": "AC123",
        "call_status": "IN_PROGRESS" if status == "started" else "COMPLETED",
        "sequence_number": 1 if status == "started" else 2,
        "timestamp": at,
        "bridge_number": "+8215880000",
        "duration_minutes": 30,
    }


async def _webhook(
    http: httpx.AsyncClient,
    vendor: str,
    payload: dict[str, Any],
    clock: SettableClock,
    *,
    secret: str | None = None,
    age: datetime.timedelta = datetime.timedelta(0),
) -> httpx.Response:
    """POST `payload` to the vendor webhook receiver, signed `age` ago with `secret` (default: the vendor's)."""
    body = json.dumps(payload).encode()
    timestamp = int((clock.now() - age).timestamp())
    headers = {
        "Content-Type": "application/json",
        "X-Signature-Timestamp": str(timestamp),
        "X-Signature": sign(secret or SECRETS.get(vendor, "any"), timestamp, body),
    }
    return await http.post(f"/webhooks/consultation-vendors/{vendor}", content=body, headers=headers)


@pytest.mark.parametrize("channel", ["video", "phone"])
async def test_the_same_session_scenario_runs_at_each_vendor(
    clients: Clients, http: httpx.AsyncClient, clock: SettableClock, mock_classes: dict[str, Any], channel: str
) -> None:
    vendor = VENDOR_OF[channel]
    calls = {
        "vidiconnect": ("createRoom", "createJoinToken", "endRoom"),
        "callbridge": ("createCall", "createDialIn", "hangupCall"),
    }[vendor]
    with mock_classes[vendor]() as mock:
        admin, expert, user, consultation_id = await _parties(clients, clock, channel)
        with pytest.raises(NotFoundError):  # no session before the consultation is scheduled
            await user.client.consultations.get_session(consultation_id)

        scheduled = await expert.client.consultations.schedule(
            consultation_id, scheduled_at=clock.now() + datetime.timedelta(hours=1)
        )
        assert len(mock.calls(calls[0])) == 1
        session = await user.client.consultations.get_session(consultation_id)
        assert scheduled.session_id == session.id
        assert (session.vendor, session.channel, session.status) == (vendor, channel, "ready")
        assert session.vendor_session_id and session.consultation_id == consultation_id
        assert (await admin.consultations.get_session(consultation_id)).id == session.id

        with pytest.raises(ConflictError):  # the session opens 10 minutes before the scheduled time
            await user.client.consultations.join_session(consultation_id)
        clock.advance(minutes=55)
        user_join = await user.client.consultations.join_session(consultation_id)
        expert_join = await expert.client.consultations.join_session(consultation_id)
        assert (user_join.participant_role, expert_join.participant_role) == ("user", "expert")
        assert user_join.session_id == session.id and user_join.vendor == vendor and user_join.join_url
        if channel == "video":
            assert user_join.dial_in_number is None and user_join.pin is None
        joins = mock.calls(calls[1])
        assert len(joins) == 2 and all(session.vendor_session_id in str(r.url) for r in joins)
        with pytest.raises(PermissionDeniedError):  # admins do not join
            await admin.consultations.join_session(consultation_id)

        started = await _webhook(http, vendor, _event(vendor, mock, session.vendor_session_id, "started", clock), clock)
        assert started.status_code == 200, started.text
        assert started.json() == {"received": True, "duplicate": False}
        assert (await user.client.consultations.get(consultation_id)).status == "in_progress"
        live = await user.client.consultations.get_session(consultation_id)
        assert live.status == "live" and live.started_at is not None

        with pytest.raises(PermissionDeniedError):  # the user does not end the session
            await user.client.consultations.end_session(consultation_id)
        ended = await expert.client.consultations.end_session(consultation_id)
        assert len(mock.calls(calls[2])) == 1
        assert ended.id == session.id and ended.status in ("live", "ended")
        # the consultation completes when the vendor confirms the end by webhook
        assert (await user.client.consultations.get(consultation_id)).status == "in_progress"
        payload = _event(vendor, mock, session.vendor_session_id, "ended", clock)
        confirmed = await _webhook(http, vendor, payload, clock)
        assert confirmed.status_code == 200, confirmed.text
        consultation = await user.client.consultations.get(consultation_id)
        assert consultation.status == "completed"
        final = await user.client.consultations.get_session(consultation_id)
        assert final.status == "ended" and final.ended_at is not None
        again = await _webhook(http, vendor, payload, clock)
        assert again.json() == {"received": True, "duplicate": True}


async def test_webhooks_are_verified_and_parsed_by_the_wrapper(
    clients: Clients, http: httpx.AsyncClient, clock: SettableClock, mock_classes: dict[str, Any]
) -> None:
    vendor = "vidiconnect"
    with mock_classes[vendor]() as mock:
        _, expert, user, consultation_id = await _parties(clients, clock, "video")
        await expert.client.consultations.schedule(
            consultation_id, scheduled_at=clock.now() + datetime.timedelta(hours=1)
        )
        session = await user.client.consultations.get_session(consultation_id)
        assert session.vendor_session_id is not None
        started = _event(vendor, mock, session.vendor_session_id, "started", clock)

        forged = await _webhook(http, vendor, started, clock, secret="not-the-secret")
        assert forged.status_code == 401
        assert forged.headers["content-type"] == "application/problem+json"
        other_vendor = await _webhook(http, "callbridge", started, clock, secret=SECRETS[vendor])
        assert other_vendor.status_code == 401  # signed with another vendor's secret
        unknown_vendor = await _webhook(http, "talkbridge", started, clock)
        assert unknown_vendor.status_code == 404
        garbage = await _webhook(http, vendor, {"eventType": "room.started", "data": {}}, clock)
        assert garbage.status_code == 422
        unknown_session = await _webhook(http, vendor, _event(vendor, mock, "rm_unknown", "started", clock), clock)
        assert unknown_session.status_code == 404
        stale = await _webhook(http, vendor, started, clock, age=datetime.timedelta(minutes=10))
        assert stale.status_code == 401
        assert (await user.client.consultations.get_session(consultation_id)).status == "ready"

        accepted = await _webhook(http, vendor, started, clock)
        assert accepted.status_code == 200, accepted.text
        assert (await user.client.consultations.get_session(consultation_id)).status == "live"
        assert (await user.client.consultations.get(consultation_id)).status == "in_progress"


async def test_chat_consultations_have_no_session(clients: Clients, clock: SettableClock) -> None:
    _, expert, user, consultation_id = await _parties(clients, clock, "chat")
    await expert.client.consultations.schedule(consultation_id, scheduled_at=clock.now() + datetime.timedelta(hours=1))
    with pytest.raises(NotFoundError):
        await user.client.consultations.get_session(consultation_id)
    with pytest.raises(NotFoundError):
        await user.client.consultations.join_session(consultation_id)
