"""`sdkgen publish` end to end, against private indexes on loopback (pypiserver and verdaccio, both with htpasswd
auth), with the same command line the release workflow (.github/workflows/publish.yml) runs. Then the published
SDKs are installed the way an app developer installs them, and the examples in examples/ run against the reference
server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
from publish_support import (
    NODE,
    NPM,
    RELEASE_CREDENTIALS,
    ROOT,
    TSC,
    NpmRegistry,
    PlatformServer,
    PypiIndex,
    http_get,
    node_env,
    npm_registry,
    platform_server,
    pypi_index,
    release_command,
)

pytestmark = pytest.mark.skipif(
    NODE is None or NPM is None, reason="node and npm are not installed (publishing the TypeScript SDK needs them)"
)

EXAMPLES = ROOT / "examples"
PUBLISHED = "1.0.1"  # published for real; the spec says 1.0.0, so an installed 1.0.1 can only come from our index
DRY_RUN = "1.0.2"
REFUSED = "1.0.3"


@pytest.fixture(scope="module")
def pypi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PypiIndex]:
    with pypi_index(tmp_path_factory.mktemp("pypi")) as index:
        yield index


@pytest.fixture(scope="module")
def npm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NpmRegistry]:
    with npm_registry(tmp_path_factory.mktemp("verdaccio")) as registry:
        yield registry


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformServer]:
    with platform_server(tmp_path_factory.mktemp("server")) as running:
        yield running


def publish(
    pypi: PypiIndex, npm: NpmRegistry, dist: Path, version: str, *extra: str, **credentials: str
) -> subprocess.CompletedProcess[str]:
    """`sdkgen publish` as the release workflow runs it: indexes as options, credentials in the environment."""
    env = {key: value for key, value in os.environ.items() if key not in RELEASE_CREDENTIALS}
    env.update(TWINE_USERNAME=pypi.username, TWINE_PASSWORD=pypi.password, NPM_TOKEN=npm.token)
    env.update(credentials)
    command = release_command(version=version, repository_url=pypi.url, npm_registry=npm.url, dist=str(dist))
    result = subprocess.run([*command, *extra], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    for secret in (pypi.password, npm.password, npm.token, *credentials.values()):
        assert secret not in output, "a credential reached the output"
    assert "Traceback" not in output
    return result


def on_pypi(pypi: PypiIndex, version: str) -> list[str]:
    return sorted(p.name for p in pypi.packages.iterdir() if f"-{version}" in p.name)


def on_npm(npm: NpmRegistry, version: str) -> bool:
    try:
        _, body = http_get(f"{npm.url}@platform%2fsdk", auth=(npm.username, npm.password))
    except urllib.error.HTTPError as exc:
        assert exc.code == 404, exc
        return False
    return version in json.loads(body).get("versions", {})


def test_dry_run_builds_and_checks_both_sdks_and_uploads_nothing(
    pypi: PypiIndex, npm: NpmRegistry, tmp_path: Path
) -> None:
    result = publish(pypi, npm, tmp_path / "dist", DRY_RUN, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "dist" / "python").iterdir()) == [
        f"platform_sdk-{DRY_RUN}-py3-none-any.whl",
        f"platform_sdk-{DRY_RUN}.tar.gz",
    ]
    assert [p.name for p in (tmp_path / "dist" / "typescript").iterdir()] == [f"platform-sdk-{DRY_RUN}.tgz"]
    assert "nothing was uploaded" in result.stderr
    assert on_pypi(pypi, DRY_RUN) == []
    assert not on_npm(npm, DRY_RUN)


def test_wrong_credentials_are_refused_cleanly_before_anything_is_built(
    pypi: PypiIndex, npm: NpmRegistry, tmp_path: Path
) -> None:
    wrong_password = publish(pypi, npm, tmp_path / "dist", REFUSED, TWINE_PASSWORD="not-the-password")
    wrong_token = publish(pypi, npm, tmp_path / "dist", REFUSED, "--target", "typescript", NPM_TOKEN="not-the-token")

    assert wrong_password.returncode == 2
    assert "refused the credentials (HTTP 403)" in wrong_password.stderr
    assert "check TWINE_USERNAME and TWINE_PASSWORD" in wrong_password.stderr
    assert wrong_token.returncode == 2
    assert "refused NPM_TOKEN" in wrong_token.stderr
    assert not (tmp_path / "dist").exists()
    assert on_pypi(pypi, REFUSED) == []
    assert not on_npm(npm, REFUSED)


def test_published_sdks_install_from_the_private_indexes_and_run_the_examples(
    pypi: PypiIndex, npm: NpmRegistry, server: PlatformServer, tmp_path: Path
) -> None:
    result = publish(pypi, npm, tmp_path / "dist", PUBLISHED)
    assert result.returncode == 0, result.stderr
    wheel, sdist = f"platform_sdk-{PUBLISHED}-py3-none-any.whl", f"platform_sdk-{PUBLISHED}.tar.gz"
    assert on_pypi(pypi, PUBLISHED) == [wheel, sdist]
    assert on_npm(npm, PUBLISHED)

    again = publish(pypi, npm, tmp_path / "dist-again", PUBLISHED)
    assert again.returncode == 2
    assert f"platform-sdk {PUBLISHED} is already on {pypi.url}simple/" in again.stderr
    assert f"@platform/sdk@{PUBLISHED} is already on {npm.url}" in again.stderr
    assert "A published version cannot be replaced" in again.stderr
    assert not (tmp_path / "dist-again").exists()

    python_example_output = _install_python_sdk_and_run_examples(pypi, server, tmp_path / "python")
    for output in python_example_output:
        _assert_example_ran(output)
    _assert_example_ran(_install_typescript_sdk_and_run_example(npm, server, tmp_path / "typescript"))


def _assert_example_ran(output: str) -> None:
    assert "signed in as minji@example.com" in output
    assert "3 experts in law over 2 pages" in output
    assert "booked consultation con_" in output
    assert "(requested" in output
    assert "no such expert: not found (404" in output


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _install_python_sdk_and_run_examples(pypi: PypiIndex, server: PlatformServer, folder: Path) -> list[str]:
    """A fresh virtual environment; platform-sdk from the private index only (no pip config, no other index), then
    its dependencies from the usual package index; then both examples."""
    folder.mkdir()
    _run([sys.executable, "-m", "venv", "--without-pip", str(folder / "venv")], folder)
    python = str(folder / "venv" / "bin" / "python")
    pip = [sys.executable, "-m", "pip", "--python", python]  # this environment's pip, installing into the new one
    private_only = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    private_only.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    requirement = f"platform-sdk=={PUBLISHED}"
    index = pypi.simple_url_with_credentials
    _run([*pip, "install", "--no-deps", "--index-url", index, requirement], folder, private_only)
    _run([*pip, "install", requirement], folder)
    _run([*pip, "check"], folder)
    assert _run([python, "-c", "import platform_sdk; print(platform_sdk.__version__)"], folder).strip() == PUBLISHED

    env = {**os.environ, **server.example_env()}
    env.pop("PYTHONPATH", None)
    outputs = []
    for example in ("quickstart.py", "quickstart_async.py"):
        shutil.copy(EXAMPLES / "python" / example, folder / example)
        outputs.append(_run([python, example], folder, env))
    return outputs


def _install_typescript_sdk_and_run_example(npm: NpmRegistry, server: PlatformServer, folder: Path) -> str:
    """A fresh npm project (the examples' package.json, the SDK pinned to the published version): @platform/sdk from
    verdaccio, @types/node from the usual registry; compiled with the repo's pinned tsc --strict, then run."""
    assert NODE is not None and NPM is not None
    if not TSC.exists():
        pytest.fail(f"{TSC} is missing: run `npm ci` at the repo root (make test does)")
    folder.mkdir()
    manifest = json.loads((EXAMPLES / "typescript" / "package.json").read_text())
    manifest["dependencies"]["@platform/sdk"] = PUBLISHED
    manifest["devDependencies"].pop("typescript")  # the repo's pinned compiler compiles it
    (folder / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    for name in ("quickstart.ts", "tsconfig.json"):
        shutil.copy(EXAMPLES / "typescript" / name, folder / name)
    (folder / ".npmrc").write_text(npm.npmrc())
    env = node_env(NPM_TOKEN=npm.token)
    _run([NPM, "install", "--prefer-offline", "--no-package-lock"], folder, env)
    installed = json.loads((folder / "node_modules" / "@platform" / "sdk" / "package.json").read_text())
    assert installed["version"] == PUBLISHED

    _run([str(TSC), "-p", "tsconfig.json", "--strict"], folder)
    return _run([NODE, "dist/quickstart.js"], folder, {**os.environ, **server.example_env()})
