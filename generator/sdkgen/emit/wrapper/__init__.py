"""The wrapper emitter: vendor SDKs plus one typed adapter per vendor behind a unified interface.

Adapters are plain typed code (no mapping interpreter at run time): each mapping of the wrapper
file becomes one expression, decided here from the checked definition.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdkgen.emit import EmitError, render, runtime_files
from sdkgen.emit.python import docstring, emit_python
from sdkgen.emit.python.imports import sort_all, sort_members
from sdkgen.emit.wrapper.definition import (
    Binding,
    FieldMapping,
    Vendor,
    WebhookBinding,
    Wrapper,
    _enum_values,
    _object,
    _resolve,
    load_wrapper,
)
from sdkgen.fingerprint import templates_dir
from sdkgen.ir import naming
from sdkgen.ir.model import Api, Model, ModelKind, ModelRef, ParameterLocation, Primitive, PrimitiveKind, TypeRef
from sdkgen.write import FileSet

__all__ = ["emit_wrapper", "load_wrapper"]

_PACKAGE = re.compile(r"^[a-z_][a-z0-9_]*$")


def emit_wrapper(wrapper: Wrapper, package: str, options: dict[str, Any]) -> FileSet:
    if not _PACKAGE.match(package):
        raise EmitError(f"package name {package!r} is not a valid lower-case Python module name")
    return _WrapperEmitter(wrapper, package).emit()


@dataclass
class _Imports:
    """What an adapter module refers to. Models are never imported by name: the vendor SDK's models are
    written `<sdk>.models.X` and the unified ones `<unified>.X` (`models`, unless a method takes that name),
    so a unified and a vendor model of the same name, or a model named like the adapter's own class, never
    meet in one namespace."""

    unified_ns: str
    vendor_ns: str
    vendor: bool = False  # whether `<sdk>.models` is used

    def model(self, name: str, *, unified: bool) -> str:
        if unified:
            return f"{self.unified_ns}.{name}"
        self.vendor = True
        return f"{self.vendor_ns}.{name}"


@dataclass(frozen=True)
class _VendorNames:
    """A vendor's names in the generated code, decided once for both languages."""

    module: str  # the adapter module (`vendors/<module>.py`, `ts/src/vendors/<module>.ts`)
    sdk: str  # the vendor SDK's Python package
    py_class: str
    py_async_class: str
    ts_class: str


_INIT_EXPORTS = [
    *("VENDORS", "create_provider", "create_async_provider", "ProviderError", "ProviderNotFoundError"),
    *("ProviderRejectedError", "ProviderUnavailableError"),
]
# Module-level names of the TypeScript index.ts besides the protocol and the adapter classes.
_TS_INDEX_NAMES = frozenset(
    {"models", "VENDORS", "Vendor", "VendorOptions", "createProvider"}
    | {"ProviderError", "ProviderNotFoundError", "ProviderRejectedError", "ProviderUnavailableError"}
)


def _vendor_names(wrapper: Wrapper, package: str, py_protocol: str, ts_protocol: str) -> list[_VendorNames]:
    """Module, package and class names of each vendor, unique: two vendors whose names differ only in
    case or separators get numbered apart, and no adapter class takes the interface's name (a vendor named
    like the wrapper) or an `Async` twin's; the SDK packages sit beside the wrapper's own package."""
    modules = naming.Namespace({"__init__"})
    packages = naming.Namespace({package, "_runtime"})
    py_classes = naming.Namespace({py_protocol, "Async" + py_protocol, *_INIT_EXPORTS})
    ts_classes = naming.Namespace({ts_protocol, *_TS_INDEX_NAMES})
    result = []
    for vendor in wrapper.vendors:
        base = naming.py_identifier(vendor.name)
        module = modules.claim(base)
        sdk = packages.claim(module + "_sdk")
        py_base = naming.py_class_name(vendor.name) + "Provider"
        py_class = py_base
        n = 1
        while py_class in py_classes or "Async" + py_class in py_classes:
            n += 1
            py_class = f"{py_base}{n}"
        py_classes.claim(py_class)
        py_classes.claim("Async" + py_class)
        ts_base = naming.ts_type_name(vendor.name) + "Provider"
        ts_class = ts_base
        n = 1
        while ts_class in ts_classes or ts_class + "Options" in ts_classes:
            n += 1
            ts_class = f"{ts_base}{n}"
        ts_classes.claim(ts_class)
        ts_classes.claim(ts_class + "Options")  # index.ts imports each vendor's ClientOptions under this name
        result.append(_VendorNames(module, sdk, py_class, "Async" + py_class, ts_class))
    return result


