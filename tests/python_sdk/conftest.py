"""Generate the small SDKs under test once per session, from the fixture specs, and import them."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sdkgen.pipeline import generate
from sdkgen.write import write_tree

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def sdk_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("python-sdks")
    files, _ = generate(FIXTURES / "shop.yaml", "python", "shop_sdk")
    write_tree(files, root / "shop")
    sys.path.insert(0, str(root / "shop"))
    yield root / "shop"
    sys.path.remove(str(root / "shop"))


@pytest.fixture(scope="session")
def shop(sdk_dir: Path) -> ModuleType:
    return importlib.import_module("shop_sdk")


@pytest.fixture
def delays(shop: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry delays instead of sleeping them (the stdlib sleeps are replaced, not our code)."""
    recorded: list[float] = []
    base = importlib.import_module("shop_sdk._base_client")
    monkeypatch.setattr(base.time, "sleep", recorded.append)

    async def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(base.asyncio, "sleep", fake_sleep)
    return recorded


@pytest.fixture
def client(shop: ModuleType, delays: list[float]) -> Iterator[object]:
    with shop.Client(bearer_token="secret-token", api_key="key-123") as c:
        yield c
