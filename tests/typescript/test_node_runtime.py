"""The generated TypeScript runtime's behaviour: compile a fixture SDK with the node tests, run `node --test`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from ts_support import COMPILER_OPTIONS, FIXTURES, NODE, generate_sdk, requires_node, tsc, write_json

pytestmark = requires_node
TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ts-runtime")
    generate_sdk(FIXTURES / "runtime.yaml", root / "sdk", "runtime-fixture")
    (root / "tests").mkdir()
    for source in TESTS.glob("*.ts"):
        shutil.copy(source, root / "tests" / source.name)
    write_json(root / "package.json", {"private": True, "type": "module"})
    write_json(
        root / "tsconfig.json",
        {"compilerOptions": {**COMPILER_OPTIONS, "outDir": "build", "rootDir": "."}, "include": ["sdk/src", "tests"]},
    )
    result = tsc("-p", "tsconfig.json", "--pretty", "false", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_runtime_behaviour_under_node_test(compiled: Path) -> None:
    assert NODE is not None
    files = sorted(str(p.relative_to(compiled)) for p in (compiled / "build" / "tests").glob("*.test.js"))
    assert len(files) == 2
    result = subprocess.run(
        [NODE, "--test", "--test-reporter=spec", *files], cwd=compiled, capture_output=True, text=True, timeout=300
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "fail 0" in output, output


def test_platform_sdk_compiles_under_strict(tmp_path: Path) -> None:
    spec = Path(__file__).resolve().parents[2] / "specs" / "platform" / "openapi.yaml"
    out = generate_sdk(spec, tmp_path / "sdk", "@platform/sdk")
    result = tsc("-p", "tsconfig.json", "--noEmit", "--pretty", "false", cwd=out)
    assert result.returncode == 0, result.stdout


def test_hostile_spec_text_cannot_inject_code(tmp_path: Path) -> None:
    out = generate_sdk(FIXTURES / "hostile.yaml", tmp_path / "sdk", "hostile")
    result = tsc("-p", "tsconfig.json", "--pretty", "false", cwd=out)
    assert result.returncode == 0, result.stdout
    assert NODE is not None
    probe = tmp_path / "probe.mjs"
    probe.write_text(
        'globalThis.pwned = false;\nconst sdk = await import("./sdk/dist/index.js");\n'
        "new sdk.Client({ baseUrl: 'http://127.0.0.1:9' });\n"
        "if (globalThis.pwned) { throw new Error('spec text ran as code'); }\nconsole.log('ok');\n"
    )
    run = subprocess.run([NODE, str(probe)], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stdout + run.stderr


def test_webhooks_are_parsed_and_typed_by_name(tmp_path: Path) -> None:
    out = generate_sdk(FIXTURES / "webhooks.yaml", tmp_path / "sdk", "events")
    (out / "src" / "check.ts").write_text(
        'import { webhooks, type models } from "./index.js";\n'
        'const text = \'{"type": "order.paid", "order_id": "o1", "amount": 9}\';\n'
        'export const paid: models.OrderPaid = webhooks.parse("order.paid", text);\n'
        "// @ts-expect-error: order.paid is not a refund\n"
        'export const refund: models.OrderRefunded = webhooks.parse("order.paid", text);\n'
        "// @ts-expect-error: not a webhook of this API\n"
        'webhooks.parse("order.shipped", text);\n'
        "export const any: webhooks.WebhookEvent = webhooks.unwrap(text);\n"
    )
    result = tsc("-p", "tsconfig.json", "--pretty", "false", cwd=out)
    assert result.returncode == 0, result.stdout
    assert NODE is not None
    probe = tmp_path / "probe.mjs"
    probe.write_text(
        'globalThis.pwned = false;\nconst { webhooks } = await import("./sdk/dist/index.js");\n'
        "const body = JSON.stringify({ type: 'order.paid', order_id: 'o1', amount: 9 });\n"
        "const paid = webhooks.parse('order.paid', body);\n"
        "let unknown = '';\ntry { webhooks.parse('order.shipped', '{}'); } catch (e) { unknown = e.message; }\n"
        "console.log(JSON.stringify({ paid, names: webhooks.WEBHOOKS, unknown, pwned: globalThis.pwned }));\n"
    )
    run = subprocess.run([NODE, str(probe)], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout) == {
        "paid": {"type": "order.paid", "order_id": "o1", "amount": 9},
        "names": ["order.paid", "order.refunded", 'x"]: 1 }; globalThis.pwned = true; //'],  # not the text/plain ping
        "unknown": '"order.shipped" is not a webhook of this API',
        "pwned": False,
    }


@pytest.mark.parametrize("fixture", ["runtime.yaml", "hostile.yaml", "webhooks.yaml"])
def test_sdk_compiles_under_the_strictest_consumer_options(tmp_path: Path, fixture: str) -> None:
    """Consumers who compile the SDK's sources with their own, stricter settings get no error either."""
    out = generate_sdk(FIXTURES / fixture, tmp_path / "sdk", "strictest")
    flags = [
        "--exactOptionalPropertyTypes",
        "--noUncheckedIndexedAccess",
        "--noImplicitReturns",
        "--noUnusedLocals",
        "--noUnusedParameters",
        "--noPropertyAccessFromIndexSignature",
        "--noFallthroughCasesInSwitch",
        "--verbatimModuleSyntax",
        "--isolatedModules",
    ]
    result = tsc("-p", "tsconfig.json", "--noEmit", "--pretty", "false", *flags, cwd=out)
    assert result.returncode == 0, result.stdout