def _models_alias(wrapper: Wrapper) -> str:
    """The name the adapters and the interface bind the unified models module to: `models`, unless a
    class attribute (a method named after an operation) would hide it from the class's annotations."""
    attributes = {op.name for op in wrapper.operations} | {"vendor", "client", "parse_webhook"}
    return naming.Namespace(attributes).claim("models")


class _WrapperEmitter:
    def __init__(self, wrapper: Wrapper, package: str):
        self.w = wrapper
        self.package = package
        self.source = wrapper.source.path.name
        self.models_alias = _models_alias(wrapper)

    def emit(self) -> FileSet:
        files = FileSet()
        pkg = self.package
        unified_files = emit_python(self.w.unified, pkg, {})
        for path, data in unified_files.files.items():
            if path.startswith(f"{pkg}/models/") or path in (f"{pkg}/_models.py", f"{pkg}/py.typed"):
                files.add(path, data)
        for path, data in runtime_files("wrapper/python").items():
            files.add(f"{pkg}/{path}", data)
        protocol = naming.py_class_name(self.w.name) + "Provider"
        names = _vendor_names(self.w, pkg, protocol, _ts_protocol(self.w))
        operations = [
            {"name": op.name, "input": self._unified_name(op.input), "output": self._unified_name(op.output)}
            for op in self.w.operations
        ]
        webhook = self._unified_name(self.w.webhook_output) if self.w.webhook_output else None
        files.add(
            f"{pkg}/_interface.py",
            render(
                "wrapper/python",
                "interface.py.j2",
                source=self.source,
                protocol=protocol,
                async_protocol="Async" + protocol,
                operations=operations,
                webhook=webhook,
                doc=docstring(self.w.description),
                models_import=self._models_import("."),
                exports=sort_all([protocol, "Async" + protocol]),
            ),
        )
        vendors = []
        packages = [pkg]
        files.add(f"{pkg}/vendors/__init__.py", '"""One adapter module per vendor."""\n')
        for vendor, vendor_names in zip(self.w.vendors, names, strict=True):
            sdk = vendor_names.sdk
            packages.append(sdk)
            vendor_files = emit_python(vendor.api, sdk, {})
            for path, data in vendor_files.files.items():
                if path.startswith(f"{sdk}/"):
                    files.add(path, data)
            module = vendor_names.module
            class_name = vendor_names.py_class
            files.add(f"{pkg}/vendors/{module}.py", self._adapter(vendor, sdk, class_name))
            vendors.append(
                {"name": vendor.name, "module": module, "class_name": class_name, "async_class": "Async" + class_name}
            )
        files.add(
            f"{pkg}/__init__.py",
            render(
                "wrapper/python",
                "init.py.j2",
                source=self.source,
                package=pkg,
                doc=docstring(self.w.description) or docstring(self.w.name),
                protocol=protocol,
                async_protocol="Async" + protocol,
                protocols=sort_members([protocol, "Async" + protocol]),
                exports=sort_all([protocol, "Async" + protocol, *_INIT_EXPORTS]),
                vendors=vendors,
            ),
        )
        files.add(
            "pyproject.toml",
            render("wrapper/python", "pyproject.toml.j2", distribution=pkg.replace("_", "-"), packages=packages),
        )
        _TypeScriptAdapters(self.w, self.source, names).emit(files)
        return files

    def _unified_name(self, key: str) -> str:
        """A unified model as the interface and the adapters write it: `models.X`."""
        return f"{self.models_alias}.{self.w.unified.models[key].name.py}"

    def _models_import(self, package: str) -> str:
        alias = self.models_alias
        return f"from {package} import models" + ("" if alias == "models" else f" as {alias}")

    # ------------------------------------------------------------------ adapters

    def _adapter(self, vendor: Vendor, sdk: str, class_name: str) -> str:
        imports = _Imports(self.models_alias, f"{sdk}.models")
        tables: list[tuple[str, str]] = []
        operations = []
        for op in self.w.operations:
            binding = vendor.bindings[op.name]
            operations.append(self._operation(vendor, binding, imports, tables))
        webhook = None
        if vendor.webhooks and self.w.webhook_output:
            output = self.w.unified.models[self.w.webhook_output]
            alternatives = [
                self._webhook(vendor, hook, output, imports, tables, f"event{n}")
                for n, hook in enumerate(vendor.webhooks, start=1)
            ]
            webhook = {"output": imports.model(output.name.py, unified=True), "alternatives": alternatives}
        return render(
            "wrapper/python",
            "adapter.py.j2",
            source=self.source,
            vendor=vendor.name,
            sdk=sdk,
            class_name=class_name,
            async_class="Async" + class_name,
            exports=sort_all([class_name, "Async" + class_name]),
            operations=operations,
            webhook=webhook,
            tables=tables,
            models_import=self._models_import(".."),
            vendor_models=imports.vendor,
        )

    def _operation(
        self, vendor: Vendor, binding: Binding, imports: _Imports, tables: list[tuple[str, str]]
    ) -> dict[str, Any]:
        op = binding.operation
        assert op is not None
        api = vendor.api
        unified_op = next(o for o in self.w.operations if o.name == binding.unified)
        input_model = self.w.unified.models[unified_op.input]
        by_target = {m.target: m for m in binding.request}
        positional = []
        keywords = []
        for param in op.parameters:
            mapping = by_target.get(param.wire)
            if param.location is ParameterLocation.PATH:
                assert mapping is not None  # the checker made sure
                positional.append(
                    self._request_expr(mapping, input_model, param.type, True, api, vendor, imports, tables)
                )
            elif mapping is not None:
                expr = self._request_expr(
                    mapping, input_model, param.type, param.required, api, vendor, imports, tables
                )
                keywords.append((param.name.py, expr))
        body = op.request_body
        for body_field in (body.fields or []) if body else []:
            mapping = by_target.get(body_field.property.wire)
            if mapping is not None:
                required = body_field.property.required and body is not None and body.required
                prop_type = body_field.property.type
                expr = self._request_expr(mapping, input_model, prop_type, required, api, vendor, imports, tables)
                keywords.append((body_field.name.py, expr))
        resource = next(r for r in api.resources if r.key == op.resource)
        output = self.w.unified.models[unified_op.output]
        assert op.success is not None and op.success.preferred is not None
        source_model = _object(api, op.success.preferred.type)
        assert source_model is not None
        fields = self._fields(binding.response, output, source_model, "result", vendor, imports, tables)
        return {
            "name": unified_op.name,
            "input": imports.model(input_model.name.py, unified=True),
            "output": imports.model(output.name.py, unified=True),
            "call": f"{resource.name.py}.{op.name.py}",
            "positional": positional,
            "keywords": keywords,
            "fields": fields,
        }

    def _webhook(
        self,
        vendor: Vendor,
        hook: WebhookBinding,
        output: Model,
        imports: _Imports,
        tables: list[tuple[str, str]],
        variable: str,
    ) -> dict[str, Any]:
        model = vendor.api.models[hook.model_key]
        condition = " and ".join(f"payload.get({k!r}) == {v!r}" for k, v in hook.when.items()) or "True"
        fields = self._fields(hook.response, output, model, variable, vendor, imports, tables)
        return {"condition": condition, "model": imports.model(model.name.py, unified=False), "fields": fields}

    def _fields(
        self,
        mappings: list[FieldMapping],
        output: Model,
        source: Model,
        root: str,
        vendor: Vendor,
        imports: _Imports,
        tables: list[tuple[str, str]],
    ) -> list[tuple[str, str]]:
        result = []
        for mapping in mappings:
            prop = next(p for p in output.properties if p.wire == mapping.target)
            required = prop.required and not prop.type.nullable
            if mapping.has_const:
                expr = self._const(mapping.const, prop.type, self.w.unified, imports, unified=True)
            else:
                assert mapping.source is not None
                access, optional, source_type = self._access(vendor.api, source, mapping.source, root)
                expr = self._convert(
                    access,
                    optional,
                    mapping,
                    source_type,
                    prop.type,
                    vendor.api,
                    self.w.unified,
                    required,
                    vendor,
                    imports,
                    tables,
                    unified=True,
                )
            result.append((prop.name.py, expr))
        return result

    def _request_expr(
        self,
        mapping: FieldMapping,
        input_model: Model,
        target: TypeRef,
        required: bool,
        api: Api,
        vendor: Vendor,
        imports: _Imports,
        tables: list[tuple[str, str]],
    ) -> str:
        if mapping.has_const:
            return self._const(mapping.const, target, api, imports, unified=False)
        assert mapping.source is not None
        access, optional, source_type = self._access(self.w.unified, input_model, mapping.source, "request")
        if optional and not (required or mapping.required):
            # an absent optional input leaves the vendor's optional argument unset
            present = self._convert(
                access,
                False,
                mapping,
                source_type,
                target,
                self.w.unified,
                api,
                required,
                vendor,
                imports,
                tables,
                unified=False,
            )
            return f"NOT_GIVEN if {access} is None else {present}"
        return self._convert(
            access,
            optional,
            mapping,
            source_type,
            target,
            self.w.unified,
            api,
            required,
            vendor,
            imports,
            tables,
            unified=False,
        )

    def _access(self, api: Api, model: Model, path: tuple[str, ...], root: str) -> tuple[str, bool, TypeRef]:
        """Attribute access for a wire path, whether it may be None, and the type at its end."""
        expr = root
        optional = False
        current: Model | None = model
        type_: TypeRef | None = None
        for token in path:
            assert current is not None
            prop = next(p for p in current.properties if p.wire == token)
            expr = f"{expr}.{prop.name.py}" if not optional else f"opt({expr}, lambda v: v.{prop.name.py})"
            optional = optional or not prop.required or prop.type.nullable
            type_ = prop.type
            current = _object(api, prop.type)
        assert type_ is not None
        return expr, optional, type_

    def _convert(
        self,
        access: str,
        optional: bool,
        mapping: FieldMapping,
        source_type: TypeRef,
        target_type: TypeRef,
        source_api: Api,
        target_api: Api,
        required: bool,
        vendor: Vendor,
        imports: _Imports,
        tables: list[tuple[str, str]],
        *,
        unified: bool,
    ) -> str:
        value = access
        if optional and (required or mapping.required):
            value = f"require({access}, VENDOR, {'.'.join(mapping.source or ())!r})"
            optional = False
        source_is_enum = _enum_values(source_api, source_type) is not None and isinstance(
            _resolve(source_api, source_type), ModelRef
        )
        plain = f"{value}.value" if source_is_enum else value
        if mapping.value_map is not None:
            name = f"_MAP_{len(tables) + 1}"
            tables.append((name, repr(mapping.value_map)))
            converted = f"lookup({name}, {value}, VENDOR, {mapping.target!r})"
            return self._wrap_enum(converted, target_type, target_api, imports, unified, optional, access)
        if mapping.multiply is not None:
            converted = f"{plain} * {mapping.multiply!r}"
            return _maybe(optional, access, converted)
        if mapping.divide is not None:
            if _primitive_kind(target_api, target_type) is PrimitiveKind.INTEGER:
                converted = f"ceil_div({plain}, {mapping.divide!r})"
            else:
                converted = f"{plain} / {mapping.divide!r}"
            return _maybe(optional, access, converted)
        target_is_enum = _enum_values(target_api, target_type) is not None and isinstance(
            _resolve(target_api, target_type), ModelRef
        )
        if target_is_enum:
            return self._wrap_enum(plain, target_type, target_api, imports, unified, optional, access)
        if source_is_enum:
            return _maybe(optional, access, plain)
        return value

    def _wrap_enum(
        self, expr: str, target: TypeRef, api: Api, imports: _Imports, unified: bool, optional: bool, access: str
    ) -> str:
        resolved = _resolve(api, target)
        if isinstance(resolved, ModelRef) and api.models[resolved.key].kind is ModelKind.ENUM:
            name = imports.model(api.models[resolved.key].name.py, unified=unified)
            wrapped = f"{name}({expr})"
        else:
            wrapped = expr
        if optional:
            return f"None if {access} is None else {wrapped}"
        return wrapped

    def _const(self, value: Any, target: TypeRef, api: Api, imports: _Imports, *, unified: bool) -> str:
        if value is None:
            return "None"
        resolved = _resolve(api, target)
        if isinstance(resolved, ModelRef) and api.models[resolved.key].kind is ModelKind.ENUM:
            name = imports.model(api.models[resolved.key].name.py, unified=unified)
            return f"{name}({value!r})"
        return repr(value)


