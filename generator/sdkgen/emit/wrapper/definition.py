"""Wrapper definitions: one unified interface over several vendor APIs, read and checked against their specs.

Every mapping is checked at generation time against both sides: a field that does not exist, a
type that does not fit, an enum value left unmapped, a required field left unfed. Each problem is
a diagnostic naming the wrapper file's line and the vendor spec's location.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdkgen.diagnostics import Diagnostic, SpecError, error, join_pointer, split_pointer
from sdkgen.ir.build import build_api
from sdkgen.ir.model import (
    AnyType,
    Api,
    ArrayType,
    LiteralType,
    MapType,
    Model,
    ModelKind,
    ModelRef,
    NullType,
    Operation,
    Parameter,
    Primitive,
    PrimitiveKind,
    Property,
    TypeRef,
    UnionType,
)
from sdkgen.load import LoadedSpec
from sdkgen.load.bundle import Origins
from sdkgen.load.source import SourceFile, read_source
from sdkgen.load.validate import parse_openapi
from sdkgen.pipeline import Analysis, analyse


@dataclass
class FieldMapping:
    target: str
    pointer: str
    source: tuple[str, ...] | None = None  # path; request sources start with "input"
    const: Any = None
    has_const: bool = False
    value_map: dict[str, Any] | None = None
    multiply: float | None = None
    divide: float | None = None
    required: bool = False  # assert at run time that an optional source is present


@dataclass
class Binding:
    unified: str
    call: str
    pointer: str
    request: list[FieldMapping]
    response: list[FieldMapping]
    operation: Operation | None = None


@dataclass
class WebhookBinding:
    schema: str
    pointer: str
    when: dict[str, Any]
    response: list[FieldMapping]
    model_key: str = ""


@dataclass
class Vendor:
    name: str
    spec: Path
    pointer: str
    bindings: dict[str, Binding]
    webhooks: list[WebhookBinding]
    analysis: Analysis | None = None

    @property
    def api(self) -> Api:
        assert self.analysis is not None
        return self.analysis.api


@dataclass
class UnifiedOperation:
    name: str
    input: str  # model key in the unified api
    output: str
    pointer: str


@dataclass
class Wrapper:
    name: str
    description: str | None
    source: SourceFile
    unified: Api
    operations: list[UnifiedOperation]
    webhook_output: str | None
    vendors: list[Vendor] = field(default_factory=list)


def load_wrapper(path: Path) -> Wrapper:
    source, diagnostics = read_source(path)
    if source is None:
        raise SpecError(diagnostics)
    data = source.data
    problems: list[Diagnostic] = []

    def fail(pointer: str, message: str) -> None:
        problems.append(error("invalid-wrapper", message, source.locate(pointer)))

    if not isinstance(data, dict):
        raise SpecError([error("invalid-wrapper", "a wrapper file is a mapping", source.locate(""))])
    name = data.get("name")
    if not isinstance(name, str) or not name:
        fail("/name", "missing 'name'")
    models = data.get("models")
    if not isinstance(models, dict) or not models:
        fail("/models", "missing 'models' (the unified request/response schemas)")
    if problems:
        raise SpecError(problems)
    unified = _unified_api(source, data)
    by_name = {model.key.rsplit("/", 1)[-1]: model.key for model in unified.models.values()}
    operations = []
    for op_name, spec in (data.get("operations") or {}).items():
        pointer = join_pointer("/operations", op_name)
        if not _operation_name(op_name):
            fail(pointer, f"operation name {op_name!r} is not a snake_case identifier (a method of every adapter)")
            continue
        if not isinstance(spec, dict) or spec.get("input") not in by_name or spec.get("output") not in by_name:
            fail(pointer, f"operation {op_name!r} needs 'input' and 'output' naming models of this file")
            continue
        operations.append(UnifiedOperation(op_name, by_name[spec["input"]], by_name[spec["output"]], pointer))
    webhook = data.get("webhook")
    webhook_output = None
    if webhook is not None:
        if not isinstance(webhook, dict) or webhook.get("output") not in by_name:
            fail("/webhook", "'webhook' needs an 'output' naming a model of this file")
        else:
            webhook_output = by_name[webhook["output"]]
    wrapper = Wrapper(str(name), data.get("description"), source, unified, operations, webhook_output)
    for vendor_name, spec in (data.get("vendors") or {}).items():
        vendor = _vendor(vendor_name, spec, join_pointer("/vendors", vendor_name), path.parent, fail)
        if vendor is not None:
            wrapper.vendors.append(vendor)
    if not wrapper.vendors:
        fail("/vendors", "no vendors")
    if problems:
        raise SpecError(problems)
    for vendor in wrapper.vendors:
        vendor.analysis = analyse(vendor.spec)
    problems.extend(Checker(wrapper).check())
    if problems:
        raise SpecError(problems)
    return wrapper


def _unified_api(source: SourceFile, data: dict[str, Any]) -> Api:
    """The unified models, read as the components of a synthetic OpenAPI document."""

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: (
                    v.replace("#/models/", "#/components/schemas/")
                    if k == "$ref" and isinstance(v, str)
                    else rewrite(v)
                )
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    document = {
        "openapi": "3.1.0",
        "info": {"title": str(data.get("name")), "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": rewrite(data["models"])},
    }
    origins = Origins(source, {"/components/schemas": (source, "/models")})
    model, document, problems = parse_openapi(document, "3.1.0", origins.locate)
    if model is None:
        raise SpecError(problems)
    spec = LoadedSpec(source.path, "3.1.0", document, model, origins, [source], problems)
    api, diagnostics = build_api(spec)
    if any(d.is_error for d in diagnostics):
        raise SpecError(diagnostics)
    return api


def _mappings(raw: Any, pointer: str, fail: Any, request: bool) -> list[FieldMapping]:
    result: list[FieldMapping] = []
    if not isinstance(raw, dict):
        fail(pointer, "expected a mapping of field: source")
        return result
    for target, spec in raw.items():
        where = join_pointer(pointer, target)
        if isinstance(spec, str):
            spec = {"from": spec}
        if not isinstance(spec, dict):
            fail(where, "a field mapping is a path string or an object with from/const/map/multiply/divide")
            continue
        unknown = set(spec) - {"from", "const", "map", "multiply", "divide", "required"}
        if unknown:
            fail(where, f"unknown keys {sorted(unknown)}")
            continue
        mapping = FieldMapping(str(target), where, required=bool(spec.get("required")))
        if "const" in spec:
            mapping.const, mapping.has_const = spec["const"], True
        elif isinstance(spec.get("from"), str):
            path = tuple(spec["from"].split("."))
            if request and path[0] != "input":
                fail(where, "request sources start with 'input.'")
                continue
            mapping.source = path[1:] if request else path
        else:
            fail(where, "needs 'from' or 'const'")
            continue
        if "map" in spec:
            if not isinstance(spec["map"], dict):
                fail(join_pointer(where, "map"), "'map' is a mapping of value: value")
                continue
            mapping.value_map = {str(k): v for k, v in spec["map"].items()}
        for key in ("multiply", "divide"):
            if key in spec:
                if not isinstance(spec[key], (int, float)) or spec[key] == 0:
                    fail(join_pointer(where, key), f"'{key}' is a non-zero number")
                    continue
                setattr(mapping, key, spec[key])
        result.append(mapping)
    return result


_OPERATION_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _operation_name(name: object) -> bool:
    """Operation names become method names in Python and TypeScript as written: keep them plain."""
    return (
        isinstance(name, str)
        and _OPERATION_NAME.fullmatch(name) is not None
        and not keyword.iskeyword(name)
        and name not in ("constructor", "prototype")
    )


def _vendor(name: str, spec: Any, pointer: str, base: Path, fail: Any) -> Vendor | None:
    if not isinstance(spec, dict) or not isinstance(spec.get("spec"), str):
        fail(pointer, f"vendor {name!r} needs 'spec' (a path relative to this file)")
        return None
    path = base / spec["spec"]
    if not path.is_file():
        fail(join_pointer(pointer, "spec"), f"vendor spec {spec['spec']!r} not found")
        return None
    bindings = {}
    for op_name, binding in (spec.get("operations") or {}).items():
        where = join_pointer(pointer, "operations", op_name)
        if not isinstance(binding, dict) or not isinstance(binding.get("call"), str):
            fail(where, "needs 'call': the vendor operationId implementing it")
            continue
        bindings[op_name] = Binding(
            op_name,
            binding["call"],
            where,
            _mappings(binding.get("request") or {}, join_pointer(where, "request"), fail, True),
            _mappings(binding.get("response") or {}, join_pointer(where, "response"), fail, False),
        )
    webhooks = []
    for index, hook in enumerate(spec.get("webhooks") or []):
        where = join_pointer(pointer, "webhooks", index)
        if not isinstance(hook, dict) or not isinstance(hook.get("schema"), str):
            fail(where, "a webhook needs 'schema': the vendor component schema of the payload")
            continue
        webhooks.append(
            WebhookBinding(
                hook["schema"],
                where,
                dict(hook.get("when") or {}),
                _mappings(hook.get("response") or {}, join_pointer(where, "response"), fail, False),
            )
        )
    return Vendor(name, path, pointer, bindings, webhooks)


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class Slot:
    """One end of a mapping: its type and whether it may be missing (optional or nullable)."""

    type: TypeRef
    optional: bool
    where: str  # human location, for messages


class Checker:
    def __init__(self, wrapper: Wrapper):
        self.wrapper = wrapper
        self.problems: list[Diagnostic] = []

    def check(self) -> list[Diagnostic]:
        w = self.wrapper
        for vendor in w.vendors:
            for op in w.operations:
                binding = vendor.bindings.get(op.name)
                if binding is None:
                    self._fail(vendor.pointer, f"vendor {vendor.name!r} does not implement {op.name!r}")
                    continue
                self._binding(vendor, op, binding)
            for name in vendor.bindings:
                if name not in {op.name for op in w.operations}:
                    self._fail(vendor.bindings[name].pointer, f"{name!r} is not an operation of the interface")
            for hook in vendor.webhooks:
                self._webhook(vendor, hook)
        return self.problems

    def _fail(self, pointer: str, message: str) -> None:
        self.problems.append(error("invalid-mapping", message, self.wrapper.source.locate(pointer)))

    def _vendor_where(self, vendor: Vendor, pointer: str) -> str:
        assert vendor.analysis is not None
        return str(vendor.analysis.spec.locate(pointer)) + f" (#{pointer})"

    def _binding(self, vendor: Vendor, op: UnifiedOperation, binding: Binding) -> None:
        vendor_op = next((o for o in vendor.api.operations if o.key == binding.call), None)
        if vendor_op is None:
            self._fail(join_pointer(binding.pointer, "call"), f"{vendor.spec.name} has no operation {binding.call!r}")
            return
        binding.operation = vendor_op
        unified = self.wrapper.unified
        input_model = unified.models[op.input]
        targets: dict[str, Slot] = {}
        for param in vendor_op.parameters:
            targets[param.wire] = Slot(param.type, not param.required, self._param_where(vendor, vendor_op, param))
        body = vendor_op.request_body
        if body is not None and body.fields is not None:
            for f in body.fields:
                targets[f.property.wire] = Slot(
                    f.property.type,
                    not (f.property.required and body.required),
                    self._vendor_where(vendor, vendor_op.origin),
                )
        fed = set()
        for mapping in binding.request:
            target = targets.get(mapping.target)
            if target is None:
                self._fail(
                    mapping.pointer,
                    f"{binding.call} has no parameter or body field {mapping.target!r}"
                    f" (see {self._vendor_where(vendor, vendor_op.origin)})",
                )
                continue
            fed.add(mapping.target)
            source = self._path(unified, input_model, mapping.source, "input") if mapping.source is not None else None
            self._fits(mapping, source, target, unified, vendor.api)
        for wire, slot in targets.items():
            if not slot.optional and wire not in fed:
                self._fail(
                    binding.pointer, f"{binding.call} requires {wire!r}, which the mapping does not set ({slot.where})"
                )
        output = unified.models[op.output]
        response_type = vendor_op.success.preferred.type if vendor_op.success and vendor_op.success.preferred else None
        response_model = _object(vendor.api, response_type) if response_type is not None else None
        if response_model is None:
            self._fail(binding.pointer, f"{binding.call} has no JSON object response to map from")
            return
        self._response(vendor, binding.response, response_model, output, binding.pointer)

    def _webhook(self, vendor: Vendor, hook: WebhookBinding) -> None:
        key = "/components/schemas/" + hook.schema
        model = vendor.api.models.get(key)
        if model is None or model.kind is not ModelKind.OBJECT:
            self._fail(join_pointer(hook.pointer, "schema"), f"{vendor.spec.name} has no object schema {hook.schema!r}")
            return
        hook.model_key = key
        output_key = self.wrapper.webhook_output
        if output_key is None:
            self._fail(hook.pointer, "webhooks need a top-level 'webhook: {output: Model}'")
            return
        self._response(vendor, hook.response, model, self.wrapper.unified.models[output_key], hook.pointer)

    def _response(
        self, vendor: Vendor, mappings: list[FieldMapping], source: Model, output: Model, pointer: str
    ) -> None:
        unified = self.wrapper.unified
        fed = set()
        for mapping in mappings:
            prop = next((p for p in output.properties if p.wire == mapping.target), None)
            if prop is None:
                self._fail(mapping.pointer, f"{output.name.py} has no field {mapping.target!r}")
                continue
            fed.add(prop.wire)
            target = Slot(prop.type, not prop.required, f"{output.name.py}.{prop.wire}")
            source_slot = (
                self._path(vendor.api, source, mapping.source, source.name.py, vendor) if mapping.source else None
            )
            self._fits(mapping, source_slot, target, vendor.api, unified)
        for prop in output.properties:
            if prop.required and prop.wire not in fed:
                self._fail(pointer, f"the mapping does not set {output.name.py}.{prop.wire}, which is required")

    def _param_where(self, vendor: Vendor, op: Operation, param: Parameter) -> str:
        return f"parameter {param.wire!r} of {op.key} at {self._vendor_where(vendor, op.origin)}"

    def _path(
        self, api: Api, model: Model, path: tuple[str, ...] | None, label: str, vendor: Vendor | None = None
    ) -> Slot | None:
        if not path:
            return None
        optional = False
        current: Model | None = model
        where = label
        prop: Property | None = None
        for token in path:
            if current is None:
                return Slot(AnyType(), True, f"{where} (not an object)")
            prop = next((p for p in current.properties if p.wire == token), None)
            if prop is None:
                origin = self._vendor_where(vendor, current.origin) if vendor else where
                return Slot(NullType(), True, f"missing:{current.name.py} has no field {token!r} ({origin})")
            optional = optional or not prop.required or prop.type.nullable
            where = f"{where}.{token}"
            current = _object(api, prop.type)
        assert prop is not None
        return Slot(prop.type, optional, where)

    def _fits(self, mapping: FieldMapping, source: Slot | None, target: Slot, source_api: Api, target_api: Api) -> None:
        if source is not None and source.where.startswith("missing:"):
            self._fail(mapping.pointer, source.where.removeprefix("missing:"))
            return
        target_kind = _kind(target_api, target.type)
        if mapping.has_const:
            if mapping.const is None:
                if not (target.optional or target.type.nullable):
                    self._fail(mapping.pointer, f"null does not fit {target.where}, which is required")
            elif not _value_fits(target_api, target.type, mapping.const):
                self._fail(mapping.pointer, f"constant {mapping.const!r} does not fit {target.where} ({target_kind})")
            return
        assert source is not None
        if source.optional and not target.optional and not mapping.required:
            self._fail(
                mapping.pointer,
                f"{source.where} may be missing but {target.where} is required"
                " (add 'required: true' to check it at run time)",
            )
        source_kind = _kind(source_api, source.type)
        if mapping.value_map is not None:
            values = _enum_values(source_api, source.type)
            if values is not None:
                missing = [v for v in values if str(v) not in mapping.value_map]
                if missing:
                    self._fail(
                        mapping.pointer, f"values of {source.where} left unmapped: {', '.join(map(str, missing))}"
                    )
            for key, value in mapping.value_map.items():
                if values is not None and key not in {str(v) for v in values}:
                    self._fail(join_pointer(mapping.pointer, "map", key), f"{key!r} is not a value of {source.where}")
                if not _value_fits(target_api, target.type, value):
                    self._fail(join_pointer(mapping.pointer, "map", key), f"{value!r} does not fit {target.where}")
            return
        if mapping.multiply is not None or mapping.divide is not None:
            if source_kind not in ("integer", "number") or target_kind not in ("integer", "number"):
                self._fail(mapping.pointer, f"multiply/divide needs numbers: {source.where} is {source_kind}")
            return
        target_values = _enum_values(target_api, target.type)
        if target_values is not None:
            source_values = _enum_values(source_api, source.type)
            if source_values is None or not set(map(str, source_values)) <= set(map(str, target_values)):
                self._fail(
                    mapping.pointer, f"{source.where} ({source_kind}) does not fit the enum {target.where}: add a 'map'"
                )
            return
        if not _compatible(source_kind, target_kind):
            self._fail(
                mapping.pointer, f"{source.where} is {source_kind}, which does not fit {target.where} ({target_kind})"
            )


def _resolve(api: Api, t: TypeRef) -> TypeRef:
    seen = set()
    while isinstance(t, ModelRef) and t.key not in seen:
        seen.add(t.key)
        model = api.models[t.key]
        if model.kind is ModelKind.ALIAS and model.target is not None:
            t = dataclasses.replace(model.target, nullable=model.target.nullable or t.nullable)
        else:
            return t
    return t


def _object(api: Api, t: TypeRef) -> Model | None:
    t = _resolve(api, t)
    if isinstance(t, ModelRef) and api.models[t.key].kind is ModelKind.OBJECT:
        return api.models[t.key]
    return None


def _enum_values(api: Api, t: TypeRef) -> list[Any] | None:
    t = _resolve(api, t)
    if isinstance(t, ModelRef) and api.models[t.key].kind is ModelKind.ENUM:
        return [m.value for m in api.models[t.key].members]
    if isinstance(t, LiteralType):
        return list(t.values)
    return None


def _kind(api: Api, t: TypeRef) -> str:
    t = _resolve(api, t)
    if isinstance(t, Primitive):
        return str(t.kind.value)
    if isinstance(t, ModelRef):
        model = api.models[t.key]
        if model.kind is ModelKind.ENUM:
            return str((model.enum_base or PrimitiveKind.STRING).value)
        return str(model.kind.value)
    if isinstance(t, LiteralType):
        names = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
        return names.get(type(t.values[0]).__name__, "any")
    if isinstance(t, (ArrayType, MapType)):
        return "array" if isinstance(t, ArrayType) else "object"
    if isinstance(t, UnionType):
        return "union"
    return "any"


def _compatible(source: str, target: str) -> bool:
    if source == target or target == "any":
        return True
    return source == "integer" and target == "number"


def _value_fits(api: Api, t: TypeRef, value: Any) -> bool:
    values = _enum_values(api, t)
    if values is not None:
        return value in values
    kind = _kind(api, t)
    checks = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "any": True,
    }
    return checks.get(kind, False)


__all__ = ["Binding", "FieldMapping", "Vendor", "WebhookBinding", "Wrapper", "load_wrapper", "split_pointer"]
