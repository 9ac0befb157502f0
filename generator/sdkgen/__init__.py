"""sdkgen: OpenAPI-first SDK and code generation toolkit."""

__version__ = "0.1.0"
