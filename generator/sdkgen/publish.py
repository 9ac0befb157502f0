"""`sdkgen publish`: build the configured Python and TypeScript SDKs into a dist folder, check them, upload them.

Per target: stage the package's sources (the committed output when it is up to date, else a fresh generation, and
always a fresh one with `version` overridden), read its name and version from its own metadata, build it (Python:
`python -m build`, sdist + wheel; TypeScript: `tsc`, then `npm pack`), check it (`twine check --strict`) and, unless
this is a dry run, upload it (`twine upload`; `npm publish`). Before anything is built or uploaded, every target's
index is asked whether it already has that version (the PEP 503 simple page; `npm view NAME@VERSION`), and a version
that exists is refused.

Credentials come from the environment only: TWINE_USERNAME / TWINE_PASSWORD (twine's own variables; the username
defaults to `__token__`, as PyPI's API tokens want) and NPM_TOKEN (written to a temporary `.npmrc` as `${NPM_TOKEN}`,
which npm expands, so the token is never on a command line or on disk). Whatever a tool prints is redacted before it
reaches an error message.
"""

from __future__ import annotations

import base64
import html.parser
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdkgen.config import Config, Target
from sdkgen.fingerprint import real_path
from sdkgen.write import MANIFEST, read_manifest

PUBLISHABLE_KINDS = ("python", "typescript")
PYPI_USERNAME = "TWINE_USERNAME"
PYPI_PASSWORD = "TWINE_PASSWORD"
NPM_TOKEN = "NPM_TOKEN"
TOOL_TIMEOUT = 900.0  # seconds for one build or upload step
HTTP_TIMEOUT = 30.0
_OUTPUT_TAIL = 40  # lines of a failed tool's output shown in the error

Progress = Callable[[str], None]


class PublishError(Exception):
    """A refusal or a failed step, with a message fit to print (already redacted)."""


@dataclass(frozen=True)
class PublishOptions:
    dist: Path
    version: str | None = None
    repository_url: str | None = None
    index_url: str | None = None
    npm_registry: str | None = None
    dry_run: bool = False


@dataclass
class Package:
    """One target on its way out: what it is called, which version, where its sources and artifacts are."""

    target: Target
    name: str
    version: str
    source: Path
    artifacts: list[Path] = field(default_factory=list)
    uploaded_to: str | None = None

    @property
    def kind(self) -> str:
        return self.target.kind


# ------------------------------------------------------------------------------------------ secrets


class Redactor:
    """Replaces every secret (and its URL-encoded and HTTP basic forms) in text with `***`."""

    def __init__(self, secrets: Iterable[str], username: str | None = None) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            forms.update({secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)})
            if username:
                forms.add(base64.b64encode(f"{username}:{secret}".encode()).decode())
        self._forms = sorted(forms, key=len, reverse=True)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], urls: Iterable[str | None] = ()) -> Redactor:
        secrets = [environ.get(PYPI_PASSWORD, ""), environ.get(NPM_TOKEN, "")]
        for url in urls:
            if url:
                password = urllib.parse.urlsplit(url).password
                if password:
                    secrets.extend([password, urllib.parse.unquote(password)])
        return cls(secrets, pypi_username(environ))

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, "***")
        return text


def pypi_username(environ: Mapping[str, str]) -> str:
    return environ.get(PYPI_USERNAME) or "__token__"


