"""The whole platform journey, driven by the generated Python SDK: in-process and against a real uvicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from marketplace.app import build
from platform_sdk import Client
from reference_journey import full_journey
from reference_support import ADMIN_EMAIL, ADMIN_PASSWORD, Clients, SettableClock, running_uvicorn, settings_for

SERVER_DIR = Path(__file__).resolve().parents[2] / "server"


@pytest.mark.asyncio
async def test_journey_in_process(clients: Clients, clock: SettableClock) -> None:
    seen = await full_journey(clients.anonymous(), clients.as_, await clients.admin(), clock)
    assert seen["consultation"].status == "completed"


@pytest.mark.asyncio
async def test_journey_against_uvicorn(database_url: str, clock: SettableClock) -> None:
    # The admin comes from the ADMIN_EMAIL / ADMIN_PASSWORD bootstrap at start-up (uvicorn runs the lifespan).
    server = build(settings_for(database_url, admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD), clock=clock)
    with running_uvicorn(server.app) as base_url:
        async with httpx.AsyncClient() as http:
            clients = Clients(base_url, http)
            seen = await full_journey(clients.anonymous(), clients.as_, await clients.admin(), clock)
            response = await http.get(f"{base_url}/homepages/{seen['slug']}")
    assert response.status_code == 200
    assert response.headers["x-request-id"].startswith("req_")
    assert response.headers["cache-control"].startswith("public")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_readme_command_serves_the_embedded_default(tmp_path: Path) -> None:
    """`python -m marketplace` (the README's command) on 127.0.0.1, SQLite file, admin bootstrap; the sync SDK."""
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path}/marketplace.db",
        "JWT_SECRET": "readme-test-secret",
        "ADMIN_EMAIL": ADMIN_EMAIL,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "marketplace"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base_url}/experts", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()[0].decode()
            assert time.monotonic() < deadline, "the server did not come up within 60 s"
            time.sleep(0.2)
        with Client(base_url=base_url, max_retries=0) as anonymous:
            session = anonymous.auth.sign_in(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
        with Client(base_url=base_url, bearer_token=session.access_token, max_retries=0) as admin:
            me = admin.auth.get_me()
            pending = list(admin.admin.list_experts())
        unimplemented = httpx.get(f"{base_url}/plans", timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "admin" in me.roles
    assert pending == []
    assert (tmp_path / "marketplace.db").exists()
    assert unimplemented.status_code == 501
    assert unimplemented.headers["content-type"] == "application/problem+json"
    assert unimplemented.json()["status"] == 501
