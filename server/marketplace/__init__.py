"""The platform's reference server: the generated FastAPI stub (`platform_server`) implemented.

`marketplace.app:app` is the ASGI application (settings from the environment);
`python -m marketplace` serves it on 127.0.0.1:8000.
"""