def public_url(url: str) -> str:
    """The URL without the user and password it may carry, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


# ------------------------------------------------------------------------------------------ targets and versions


def publishable_targets(config: Config, names: list[str] | None) -> list[Target]:
    """The python and typescript targets, or those of them named (by name or out dir)."""
    targets = [t for t in config.targets if t.kind in PUBLISHABLE_KINDS]
    if names:
        unknown = [n for n in names if not any(n in (t.label, t.out) for t in config.targets)]
        if unknown:
            raise PublishError(f"no target named {', '.join(unknown)}")
        chosen = [t for t in config.targets if t.label in names or t.out in names]
        other = [t.label for t in chosen if t.kind not in PUBLISHABLE_KINDS]
        if other:
            raise PublishError(f"only python and typescript targets can be published, not {', '.join(other)}")
        targets = chosen
    if not targets:
        raise PublishError("no python or typescript target is configured")
    return targets


def python_version(text: str) -> str:
    """`text` as a normalised PEP 440 version (`v1.2.0-rc.1` → 1.2.0rc1)."""
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(text))
    except InvalidVersion:
        raise PublishError(f"{text!r} is not a valid Python package version (PEP 440)") from None


# ------------------------------------------------------------------------------------------ the whole run


def publish(config: Config, targets: list[Target], options: PublishOptions, progress: Progress) -> list[Package]:
    """Build, check and (unless a dry run) upload every target; returns what was built and where it went."""
    environ = dict(os.environ)
    redact = Redactor.from_environment(environ, [options.repository_url, options.index_url, options.npm_registry])
    try:
        return _publish(config, targets, options, environ, redact, progress)
    except PublishError as exc:
        raise PublishError(redact(str(exc))) from None


def _publish(
    config: Config,
    targets: list[Target],
    options: PublishOptions,
    environ: dict[str, str],
    redact: Redactor,
    progress: Progress,
) -> list[Package]:
    _require_tools(targets)
    if not options.dry_run:
        _require_destinations(targets, options, environ)
    with tempfile.TemporaryDirectory(prefix="sdkgen-publish-") as tmp:
        work = Path(tmp)
        runner = Runner(environ, redact)
        npm = None
        if options.npm_registry and any(t.kind == "typescript" for t in targets):
            npm = NpmSession(runner, work / "npm", options.npm_registry)
            if not options.dry_run:
                npm.whoami()  # a wrong token fails at once, before anything is generated or built
        tsc = find_tsc(config.root) if any(t.kind == "typescript" for t in targets) else None
        packages = stage(config, targets, options.version, work / "src", progress)
        if not options.dry_run:
            _refuse_existing(packages, options, environ, npm)
        with ThreadPoolExecutor(max_workers=len(packages)) as pool:  # the builds are other processes: run them at once
            builds = [pool.submit(_build, package, options.dist, runner, tsc, progress) for package in packages]
            for build in builds:
                build.result()
        python_files = [a for p in packages if p.kind == "python" for a in p.artifacts]
        if python_files:
            runner.run(
                [sys.executable, "-m", "twine", "--no-color", "check", "--strict", *map(str, python_files)],
                "twine check",
            )
        if options.dry_run:
            return packages
        for package in packages:
            if package.kind == "python":
                assert options.repository_url is not None
                progress(f"{package.target.label}: uploading to {public_url(options.repository_url)}")
                upload_python(package.artifacts, options.repository_url, runner, environ)
                package.uploaded_to = public_url(options.repository_url)
            else:
                assert npm is not None and options.npm_registry is not None
                progress(f"{package.target.label}: publishing to {public_url(options.npm_registry)}")
                npm.publish(package.name, package.artifacts[0])
                package.uploaded_to = public_url(options.npm_registry)
        return packages


def _build(package: Package, dist: Path, runner: Runner, tsc: Path | None, progress: Progress) -> None:
    out = _clean_dist(dist / _dist_name(package.target))
    if package.kind == "python":
        progress(f"{package.target.label}: building {package.name} {package.version} (sdist + wheel)")
        package.artifacts = build_python(package.source, out, runner)
    else:
        assert tsc is not None
        progress(f"{package.target.label}: building {package.name} {package.version} (tsc, npm pack)")
        package.artifacts = build_typescript(package.source, out, runner, tsc)


def _require_tools(targets: list[Target]) -> None:
    if any(t.kind == "python" for t in targets):
        missing = [name for name in ("build", "twine", "packaging") if importlib.util.find_spec(name) is None]
        if missing:
            raise PublishError(
                f"publishing Python packages needs {', '.join(missing)} in sdkgen's environment: "
                "pip install build twine (or sdkgen's dev extras)"
            )
    if any(t.kind == "typescript" for t in targets) and shutil.which("npm") is None:
        raise PublishError("publishing TypeScript packages needs npm (Node.js 18+) on PATH")


def _require_destinations(targets: list[Target], options: PublishOptions, environ: Mapping[str, str]) -> None:
    problems = []
    if any(t.kind == "python" for t in targets):
        if not options.repository_url:
            problems.append("--repository-url (the Python package index to upload to)")
        if not environ.get(PYPI_PASSWORD):
            problems.append(f"{PYPI_PASSWORD} in the environment (with {PYPI_USERNAME}, default __token__)")
    if any(t.kind == "typescript" for t in targets):
        if not options.npm_registry:
            problems.append("--npm-registry (the npm registry to publish to)")
        if not environ.get(NPM_TOKEN):
            problems.append(f"{NPM_TOKEN} in the environment")
    if problems:
        raise PublishError("publishing needs " + "; ".join(problems) + " (or pass --dry-run)")


def _refuse_existing(
    packages: list[Package], options: PublishOptions, environ: Mapping[str, str], npm: NpmSession | None
) -> None:
    """Ask every index first; refuse, naming each, if any of them already has its package's version."""
    taken = []
    for package in packages:
        if package.kind == "python":
            assert options.repository_url is not None
            index = options.index_url or simple_index_url(options.repository_url)
            auth = None
            if _same_origin(index, options.repository_url):
                auth = (pypi_username(environ), environ.get(PYPI_PASSWORD, ""))
            if pypi_has_version(index, package.name, package.version, auth):
                taken.append(f"{package.name} {package.version} is already on {public_url(index)}")
        else:
            assert npm is not None
            if npm.has_version(package.name, package.version):
                taken.append(f"{package.name}@{package.version} is already on {public_url(npm.registry)}")
    if taken:
        raise PublishError(
            "; ".join(taken) + ". A published version cannot be replaced: publish a new one (--version); "
            "nothing was built or uploaded"
        )


