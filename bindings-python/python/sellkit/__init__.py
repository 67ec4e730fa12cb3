"""sellkit: a seller-side client for marketplace APIs.

- :mod:`sellkit.eqp`: the Adobe Commerce Marketplace EQP API (``Client``, ``AsyncClient``).
- :mod:`sellkit.patch`: JSON Patch: ``apply``, ``diff``, ``validate`` (computed in Rust).
- :mod:`sellkit.marktplaats`: the Marktplaats / 2dehands / 2ememain API; :mod:`sellkit.locale`.
- :mod:`sellkit.testing`: a loopback simulator of the APIs, for tests.
- :mod:`sellkit.types`: ``TypedDict`` types of the results.

Every failure raises a :class:`SellkitError` subclass.
"""

import os

from sellkit import _native
from sellkit._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BatchError,
    ConflictError,
    DecodeError,
    InternalError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SellkitError,
    ServerError,
    ValidationError,
)
from sellkit import eqp, locale, marktplaats, patch, testing, types

__version__: str = _native.__version__

__all__ = [
    "__version__",
    "eqp",
    "patch",
    "marktplaats",
    "locale",
    "testing",
    "types",
    "SellkitError",
    "InvalidInputError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "ValidationError",
    "RateLimitError",
    "ServerError",
    "APIError",
    "APITimeoutError",
    "APIConnectionError",
    "DecodeError",
    "InternalError",
    "BatchError",
]

# A forked child starts without the parent's threads: it drops the parent's runtime and builds
# its own on first use (clients made in the parent reconnect there too).
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_native._after_fork_in_child)
