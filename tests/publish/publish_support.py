"""Private package indexes and the platform's reference server on loopback, for the publish tests.

- pypiserver with an htpasswd file (made with passlib) guarding uploads, downloads and listings;
- verdaccio (installed once with npm into a cache folder) with its htpasswd auth and no uplinks at all, so nothing
  it is asked for, `@platform/*` included, is ever looked up on the public registry;
- the reference server (`python -m marketplace`, SQLite), seeded through the SDK with verified experts who sell
  consultations and a user account for the examples to sign in with.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NODE = shutil.which("node")
NPM = shutil.which("npm")
TSC = ROOT / "node_modules" / ".bin" / "tsc"

# The last verdaccio line that runs on Node.js 18 (6.6 needs 20, 6.9 needs 22), like the SDKs themselves.
VERDACCIO_VERSION = "6.5.2"
# verdaccio-audit asks for node-fetch by the `cjs` dist-tag, which not every registry mirror serves.
VERDACCIO_OVERRIDES = {"node-fetch": "2.7.0"}


# The credentials the release workflow hands `sdkgen publish`, in the environment.
RELEASE_CREDENTIALS = ("TWINE_USERNAME", "TWINE_PASSWORD", "NPM_TOKEN")


def release_command(*, version: str, repository_url: str, npm_registry: str, dist: str) -> list[str]:
    """The publish step of .github/workflows/publish.yml (a test checks that it is this command)."""
    return [
        *(str(BIN / "sdkgen"), "publish", "--version", version),
        *("--repository-url", repository_url, "--npm-registry", npm_registry, "--dist", dist),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def node_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(npm_config_audit="false", npm_config_fund="false", npm_config_update_notifier="false")
    env.update(extra)
    return env


@dataclass
class Service:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self) -> str:
        try:
            return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-30:])
        except OSError:
            return ""

    def wait_until(self, url: str, timeout: float = 60.0, auth: tuple[str, str] | None = None) -> None:
        """Poll `url` until it answers (any HTTP status); fail with the service's log if it dies or takes too long."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
            try:
                http_get(url, auth)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not answer {url} in {timeout:.0f}s:\n{self.tail()}") from None
                time.sleep(0.2)


