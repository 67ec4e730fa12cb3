"""sellkit: a seller-side client for marketplace APIs.

- :mod:`sellkit.eqp`: the Adobe Commerce Marketplace EQP API (``Client``, ``AsyncClient``).
- :mod:`sellkit.patch`: JSON Patch: ``apply``, ``diff``, ``validate`` (computed in Rust).
- :mod:`sellkit.marktplaats`: the Marktplaats / 2dehands / 2ememain API; :mod:`sellkit.locale`.
- :mod:`sellkit.testing`: a loopback simulator of the APIs, for tests.
- :mod:`sellkit.eqp.types` and :mod:`sellkit.marktplaats.types`: ``TypedDict`` types of the
  results and inputs.

Every failure raises a :class:`SellkitError` subclass.
"""

import os
import sys

# Every exception class (generated from core's error tree; ``sellkit._errors.__all__``).
from sellkit._errors import (
    APIConnectionError,
    APIStatusError,
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
    UnexpectedStatusError,
    ValidationError,
)

# The submodules and the native extension load on first use (PEP 562), so that `import sellkit`
# costs little; `sellkit.eqp`, `from sellkit import eqp` and `import sellkit.eqp` all work.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from sellkit import eqp, locale, marktplaats, patch, testing

    __version__: str

_LAZY = ("eqp", "locale", "marktplaats", "patch", "testing")

__all__ = [
    "__version__",
    "eqp",
    "patch",
    "marktplaats",
    "locale",
    "testing",
    "SellkitError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "ValidationError",
    "RateLimitError",
    "ServerError",
    "UnexpectedStatusError",
    "InvalidInputError",
    "DecodeError",
    "InternalError",
    "BatchError",
]



def __getattr__(name: str) -> object:
    import importlib

    if name in _LAZY:
        module = importlib.import_module(f"sellkit.{name}")
        globals()[name] = module
        return module
    if name == "__version__":
        from sellkit import _native

        return _native.__version__
    raise AttributeError(f"module 'sellkit' has no attribute {name!r}")


def __dir__() -> "list[str]":
    return sorted(set(globals()) | set(__all__))


def _after_fork_in_child() -> None:
    # Only a process that loaded the extension has a runtime to drop.
    native = sys.modules.get("sellkit._native")
    if native is not None:
        native._after_fork_in_child()


# A forked child starts without the parent's threads: it drops the parent's runtime and builds
# its own on first use (clients made in the parent reconnect there too).
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
