"""The implementations of the stub's service interfaces, one module per resource."""

from ._base import Backend
from .admin import AdminService
from .auth import AuthService
from .consultation_products import ConsultationProductsService
from .consultations import ConsultationsService
from .experts import ExpertsService
from .homepages import HomepagesService
from .webhooks import WebhooksService

__all__ = [
    "AdminService",
    "AuthService",
    "Backend",
    "ConsultationProductsService",
    "ConsultationsService",
    "ExpertsService",
    "HomepagesService",
    "WebhooksService",
]