@contextmanager
def service(
    name: str, command: list[str], log: Path, *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[Service]:
    """A process for the duration of the block, stopped (and, if need be, killed) after it."""
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd, env=env
        )
        running = Service(name, process, log)
        try:
            yield running
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def http_get(url: str, auth: tuple[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    if auth is not None:
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def write_htpasswd(path: Path, user: str, password: str) -> None:
    """An Apache htpasswd file (APR1-MD5, which pypiserver and verdaccio both verify), made with passlib."""
    import warnings

    with warnings.catch_warnings():  # passlib imports the stdlib `crypt`, deprecated; APR1-MD5 does not use it
        warnings.simplefilter("ignore", DeprecationWarning)
        from passlib.apache import HtpasswdFile

    entries = HtpasswdFile(str(path), new=True, default_scheme="apr_md5_crypt")
    entries.set_password(user, password)
    entries.save()


# ---------------------------------------------------------------------------------------- pypiserver


@dataclass
class PypiIndex:
    url: str  # the upload URL (twine --repository-url)
    username: str
    password: str
    packages: Path

    @property
    def simple_url_with_credentials(self) -> str:
        return self.url.replace("http://", f"http://{self.username}:{self.password}@") + "simple/"


@contextmanager
def pypi_index(folder: Path) -> Iterator[PypiIndex]:
    """pypiserver on 127.0.0.1: every action authenticated, no fallback redirect to PyPI."""
    folder.mkdir(parents=True, exist_ok=True)
    packages = folder / "packages"
    packages.mkdir()
    index = PypiIndex("", "publisher", "py-" + secrets.token_urlsafe(12), packages)
    write_htpasswd(folder / "htpasswd", index.username, index.password)
    port = free_port()
    command = [
        *(sys.executable, "-m", "pypiserver", "run", "--interface", "127.0.0.1", "--port", str(port)),
        *("--passwords", str(folder / "htpasswd"), "--authenticate", "update,download,list"),
        *("--disable-fallback", "--health-endpoint", "/health", str(packages)),
    ]
    with service("pypiserver", command, folder / "pypiserver.log") as running:
        running.wait_until(f"http://127.0.0.1:{port}/health", timeout=60)
        index.url = f"http://127.0.0.1:{port}/"
        yield index


# ---------------------------------------------------------------------------------------- verdaccio


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdkgen-test"


def verdaccio_bin() -> Path:
    """verdaccio, installed with npm the first time into the cache folder (atomically: a half install never counts)."""
    home = cache_dir() / f"verdaccio-{VERDACCIO_VERSION}"
    binary = home / "node_modules" / ".bin" / "verdaccio"
    if binary.exists():
        return binary
    assert NPM is not None
    staging = home.with_name(f"{home.name}.installing-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    package = {"private": True, "dependencies": {"verdaccio": VERDACCIO_VERSION}, "overrides": VERDACCIO_OVERRIDES}
    (staging / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    result = subprocess.run(
        [NPM, "install", "--no-package-lock", "--omit=dev"],
        cwd=staging,
        env=node_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise RuntimeError(f"npm install verdaccio@{VERDACCIO_VERSION} failed:\n{result.stdout}\n{result.stderr}")
    try:
        staging.rename(home)
    except OSError:  # another run installed it meanwhile
        shutil.rmtree(staging, ignore_errors=True)
    return binary


VERDACCIO_CONFIG = """\
storage: {storage}
auth:
  htpasswd:
    file: {htpasswd}
    max_users: 1
# No uplinks: the registry answers from its own storage only, never from the public registry.
uplinks: {{}}
packages:
  '@platform/*':
    access: $authenticated
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $authenticated
    publish: $authenticated
security:
  api:
    legacy: true
web:
  enable: false
log: {{type: stdout, format: pretty, level: warn}}
"""


@dataclass
class NpmRegistry:
    url: str
    username: str
    password: str
    token: str = ""

    def npmrc(self, scope: str = "@platform") -> str:
        """A consumer's .npmrc: the scope from this registry, with the token from $NPM_TOKEN."""
        host = self.url.removeprefix("http:")
        return f"{scope}:registry={self.url}\n{host}:_authToken=${{NPM_TOKEN}}\n"


def npm_login(url: str, username: str, password: str) -> str:
    """The token verdaccio hands out at `npm login` (the CouchDB user document PUT, with basic auth)."""
    body = json.dumps({"name": username, "password": password, "type": "user", "roles": []}).encode()
    request = urllib.request.Request(f"{url}-/user/org.couchdb.user:{username}", data=body, method="PUT")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode())
    with urllib.request.urlopen(request, timeout=10) as response:
        token: str = json.loads(response.read())["token"]
        return token


@contextmanager
def npm_registry(folder: Path) -> Iterator[NpmRegistry]:
    folder.mkdir(parents=True, exist_ok=True)
    registry = NpmRegistry("", "publisher", "npm-" + secrets.token_urlsafe(12))
    write_htpasswd(folder / "htpasswd", registry.username, registry.password)
    config = folder / "config.yaml"
    paths = {"storage": json.dumps(str(folder / "storage")), "htpasswd": json.dumps(str(folder / "htpasswd"))}
    config.write_text(VERDACCIO_CONFIG.format(**paths))
    port = free_port()
    command = [str(verdaccio_bin()), "--config", str(config), "--listen", f"127.0.0.1:{port}"]
    with service("verdaccio", command, folder / "verdaccio.log", cwd=folder, env=node_env()) as running:
        running.wait_until(f"http://127.0.0.1:{port}/-/ping", timeout=90)
        registry.url = f"http://127.0.0.1:{port}/"
        registry.token = npm_login(registry.url, registry.username, registry.password)
        yield registry


# ---------------------------------------------------------------------------------------- the reference server


@dataclass
class PlatformServer:
    base_url: str
    email: str
    password: str
    payment_method_id: str = "pm_01HZX3Z9K1M3P5R7T9V1X3Z5B7"

    def example_env(self) -> dict[str, str]:
        return {
            "PLATFORM_SDK_BASE_URL": self.base_url,
            "PLATFORM_EXAMPLE_EMAIL": self.email,
            "PLATFORM_EXAMPLE_PASSWORD": self.password,
            "PLATFORM_EXAMPLE_PAYMENT_METHOD_ID": self.payment_method_id,
        }


EXPERTS = ["Park Seojun", "Kim Jiwoo", "Lee Minho"]


@contextmanager
def platform_server(folder: Path) -> Iterator[PlatformServer]:
    """`python -m marketplace` on SQLite, with three verified experts in `law`, each selling a consultation."""
    import importlib.util

    for module in ("marketplace", "platform_sdk"):
        if importlib.util.find_spec(module) is None:
            raise RuntimeError(f"{module} is not installed in {sys.prefix}: run `make install`")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    admin_email, admin_password = "admin@platform.example", "admin-" + secrets.token_hex(8)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'marketplace.db'}",
        JWT_SECRET=secrets.token_urlsafe(32),
        ADMIN_EMAIL=admin_email,
        ADMIN_PASSWORD=admin_password,
        PASSWORD_COST="1024",  # fast password hashing: this server lives for one test
    )
    command = [sys.executable, "-m", "marketplace", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with service("reference server", command, folder / "server.log", env=env, cwd=folder) as running:
        base_url = f"http://127.0.0.1:{port}/v1"
        running.wait_until(f"{base_url}/experts", timeout=60)
        server = PlatformServer(base_url, "minji@example.com", "user-" + secrets.token_hex(8))
        _seed(server, admin_email, admin_password)
        yield server


def _seed(server: PlatformServer, admin_email: str, admin_password: str) -> None:
    import datetime

    from platform_sdk import Client
    from platform_sdk.models import ExpertSignUp, Money, UserSignUp

    anonymous = Client(base_url=server.base_url, max_retries=0)
    admin_token = anonymous.auth.sign_in(email=admin_email, password=admin_password).access_token
    admin = Client(base_url=server.base_url, bearer_token=admin_token, max_retries=0)
    for number, name in enumerate(EXPERTS):
        session = anonymous.auth.sign_up(
            body=ExpertSignUp(
                role="expert",
                email=f"expert{number}@example.com",
                password=server.password,
                name=name,
                display_name=name,
                category="law",
                headline="Inheritance and family law",
            )
        )
        expert_id = session.user.expert_id
        assert expert_id is not None
        expert = Client(base_url=server.base_url, bearer_token=session.access_token, max_retries=0)
        expert.experts.create_license(
            expert_id,
            name="Attorney at law",
            issuer="Korean Bar Association",
            number=f"2010-1234{number}",
            issued_on=datetime.date(2010, 2, 15),
            document_url="https://files.platform.example/uploads/license.pdf",
        )
        expert.experts.request_verification(expert_id, note="licence attached")
        admin.admin.approve_expert(expert_id)
        expert.consultation_products.create(
            expert_id,
            title="30-minute consultation",
            channel="chat",
            duration_minutes=30,
            price=Money(amount=50000, currency="KRW"),
        )
    anonymous.auth.sign_up(body=UserSignUp(role="user", email=server.email, password=server.password, name="Kim Minji"))
