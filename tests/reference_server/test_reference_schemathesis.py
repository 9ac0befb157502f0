"""schemathesis against a running server, over every operation it implements (opt-in: pytest -m schemathesis).

Property-based requests generated from the spec itself (specs/platform/openapi.yaml, not the app's own
document) to a real uvicorn, as an account holding every role, with the resources the spec's examples
name in the database: no 5xx, and every response (status,
content type, headers, body) as the spec declares it. Bounded: SCHEMATHESIS_EXAMPLES examples per
operation, one worker, a fixed seed (SCHEMATHESIS_EXAMPLES / SCHEMATHESIS_SEED change them).
"""

from __future__ import annotations

import asyncio
import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from marketplace import tables
from marketplace.app import build
from marketplace.db import Database
from marketplace.security import hash_password
from reference_support import PASSWORD_COST, running_uvicorn, settings_for

pytestmark = pytest.mark.schemathesis

SPEC = Path(__file__).resolve().parents[2] / "specs" / "platform" / "openapi.yaml"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
SEED = os.environ.get("SCHEMATHESIS_SEED", "20251130")
# Exploring beyond the gate: SCHEMATHESIS_MODE=all SCHEMATHESIS_CHECKS=all adds invalid requests and
# schemathesis' behavioural heuristics (see server/README.md for what they report and why).
MODE = os.environ.get("SCHEMATHESIS_MODE", "positive")
CHECKS_ARG = os.environ.get("SCHEMATHESIS_CHECKS", ",".join(CHECKS))


EMAIL, PASSWORD = "schemathesis@example.com", "schemathesis-password"


async def _seed(database_url: str) -> None:
    """The resources the spec's examples name (exp_01HZX3K8…, cpr_01HZX3S3…, con_01HZX3K8…, park-lawyer, …),
    so generated requests reach past the 404s: the expert belongs to the account schemathesis calls as,
    which is also an admin, and the consultation is between that expert and another user."""
    now = datetime.datetime.now(datetime.UTC)
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            account = tables.User(
                id="usr_01HZX3K8Q2V7Y4N6M0PBR5T9W0",
                email=EMAIL,
                password_hash=hash_password(PASSWORD, PASSWORD_COST),
                name="박서준",
                phone=None,
                roles=["user", "expert", "admin"],
                marketing_opt_in=False,
                created_at=now,
                updated_at=now,
            )
            client = tables.User(
                id="usr_01HZX2Y4W6V8T0R2P4N6M8K0J2",
                email="minji.kim@example.com",
                password_hash=hash_password(PASSWORD, PASSWORD_COST),
                name="김민지",
                phone=None,
                roles=["user"],
                marketing_opt_in=False,
                created_at=now,
                updated_at=now,
            )
            expert = tables.Expert(
                id="exp_01HZX3K8Q2V7Y4N6M0PBR5T9WA",
                user_id=account.id,
                display_name="박서준 변호사",
                category="law",
                headline="이혼·상속 전문 15년차 변호사",
                bio="",
                careers=[],
                profile_image_url=None,
                verification_status="verified",
                verification_submitted_at=now,
                verification_note=None,
                verified_at=now,
                rejection_reason=None,
                rating=None,
                rating_sum=0,
                review_count=0,
                created_at=now,
                updated_at=now,
            )
            expert.licenses = [
                tables.License(
                    id="lic_01HZX3P0A2C4E6G8J0K2M4N6Q8",
                    expert_id=expert.id,
                    name="변호사",
                    issuer="대한변호사협회",
                    number="2010-12345",
                    issued_on=datetime.date(2010, 2, 15),
                    document_url="https://files.platform.example/uploads/license.pdf",
                    verification_status="verified",
                    created_at=now,
                )
            ]
            expert.homepage = tables.Homepage(
                id="hp_01HZX3Q1B3D5F7H9K1M3P5R7T9",
                expert_id=expert.id,
                slug="park-lawyer",
                title="박서준 변호사의 법률 상담실",
                seo_description=None,
                published=True,
                published_at=now,
                updated_at=now,
            )
            expert.homepage.sections = [
                tables.HomepageSection(
                    id=section_id,
                    homepage_id=expert.homepage.id,
                    position=position,
                    type="intro",
                    title="인사말",
                    visible=True,
                    content={"body": "안녕하세요.", "image_url": None},
                )
                for position, section_id in enumerate(
                    ["sec_01HZX3R2C4E6G8J0K2M4N6Q8S0", "sec_01HZX3R2C4E6G8J0K2M4N6Q8S1"]
                )
            ]
            product = tables.ConsultationProduct(
                id="cpr_01HZX3S3D5F7H9K1M3P5R7T9V1",
                expert_id=expert.id,
                title="30분 전화 상담",
                description="",
                channel="chat",
                duration_minutes=30,
                price_amount=50000,
                price_currency="KRW",
                active=True,
                archived=False,
                created_at=now,
                updated_at=now,
            )
            consultation = tables.Consultation(
                id="con_01HZX3K8Q2V7Y4N6M0PBR5T9WA",
                user_id=client.id,
                expert_id=expert.id,
                product_id=product.id,
                channel="chat",
                duration_minutes=30,
                price_amount=50000,
                price_currency="KRW",
                status="requested",
                message="상담 받고 싶습니다.",
                preferred_time=now + datetime.timedelta(days=2),
                payment_method_id="pm_01HZX3Z9K1M3P5R7T9V1X3Z5B7",
                created_at=now,
                updated_at=now,
            )
            consultation.history = [
                tables.StatusChange(consultation_id=consultation.id, seq=1, status="requested", at=now, by=client.id)
            ]
            session.add_all([account, client, expert])
            await session.flush()  # the product and the consultation refer to them without relationships
            session.add(product)
            await session.flush()
            session.add(consultation)
    finally:
        await database.dispose()


def _token(base_url: str) -> str:
    session = httpx.post(f"{base_url}/auth/sign-in", json={"email": EMAIL, "password": PASSWORD}, timeout=30).json()
    assert sorted(session["user"]["roles"]) == ["admin", "expert", "user"]
    return str(session["access_token"])


def test_schemathesis_finds_no_server_error_and_no_spec_violation(sqlite_template: Path, tmp_path: Path) -> None:
    shutil.copy(sqlite_template, tmp_path / "marketplace.db")
    database_url = f"sqlite+aiosqlite:///{tmp_path}/marketplace.db"
    server = build(settings_for(database_url))
    operations = server.implemented_operations()
    assert len(operations) >= 40
    asyncio.run(_seed(database_url))
    with running_uvicorn(server.app) as base_url:
        token = _token(base_url)
        command = [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            str(SPEC),
            "--url",
            base_url,
            *(arg for operation in operations for arg in ("--include-operation-id", operation)),
            "-H",
            f"Authorization: Bearer {token}",
            "--mode",
            MODE,
            "--checks",
            CHECKS_ARG,
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            SEED,
            "--workers",
            "1",
            "--generation-database",
            "none",
            "--no-color",
        ]
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    summary = output[output.rfind("SUMMARY") :] if "SUMMARY" in output else output[-3000:]
    print(summary)
    assert f"Tested: {len(operations)}" in summary
    failures = output[output.find("FAILURES") : output.find("WARNINGS")] if "FAILURES" in output else output[-8000:]
    assert result.returncode == 0, failures