def _dist_name(target: Target) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in target.label).strip(".") or target.kind


def _clean_dist(folder: Path) -> Path:
    """The target's dist folder, without the artifacts of an earlier run (nothing else is touched)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file() and old.name.endswith((".whl", ".tar.gz", ".tgz")):
            old.unlink()
    return folder.resolve()


# ------------------------------------------------------------------------------------------ sources


def stage(config: Config, targets: list[Target], version: str | None, work: Path, progress: Progress) -> list[Package]:
    """Each target's package sources in `work/<n>`: the committed output if it is current, else a fresh generation."""
    from sdkgen.fingerprint import target_up_to_date
    from sdkgen.pipeline import Analysis, analyse, emit

    analyses: dict[Path, Analysis] = {}
    packages = []
    for number, target in enumerate(targets):
        source = work / str(number)
        spec = config.spec_path(target)
        out = config.out_path(target)
        options = dict(target.options)
        if version is not None:
            options["version"] = version if target.kind == "typescript" else python_version(version)
        if version is None and target_up_to_date(spec, target.kind, target.package, options, out):
            _copy_generated(out, source)
        else:
            why = f"version {version}" if version is not None else f"{target.out} is not up to date"
            progress(f"{target.label}: generating {target.kind} from {target.spec} ({why})")
            key = real_path(spec)
            if key not in analyses:
                analyses[key] = analyse(spec)
            files = emit(analyses[key], target.kind, target.package, options)
            for path, data in files.files.items():
                destination = source / path
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(data)
        name, package_version = read_metadata(source, target.kind)
        packages.append(Package(target, name, package_version, source))
    return packages


def _copy_generated(out: Path, destination: Path) -> None:
    """Exactly the files the manifest lists (no build output, no manifest)."""
    manifest = read_manifest(out)
    entries = manifest.get("files") if manifest else None
    assert isinstance(entries, dict)  # up_to_date() checked it
    for path in entries:
        if path == MANIFEST:
            continue
        target = destination / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / path, target)


def read_metadata(source: Path, kind: str) -> tuple[str, str]:
    """The package's name and version, from its pyproject.toml or package.json."""
    try:
        if kind == "python":
            project = tomllib.loads((source / "pyproject.toml").read_text("utf-8")).get("project", {})
            return str(project["name"]), python_version(str(project["version"]))
        data = json.loads((source / "package.json").read_text("utf-8"))
        return str(data["name"]), str(data["version"])
    except (OSError, KeyError, ValueError) as exc:
        raise PublishError(f"cannot read the generated package's name and version: {exc}") from exc


# ------------------------------------------------------------------------------------------ running tools


class Runner:
    """Runs a tool; a failure becomes a PublishError carrying the (redacted) end of what it printed."""

    def __init__(self, environ: Mapping[str, str], redact: Redactor) -> None:
        self.environ = dict(environ)
        self.environ.update(
            {
                "npm_config_audit": "false",
                "npm_config_fund": "false",
                "npm_config_update_notifier": "false",
                "PYTHONIOENCODING": "utf-8",
                "NO_COLOR": "1",
            }
        )
        self.redact = redact

    def run(
        self, command: list[str], what: str, *, cwd: Path | None = None, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = self.attempt(command, what, cwd=cwd, env=env)
        if result.returncode != 0:
            raise PublishError(f"{what} failed (exit {result.returncode}):\n{self.output(result)}")
        return result

    def attempt(
        self, command: list[str], what: str, *, cwd: Path | None = None, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                command,
                cwd=cwd,
                env={**self.environ, **(env or {})},
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=TOOL_TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except FileNotFoundError:
            raise PublishError(f"{what}: {command[0]} not found") from None
        except subprocess.TimeoutExpired:
            raise PublishError(f"{what} did not finish in {TOOL_TIMEOUT:.0f}s") from None

    def output(self, result: subprocess.CompletedProcess[str]) -> str:
        lines = (result.stdout + "\n" + result.stderr).strip().splitlines()
        shown = lines[-_OUTPUT_TAIL:]
        if len(lines) > len(shown):
            shown.insert(0, f"[... {len(lines) - len(shown)} earlier lines]")
        return "\n".join("  " + self.redact(line) for line in shown)


# ------------------------------------------------------------------------------------------ Python


def build_python(source: Path, out: Path, runner: Runner) -> list[Path]:
    """`python -m build`: the sdist, then the wheel built from it, into `out`."""
    runner.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], "python -m build")
    built = sorted(p for p in out.iterdir() if p.name.endswith((".whl", ".tar.gz")))
    if not any(p.name.endswith(".whl") for p in built) or not any(p.name.endswith(".tar.gz") for p in built):
        raise PublishError(f"python -m build left no sdist and wheel in {out}")
    return built


