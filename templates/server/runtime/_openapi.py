"""The app's OpenAPI document: FastAPI's, made to say what the spec says (static runtime).

FastAPI documents the routes; this completes what it cannot know from them: the spec's security
(schemes and requirements) and the component schemas that error responses refer to, and it drops
the responses FastAPI adds on its own (a 422 placeholder standing in for its `HTTPValidationError`
— validation errors are answered as problem details — and a default 200 where the spec declares
other statuses only).
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Iterator
from typing import Any

import pydantic
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ._routing import OperationRoute

__all__ = ["ServerApp"]

_REF = "#/components/schemas/"


class ServerApp(FastAPI):
    """The FastAPI application of the generated server."""

    def __init__(
        self,
        *,
        models_package: str,
        security_schemes: dict[str, Any],
        security: list[dict[str, list[str]]],
        **options: Any,
    ) -> None:
        options.setdefault("separate_input_output_schemas", False)
        super().__init__(**options)
        self.models_package = models_package
        self.security_schemes = security_schemes
        self.security = security

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema:
            return self.openapi_schema
        document = get_openapi(
            title=self.title,
            version=self.version,
            openapi_version=self.openapi_version,
            summary=self.summary,
            description=self.description,
            routes=self.routes,
            tags=self.openapi_tags,
            servers=self.servers,
            separate_input_output_schemas=self.separate_input_output_schemas,
            webhooks=self.webhooks.routes,
        )
        for section, routes in (("paths", self.routes), ("webhooks", self.webhooks.routes)):
            items = document.get(section, {})
            for route in routes:
                if isinstance(route, OperationRoute) and route.include_in_schema:
                    operation = items.get(route.path_format, {}).get(route.operation.method.lower())
                    if operation is not None:
                        declared = set(route.operation.statuses)
                        responses = operation.get("responses", {})
                        for status in [s for s in responses if s not in declared]:
                            del responses[status]
                        _declared_body(document, operation, route)
        components = document.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        self._complete_schemas(document, schemas)
        if self.security_schemes:
            components["securitySchemes"] = self.security_schemes
        if self.security:
            document["security"] = self.security
        if not schemas:
            del components["schemas"]
        if not components:
            del document["components"]
        self.openapi_schema = document
        return document

    def _complete_schemas(self, document: dict[str, Any], schemas: dict[str, Any]) -> None:
        """Add the models that responses and extra media types refer to by name."""
        models = importlib.import_module(self.models_package)
        while True:
            missing = sorted({name for name in _refs(document) if name not in schemas})
            added = False
            for name in missing:
                cls = getattr(models, name, None)
                if not isinstance(cls, type):
                    continue
                schema = pydantic.TypeAdapter(cls).json_schema(ref_template=_REF + "{model}", mode="validation")
                for key, definition in schema.pop("$defs", {}).items():
                    schemas.setdefault(key, definition)
                schemas[name] = schema
                added = True
            if not added:
                break


def _declared_body(document: dict[str, Any], operation: dict[str, Any], route: OperationRoute) -> None:
    """A body content the route declares (`openapi_extra`: the spec's own schema, for a body FastAPI does not read
    as the spec writes it, such as a multipart body with JSON parts) replaces what FastAPI made of its endpoint, and
    the `Body_...` model FastAPI named for it goes when nothing else refers to it."""
    declared = (route.openapi_extra or {}).get("requestBody", {}).get("content", {})
    content = operation.get("requestBody", {}).get("content", {})
    replaced = False
    for media, entry in declared.items():
        if media in content:
            content[media] = copy.deepcopy(entry)
            replaced = True
    schemas = document.get("components", {}).get("schemas", {})
    body = f"Body_{route.unique_id}"
    if (
        replaced
        and body in schemas
        and body not in set(_refs({k: v for k, v in document.items() if k != "components"}))
    ):
        del schemas[body]


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            yield ref[len(_REF) :]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)
