"""Stage 2: the language-neutral model every emitter reads."""

from sdkgen.ir.build import InternalError, build_api
from sdkgen.ir.model import Api

__all__ = ["Api", "InternalError", "build_api"]