def upload_python(files: list[Path], repository_url: str, runner: Runner, environ: Mapping[str, str]) -> None:
    command = [
        *(sys.executable, "-m", "twine", "--no-color", "upload", "--non-interactive", "--disable-progress-bar"),
        *("--repository-url", repository_url, *map(str, files)),
    ]
    result = runner.attempt(command, "twine upload", env={PYPI_USERNAME: pypi_username(environ)})
    if result.returncode != 0:
        output = runner.output(result)
        refused = any(f"{code} " in output for code in ("401", "403"))
        hint = f"\nthe index refused the credentials: check {PYPI_USERNAME} and {PYPI_PASSWORD}" if refused else ""
        raise PublishError(f"twine upload failed (exit {result.returncode}):\n{output}{hint}")


def simple_index_url(repository_url: str) -> str:
    """The PEP 503 simple index beside an upload URL: PyPI's and TestPyPI's are known, else `<base>/simple/`."""
    parts = urllib.parse.urlsplit(repository_url)
    host = (parts.hostname or "").lower()
    if host == "upload.pypi.org":
        return "https://pypi.org/simple/"
    if host == "test.pypi.org":
        return "https://test.pypi.org/simple/"
    path = parts.path.rstrip("/")
    path = path.removesuffix("/legacy")
    return urllib.parse.urlunsplit(parts._replace(path=path + "/simple/", query="", fragment=""))


def normalise_name(name: str) -> str:
    """PEP 503 normalised project name."""
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


def pypi_has_version(index_url: str, project: str, version: str, auth: tuple[str, str] | None) -> bool:
    """True when the index's simple page of `project` lists a file of `version` (the page missing: False)."""
    from packaging.utils import InvalidSdistFilename, InvalidWheelFilename, parse_sdist_filename, parse_wheel_filename
    from packaging.version import Version

    url = index_url.rstrip("/") + "/" + normalise_name(project) + "/"
    status, page = _http_get(url, auth)
    where = public_url(index_url)
    if status == 404 or status is None:
        return False
    if status in (401, 403):
        raise PublishError(
            f"the index at {where} refused the credentials (HTTP {status}): check {PYPI_USERNAME} and {PYPI_PASSWORD}"
        )
    if status != 200:
        raise PublishError(f"the index at {where} answered HTTP {status} for {public_url(url)}")
    wanted = Version(version)
    for filename in _anchor_filenames(page):
        try:
            if filename.endswith(".whl"):
                name, found, *_ = parse_wheel_filename(filename)
            elif filename.endswith((".tar.gz", ".zip")):
                name, found = parse_sdist_filename(filename)
            else:
                continue
        except (InvalidWheelFilename, InvalidSdistFilename):
            continue
        if name == normalise_name(project) and found == wanted:
            return True
    return False


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the index's origin: credentials never go elsewhere, and a redirect away (a
    proxy index falling back to PyPI) means the project is not on this index."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if not _same_origin(req.full_url, newurl):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _same_origin(a: str, b: str) -> bool:
    pa, pb = urllib.parse.urlsplit(a), urllib.parse.urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


