"""The consultation wrapper: one interface over two vendors of different shapes, exercised against their mocks."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

REPO = Path(__file__).resolve().parents[2]
THIRD_PARTY = REPO / "specs" / "third_party"
WRAPPER = THIRD_PARTY / "consultation.wrapper.yaml"
CREDENTIALS: dict[str, dict[str, str]] = {
    "vidiconnect": {"bearer_token": "vidi-key"},
    "callbridge": {"username": "AC123", "password": "secret"},
}
CALLS = {
    "vidiconnect": {"create": "createRoom", "join": "createJoinToken", "end": "endRoom", "usage": "getRoomUsage"},
    "callbridge": {"create": "createCall", "join": "createDialIn", "end": "hangupCall", "usage": "getCall"},
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("wrapper")
    files, _ = generate(WRAPPER, "wrapper", "consultation")
    write_tree(files, root / "consultation")
    for vendor in CALLS:
        mock_files, _ = generate(THIRD_PARTY / f"{vendor}.yaml", "mocks", f"{vendor}_mock")
        write_tree(mock_files, root / f"{vendor}_mock")
    paths = [str(root / "consultation"), *(str(root / f"{v}_mock") for v in CALLS)]
    sys.path[:0] = paths
    yield root
    for p in paths:
        sys.path.remove(p)


@pytest.fixture(scope="module")
def consultation(generated: Path) -> ModuleType:
    return importlib.import_module("consultation")


def _mock(vendor: str) -> Any:
    module = importlib.import_module(f"{vendor}_mock")
    return next(getattr(module, n) for n in module.__all__ if n != "OPERATIONS")()


@pytest.mark.parametrize("vendor", sorted(CALLS))
def test_same_session_scenario_passes_against_each_vendor(consultation: ModuleType, vendor: str) -> None:
    models = importlib.import_module("consultation.models")
    with _mock(vendor) as mock:
        provider = consultation.create_provider(vendor, base_url=mock.base_url, **CREDENTIALS[vendor])
        assert provider.vendor == vendor
        session = provider.create_session(
            models.CreateSessionRequest(
                title="Tax advice",
                duration_minutes=30,
                record=True,
                host_phone="+821012345678",
                guest_phone="+821098765432",
            )
        )
        assert isinstance(session.status, models.SessionStatus)
        assert session.vendor == vendor and session.session_id and session.duration_minutes > 0
        join = provider.get_join_url(
            models.JoinRequest(session_id=session.session_id, participant=models.Participant.GUEST)
        )
        assert join.join_url
        ended = provider.end_session(models.SessionRef(session_id=session.session_id))
        assert isinstance(ended.status, models.SessionStatus)
        usage = provider.fetch_usage(models.SessionRef(session_id=session.session_id))
        assert usage.billable_minutes >= 0
        assert [len(mock.calls(CALLS[vendor][step])) for step in ("create", "join", "end", "usage")] == [1, 1, 1, 1]


def test_vendor_units_and_names_are_translated(consultation: ModuleType) -> None:
    import json

    models = importlib.import_module("consultation.models")
    with _mock("vidiconnect") as mock:
        provider = consultation.create_provider("vidiconnect", base_url=mock.base_url, bearer_token="k")
        provider.create_session(models.CreateSessionRequest(title="t", duration_minutes=45))
        sent = json.loads(mock.calls("createRoom")[0].content)
    assert sent == {"name": "t", "maxDurationSeconds": 2700}
    with _mock("callbridge") as mock:
        provider = consultation.create_provider("callbridge", base_url=mock.base_url, username="u", password="p")
        provider.get_join_url(models.JoinRequest(session_id="CA1", participant=models.Participant.HOST))
        assert json.loads(mock.calls("createDialIn")[0].content) == {"party": "CALLER"}


def test_phone_vendor_needs_phone_numbers(consultation: ModuleType) -> None:
    models = importlib.import_module("consultation.models")
    with _mock("callbridge") as mock:
        provider = consultation.create_provider("callbridge", base_url=mock.base_url, username="u", password="p")
        with pytest.raises(consultation.ProviderError, match="host_phone"):
            provider.create_session(models.CreateSessionRequest(title="t", duration_minutes=10))
        assert mock.calls("createCall") == []


@pytest.mark.parametrize(
    ("status", "error"),
    [(404, "ProviderNotFoundError"), (422, "ProviderRejectedError"), (503, "ProviderUnavailableError")],
)
def test_vendor_errors_surface_as_unified_errors_with_the_raw_response(
    consultation: ModuleType, status: int, error: str
) -> None:
    models = importlib.import_module("consultation.models")
    with _mock("vidiconnect") as mock:
        mock.fail("getRoomUsage", status=status, times=3)
        provider = consultation.create_provider("vidiconnect", base_url=mock.base_url, bearer_token="k", max_retries=0)
        with pytest.raises(consultation.ProviderError) as caught:
            provider.fetch_usage(models.SessionRef(session_id="rm_1"))
    assert type(caught.value).__name__ == error
    assert caught.value.vendor == "vidiconnect"
    assert caught.value.status_code == status
    assert caught.value.response.status_code == status


def test_a_vendor_answering_2xx_with_a_body_unlike_its_spec_is_unavailable(consultation: ModuleType) -> None:
    """The vendor SDK's APIResponseValidationError (a 2xx it cannot read) is the vendor's failure, not a rejection."""
    models = importlib.import_module("consultation.models")
    with _mock("vidiconnect") as mock:
        mock.respond("getRoomUsage", json={"unexpected": True})
        provider = consultation.create_provider("vidiconnect", base_url=mock.base_url, bearer_token="k", max_retries=0)
        with pytest.raises(consultation.ProviderError) as caught:
            provider.fetch_usage(models.SessionRef(session_id="rm_1"))
    assert type(caught.value).__name__ == "ProviderUnavailableError"
    assert type(caught.value.vendor_error).__name__ == "APIResponseValidationError"
    assert caught.value.status_code == 200


def test_async_provider_runs_the_same_scenario(consultation: ModuleType) -> None:
    import asyncio

    models = importlib.import_module("consultation.models")

    async def run(base_url: str) -> str:
        provider = consultation.create_async_provider("vidiconnect", base_url=base_url, bearer_token="k")
        session = await provider.create_session(models.CreateSessionRequest(title="t", duration_minutes=5))
        return str(session.status.value)

    with _mock("vidiconnect") as mock:
        assert asyncio.run(run(mock.base_url)) in {"scheduled", "in_progress", "ended"}


def test_webhooks_of_both_vendors_parse_into_one_event_type(consultation: ModuleType) -> None:
    models = importlib.import_module("consultation.models")
    room = {
        "roomId": "rm_1",
        "name": "n",
        "status": "active",
        "maxDurationSeconds": 600,
        "recording": False,
        "emptyTimeoutSeconds": 60,
        "createdAt": "2024-01-01T00:00:00Z",
        "startedAt": "2024-01-01T00:01:00Z",
        "endedAt": None,
        "endReason": None,
        "participantCount": 2,
        "metadata": {},
    }
    vidi = consultation.create_provider("vidiconnect", bearer_token="k")
    started = vidi.parse_webhook(
        {"eventId": "ev_1", "eventType": "room.started", "createdAt": "2024-01-01T00:01:00Z", "data": room}
    )
    assert started == models.SessionEvent(session_id="rm_1", status=models.SessionStatus.IN_PROGRESS)
    bridge = consultation.create_provider("callbridge", username="u", password="p")
    report = {
        "call_sid": "CA1",
        "account_sid": "AC1",
        "call_status": "COMPLETED",
        "sequence_number": 4,
        "timestamp": "2024-01-01T00:30:00Z",
        "bridge_number": "+82505551234",
        "duration_minutes": 30,
    }
    assert bridge.parse_webhook(report) == models.SessionEvent(session_id="CA1", status=models.SessionStatus.ENDED)
    with pytest.raises(consultation.ProviderError):
        vidi.parse_webhook({"eventType": "something.else"})


def test_generated_wrapper_passes_mypy_strict_and_ruff(generated: Path) -> None:
    package = generated / "consultation"
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "consultation"], cwd=package, capture_output=True, text=True
    )
    assert mypy.returncode == 0, mypy.stdout
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=package, capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout


def test_broken_mapping_is_a_located_generation_error(tmp_path: Path) -> None:
    for spec in ("vidiconnect.yaml", "callbridge.yaml"):
        shutil.copy(THIRD_PARTY / spec, tmp_path / spec)
    text = WRAPPER.read_text("utf-8")
    broken = text.replace(
        "maxDurationSeconds: {from: input.duration_minutes, multiply: 60}",
        "maxDurationSecs: {from: input.duration_minutes, multiply: 60}",
    )
    full_map = "{created: scheduled, active: in_progress, ended: ended}}\n          duration_minutes"
    broken = broken.replace(full_map, "{created: scheduled, active: in_progress}}\n          duration_minutes", 1)
    (tmp_path / "broken.wrapper.yaml").write_text(broken, "utf-8")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "maxDurationSecs:" in text)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sdkgen",
            "generate",
            "wrapper",
            "broken.wrapper.yaml",
            "--out",
            "out",
            "--package",
            "w",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    output = result.stderr + result.stdout
    assert "Traceback" not in output
    assert f"broken.wrapper.yaml:{line}:" in output
    assert "no parameter or body field 'maxDurationSecs'" in output and "vidiconnect.yaml:" in output
    assert "left unmapped: ended" in output
    assert not (tmp_path / "out").exists()


TS_SCENARIO = (Path(__file__).parent / "scenario.ts").read_text("utf-8")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_typescript_adapters_compile_strict_and_run_the_scenario(tmp_path: Path) -> None:
    tsc = REPO / "node_modules" / ".bin" / "tsc"
    if not tsc.exists():
        pytest.fail("the pinned typescript is missing: run `make test` (it runs npm ci) first")
    files, _ = generate(WRAPPER, "wrapper", "consultation")
    write_tree(files, tmp_path / "wrapper")
    for vendor in CALLS:
        mock_files, _ = generate(THIRD_PARTY / f"{vendor}.yaml", "mocks", f"{vendor}_mock")
        write_tree(mock_files, tmp_path / f"{vendor}_mock")
    strict = subprocess.run(
        [str(tsc), "-p", "wrapper/ts/tsconfig.json", "--noEmit"], cwd=tmp_path, capture_output=True, text=True
    )
    assert strict.returncode == 0, strict.stdout
    (tmp_path / "main.ts").write_text(TS_SCENARIO, "utf-8")
    (tmp_path / "package.json").write_text('{"type": "module"}', "utf-8")
    args = ["--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext"]
    args += ["--lib", "es2022,dom", "--outDir", "out", "--skipLibCheck", "main.ts"]
    built = subprocess.run([str(tsc), *args], cwd=tmp_path, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout
    run = subprocess.run(["node", "out/main.js"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    import json

    results = json.loads(run.stdout)
    for vendor in CALLS:
        assert results[vendor]["vendor"] == vendor
        assert results[vendor]["join"] is True
        assert results[vendor]["status"] in {"scheduled", "ringing", "in_progress", "ended", "failed", "cancelled"}
    assert results["notFound"] is True
    assert results["maxDurationSeconds"] == 1800


def test_an_operation_name_that_is_not_a_plain_identifier_is_refused(tmp_path: Path) -> None:
    """Operation names become adapter methods as written: a hostile name is an error, never code."""
    for spec in ("vidiconnect.yaml", "callbridge.yaml"):
        shutil.copy(THIRD_PARTY / spec, tmp_path / spec)
    text = WRAPPER.read_text("utf-8")
    hostile = "create_session(self): import os  #"
    assert "\n  create_session:" in text
    (tmp_path / "hostile.wrapper.yaml").write_text(text.replace("\n  create_session:", f'\n  "{hostile}":', 1))
    result = subprocess.run(
        [sys.executable, "-m", "sdkgen", "generate", "wrapper", "hostile.wrapper.yaml", "--out", "out", "-p", "w"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    output = result.stderr + result.stdout
    assert result.returncode == 2, output
    assert "Traceback" not in output and "is not a snake_case identifier" in output
    assert "hostile.wrapper.yaml:" in output
    assert not (tmp_path / "out").exists()
