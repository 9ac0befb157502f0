"""IR types → Python annotations for the server: the SDK's, plus the constraints a server must check."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

from sdkgen.emit.patterns import usable_pattern
from sdkgen.emit.python.types import TypeRenderer
from sdkgen.ir.model import ArrayType, Constraints, ModelRef, Primitive, PrimitiveKind, TypeRef

_NUMERIC = {"minimum": "ge", "maximum": "le", "exclusive_minimum": "gt", "exclusive_maximum": "lt"}


# string formats the runtime checks (`_runtime.checks`), the value staying a str
CHECKED_FORMATS = frozenset({"uri", "email", "ipv4", "ipv6"})


class ServerTypes(TypeRenderer):
    """Renders like the SDK, but a constrained string, number or array becomes `Annotated[T, pydantic.Field(...)]`
    and a string of a checked format `Annotated[str, pydantic.AfterValidator(_runtime.checks.<format>)]` (an array
    of unique items likewise). The module must import `_runtime` when `uses_runtime` is set."""

    uses_runtime = False

    def render(self, t: TypeRef, *, files: bool | None = None) -> str:
        if isinstance(t, ModelRef) and not t.nullable and self.api.models[t.key].nullable:
            t = ModelRef(t.key, nullable=True)  # a nullable enum, wherever it is referred to
        checked = isinstance(t, Primitive) and t.kind is PrimitiveKind.STRING and t.format in CHECKED_FORMATS
        if not isinstance(t, (Primitive, ArrayType)) or (t.constraints.is_empty() and not checked):
            return super().render(t, files=files)
        plain = dataclasses.replace(t, constraints=Constraints(), nullable=False)
        text = super().render(plain, files=files)
        metadata = []
        arguments = field_constraints(t, text)
        if arguments:
            metadata.append(f"pydantic.Field({arguments})")
        if checked and text in ("str", "builtins.str"):
            assert isinstance(t, Primitive)
            metadata.append(f"pydantic.AfterValidator(_runtime.checks.{t.format})")
            self.uses_runtime = True
        if isinstance(t, ArrayType) and t.constraints.unique_items:
            metadata.append("pydantic.AfterValidator(_runtime.checks.unique_items)")
            self.uses_runtime = True
        if metadata:
            self.imports.typing.add("Annotated")
            self.imports.modules.add("pydantic")
            text = f"Annotated[{text}, {', '.join(metadata)}]"
        return f"{text} | None" if t.nullable else text


def field_constraints(t: Primitive | ArrayType, rendered: str) -> str:
    """`pydantic.Field` arguments for the constraints pydantic can check on `rendered`, the annotation of `t`."""
    c = t.constraints
    arguments: list[str] = []
    if isinstance(t, ArrayType):
        if c.min_items is not None:
            arguments.append(f"min_length={c.min_items!r}")
        if c.max_items is not None:
            arguments.append(f"max_length={c.max_items!r}")
    elif t.kind is PrimitiveKind.NUMBER:
        for name, keyword in _NUMERIC.items():
            value = getattr(c, name)
            if value is not None:
                arguments.append(f"{keyword}={float(value)!r}")
        if c.multiple_of is not None and c.multiple_of > 0:
            arguments.append(f"multiple_of={float(c.multiple_of)!r}")
    elif t.kind is PrimitiveKind.INTEGER:
        arguments += _integer_constraints(c)
    elif t.kind is PrimitiveKind.STRING and rendered in ("str", "builtins.str"):
        if c.min_length is not None:
            arguments.append(f"min_length={c.min_length!r}")
        if c.max_length is not None:
            arguments.append(f"max_length={c.max_length!r}")
        if c.pattern is not None and usable_pattern(c.pattern):
            arguments.append(f"pattern={c.pattern!r}")
    return ", ".join(arguments)


def _integer_constraints(c: Constraints) -> list[str]:
    """An integer's bounds as pydantic takes them: integers only. A fractional bound holds for the same integers as
    the integer next to it inwards (`> 0.5` and `>= 0.5` are `>= 1`), and the integer multiples of `p/q` (in lowest
    terms) are those of `p`: a multiple of 0.5 is any integer (no check), of 2.5 a multiple of 5."""
    bounds: dict[str, int] = {}
    for name, keyword in _NUMERIC.items():
        value = getattr(c, name)
        if value is None:
            continue
        if not float(value).is_integer():
            keyword, value = ("ge", math.ceil(value)) if keyword in ("ge", "gt") else ("le", math.floor(value))
        tighter = max if keyword in ("ge", "gt") else min
        bounds[keyword] = tighter(bounds.get(keyword, int(value)), int(value))
    arguments = [f"{keyword}={value!r}" for keyword, value in bounds.items()]
    if c.multiple_of is not None and c.multiple_of > 0:
        step = Fraction(repr(c.multiple_of)).numerator if isinstance(c.multiple_of, float) else int(c.multiple_of)
        if step > 1:
            arguments.append(f"multiple_of={step!r}")
    return arguments