def _http_get(url: str, auth: tuple[str, str] | None) -> tuple[int | None, str]:
    """(status, body) of a GET; status None when a redirect led off the index."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None or parts.password is not None:  # credentials in the URL: send them as basic auth
        auth = (urllib.parse.unquote(parts.username or ""), urllib.parse.unquote(parts.password or ""))
        url = public_url(url)
    request = urllib.request.Request(url, headers={"Accept": "text/html", "User-Agent": "sdkgen-publish"})
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_unredirected_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(_SameOriginRedirects())
    try:
        with opener.open(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            return None, ""
        return exc.code, ""
    except (urllib.error.URLError, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        raise PublishError(f"cannot reach the index at {public_url(url)}: {reason}") from None


class _Anchors(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            path = urllib.parse.urlsplit(href).path
            if path:
                self.names.append(urllib.parse.unquote(path.rsplit("/", 1)[-1]))
            self._inside = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside and data.strip():
            self.names.append(data.strip())


def _anchor_filenames(page: str) -> list[str]:
    parser = _Anchors()
    parser.feed(page)
    return parser.names


# ------------------------------------------------------------------------------------------ TypeScript


def find_tsc(root: Path) -> Path:
    """The project's pinned TypeScript compiler (node_modules/.bin/tsc at or above the config), else tsc on PATH."""
    for directory in [root.resolve(), *root.resolve().parents]:
        candidate = directory / "node_modules" / ".bin" / "tsc"
        if candidate.is_file():
            return candidate
    found = shutil.which("tsc")
    if found is None:
        raise PublishError("the TypeScript compiler is missing: run `npm ci` beside the config (or install tsc)")
    return Path(found)


def build_typescript(source: Path, out: Path, runner: Runner, tsc: Path) -> list[Path]:
    """`tsc -p tsconfig.json`, then `npm pack` (scripts off: the build is done) into `out`."""
    # --skipLibCheck: TypeScript's own lib.*.d.ts need no checking (a third of the time); the SDK's sources are checked.
    runner.run([str(tsc), "-p", "tsconfig.json", "--skipLibCheck"], "tsc", cwd=source)
    result = runner.run(
        ["npm", "pack", "--json", "--ignore-scripts", "--pack-destination", str(out)], "npm pack", cwd=source
    )
    try:
        filename = json.loads(result.stdout)[0]["filename"]
    except (ValueError, LookupError, TypeError):
        raise PublishError(f"npm pack printed no package description:\n{runner.output(result)}") from None
    tarball = out / Path(str(filename)).name
    if not tarball.is_file():
        raise PublishError(f"npm pack did not write {tarball}")
    return [tarball]


class NpmSession:
    """npm commands against one registry, authenticated by NPM_TOKEN through a throwaway project `.npmrc`.

    The `.npmrc` holds `${NPM_TOKEN}` (npm expands it), the registry, and the registry of every scope, so neither
    a user's scoped registry nor a stray token of theirs can redirect or authenticate the upload.
    """

    def __init__(self, runner: Runner, home: Path, registry: str) -> None:
        self.runner = runner
        self.registry = registry if registry.endswith("/") else registry + "/"
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        parts = urllib.parse.urlsplit(self.registry)
        auth_key = f"//{parts.netloc.rsplit('@', 1)[-1]}{parts.path}"
        (home / "package.json").write_text('{"name": "sdkgen-publish", "private": true}\n', "utf-8")
        (home / ".npmrc").write_text(f"registry={self.registry}\n{auth_key}:_authToken=${{{NPM_TOKEN}}}\n", "utf-8")

    def _npm(self, *args: str, scope_of: str | None = None) -> list[str]:
        command = ["npm", *args, "--registry", self.registry]
        if scope_of and scope_of.startswith("@") and "/" in scope_of:
            command.append(f"--{scope_of.split('/', 1)[0]}:registry={self.registry}")
        return command

    def whoami(self) -> str:
        result = self.runner.attempt(self._npm("whoami"), "npm whoami", cwd=self.home)
        if result.returncode != 0:
            raise PublishError(
                f"the npm registry {public_url(self.registry)} refused {NPM_TOKEN} (npm whoami):\n"
                f"{self.runner.output(result)}"
            )
        return result.stdout.strip()

    def has_version(self, name: str, version: str) -> bool:
        result = self.runner.attempt(
            self._npm("view", f"{name}@{version}", "version", "--json", scope_of=name), "npm view", cwd=self.home
        )
        text = result.stdout + result.stderr
        if result.returncode != 0:
            if "E404" in text or "404 Not Found" in text:
                return False
            raise PublishError(f"npm view {name}@{version} failed:\n{self.runner.output(result)}")
        try:
            shown = json.loads(result.stdout) if result.stdout.strip() else None
        except ValueError:
            shown = result.stdout.strip()
        if isinstance(shown, list):
            return version in shown
        return shown == version

    def publish(self, name: str, tarball: Path) -> None:
        self.runner.run(
            self._npm("publish", str(tarball), "--ignore-scripts", scope_of=name), "npm publish", cwd=self.home
        )
