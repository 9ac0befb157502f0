"""The server's models: the SDK's grouping (one module per root schema or path item), checked strictly.

Differences from the SDK models: enums are closed (a request with a value the spec does not list
is invalid), constraints become pydantic constraints, and readOnly / writeOnly properties say so
in the schema the app publishes.
"""

from __future__ import annotations

import re
from typing import Any

from sdkgen.emit.python import ModelGrouping, docstring
from sdkgen.emit.python.imports import sort_all
from sdkgen.emit.python.types import Imports
from sdkgen.emit.server.types import ServerTypes
from sdkgen.ir.model import Api, Model, ModelKind, PrimitiveKind, Property, model_directions


class ModelModules:
    def __init__(self, api: Api, grouping: ModelGrouping):
        self.api = api
        self.grouping = grouping
        self.module_of = grouping.module_of
        self.directions = model_directions(api)

    def view(self, module: str, keys: list[str]) -> dict[str, Any]:
        imports = Imports()
        imports.add("__future__", "annotations")
        types = ServerTypes(self.api, self.module_of, imports, module)
        enums: list[dict[str, Any]] = []
        classes: list[dict[str, Any]] = []
        aliases: list[dict[str, Any]] = []
        for key in keys:
            model = self.api.models[key]
            if model.kind is ModelKind.ENUM:
                enums.append(self._enum(model))
                imports.add("enum")
            elif model.kind is ModelKind.OBJECT:
                view = self._class(model, types)
                classes.append(view)
                imports.add(".._runtime._models", view["base"])
                if view["tags"]:
                    imports.typing.add("ClassVar")
                if view["not_null"]:
                    imports.typing.add("ClassVar")
                    imports.add("pydantic.json_schema", "SkipJsonSchema")
                if view["key_bounds"]:
                    imports.typing.add("ClassVar")
                uses_pydantic = view["extra"] is not None or view["config"]
                if uses_pydantic or any("pydantic." in f["value"] for f in view["fields"]):
                    imports.add("pydantic")
            else:
                assert model.target is not None
                recursive = self.grouping.recursive(key, model.target)
                if recursive:
                    imports.add("typing_extensions", "TypeAliasType")
                else:
                    imports.typing.add("TypeAlias")
                aliases.append(
                    {
                        "name": model.name.py,
                        "type": types.render(model.target),
                        "recursive": recursive,
                        "doc": docstring(model.description),
                    }
                )
        if types.uses_runtime:
            imports.add("..", "_runtime")
        return {
            "name": module,
            "imports": imports.lines("."),
            "enums": enums,
            "classes": classes,
            "aliases": _order_aliases(aliases),
            "exports": sort_all(m["name"] for group in (enums, classes, aliases) for m in group),
        }

    def _enum(self, model: Model) -> dict[str, Any]:
        base = "str" if model.enum_base is PrimitiveKind.STRING else "int"
        return {
            "name": model.name.py,
            "base": base,
            "doc": docstring(model.description),
            "members": [{"name": m.name.py, "value": repr(m.value)} for m in model.members],
        }

    def _class(self, model: Model, types: ServerTypes) -> dict[str, Any]:
        fields = [self._field(model, prop, types) for prop in model.properties]
        extra = types.render(model.additional_properties) if model.additional_properties is not None else None
        not_null = sorted({name for f in fields if f["not_null"] for name in (f["name"], f["wire"])})
        # additionalProperties: false forbids other keys (and says so in the app's schema); min/maxProperties are
        # checked on the request's object (the runtime's `_key_bounds_`) and documented
        config: list[str] = []
        if model.closed and extra is None:
            config.append('extra="forbid"')
        bounded = (("minProperties", model.min_properties), ("maxProperties", model.max_properties))
        documented: dict[str, Any] = {keyword: value for keyword, value in bounded if value is not None}
        if any(p.required and self._relaxed(model, p) for p in model.properties):
            # required in one direction only: such fields are optional (see `_field`), the document says required
            documented["required"] = [p.wire for p in model.properties if p.required]
        if documented:
            config.append(f"json_schema_extra={documented!r}")
        bounds = None
        if model.min_properties is not None or model.max_properties is not None:
            bounds = f"({model.min_properties or 0}, {model.max_properties!r})"
        tags = sorted(p.name.py for p in model.properties if p.literal_default)
        return {
            "name": model.name.py,
            "base": "TaggedModel" if tags else "BaseModel",
            "tags": tags,
            "doc": docstring(model.description),
            "fields": fields,
            "extra": extra,
            "not_null": not_null,
            "config": ", ".join(config),
            "key_bounds": bounds,
        }

    def _relaxed(self, model: Model, prop: Property) -> bool:
        """Whether a required property is optional in the server's model: a read-only one in a model some request
        carries (clients leave it out), a write-only one in a model some response carries (services leave it
        out). One model serves both directions, so such a property is checked in neither."""
        used = self.directions.get(model.key, frozenset())
        return (prop.read_only and "request" in used) or (prop.write_only and "response" in used)

    def _field(self, model: Model, prop: Property, types: ServerTypes) -> dict[str, Any]:
        annotation = types.render(prop.type)
        optional = not prop.required or self._relaxed(model, prop)
        default = repr(prop.default) if prop.literal_default else "None"  # a literal: str, int or bool
        # An optional property that is not nullable may be absent, never null: None stands for
        # "absent" in Python, and the schema and the validation leave null out.
        not_null = (
            optional
            and default == "None"
            and not annotation.endswith("| None")
            and annotation not in ("object", "None")
        )
        if not_null:
            annotation += " | SkipJsonSchema[None]"
        arguments = []
        if optional:
            arguments.append(f"default={default}")
        if prop.name.py != prop.wire:
            arguments.append(f"alias={prop.wire!r}")
        marks = {k: True for k, on in (("readOnly", prop.read_only), ("writeOnly", prop.write_only)) if on}
        if marks:
            arguments.append(f"json_schema_extra={marks!r}")
        if arguments == [f"default={default}"]:
            value = f" = {default}"
        elif arguments:
            value = f" = pydantic.Field({', '.join(arguments)})"
        else:
            value = ""
        return {
            "name": prop.name.py,
            "wire": prop.wire,
            "not_null": not_null,
            "annotation": annotation,
            "value": value,
            "doc": docstring(prop.description),
        }


def _order_aliases(aliases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Non-recursive aliases are evaluated at import: put each after the aliases it names."""
    by_name = {a["name"]: a for a in aliases}
    order: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place(alias: dict[str, Any], stack: set[str]) -> None:
        if alias["name"] in placed or alias["name"] in stack:
            return
        for other in by_name:
            if other != alias["name"] and re.search(rf"\b{re.escape(other)}\b", alias["type"]):
                place(by_name[other], stack | {alias["name"]})
        placed.add(alias["name"])
        order.append(alias)

    for alias in aliases:
        place(alias, set())
    return order
