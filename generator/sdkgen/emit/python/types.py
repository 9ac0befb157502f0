"""IR types → Python annotations, collecting what each module must import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sdkgen.emit.python.imports import ImportBlock
from sdkgen.ir.model import (
    AnyType,
    Api,
    ArrayType,
    LiteralType,
    MapType,
    ModelRef,
    NullType,
    Primitive,
    PrimitiveKind,
    TypeRef,
    UnionType,
)

_FORMATS = {
    "date-time": ("datetime.datetime", "datetime"),
    "date": ("datetime.date", "datetime"),
    "uuid": ("uuid.UUID", "uuid"),
}


@dataclass
class Imports:
    """What a generated module needs: stdlib modules, typing names, models by module, other names by module."""

    modules: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)
    models: dict[str, set[str]] = field(default_factory=dict)  # module -> names
    names: dict[str, set[str]] = field(default_factory=dict)  # any other module -> names

    def model(self, module: str, name: str) -> None:
        self.models.setdefault(module, set()).add(name)

    def add(self, module: str, *names: str) -> None:
        """`import module`, or `from module import names` (a relative module starts with dots)."""
        if names:
            self.names.setdefault(module, set()).update(names)
        else:
            self.modules.add(module)

    def block(self, models_package: str) -> ImportBlock:
        block = ImportBlock()
        for module in self.modules:
            block.add(module)
        if self.typing:
            block.add("typing", *self.typing)
        for module, names in self.names.items():
            block.add(module, *names)
        for module, names in self.models.items():
            block.add(f"{models_package}{module}", *names)
        return block

    def lines(self, models_package: str, indent: str = "") -> list[str]:
        """The import statements in isort order, sections apart (see `sdkgen.emit.python.imports`)."""
        return self.block(models_package).lines(indent)


class TypeRenderer:
    """Renders IR types for one module; `home` is the models module being written (None elsewhere)."""

    def __init__(
        self,
        api: Api,
        module_of: dict[str, str],
        imports: Imports,
        home: str | None,
        file_fields: bool = False,
        shadowed: frozenset[str] = frozenset(),
    ):
        self.shadowed = shadowed  # builtins hidden by a method of the class being written (e.g. `list`)
        self.api = api
        self.module_of = module_of
        self.imports = imports
        self.home = home
        self.file_fields = file_fields
        self.file_types_used = False  # rendered `FileTypes`, which the caller imports from its runtime

    def render(self, t: TypeRef, *, files: bool | None = None) -> str:
        """`t` as an annotation; `files`: a binary string is `FileTypes` (a multipart or form field), else `str`
        (default: as the renderer was made)."""
        if files is not None and files is not self.file_fields:
            self.file_fields = files
            try:
                return self._annotation(t)
            finally:
                self.file_fields = not files
        return self._annotation(t)

    def _annotation(self, t: TypeRef) -> str:
        text = self._render(t)
        if t.nullable and not isinstance(t, (NullType, AnyType)) and not text.endswith("| None"):
            return f"{text} | None"
        return text

    def _render(self, t: TypeRef) -> str:
        if isinstance(t, Primitive):
            return self._primitive(t)
        if isinstance(t, AnyType):
            return self.builtin("object")
        if isinstance(t, NullType):
            return "None"
        if isinstance(t, LiteralType):
            return self._literal(t.values)
        if isinstance(t, ArrayType):
            return f"{self.builtin('list')}[{self.render(t.items)}]"
        if isinstance(t, MapType):
            return f"{self.builtin('dict')}[{self.builtin('str')}, {self.render(t.values)}]"
        if isinstance(t, UnionType):
            literals = [v for v in t.variants if isinstance(v, LiteralType)]
            others = [v for v in t.variants if not isinstance(v, LiteralType)]
            parts = [self._render(v) for v in others]
            if literals:
                values = dict.fromkeys(value for lit in literals for value in lit.values)
                parts.insert(0, self._literal(tuple(values)))
            unique = list(dict.fromkeys(parts))
            integer, number = self.builtin("int"), self.builtin("float")
            if integer in unique and number in unique:  # a float annotation accepts ints (PEP 484; ruff PYI041)
                unique.remove(integer)
            if any(v.nullable for v in t.variants) and "None" not in unique:
                unique.append("None")
            if len(unique) == 1:
                return unique[0]
            if t.discriminator is not None and self._discriminable(t):
                self.imports.typing.add("Annotated")
                self.imports.modules.add("pydantic")
                prop = self._discriminator_attr(t)
                return f"Annotated[{' | '.join(unique)}, pydantic.Discriminator({prop!r})]"
            return " | ".join(unique)
        if isinstance(t, ModelRef):
            return self.model_name(t.key)
        raise TypeError(f"unknown IR type {t!r}")  # pragma: no cover

    def _literal(self, values: tuple[str | int | float | bool, ...]) -> str:
        """`Literal[...]` of the values; a float cannot be a literal type (PEP 586), so floats make it `float`,
        which also takes the integers: `enum: [2.4, 5]` is `float`, `enum: [2.4, "on"]` `Literal['on'] | float`."""
        floats = any(isinstance(v, float) for v in values)
        exact = [v for v in values if not isinstance(v, float) and not (floats and type(v) is int)]
        parts = []
        if exact:
            self.imports.typing.add("Literal")
            parts.append("Literal[" + ", ".join(repr(v) for v in exact) + "]")
        if floats:
            parts.append(self.builtin("float"))
        return " | ".join(parts)

    def _primitive(self, t: Primitive) -> str:
        if t.kind is PrimitiveKind.STRING:
            if t.format == "binary" and self.file_fields:
                self.file_types_used = True
                return "FileTypes"
            mapped = _FORMATS.get(t.format or "")
            if mapped:
                self.imports.modules.add(mapped[1])
                return mapped[0]
            return self.builtin("str")
        if t.kind is PrimitiveKind.INTEGER:
            return self.builtin("int")
        if t.kind is PrimitiveKind.NUMBER:
            return self.builtin("float")
        return self.builtin("bool")

    def builtin(self, name: str) -> str:
        if name in self.shadowed:
            self.imports.modules.add("builtins")
            return f"builtins.{name}"
        return name

    def model_name(self, key: str) -> str:
        model = self.api.models[key]
        module = self.module_of[key]
        if module != self.home:
            self.imports.model(module, model.name.py)
        return model.name.py

    def _discriminable(self, t: UnionType) -> bool:
        return all(isinstance(v, ModelRef) and self.api.object_of(v.key) is not None for v in t.variants)

    def _discriminator_attr(self, t: UnionType) -> str:
        assert t.discriminator is not None
        first = t.variants[0]
        assert isinstance(first, ModelRef)
        model = self.api.object_of(first.key)
        assert model is not None
        for prop in model.properties:
            if prop.wire == t.discriminator.property:
                return prop.name.py
        return t.discriminator.property


def references(t: TypeRef, visit: Callable[[str], None]) -> None:
    """Call `visit` with the key of every model a type mentions."""
    if isinstance(t, ModelRef):
        visit(t.key)
    elif isinstance(t, ArrayType):
        references(t.items, visit)
    elif isinstance(t, MapType):
        references(t.values, visit)
    elif isinstance(t, UnionType):
        for variant in t.variants:
            references(variant, visit)