def _maybe(optional: bool, access: str, converted: str) -> str:
    if not optional:
        return converted
    return f"None if {access} is None else {converted}"


def _primitive_kind(api: Api, t: TypeRef) -> PrimitiveKind | None:
    resolved = _resolve(api, t)
    return resolved.kind if isinstance(resolved, Primitive) else None


def generate_wrapper(path: Path, package: str, options: dict[str, Any]) -> FileSet:
    return emit_wrapper(load_wrapper(path), package, options)


# --------------------------------------------------------------------------- TypeScript

_TS_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _ts_key(name: str) -> str:
    return name if _TS_IDENTIFIER.match(name) else json.dumps(name)


def _ts_access(root: str, name: str) -> str:
    return f"{root}.{name}" if _TS_IDENTIFIER.match(name) else f"{root}[{json.dumps(name)}]"


def _ts_protocol(wrapper: Wrapper) -> str:
    return naming.ts_type_name(wrapper.name) + "Provider"


class _TypeScriptAdapters:
    """The same adapters in TypeScript: wire names on both sides, string-literal enums, `??` for absence.

    Adapters bind both APIs' models as namespaces (`vendor.models.X`, `models.X`), never by name."""

    def __init__(self, wrapper: Wrapper, source: str, names: list[_VendorNames]):
        self.w = wrapper
        self.source = source
        self.names = names

    def emit(self, files: FileSet) -> None:
        from sdkgen.emit import get_emitter

        typescript = get_emitter("typescript")
        unified = typescript(self.w.unified, self.w.name + "-models", {})
        files.add("ts/src/models.ts", unified.files["src/models.ts"])
        protocol = _ts_protocol(self.w)
        operations = [
            {"name": naming.ts_identifier(op.name), "input": self._name(op.input), "output": self._name(op.output)}
            for op in self.w.operations
        ]
        webhook = self._name(self.w.webhook_output) if self.w.webhook_output else None
        doc = (self.w.description or self.w.name).replace("*/", "*\\/")
        files.add(
            "ts/src/interface.ts",
            render(
                "wrapper/typescript",
                "interface.ts.j2",
                source=self.source,
                protocol=protocol,
                operations=operations,
                webhook=webhook,
                doc=doc,
            ),
        )
        files.add("ts/src/runtime.ts", (templates_dir() / "wrapper" / "typescript" / "runtime.ts").read_bytes())
        vendors = []
        for vendor, names in zip(self.w.vendors, self.names, strict=True):
            module = names.module
            sdk = typescript(vendor.api, module.replace("_", "-") + "-sdk", {})
            for path, data in sdk.files.items():
                if path.startswith("src/"):
                    files.add(f"ts/src/sdks/{module}/{path}", data)
            class_name = names.ts_class
            files.add(f"ts/src/vendors/{module}.ts", self._adapter(vendor, module, class_name, protocol))
            vendors.append({"name": vendor.name, "module": module, "class_name": class_name})
        files.add(
            "ts/src/index.ts",
            render("wrapper/typescript", "index.ts.j2", source=self.source, protocol=protocol, vendors=vendors),
        )
        files.add("ts/tsconfig.json", render("wrapper/typescript", "tsconfig.json.j2"))
        files.add("ts/package.json", render("wrapper/typescript", "package.json.j2", name=f"@wrappers/{self.w.name}"))

    def _name(self, key: str) -> str:
        return self.w.unified.models[key].name.ts

    def _adapter(self, vendor: Vendor, module: str, class_name: str, protocol: str) -> str:
        tables: list[tuple[str, str]] = []
        operations = [self._operation(vendor, vendor.bindings[op.name], tables) for op in self.w.operations]
        webhook = None
        if vendor.webhooks and self.w.webhook_output:
            output = self.w.unified.models[self.w.webhook_output]
            alternatives = []
            for n, hook in enumerate(vendor.webhooks, start=1):
                model = vendor.api.models[hook.model_key]
                variable = f"event{n}"
                condition = (
                    " && ".join(f"payload[{json.dumps(k)}] === {json.dumps(v)}" for k, v in hook.when.items()) or "true"
                )
                fields = self._fields(hook.response, output, model, variable, vendor, tables)
                alternatives.append(
                    {"condition": condition, "model": model.name.ts, "variable": variable, "fields": fields}
                )
            webhook = {"output": output.name.ts, "alternatives": alternatives}
        return render(
            "wrapper/typescript",
            "adapter.ts.j2",
            source=self.source,
            vendor=vendor.name,
            module=module,
            class_name=class_name,
            protocol=protocol,
            operations=operations,
            webhook=webhook,
            tables=tables,
        )

    def _operation(self, vendor: Vendor, binding: Binding, tables: list[tuple[str, str]]) -> dict[str, Any]:
        op = binding.operation
        assert op is not None
        api = vendor.api
        unified_op = next(o for o in self.w.operations if o.name == binding.unified)
        input_model = self.w.unified.models[unified_op.input]
        by_target = {m.target: m for m in binding.request}
        positional = []
        params = []
        targets: list[tuple[str, TypeRef, bool]] = [
            (p.wire, p.type, p.required) for p in op.parameters if p.location is not ParameterLocation.PATH
        ]
        body = op.request_body
        for f in (body.fields or []) if body else []:
            targets.append(
                (f.property.wire, f.property.type, f.property.required and body is not None and body.required)
            )
        for param in op.parameters:
            if param.location is ParameterLocation.PATH:
                positional.append(self._request(by_target[param.wire], input_model, param.type, True, api, tables))
        for wire, type_, required in targets:
            mapping = by_target.get(wire)
            if mapping is None:
                continue
            if mapping.has_const or mapping.source is None:
                params.append(f"{_ts_key(wire)}: {self._const(mapping.const)}")
                continue
            access, optional, _ = self._access(self.w.unified, input_model, mapping.source, "request")
            if optional and not (required or mapping.required):
                value = self._request(mapping, input_model, type_, True, api, tables, assume_present=True)
                params.append(
                    f"...({access} === undefined || {access} === null ? {{}} : {{ {_ts_key(wire)}: {value} }})"
                )
            else:
                params.append(f"{_ts_key(wire)}: {self._request(mapping, input_model, type_, required, api, tables)}")
        resource = next(r for r in api.resources if r.key == op.resource)
        output = self.w.unified.models[unified_op.output]
        assert op.success is not None and op.success.preferred is not None
        source_model = _object(api, op.success.preferred.type)
        assert source_model is not None
        return {
            "name": naming.ts_identifier(unified_op.name),
            "input": input_model.name.ts,
            "output": output.name.ts,
            "call": f"{resource.name.ts}.{op.name.ts}",
            "positional": positional,
            "params": params,
            "fields": self._fields(binding.response, output, source_model, "result", vendor, tables),
        }

    def _fields(
        self,
        mappings: list[FieldMapping],
        output: Model,
        source: Model,
        root: str,
        vendor: Vendor,
        tables: list[tuple[str, str]],
    ) -> list[tuple[str, str]]:
        result = []
        for mapping in mappings:
            prop = next(p for p in output.properties if p.wire == mapping.target)
            if mapping.has_const or mapping.source is None:
                result.append((_ts_key(prop.wire), self._const(mapping.const)))
                continue
            access, optional, source_type = self._access(vendor.api, source, mapping.source, root)
            target_type = self._ts_type(self.w.unified, prop.type, "models")
            integer = _primitive_kind(self.w.unified, prop.type) is PrimitiveKind.INTEGER
            value = self._convert(access, mapping, source_type, vendor.api, target_type, tables, integer)
            if optional and (mapping.required or prop.required):
                present = f"require({access}, VENDOR, {json.dumps('.'.join(mapping.source))})"
                value = self._convert(present, mapping, source_type, vendor.api, target_type, tables, integer)
            elif optional and (mapping.value_map is not None or mapping.multiply or mapping.divide):
                value = f"{access} === undefined || {access} === null ? {access} : {value}"
            result.append((_ts_key(prop.wire), value))
        return result

    def _request(
        self,
        mapping: FieldMapping,
        input_model: Model,
        target: TypeRef,
        required: bool,
        api: Api,
        tables: list[tuple[str, str]],
        *,
        assume_present: bool = False,
    ) -> str:
        if mapping.has_const or mapping.source is None:
            return self._const(mapping.const)
        access, optional, source_type = self._access(self.w.unified, input_model, mapping.source, "request")
        if optional and not assume_present:
            access = f"require({access}, VENDOR, {json.dumps('.'.join(mapping.source))})"
        elif optional:
            access = f"{access}!"
        integer = _primitive_kind(api, target) is PrimitiveKind.INTEGER
        target_type = self._ts_type(api, target, "vendor.models")
        return self._convert(access, mapping, source_type, self.w.unified, target_type, tables, integer)

    def _convert(
        self,
        access: str,
        mapping: FieldMapping,
        source_type: TypeRef,
        source_api: Api,
        target_type: str,
        tables: list[tuple[str, str]],
        integer: bool = False,
    ) -> str:
        if mapping.value_map is not None:
            name = f"MAP_{len(tables) + 1}"
            tables.append((name, json.dumps(mapping.value_map, ensure_ascii=False)))
            return f"lookup<{target_type}>({name}, {access}, VENDOR, {json.dumps(mapping.target)})"
        if mapping.multiply is not None:
            return f"{access} * {mapping.multiply!r}"
        if mapping.divide is not None:
            return f"ceilDiv({access}, {mapping.divide!r})" if integer else f"{access} / {mapping.divide!r}"
        return access

    def _access(self, api: Api, model: Model, path: tuple[str, ...], root: str) -> tuple[str, bool, TypeRef]:
        expr = root
        optional = False
        current: Model | None = model
        type_: TypeRef | None = None
        for token in path:
            assert current is not None
            prop = next(p for p in current.properties if p.wire == token)
            expr = _ts_access(expr, prop.wire) if not optional else f"{expr}?.{prop.wire}"
            optional = optional or not prop.required or prop.type.nullable
            type_ = prop.type
            current = _object(api, prop.type)
        assert type_ is not None
        return expr, optional, type_

    def _ts_type(self, api: Api, t: TypeRef, namespace: str) -> str:
        resolved = _resolve(api, t)
        if isinstance(resolved, ModelRef):
            return f"{namespace}.{api.models[resolved.key].name.ts}"
        if isinstance(resolved, Primitive):
            return {"string": "string", "integer": "number", "number": "number", "boolean": "boolean"}[
                resolved.kind.value
            ]
        return "unknown"

    @staticmethod
    def _const(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)
