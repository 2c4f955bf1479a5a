"""mkt: NumerBay and CrowdCent Challenge clients backed by Rust, drop-ins for the official ones.

``from mkt import NumerBay`` replaces ``from numerbay import NumerBay``;
``from mkt import ChallengeClient`` replaces ``from crowdcent_challenge import ChallengeClient``.
"""

from mkt._mkt import ChallengeClient, NumerBay, Sandbox, __version__
from mkt.errors import (
    AuthenticationError,
    ClientError,
    CrowdCentAPIError,
    NotFoundError,
    NumerBayAuthError,
    NumerBayError,
    NumerBayNotFoundError,
    NumerBayValidationError,
    ServerError,
)

__all__ = [
    "NumerBay",
    "ChallengeClient",
    "Sandbox",
    "NumerBayError",
    "NumerBayAuthError",
    "NumerBayNotFoundError",
    "NumerBayValidationError",
    "CrowdCentAPIError",
    "AuthenticationError",
    "NotFoundError",
    "ClientError",
    "ServerError",
    "__version__",
]
