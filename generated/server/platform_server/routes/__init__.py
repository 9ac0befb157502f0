"""One module of FastAPI routes per resource of the API."""
