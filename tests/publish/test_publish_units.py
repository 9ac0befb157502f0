"""The parts of `sdkgen publish` that need no index: versions, refusals before any network, redaction, the PEP 503
page of an index."""

from __future__ import annotations

import http.server
import shlex
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from publish_support import RELEASE_CREDENTIALS, ROOT, release_command
from sdkgen.cli import app
from sdkgen.config import load_config
from sdkgen.publish import (
    PublishError,
    Redactor,
    Runner,
    pypi_has_version,
    python_version,
    simple_index_url,
    stage,
)
from typer.testing import CliRunner

PETSTORE = ROOT / "tests" / "fixtures" / "specs" / "petstore-30.yaml"  # info.version: 1.0.0

CONFIG = """
[[targets]]
name = "py"
kind = "python"
spec = "specs/petstore.yaml"
out = "generated/py"
package = "pets"
options = { version = "2.3.4" }

[[targets]]
name = "ts"
kind = "typescript"
spec = "specs/petstore.yaml"
out = "generated/ts"
package = "@pets/sdk"

[[targets]]
name = "stub"
kind = "server"
spec = "specs/petstore.yaml"
out = "generated/stub"
package = "pets_server"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "specs").mkdir()
    shutil.copy(PETSTORE, tmp_path / "specs" / "petstore.yaml")
    (tmp_path / "sdkgen.toml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    for name in ("TWINE_USERNAME", "TWINE_PASSWORD", "NPM_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_version_is_the_configured_option_else_the_spec_info_version(project: Path, tmp_path: Path) -> None:
    config = load_config(project / "sdkgen.toml")
    packages = stage(config, config.targets[:2], None, tmp_path / "work", lambda _: None)

    assert [(p.name, p.version) for p in packages] == [("pets", "2.3.4"), ("@pets/sdk", "1.0.0")]


def test_version_option_regenerates_both_sdks_with_their_own_spelling_of_it(project: Path, tmp_path: Path) -> None:
    config = load_config(project / "sdkgen.toml")
    packages = stage(config, config.targets[:2], "v3.0.0-rc.1", tmp_path / "work", lambda _: None)

    assert [p.version for p in packages] == ["3.0.0rc1", "3.0.0-rc.1"]
    assert '__version__ = "3.0.0rc1"' in (packages[0].source / "pets" / "__init__.py").read_text()


def test_an_up_to_date_build_is_published_as_committed_without_its_manifest(project: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(app, ["build", "--target", "ts"]).exit_code == 0
    config = load_config(project / "sdkgen.toml")
    said: list[str] = []

    (package,) = stage(config, [config.targets[1]], None, tmp_path / "work", said.append)

    assert said == []  # nothing regenerated
    committed = {p.relative_to(project / "generated" / "ts") for p in (project / "generated" / "ts").rglob("*")}
    staged = {p.relative_to(package.source) for p in package.source.rglob("*")}
    assert staged == committed - {Path(".sdkgen-manifest.json")}


def test_a_version_python_cannot_spell_is_refused() -> None:
    with pytest.raises(PublishError, match="not a valid Python package version"):
        python_version("next-tuesday")


def test_publishing_without_indexes_or_credentials_exits_2_naming_each(project: Path) -> None:
    result = CliRunner().invoke(app, ["publish"])

    assert result.exit_code == 2
    for missing in ("--repository-url", "TWINE_PASSWORD", "--npm-registry", "NPM_TOKEN", "--dry-run"):
        assert missing in result.output
    assert "Traceback" not in result.output


def test_only_python_and_typescript_targets_can_be_published(project: Path) -> None:
    assert "not stub" in CliRunner().invoke(app, ["publish", "--dry-run", "--target", "stub"]).output.replace("\n", " ")
    unknown = CliRunner().invoke(app, ["publish", "--dry-run", "--target", "nope"])
    assert unknown.exit_code == 2
    assert "no target named nope" in unknown.output


def test_secrets_are_redacted_in_plain_url_encoded_and_basic_auth_forms() -> None:
    redact = Redactor(["p@ss word"], username="ci")

    text = redact("pw=p@ss word url=https://ci:p%40ss%20word@host basic=Y2k6cEBzcyB3b3Jk plus=p%40ss+word")

    assert text == "pw=*** url=https://ci:***@host basic=*** plus=***"


def test_a_failing_tool_is_reported_with_its_output_redacted() -> None:
    runner = Runner({}, Redactor(["hunter2-token"]))
    command = [sys.executable, "-c", "import sys; print('sent hunter2-token'); sys.exit(3)"]

    with pytest.raises(PublishError) as failure:
        runner.run(command, "the tool")

    assert "the tool failed (exit 3)" in str(failure.value)
    assert "sent ***" in str(failure.value)
    assert "hunter2" not in str(failure.value)


@pytest.mark.parametrize(
    ("upload", "simple"),
    [
        ("https://upload.pypi.org/legacy/", "https://pypi.org/simple/"),
        ("https://test.pypi.org/legacy/", "https://test.pypi.org/simple/"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/simple/"),
        ("https://pkgs.example.com/legacy", "https://pkgs.example.com/simple/"),
    ],
)
def test_the_simple_index_beside_an_upload_url(upload: str, simple: str) -> None:
    assert simple_index_url(upload) == simple


SIMPLE_PAGE = b"""<!DOCTYPE html><html><body>
<a href="/packages/platform_sdk-1.0.0-py3-none-any.whl#sha256=00">platform_sdk-1.0.0-py3-none-any.whl</a>
<a href="../../packages/platform-sdk-1.1.0rc1.tar.gz">platform-sdk-1.1.0rc1.tar.gz</a>
<a href="/packages/other_sdk-2.0.0.tar.gz">other_sdk-2.0.0.tar.gz</a>
</body></html>"""


class _Index(http.server.BaseHTTPRequestHandler):
    seen_auth: list[str | None] = []

    def do_GET(self) -> None:
        self.seen_auth.append(self.headers.get("Authorization"))
        if self.path == "/simple/platform-sdk/":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(SIMPLE_PAGE)
        elif self.path == "/simple/elsewhere/":  # pypiserver's fallback: redirect to PyPI
            self.send_response(303)
            self.send_header("Location", "http://127.0.0.2:9/simple/elsewhere/")
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def index() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    finally:
        server.shutdown()
        server.server_close()


def test_an_existing_version_is_found_on_the_simple_page_whatever_the_spelling(index: str) -> None:
    auth = ("ci", "secret")
    assert pypi_has_version(index, "Platform_SDK", "1.0.0", auth)
    assert pypi_has_version(index, "platform-sdk", "1.1.0-rc.1", auth)
    assert not pypi_has_version(index, "platform-sdk", "1.0.1", auth)
    assert not pypi_has_version(index, "other-project", "2.0.0", auth)  # 404: not on the index at all


def test_a_redirect_off_the_index_means_absent_and_carries_no_credentials(index: str) -> None:
    _Index.seen_auth.clear()

    assert not pypi_has_version(index, "elsewhere", "1.0.0", ("ci", "secret"))
    assert len(_Index.seen_auth) == 1  # the redirect was not followed


def test_the_release_workflow_runs_the_checks_the_tests_and_the_publish_command_the_tests_run() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    steps = workflow["jobs"]["publish"]["steps"]
    runs = [step.get("run", "") for step in steps]

    assert triggers == {"push": {"tags": ["v*"]}}
    check, tests, release = (
        runs.index(".venv/bin/sdkgen build --check"),
        runs.index("make test"),
        next(i for i, run in enumerate(runs) if "sdkgen publish" in run),
    )
    assert check < tests < release
    command = shlex.split(runs[release])
    expected = release_command(version="V", repository_url="U", npm_registry="R", dist="D")
    assert command[:2] == [".venv/bin/sdkgen", "publish"] and expected[1:2] == ["publish"]
    assert [a for a in command if a.startswith("--")] == [a for a in expected if a.startswith("--")]
    environment = steps[release]["env"]
    assert all(environment[name].startswith("${{ secrets.") for name in RELEASE_CREDENTIALS)
    assert not any("secrets." in str(step.get("env", {})) for i, step in enumerate(steps) if i != release)
