"""Exceptions raised by mkt's clients.

NumerBay: the official client raises ``ValueError`` (or logs and returns nothing); mkt raises
``NumerBayError`` (a ``ValueError``, so existing ``except ValueError`` code keeps working) or one
of its subclasses. CrowdCent: the official exception hierarchy, with the same attributes.
"""


class NumerBayError(ValueError):
    """A NumerBay call failed. ``status_code`` is the HTTP status when the server answered."""

    def __init__(self, message: str = "", *, status_code=None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class NumerBayAuthError(NumerBayError):
    """Credentials are missing or were rejected (check NUMERBAY_USERNAME / NUMERBAY_PASSWORD)."""


class NumerBayNotFoundError(NumerBayError):
    """A product, order or artifact does not exist (or is not yours)."""


class NumerBayValidationError(NumerBayError):
    """The input was rejected before anything was sent (or the server rejected it as invalid)."""


class CrowdCentAPIError(Exception):
    """Base exception for CrowdCent API errors (as in ``crowdcent_challenge``)."""

    def __init__(self, message: str = "", *, status_code=None, code: str = "", fields=None, payload=None):
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.payload = payload or {}


class AuthenticationError(CrowdCentAPIError):
    """Authentication issues (401, and 403 with an auth code, or no API key)."""


class NotFoundError(CrowdCentAPIError):
    """Not found (404, unknown challenge, no such period)."""


class ClientError(CrowdCentAPIError):
    """Other 4xx errors, and predictions rejected by local validation."""


class ServerError(CrowdCentAPIError):
    """5xx errors."""
